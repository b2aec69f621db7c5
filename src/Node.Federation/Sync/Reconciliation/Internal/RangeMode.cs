namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>What a range of a message carries (the low 3 bits of its head; docs/protocol.md, "Set reconciliation").</summary>
internal enum RangeMode : byte
{
    /// <summary>Nothing to do here this round.</summary>
    Skip = 0,

    /// <summary>The sender's fingerprint of its keys in the range.</summary>
    Fingerprint = 1,

    /// <summary>The sender's keys in the range, as id prefixes (in a reply, after the responder's fingerprint).</summary>
    IdList = 2,

    /// <summary>Reply to an id list: which of its entries the responder lacks, the keys the initiator lacks, the responder's fingerprint.</summary>
    IdDiff = 3,

    /// <summary>Query answering a reply's id list: which of its entries the initiator wants in full.</summary>
    IdRequest = 4,

    /// <summary>Reply to a request: the keys asked for, in full.</summary>
    Ids = 5,

    /// <summary>Reply: the responder did not get to these ranges this round; ask again.</summary>
    Deferred = 6,
}

/// <summary>Which way a message goes: the modes allowed and an id list's fields differ.</summary>
internal enum Direction
{
    Query,
    Reply,
}
