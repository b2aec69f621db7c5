namespace Node.Daemon.Memory;

/// <summary>
/// When the node should give memory back: when it is idle (it allocated less than
/// <see cref="QuietBytes"/> since the last look) and has allocated at least <see cref="SlackBytes"/>
/// since the last trim. The GC collects only when allocation asks it to, so an idle node keeps
/// what it last allocated (the garbage of start-up, a burst's heap and the regions it committed)
/// for as long as it stays idle; and between two of its own collections every allocation lands on
/// memory not touched before, so even an idle node's few kilobytes a second grow its resident
/// memory. Under load it never trims: the GC's own collections keep the heap at its working size.
/// </summary>
/// <remarks>Not thread-safe: one caller, the trimmer's loop.</remarks>
internal sealed class MemoryTrimPolicy
{
    /// <summary>
    /// Allocation between two looks under which the node counts as idle: 512 KiB, 50 KiB/s with looks
    /// 10 s apart (an idle node allocates about 2 KiB/s; one API call about 20 KiB).
    /// </summary>
    public const long QuietBytes = 512 << 10;

    /// <summary>
    /// Allocation since the last trim worth giving back: 2 MiB, about twenty minutes of an idle
    /// node. More than <see cref="QuietBytes"/>, so two looks in a row never both trim.
    /// </summary>
    public const long SlackBytes = 2 << 20;

    private long _lastLook;
    private long _lastTrim;

    /// <summary>Whether to trim now, given the bytes allocated since the process started.</summary>
    public bool ShouldTrim(long allocatedBytes)
    {
        var quiet = allocatedBytes - _lastLook < QuietBytes;
        _lastLook = allocatedBytes;
        return quiet && allocatedBytes - _lastTrim >= SlackBytes;
    }

    /// <summary>Records a trim, with the bytes allocated since the process started when it was made.</summary>
    public void Trimmed(long allocatedBytes) => (_lastLook, _lastTrim) = (allocatedBytes, allocatedBytes);
}
