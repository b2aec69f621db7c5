namespace Node.Federation.Sync.Reconciliation;

/// <summary>
/// What a reconciliation step produced: a message to send, the end of the reconciliation (initiator only), or a
/// refusal. A refusal's <see cref="Detail"/> names the problem, where in the message, and, for a limit, the limit;
/// what it quotes of the peer's message (a bound, a fingerprint) is in hex, so it is safe to log.
/// </summary>
/// <param name="Error">Why it stopped; <see cref="ReconcileError.None"/> if it did not.</param>
/// <param name="Message">The message to send next; null when complete or refused.</param>
/// <param name="Detail">What was wrong, when refused.</param>
public readonly record struct ReconcileResult(ReconcileError Error, byte[]? Message, string? Detail)
{
    /// <summary>Not refused.</summary>
    public bool Succeeded => Error == ReconcileError.None;

    /// <summary>The initiator has its answer: the have and need it was given are complete.</summary>
    public bool IsComplete => Error == ReconcileError.None && Message is null;

    internal static ReconcileResult Send(byte[] message) => new(ReconcileError.None, message, null);

    internal static ReconcileResult Complete { get; } = new(ReconcileError.None, null, null);

    internal static ReconcileResult Refuse(ReconcileError error, string detail) => new(error, null, detail);
}
