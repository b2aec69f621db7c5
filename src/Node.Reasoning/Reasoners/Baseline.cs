using System.Buffers.Binary;
using Node.Reasoning.Indicators;

namespace Node.Reasoning.Reasoners;

/// <summary>
/// ID's model of one subject: the incremental centroid and spread of a 4-feature vector per bar —
/// log return, ln(true range / close), the volume's percentile among the 20 bars before, and
/// ln(Bollinger bandwidth) — each free of the price and volume level, which drift over years — — by Welford's algorithm
/// in its multivariate form (means and the co-moment matrix), over every bar the subject has had.
/// Novelty of a bar is its squared distance from the centroid: standardised per feature (diagonal, moderate
/// depth) or Mahalanobis with the full covariance (deep); its typicality is the χ²(4) survival
/// probability of that distance, <c>e^(−d²/2)·(1 + d²/2)</c>. The bar is scored against the baseline
/// before it is added. Abstains until <see cref="WarmUp"/> bars.
/// </summary>
/// <remarks>Not thread-safe. No allocation after construction.</remarks>
public sealed class Baseline
{
    /// <summary>Features in the vector.</summary>
    public const int Dimensions = 4;

    /// <summary>Bars the baseline needs before it scores one.</summary>
    public const int WarmUp = 30;

    private const int StateVersion = 1;
    private readonly double[] _mean = new double[Dimensions];
    private readonly double[] _comoment = new double[Dimensions * Dimensions];
    private readonly double[] _x = new double[Dimensions];
    private readonly double[] _delta = new double[Dimensions];
    private readonly double[] _cholesky = new double[Dimensions * Dimensions];

    /// <summary>How many bars the baseline holds.</summary>
    public long Count { get; private set; }

    /// <summary>The last bar's squared distance (NaN when it was not scored).</summary>
    public double LastDistance { get; private set; } = double.NaN;

    /// <summary>
    /// Scores the bar <paramref name="features"/> describe against the baseline, then adds it. Returns its typicality
    /// in (0, 1] — NaN while warming up or when the bar lacks a feature (first bars, zero volume, flat bands).
    /// </summary>
    public double Observe(in MarketFeatures features, Depth depth)
    {
        LastDistance = double.NaN;
        if (!TryVector(features, _x))
        {
            return double.NaN;
        }

        var typicality = double.NaN;
        if (Count >= WarmUp)
        {
            var distance = depth == Depth.Deep && TryMahalanobis(out var full) ? full : Diagonal();
            LastDistance = distance;
            typicality = Math.Exp(-distance / 2) * (1 + (distance / 2));
        }

        Add();
        return typicality;
    }

    private static bool TryVector(in MarketFeatures f, double[] x)
    {
        if (!(f.Close > 0) || !(f.TrueRange > 0) || double.IsNaN(f.VolumePercentile20) || !(f.Bandwidth > 0) || double.IsNaN(f.LogReturn))
        {
            return false;
        }

        x[0] = f.LogReturn;
        x[1] = Math.Log(f.TrueRange / f.Close);
        x[2] = f.VolumePercentile20;
        x[3] = Math.Log(f.Bandwidth);
        return true;
    }

    private void Add()
    {
        Count++;
        for (var i = 0; i < Dimensions; i++)
        {
            _delta[i] = _x[i] - _mean[i];
            _mean[i] += _delta[i] / Count;
        }

        for (var i = 0; i < Dimensions; i++)
        {
            for (var j = 0; j < Dimensions; j++)
            {
                _comoment[(i * Dimensions) + j] += _delta[i] * (_x[j] - _mean[j]);
            }
        }
    }

    private double Diagonal()
    {
        var sum = 0.0;
        for (var i = 0; i < Dimensions; i++)
        {
            var variance = _comoment[(i * Dimensions) + i] / (Count - 1);
            if (variance > 0)
            {
                var d = _x[i] - _mean[i];
                sum += d * d / variance;
            }
        }

        return sum;
    }

    // d² = δᵀ Σ⁻¹ δ through the Cholesky factor of Σ (false when Σ is not positive definite).
    private bool TryMahalanobis(out double distance)
    {
        distance = 0;
        const int n = Dimensions;
        var scale = 1.0 / (Count - 1);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = _comoment[(i * n) + j] * scale;
                for (var k = 0; k < j; k++)
                {
                    sum -= _cholesky[(i * n) + k] * _cholesky[(j * n) + k];
                }

                if (i == j)
                {
                    if (!(sum > 0))
                    {
                        return false;
                    }

                    _cholesky[(i * n) + i] = Math.Sqrt(sum);
                }
                else
                {
                    _cholesky[(i * n) + j] = sum / _cholesky[(j * n) + j];
                }
            }
        }

        // Forward substitution L y = δ; d² = |y|².
        for (var i = 0; i < n; i++)
        {
            var sum = _x[i] - _mean[i];
            for (var k = 0; k < i; k++)
            {
                sum -= _cholesky[(i * n) + k] * _delta[k];
            }

            _delta[i] = sum / _cholesky[(i * n) + i];
            distance += _delta[i] * _delta[i];
        }

        return true;
    }

    /// <summary>Bytes <see cref="Save"/> writes.</summary>
    public const int StateSize = 4 + 8 + (8 * Dimensions) + (8 * Dimensions * Dimensions);

    /// <summary>Writes the baseline into <paramref name="destination"/> (at least <see cref="StateSize"/> bytes), little-endian.</summary>
    public void Save(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, StateSize);
        BinaryPrimitives.WriteInt32LittleEndian(destination, StateVersion);
        BinaryPrimitives.WriteInt64LittleEndian(destination[4..], Count);
        var offset = 12;
        foreach (var value in _mean)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(destination[offset..], value);
            offset += 8;
        }

        foreach (var value in _comoment)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(destination[offset..], value);
            offset += 8;
        }
    }

    /// <summary>
    /// Restores a baseline <see cref="Save"/> wrote. False, with the baseline unchanged and <paramref name="error"/>
    /// naming the problem, when the bytes are not one (wrong size or version, negative count, a value not finite).
    /// </summary>
    public bool TryRestore(ReadOnlySpan<byte> source, out string? error)
    {
        if (source.Length != StateSize)
        {
            error = $"baseline state: expected {StateSize} bytes, found {source.Length}";
            return false;
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(source);
        if (version != StateVersion)
        {
            error = $"baseline state: version {version} is not {StateVersion}";
            return false;
        }

        var count = BinaryPrimitives.ReadInt64LittleEndian(source[4..]);
        if (count < 0)
        {
            error = $"baseline state: count {count} is negative";
            return false;
        }

        for (var offset = 12; offset < StateSize; offset += 8)
        {
            if (!double.IsFinite(BinaryPrimitives.ReadDoubleLittleEndian(source[offset..])))
            {
                error = $"baseline state: the value at byte {offset} is not finite";
                return false;
            }
        }

        Count = count;
        for (var i = 0; i < Dimensions; i++)
        {
            _mean[i] = BinaryPrimitives.ReadDoubleLittleEndian(source[(12 + (8 * i))..]);
        }

        for (var i = 0; i < _comoment.Length; i++)
        {
            _comoment[i] = BinaryPrimitives.ReadDoubleLittleEndian(source[(12 + (8 * Dimensions) + (8 * i))..]);
        }

        error = null;
        return true;
    }
}
