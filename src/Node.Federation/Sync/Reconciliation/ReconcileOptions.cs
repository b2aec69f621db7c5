using System.Globalization;

namespace Node.Federation.Sync.Reconciliation;

/// <summary>
/// The parameters of set reconciliation, with their defaults and allowed ranges (docs/protocol.md, "Set
/// reconciliation", and docs/performance.md, "Reconciliation", for how they were tuned). Both sides should use the
/// same values: a message over a receiver's limit is refused.
/// </summary>
public sealed record ReconcileOptions
{
    /// <summary>The defaults.</summary>
    public static ReconcileOptions Default { get; } = new();

    /// <summary>Largest message either side sends or accepts, in bytes, 4,096 to 1 MiB. Defaults to 60 KiB, well under gRPC's 4 MiB message cap.</summary>
    public int FrameLimit { get; init; } = 60 * 1024;

    /// <summary>Sub-ranges a differing range is split into, 2 to 64. Defaults to 16, as Negentropy.</summary>
    public int Buckets { get; init; } = 16;

    /// <summary>A differing range with at most this many keys is sent as an id list rather than split; <see cref="Buckets"/> to 64. Defaults to 32.</summary>
    public int IdListThreshold { get; init; } = 32;

    /// <summary>
    /// Where most of a split's sub-ranges differ (three quarters of a run of at least four), a differing range with at
    /// most this many keys is sent as an id list at once instead of being split down to <see cref="IdListThreshold"/>;
    /// <see cref="IdListThreshold"/> to <see cref="MaxIdsPerList"/>. Defaults to 256.
    /// </summary>
    public int DenseListThreshold { get; init; } = 256;

    /// <summary>Most ids in one id list, sent or accepted, 64 to 65,536. Defaults to 4,096.</summary>
    public int MaxIdsPerList { get; init; } = 4096;

    /// <summary>Most ranges in one message, sent or accepted, 64 to 65,536. Defaults to 16,384.</summary>
    public int MaxRangesPerMessage { get; init; } = 16_384;

    /// <summary>Bytes of each range fingerprint sent, 4 to 16. Defaults to 4; the whole set is always compared on all 16 (see <see cref="SyncFingerprint"/>).</summary>
    public int FingerprintBytes { get; init; } = 4;

    /// <summary>
    /// Most messages the initiator sends before it gives up, 2 to 1,000,000. Defaults to 4,096: streaming 1,000,000
    /// keys to an empty side takes about 580 at the default frame limit; a responder that never lets a reconciliation
    /// end costs at most this many frames each way.
    /// </summary>
    public int MaxRounds { get; init; } = 4096;

    /// <summary>Checks every parameter.</summary>
    /// <returns>Null when all are valid; otherwise a message naming the first bad one, its value and the allowed range.</returns>
    public string? Validate() =>
        Within(FrameLimit, MinFrameLimit, MaxFrameLimit, nameof(FrameLimit))
        ?? Within(Buckets, 2, MaxBuckets, nameof(Buckets))
        ?? Within(IdListThreshold, Buckets, MaxIdListThreshold, nameof(IdListThreshold))
        ?? Within(MaxIdsPerList, MinMaxIdsPerList, MaxMaxIdsPerList, nameof(MaxIdsPerList))
        ?? Within(DenseListThreshold, IdListThreshold, MaxIdsPerList, nameof(DenseListThreshold))
        ?? Within(MaxRangesPerMessage, MinRanges, MaxRanges, nameof(MaxRangesPerMessage))
        ?? Within(FingerprintBytes, MinFingerprintBytes, SyncFingerprint.Length, nameof(FingerprintBytes))
        ?? Within(MaxRounds, 2, MaxMaxRounds, nameof(MaxRounds));

    internal const int MinFrameLimit = 4096;
    internal const int MaxFrameLimit = 1024 * 1024;
    internal const int MaxBuckets = 64;
    internal const int MaxIdListThreshold = 64;
    internal const int MinMaxIdsPerList = 64;
    internal const int MaxMaxIdsPerList = 65_536;
    internal const int MinRanges = 64;
    internal const int MaxRanges = 65_536;
    internal const int MinFingerprintBytes = 4;
    internal const int MaxMaxRounds = 1_000_000;

    /// <summary>Throws when <see cref="Validate"/> finds a bad parameter.</summary>
    internal void ThrowIfInvalid()
    {
        if (Validate() is { } problem)
        {
            throw new ArgumentException(problem, "options");
        }
    }

    private static string? Within(int value, int min, int max, string name) =>
        value >= min && value <= max ? null
        : string.Create(CultureInfo.InvariantCulture, $"ReconcileOptions.{name} must be between {min} and {max}; was {value}.");
}
