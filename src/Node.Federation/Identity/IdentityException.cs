namespace Node.Federation.Identity;

/// <summary>The node's identity key cannot be used; the message names the file and what to do. Never contains key material.</summary>
public sealed class IdentityException(string message, Exception? innerException = null) : Exception(message, innerException);
