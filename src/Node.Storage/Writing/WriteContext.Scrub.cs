using Node.Storage.Events;
using Node.Storage.Events.Payloads;
using Node.Storage.Internal;

namespace Node.Storage.Writing;

// A scrub's progress, kept in store_info so a scrub interrupted by a stop goes on where it was.
public sealed partial class WriteContext
{
    /// <summary>Records that the scrub under way has verified every packet up to receive sequence <paramref name="seq"/>.</summary>
    public void SaveScrubCursor(long seq)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        StoreInfo.WriteInt64(_commands, StoreInfo.ScrubCursor, seq);
    }

    /// <summary>
    /// Records a finished scrub: no scrub is under way any more, the last one finished now, and
    /// <see cref="EventKinds.StoreScrubbed"/> says what it found.
    /// </summary>
    public EventEntry CompleteScrub(StoreScrubbedEvent scrubbed)
    {
        ArgumentNullException.ThrowIfNull(scrubbed);
        StoreInfo.Delete(_commands, StoreInfo.ScrubCursor);
        StoreInfo.WriteInt64(_commands, StoreInfo.ScrubCompletedAt, Now);
        return AppendEvent(scrubbed);
    }
}
