using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Federation.Identity;
using Node.Storage;
using Node.Storage.Events.Payloads;
using Node.Storage.Packets;

namespace Node.Federation.Packets;

/// <summary>
/// Finds stored packets whose bytes no longer verify and marks them corrupt, so they are kept but
/// never served or synced again. A scrub walks every stored packet in batches of
/// <see cref="StoreOptions.ScrubBatchSize"/> (a fresh read per batch, one short write per batch for
/// its marks and progress, so other writers go between), verifies each with
/// <see cref="StoredPackets.Verify"/>, and ends with a <c>store.scrubbed</c> entry. The read path
/// checks what it serves with the cheap <see cref="StoredPackets.CheckIntegrity"/> and marks what
/// fails (<see cref="ServeAsync"/>). One scrub at a time; thread-safe.
/// </summary>
public sealed partial class PacketScrub(NodeStore store, IdentityHost identity, IOptions<StoreOptions> options, TimeProvider time,
    ILogger<PacketScrub> logger) : IDisposable
{
    /// <summary>Most corrupt packets a report names (all are counted).</summary>
    public const int MaxNamed = 1000;

    private const string Scheduled = "schedule";

    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Scrubs every stored packet now, from the first (an operator's <c>nodectl store scrub</c>); waits for a scrub under way to end first.</summary>
    /// <param name="by">Who asked, for the log.</param>
    /// <param name="cancellationToken">Stops between batches; what was marked stays marked.</param>
    public async Task<ScrubReport> RunAsync(string by, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await PassAsync(0, by, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>
    /// The scheduled scrub: goes on with one a stop interrupted, or starts one when
    /// <see cref="StoreOptions.ScrubInterval"/> has passed since the last ended (at once when none
    /// ever ran). Null when none was due, or scrubbing is off.
    /// </summary>
    public async Task<ScrubReport?> RunIfDueAsync(CancellationToken cancellationToken = default)
    {
        var interval = options.Value.ScrubInterval;
        if (interval <= TimeSpan.Zero)
        {
            return null;
        }

        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ScrubState state;
            using (var reader = store.OpenReader())
            {
                state = reader.Store.ScrubState();
            }

            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            if (state.Cursor is null && state.CompletedAt is { } ended && now - ended < (long)interval.TotalMilliseconds)
            {
                return null;
            }

            return await PassAsync(state.Cursor ?? 0, Scheduled, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>
    /// The packets of <paramref name="rows"/> whose bytes check out, with their bodies, in order;
    /// any that do not are marked corrupt (found by <c>read</c>) and left out.
    /// </summary>
    public async Task<IReadOnlyList<ServedPacket>> ServeAsync(IReadOnlyList<StoredPacket> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var served = new List<ServedPacket>(rows.Count);
        List<(StoredPacket Stored, string Reason)>? bad = null;
        foreach (var stored in rows)
        {
            var check = StoredPackets.CheckIntegrity(stored);
            if (check.Body is { } body)
            {
                served.Add(new ServedPacket(stored, body));
            }
            else
            {
                (bad ??= []).Add((stored, check.Reason!));
            }
        }

        if (bad is not null)
        {
            await MarkAsync(bad, "read", cancellationToken).ConfigureAwait(false);
        }

        return served;
    }

    /// <inheritdoc />
    public void Dispose() => _one.Dispose();

    private async Task<ScrubReport> PassAsync(long from, string by, CancellationToken cancellationToken)
    {
        var size = options.Value.ScrubBatchSize;
        KeyDirectory keys;
        using (var reader = store.OpenReader())
        {
            keys = StoredPackets.Keys(reader, identity.Identity.PublicKey);
        }

        LogStarted(logger, from, by);
        long verified = 0, unverified = 0, marked = 0, after = from;
        IReadOnlyList<StoredPacket> batch;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var reader = store.OpenReader())
            {
                batch = reader.Packets.ForScrub(after, size);
            }

            var bad = new List<(StoredPacket, string)>();
            foreach (var stored in batch)
            {
                var check = StoredPackets.Verify(stored, keys);
                verified++;
                if (check.State == StoredPacketState.Unverified)
                {
                    unverified++;
                }
                else if (check.State == StoredPacketState.Corrupt)
                {
                    bad.Add((stored, check.Reason!));
                }
            }

            if (batch.Count > 0)
            {
                var last = batch[^1].Seq;
                marked += await MarkAsync(bad, "scrub", cancellationToken, last).ConfigureAwait(false);
                after = last;
            }
        }
        while (batch.Count == size);

        long corrupt;
        IReadOnlyList<CorruptPacket> named;
        using (var reader = store.OpenReader())
        {
            corrupt = reader.Packets.CorruptCount();
            named = reader.Packets.Corrupt(MaxNamed);
        }

        var scrubbed = new StoreScrubbedEvent(from, verified, unverified, marked, corrupt, by);
        await store.Writer.WriteAsync(c => c.CompleteScrub(scrubbed), cancellationToken).ConfigureAwait(false);
        if (corrupt > 0)
        {
            LogFinishedCorrupt(logger, verified, unverified, marked, corrupt);
        }
        else
        {
            LogFinished(logger, verified, unverified);
        }

        return new ScrubReport(from, verified, unverified, marked, corrupt, named);
    }

    // One write: the marks, with the scrub's progress when there is one, so a restart goes on after what is recorded.
    private async Task<int> MarkAsync(List<(StoredPacket Stored, string Reason)> bad, string foundBy, CancellationToken cancellationToken,
        long? cursor = null)
    {
        var newly = await store.Writer.WriteAsync(c =>
        {
            var marked = new List<(StoredPacket, string)>();
            foreach (var (stored, reason) in bad)
            {
                if (c.MarkCorrupt(stored.Packet.Id, reason, foundBy))
                {
                    marked.Add((stored, reason));
                }
            }

            if (cursor is { } seq)
            {
                c.SaveScrubCursor(seq);
            }

            return marked;
        }, cancellationToken).ConfigureAwait(false);
        foreach (var (stored, reason) in newly)
        {
            LogMarked(logger, Convert.ToHexStringLower(stored.Packet.Id), stored.Seq, foundBy, reason);
        }

        return newly.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scrub of stored packets started after seq {From} (by {By}).")]
    private static partial void LogStarted(ILogger logger, long from, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scrub finished: {Checked} packets verified, {Unverified} without a known author key; none corrupt.")]
    private static partial void LogFinished(ILogger logger, long @checked, long unverified);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Scrub finished: {Checked} packets verified, {Unverified} without a known author key; {Marked} newly marked corrupt, {Corrupt} corrupt in all (nodectl store scrub names them).")]
    private static partial void LogFinishedCorrupt(ILogger logger, long @checked, long unverified, long marked, long corrupt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Packet {PacketId} (seq {Seq}) marked corrupt (found by {FoundBy}): {Reason}. It is kept, and no longer served or synced.")]
    private static partial void LogMarked(ILogger logger, string packetId, long seq, string foundBy, string reason);
}
