namespace Node.Federation.Sync.Reconciliation;

/// <summary>Why a reconciliation message was refused or a reconciliation stopped. Everything but <see cref="None"/> ends it.</summary>
public enum ReconcileError
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The message is larger than <see cref="ReconcileOptions.FrameLimit"/>.</summary>
    MessageTooLarge,

    /// <summary>The message's version byte is not one this node speaks.</summary>
    UnknownVersion,

    /// <summary>The message ends inside a field, has bytes after its last range, or does not end at the top of the key space.</summary>
    Truncated,

    /// <summary>A varint is longer than 10 bytes, overflows 64 bits or starts with a zero digit.</summary>
    BadVarint,

    /// <summary>The header's fingerprint length is outside 4 to 16 bytes, or not the one this reconciliation uses.</summary>
    BadFingerprintLength,

    /// <summary>A range's upper bound is not above the previous one, or overflows the timestamp.</summary>
    BoundsOutOfOrder,

    /// <summary>A range's mode is not one of the protocol's.</summary>
    UnknownMode,

    /// <summary>A range's mode is the protocol's but not allowed in this direction.</summary>
    ModeNotAllowed,

    /// <summary>The message has more than <see cref="ReconcileOptions.MaxRangesPerMessage"/> ranges.</summary>
    TooManyRanges,

    /// <summary>An id list or request counts more than <see cref="ReconcileOptions.MaxIdsPerList"/> ids.</summary>
    ListTooLong,

    /// <summary>An id list's prefix length or a request's bitmap is not well-formed.</summary>
    BadIdList,

    /// <summary>A key sent in full is outside its range, out of order, or not what was asked for.</summary>
    BadKey,

    /// <summary>The responder answered something that was not asked, or not the way it was asked.</summary>
    UnexpectedAnswer,

    /// <summary>A side's set changed during the reconciliation (its fingerprint, or a range's count, moved).</summary>
    SetChanged,

    /// <summary>The initiator sent <see cref="ReconcileOptions.MaxRounds"/> messages without finishing.</summary>
    TooManyRounds,

    /// <summary>The responder's answers do not add up to its set's fingerprint, even at full strength.</summary>
    Inconsistent,
}
