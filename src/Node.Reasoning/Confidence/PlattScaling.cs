// Platt, "Probabilistic outputs for support vector machines and comparisons to regularized likelihood
// methods" (1999), section 2.1 (target smoothing); Lin, Lin & Weng, "A note on Platt's probabilistic outputs
// for support vector machines" (Machine Learning 68, 2007), Algorithm 1: Newton's method with backtracking
// line search and an overflow-safe objective. Our sign convention is p = σ(A·z + B), theirs 1 / (1 + e^(A·f + B)).
namespace Node.Reasoning.Confidence;

/// <summary>
/// Platt scaling: the calibrated probability p = σ(A·z + B) of a pooled score z, with A and B fitted by maximum
/// likelihood against smoothed targets (N₊ + 1)/(N₊ + 2) for positives and 1/(N₋ + 2) for negatives.
/// The identity map (A = 1, B = 0, p = σ(z)) until fitted.
/// </summary>
/// <remarks>Allocation-free; not thread-safe.</remarks>
public sealed class PlattScaling
{
    /// <summary>The most Newton steps per fit (100, as Lin, Lin and Weng).</summary>
    public const int MaxIterations = 100;

    private const double MinStep = 1e-10;
    private const double Sigma = 1e-12;  // Hessian ridge (Lin, Lin & Weng)
    private const double GradientTolerance = 1e-5;

    /// <summary>The slope A; 1 until fitted.</summary>
    public double A { get; private set; } = 1;

    /// <summary>The intercept B; 0 until fitted.</summary>
    public double B { get; private set; }

    /// <summary>Whether a fit or <see cref="SetParameters"/> has set A and B.</summary>
    public bool IsFitted { get; private set; }

    /// <summary>How many Newton steps the last fit took.</summary>
    public int Iterations { get; private set; }

    /// <summary>σ(A·z + B).</summary>
    public double Calibrate(double z) => LogOddsPool.Sigmoid(A * z + B);

    /// <summary>Sets A and B, e.g. from a stored <see cref="OnlineCalibrationState"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A or B is not finite.</exception>
    public void SetParameters(double a, double b)
    {
        if (!double.IsFinite(a) || !double.IsFinite(b))
        {
            throw new ArgumentOutOfRangeException(double.IsFinite(a) ? nameof(b) : nameof(a), "Must be finite.");
        }

        (A, B, IsFitted) = (a, b, true);
    }

    /// <summary>Back to the identity map, unfitted.</summary>
    public void Reset() => (A, B, IsFitted, Iterations) = (1, 0, false, 0);

    /// <summary>
    /// Fits A and B to the pairs (<paramref name="scores"/>[i], <paramref name="outcomes"/>[i]). Returns false and changes
    /// nothing when there are no pairs or a score is not finite.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public bool Fit(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes)
    {
        if (scores.Length != outcomes.Length)
        {
            throw new ArgumentException($"{scores.Length} scores but {outcomes.Length} outcomes.", nameof(outcomes));
        }

        if (scores.IsEmpty)
        {
            return false;
        }

        var positives = 0;
        foreach (var z in scores)
        {
            if (!double.IsFinite(z))
            {
                return false;
            }
        }

        foreach (var y in outcomes)
        {
            positives += y ? 1 : 0;
        }

        var negatives = scores.Length - positives;
        var hi = (positives + 1.0) / (positives + 2.0);
        var lo = 1.0 / (negatives + 2.0);

        // Lin, Lin & Weng's start: A = 0, B = log((N₊ + 1) / (N₋ + 1)) in our sign convention.
        var a = 0.0;
        var b = Math.Log((positives + 1.0) / (negatives + 1.0));
        var f = Objective(scores, outcomes, a, b, hi, lo);
        var iterations = 0;
        while (iterations < MaxIterations)
        {
            iterations++;
            double h11 = Sigma, h22 = Sigma, h21 = 0, g1 = 0, g2 = 0;
            for (var i = 0; i < scores.Length; i++)
            {
                var z = scores[i];
                var p = LogOddsPool.Sigmoid(a * z + b);
                var t = outcomes[i] ? hi : lo;
                var w = p * (1 - p);
                h11 += z * z * w;
                h22 += w;
                h21 += z * w;
                var d = p - t;
                g1 += z * d;
                g2 += d;
            }

            if (Math.Abs(g1) < GradientTolerance && Math.Abs(g2) < GradientTolerance)
            {
                break;
            }

            var det = h11 * h22 - h21 * h21;
            var dA = -(h22 * g1 - h21 * g2) / det;
            var dB = -(-h21 * g1 + h11 * g2) / det;
            var gd = g1 * dA + g2 * dB;

            var step = 1.0;
            while (step >= MinStep)
            {
                var newA = a + step * dA;
                var newB = b + step * dB;
                var newF = Objective(scores, outcomes, newA, newB, hi, lo);
                if (newF < f + 1e-4 * step * gd)
                {
                    (a, b, f) = (newA, newB, newF);
                    break;
                }

                step /= 2;
            }

            if (step < MinStep)
            {
                break; // line search failed: as close as double precision gets
            }
        }

        (A, B, IsFitted, Iterations) = (a, b, true, iterations);
        return true;
    }

