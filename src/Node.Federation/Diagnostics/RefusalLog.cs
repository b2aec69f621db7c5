using Microsoft.Extensions.Logging;

namespace Node.Federation.Diagnostics;

/// <summary>
/// Keeps refused calls (the local API's TCP listener, the peer port) from flooding the log: the first refusal of each kind (a reason and a
/// key) is logged in full by the caller; the ones after it are only counted, and once a minute
/// one line says how many there were. A kind with no refusal for a whole minute is forgotten,
/// so its next refusal is logged in full again. A client hammering the port with a bad or
/// throttled key costs a line a minute, not a line a call (the logs share the node's disk).
/// </summary>
public sealed partial class RefusalLog : IDisposable
{
    /// <summary>How often the counts are written.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _what;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _suppressed = new(StringComparer.Ordinal);
    private ITimer? _timer;

    /// <summary>A log of refusals of <paramref name="what"/> ("TCP API calls", "peer connections and calls").</summary>
    public RefusalLog(TimeProvider time, ILogger logger, string what)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        _time = time;
        _logger = logger;
        _what = what;
    }

    /// <summary>
    /// Notes a refusal of <paramref name="kind"/> (a reason and key, in words: "no API key",
    /// "over the rate limit, key kq7m2xw4ab5").
    /// </summary>
    /// <returns>True for the first of its kind in the window: the caller logs it in full.</returns>
    public bool IsFirst(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        lock (_gate)
        {
            if (_suppressed.TryGetValue(kind, out var count))
            {
                _suppressed[kind] = count + 1;
                return false;
            }

            _suppressed[kind] = 0;
            _timer ??= _time.CreateTimer(static state => ((RefusalLog)state!).Flush(), this, Window, Window);
            return true;
        }
    }

    /// <summary>Writes the counts of the window that ended and forgets the kinds that were quiet.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            foreach (var (kind, count) in _suppressed.ToList())
            {
                if (count == 0)
                {
                    _suppressed.Remove(kind);
                    continue;
                }

                LogSuppressed(_logger, count, _what, kind);
                _suppressed[kind] = 0;
            }

            if (_suppressed.Count == 0)
            {
                _timer?.Dispose();
                _timer = null;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Flush();
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} more {What} refused in the last minute: {Kind}.")]
    private static partial void LogSuppressed(ILogger logger, long count, string what, string kind);
}
