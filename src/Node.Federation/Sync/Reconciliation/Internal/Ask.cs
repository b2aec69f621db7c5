namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>What the initiator asks of a range.</summary>
internal enum AskKind : byte
{
    /// <summary>Compare this fingerprint of my keys there.</summary>
    Fingerprint,

    /// <summary>Here are my keys there (prefixes): tell me the difference.</summary>
    List,

    /// <summary>Send me these entries of your id list in full.</summary>
    Request,
}

/// <summary>
/// One range the initiator has to send: waiting for a query with room, or sent and waiting for its answer. The keys
/// at [Start, End) of the initiator's set are its keys in the range.
/// </summary>
internal readonly record struct Ask(Bound Lower, Bound Upper, AskKind Kind, int Start, int End)
{
    /// <summary>The bytes of each entry of a list.</summary>
    public int PrefixLength { get; init; }

    /// <summary>What a request needs to check its answer.</summary>
    public RequestContext? Request { get; init; }

    public static int ByLower(Ask left, Ask right) => left.Lower.CompareTo(right.Lower);
}

/// <summary>
/// A request for some entries of the responder's id list, and what checks the answer: once the keys arrive, the
/// responder's keys in the range are the initiator's keys it has (<see cref="KeptSum"/>, <see cref="KeptCount"/>)
/// plus those keys, and their fingerprint must be the one the responder listed with.
/// </summary>
internal sealed class RequestContext(int count, byte[] bitmap, IdPrefix[] requested, int prefixLength, byte[] fingerprint, IdSum keptSum, int keptCount)
{
    /// <summary>Entries of the responder's list.</summary>
    public int Count { get; } = count;

    /// <summary>The entries asked for, one bit each.</summary>
    public byte[] Bitmap { get; } = bitmap;

    /// <summary>The prefixes of the entries asked for, in order: each key sent must start with its own.</summary>
    public IdPrefix[] Requested { get; } = requested;

    public int PrefixLength { get; } = prefixLength;

    /// <summary>The responder's fingerprint of its keys in the range, as it sent it.</summary>
    public byte[] Fingerprint { get; } = fingerprint;

    public IdSum KeptSum { get; } = keptSum;

    public int KeptCount { get; } = keptCount;
}
