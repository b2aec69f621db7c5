using Node.Federation.Sync.Reconciliation;
using Node.Federation.Sync.Reconciliation.Internal;

namespace Node.Federation.Tests.Sync.Reconciliation;

/// <summary>Hand-made messages, well-formed or not, for the hostile-input tests.</summary>
internal static class Messages
{
    public const int Width = 4;

    /// <summary>A message of <paramref name="ranges"/>, each written by its action after its head; a skip to the end closes it if needed.</summary>
    public static byte[] Make(SyncFingerprint set, params (Bound Upper, RangeMode Mode, Action<MessageWriter>? Payload)[] ranges) =>
        Make(Width, set, ranges);

    public static byte[] Make(int width, SyncFingerprint set, params (Bound Upper, RangeMode Mode, Action<MessageWriter>? Payload)[] ranges)
    {
        var writer = new MessageWriter();
        writer.Header(width, set);
        var lower = Bound.Start;
        foreach (var (upper, mode, payload) in ranges)
        {
            writer.Range(lower, upper, mode);
            payload?.Invoke(writer);
            lower = upper;
        }

        return writer.Finish();
    }

    /// <summary>A header alone: version, fingerprint length, a set fingerprint.</summary>
    public static byte[] Header(byte version = Wire.Version, byte width = Width) => [version, width, .. new byte[SyncFingerprint.Length]];

    public static Bound At(ulong hlc) => Bound.Of(hlc, []);

    /// <summary>Replaces the sender's set fingerprint in a message's header.</summary>
    public static byte[] WithSet(byte[] message, SyncFingerprint set)
    {
        var copy = (byte[])message.Clone();
        set.CopyTo(copy.AsSpan(2));
        return copy;
    }
}
