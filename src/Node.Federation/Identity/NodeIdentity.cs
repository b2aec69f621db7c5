using NSec.Cryptography;

namespace Node.Federation.Identity;

/// <summary>
/// The node's Ed25519 key pair and the id derived from it. Created on first start as
/// <c>identity.key</c> in the state directory (PKCS#8 PEM, mode 0600); refused when others may
/// read it or it is not an Ed25519 private key. The private key never leaves this object.
/// </summary>
public sealed class NodeIdentity : IDisposable
{
    /// <summary>The key file's name in the state directory.</summary>
    public const string FileName = "identity.key";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private NodeIdentity(Key key)
    {
        _key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        Id = NodeId.FromPublicKey(PublicKey);
    }

    /// <summary>The node id.</summary>
    public NodeId Id { get; }

    /// <summary>The raw 32-byte Ed25519 public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>A new identity held in memory only (tests, tools).</summary>
    public static NodeIdentity CreateEphemeral() =>
        new(Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>An identity from a raw 32-byte Ed25519 private key (RFC 8032 seed).</summary>
    public static NodeIdentity FromSeed(ReadOnlySpan<byte> seed) =>
        new(Key.Import(Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>
    /// Loads <c>identity.key</c> from <paramref name="directory"/>, creating it (mode 0600) when missing.
    /// </summary>
    /// <returns>The identity and whether it was just created.</returns>
    /// <exception cref="IdentityException">The file is not a regular file, is readable by others, malformed, or cannot be written.</exception>
    public static (NodeIdentity Identity, bool Created) LoadOrCreate(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        RefuseSpecialFiles(directory);
        var path = Path.Combine(directory, FileName);
        if (File.Exists(path))
        {
            return (Load(path), false);
        }

        var identity = CreateEphemeral();
        try
        {
            // Durable, or a power cut could silently give the node a new identity at the next start.
            identity.WriteKeyFile(path, path + ".new");
            return (identity, true);
        }
        catch (IOException ex)
        {
            identity.Dispose();
            throw new IdentityException($"Cannot create the identity key {path}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Writes this private key to <paramref name="path"/> as PKCS#8 PEM, mode 0600: into
    /// <paramref name="temporary"/> first, fsynced, then renamed over <paramref name="path"/> and the
    /// directory fsynced, so <paramref name="path"/> holds either nothing (or what it held) or the whole key.
    /// </summary>
    /// <exception cref="IOException">It could not be written; the temporary file is removed and <paramref name="path"/> is as it was.</exception>
    internal void WriteKeyFile(string path, string temporary)
    {
        try
        {
            var pem = _key.Export(KeyBlobFormat.PkixPrivateKeyText);
            try
            {
                Node.Storage.Durable.WriteFile(path, pem, OwnerOnly, temporary);
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(pem);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ex as IOException ?? new IOException(ex.Message, ex); // the temporary file is gone already
        }
    }

    /// <summary>Loads the Ed25519 private key at <paramref name="path"/> (PKCS#8 PEM), refusing a file others may read.</summary>
    /// <exception cref="IdentityException">The file is readable by others, malformed or cannot be read.</exception>
    internal static NodeIdentity LoadFile(string path) => Load(path);

    /// <summary>Loads <c>identity.key</c> from <paramref name="directory"/> when it is there; never makes one.</summary>
    /// <returns>The identity, or null when there is no key file.</returns>
    /// <exception cref="IdentityException">The file is readable by others, malformed, cannot be read, or is not a regular file.</exception>
    public static NodeIdentity? LoadExisting(string directory)
    {
        RefuseSpecialFiles(directory);
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? Load(path) : null;
    }

    /// <summary>
    /// Refuses a FIFO, directory, socket or device where <c>identity.key</c> (or its <c>.new</c>
    /// file, written on the first start, or the <c>.next</c> key a rotation waits with) goes: reading a FIFO blocks until something writes to it,
    /// and a start stuck there does not hear SIGTERM.
    /// </summary>
    /// <exception cref="IdentityException">One of them is not a regular file; the message names it and what it is.</exception>
    public static void RefuseSpecialFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var path = Path.Combine(directory, FileName);
        foreach (var file in (ReadOnlySpan<string>)[path, path + ".new", path + ".next", path + ".next.new"])
        {
            if (!Node.Storage.FileKinds.IsRegularOrMissing(file, out var problem))
            {
                throw new IdentityException(
                    $"{problem}: the identity key must be a regular file, and the node does not open anything else there. Nothing was changed; " +
                    "move it away, then put identity.key back from a backup (or let the node make a new identity: peers will see a new node).");
            }
        }
    }

    private static NodeIdentity Load(string path)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                     UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0)
        {
            throw new IdentityException(
                $"The identity key {path} may be read by others (mode {Convert.ToString((int)mode, 8)}); it must be 0600. " +
                $"If nobody else had access, run: chmod 600 {path}; otherwise the key may be compromised: move it away and let the node make a new identity.");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IdentityException($"Cannot read the identity key {path}: {ex.Message}", ex);
        }

        if (!Key.TryImport(Ed25519, bytes, KeyBlobFormat.PkixPrivateKeyText, out var key,
                new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }) || key is null)
        {
            throw new IdentityException(
                $"The identity key {path} is not an Ed25519 private key (PKCS#8 PEM). Restore it from a backup, or move it away to make a new identity (peers will see a new node).");
        }

        return new NodeIdentity(key);
    }

    /// <summary>Signs <paramref name="data"/>: a 64-byte Ed25519 signature.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => Ed25519.Sign(_key, data);

    /// <summary>Whether <paramref name="signature"/> is a valid Ed25519 signature by <paramref name="publicKey"/> over <paramref name="data"/>. Never throws on bad input.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != Ed25519.PublicKeySize || signature.Length != Ed25519.SignatureSize ||
            !NSec.Cryptography.PublicKey.TryImport(Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            return false;
        }

        return Ed25519.Verify(key, data, signature);
    }

    /// <summary>The id, never the key.</summary>
    public override string ToString() => Id.ToString();

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