    /// <summary>
    /// Fits A and B to weighted points: <paramref name="counts"/>[i] outcomes at score <paramref name="scores"/>[i], of
    /// which <paramref name="positives"/>[i] were positive (fractional counts allowed, e.g. decayed ones). Equivalent to
    /// the unweighted fit over the expanded pairs, since the smoothed cross-entropy is linear in the target: point i
    /// gets the target (positives·hi + negatives·lo) / count. Returns false and changes nothing when there is no
    /// positive weight or a value is not finite, a count is negative or positives fall outside [0, count].
    /// </summary>
    /// <param name="scores">The score of each point, in log-odds.</param>
    /// <param name="counts">How many outcomes each point stands for, ≥ 0.</param>
    /// <param name="positives">How many of them were positive, 0 to the count.</param>
    /// <param name="warmStart">Start Newton from the current A and B when fitted (fewer steps when the data changed little) instead of Lin, Lin and Weng's start.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public bool Fit(ReadOnlySpan<double> scores, ReadOnlySpan<double> counts, ReadOnlySpan<double> positives, bool warmStart = false)
    {
        if (scores.Length != counts.Length || scores.Length != positives.Length)
        {
            throw new ArgumentException($"{scores.Length} scores, {counts.Length} counts and {positives.Length} positives.", nameof(counts));
        }

        double total = 0, totalPositives = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]) || !(counts[i] >= 0) || !double.IsFinite(counts[i]) || !(positives[i] >= 0 && positives[i] <= counts[i]))
            {
                return false;
            }

            total += counts[i];
            totalPositives += positives[i];
        }

        if (!(total > 0))
        {
            return false;
        }

        var totalNegatives = Math.Max(total - totalPositives, 0);
        var hi = (totalPositives + 1.0) / (totalPositives + 2.0);
        var lo = 1.0 / (totalNegatives + 2.0);
        var a = 0.0;
        var b = Math.Log((totalPositives + 1.0) / (totalNegatives + 1.0));
        if (warmStart && IsFitted)
        {
            (a, b) = (A, B);
        }

        // The gradient is a sum over the weight: stop at 1e-5 per outcome, so a few thousand decayed outcomes do not buy
        // Newton steps that move A and B by less than 1e-7.
        var tolerance = GradientTolerance * Math.Max(1, total);
        var f = Objective(scores, counts, positives, a, b, hi, lo);
        var iterations = 0;
        while (iterations < MaxIterations)
        {
            iterations++;
            double h11 = Sigma, h22 = Sigma, h21 = 0, g1 = 0, g2 = 0;
            for (var i = 0; i < scores.Length; i++)
            {
                var n = counts[i];
                if (n == 0)
                {
                    continue;
                }

                var z = scores[i];
                var p = LogOddsPool.Sigmoid(a * z + b);
                var t = (positives[i] * hi + (n - positives[i]) * lo) / n;
                var w = n * p * (1 - p);
                h11 += z * z * w;
                h22 += w;
                h21 += z * w;
                var d = n * (p - t);
                g1 += z * d;
                g2 += d;
            }

            if (Math.Abs(g1) < tolerance && Math.Abs(g2) < tolerance)
            {
                break;
            }

            var det = h11 * h22 - h21 * h21;
            var dA = -(h22 * g1 - h21 * g2) / det;
            var dB = -(-h21 * g1 + h11 * g2) / det;
            var gd = g1 * dA + g2 * dB;

            var step = 1.0;
            while (step >= MinStep)
            {
                var newA = a + step * dA;
                var newB = b + step * dB;
                var newF = Objective(scores, counts, positives, newA, newB, hi, lo);
                if (newF < f + 1e-4 * step * gd)
                {
                    (a, b, f) = (newA, newB, newF);
                    break;
                }

                step /= 2;
            }

            if (step < MinStep)
            {
                break; // line search failed: as close as double precision gets
            }
        }

        if (!double.IsFinite(a) || !double.IsFinite(b))
        {
            return false;
        }

        (A, B, IsFitted, Iterations) = (a, b, true, iterations);
        return true;
    }

    private static double Objective(ReadOnlySpan<double> scores, ReadOnlySpan<double> counts, ReadOnlySpan<double> positives,
        double a, double b, double hi, double lo)
    {
        var f = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            var n = counts[i];
            if (n == 0)
            {
                continue;
            }

            var s = a * scores[i] + b;
            var t = (positives[i] * hi + (n - positives[i]) * lo) / n;
            f += n * (s >= 0
                ? (1 - t) * s + Math.Log(1 + Math.Exp(-s))
                : -t * s + Math.Log(1 + Math.Exp(s)));
        }

        return f;
    }

    private static double Objective(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes, double a, double b, double hi, double lo)
    {
        var f = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            var s = a * scores[i] + b;
            var t = outcomes[i] ? hi : lo;
            f += s >= 0
                ? (1 - t) * s + Math.Log(1 + Math.Exp(-s))
                : -t * s + Math.Log(1 + Math.Exp(s));
        }

        return f;
    }
}
