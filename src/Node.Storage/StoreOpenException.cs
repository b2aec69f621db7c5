namespace Node.Storage;

/// <summary>The store cannot be used as it is; the message says why and what to do. The file was not modified.</summary>
public sealed class StoreOpenException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreOpenException(StoreProblem problem, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Problem = problem;
    }

    /// <summary>What is wrong.</summary>
    public StoreProblem Problem { get; }
}
