// L2-regularised logistic regression by Newton's method (iteratively reweighted least squares),
// Hastie, Tibshirani & Friedman, "The Elements of Statistical Learning" (2nd ed.), 4.4.1, with a
// backtracking (Armijo) line search (Nocedal & Wright, "Numerical Optimization", 3.1) so that every
// step decreases the strictly convex objective; the (K+1)×(K+1) system is solved in place by Cholesky.
namespace Node.Reasoning.Confidence;

/// <summary>
/// Fits the weights and bias of a <see cref="LogOddsPool"/> to realised outcomes: it minimises
/// <c>Σ_i logloss(y_i, σ(b + Σ_k w_k x_ik)) + (λ/2) Σ_k w_k²</c> over the samples of an <see cref="OutcomeSamples"/>,
/// where x_ik is stage k's logit and an abstained stage contributes 0. The bias is not penalised.
/// </summary>
/// <remarks>
/// Newton steps from w = 0, b = 0, each with a backtracking line search (halving, Armijo constant 1e-4), until the
/// largest step component is below 1e-9 or <see cref="MaxIterations"/> steps; the objective is strictly convex in the
/// weights (λ &gt; 0) so this converges, usually in 5 to 10 steps. Deterministic: the result depends only on the samples.
/// A stage that abstained in every sample keeps its current weight. Allocation-free after construction; not thread-safe.
/// </remarks>
public sealed class WeightFitter
{
    /// <summary>The default L2 penalty λ on the weights, 1.</summary>
    public const double DefaultL2 = 1.0;

    /// <summary>The most Newton steps per fit, 50.</summary>
    public const int MaxIterations = 50;

    private const double StepTolerance = 1e-9;
    private const double MinStepScale = 1e-10;

    private readonly int _dim;
    private readonly double[] _theta;    // w_1..w_K, b
    private readonly double[] _trial;
    private readonly double[] _gradient;
    private readonly double[] _hessian;  // _dim × _dim, row-major, overwritten by its Cholesky factor
    private readonly double[] _step;
    private readonly bool[] _seen;

    /// <summary>Makes a fitter for pools of <paramref name="stageCount"/> stages with L2 penalty <paramref name="l2"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stageCount"/> is not 1 to <see cref="LogOddsPool.MaxStages"/>, or <paramref name="l2"/> is not a positive finite number.</exception>
    public WeightFitter(int stageCount, double l2 = DefaultL2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stageCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stageCount, LogOddsPool.MaxStages);
        if (!(l2 > 0) || !double.IsFinite(l2))
        {
            throw new ArgumentOutOfRangeException(nameof(l2), l2, "Must be positive and finite.");
        }

        StageCount = stageCount;
        L2 = l2;
        _dim = stageCount + 1;
        _theta = new double[_dim];
        _trial = new double[_dim];
        _gradient = new double[_dim];
        _hessian = new double[_dim * _dim];
        _step = new double[_dim];
        _seen = new bool[stageCount];
    }

    /// <summary>How many stages it fits.</summary>
    public int StageCount { get; }

    /// <summary>The L2 penalty λ on the weights.</summary>
    public double L2 { get; }

    /// <summary>How many Newton steps the last fit took.</summary>
    public int Iterations { get; private set; }

    /// <summary>Whether the last fit met its tolerance before <see cref="MaxIterations"/>.</summary>
    public bool Converged { get; private set; }

    /// <summary>
    /// Fits weights and bias to <paramref name="samples"/> and sets them on <paramref name="pool"/>.
    /// Returns false, leaving <paramref name="pool"/> unchanged, when the samples hold no positive or no negative outcome
    /// (the bias would run off to infinity).
    /// </summary>
    /// <exception cref="ArgumentException">The samples or the pool do not have <see cref="StageCount"/> stages.</exception>
    public bool Fit(OutcomeSamples samples, LogOddsPool pool)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(pool);
        if (samples.StageCount != StageCount || pool.StageCount != StageCount)
        {
            throw new ArgumentException($"The fitter has {StageCount} stages; the samples {samples.StageCount} and the pool {pool.StageCount}.");
        }

        Iterations = 0;
        Converged = false;
        var n = samples.Count;
        var positives = 0;
        _seen.AsSpan().Clear();
        for (var i = 0; i < n; i++)
        {
            positives += samples.Outcome(i) ? 1 : 0;
            var x = samples.Logits(i);
            for (var k = 0; k < StageCount; k++)
            {
                _seen[k] |= !double.IsNaN(x[k]);
            }
        }

        if (positives == 0 || positives == n)
        {
            return false;
        }

        _theta.AsSpan().Clear();
        var objective = Objective(samples, _theta);
        while (Iterations < MaxIterations)
        {
            Iterations++;
            GradientAndHessian(samples);
            for (var j = 0; j < _dim; j++)
            {
                _step[j] = -_gradient[j];
            }

            CholeskySolveInPlace(_hessian, _step, _dim);

            var slope = 0.0;
            var largest = 0.0;
            for (var j = 0; j < _dim; j++)
            {
                slope += _gradient[j] * _step[j];
                largest = Math.Max(largest, Math.Abs(_step[j]));
            }

            if (largest < StepTolerance)
            {
                Converged = true;
                break;
            }

            var scale = 1.0;
            double trialObjective;
            while (true)
            {
                for (var j = 0; j < _dim; j++)
                {
                    _trial[j] = _theta[j] + scale * _step[j];
                }

                trialObjective = Objective(samples, _trial);
                if (trialObjective <= objective + 1e-4 * scale * slope || scale < MinStepScale)
                {
                    break;
                }

                scale /= 2;
            }

            if (scale < MinStepScale)
            {
                Converged = true; // no descent left at machine precision: at the minimum
                break;
            }

            _trial.AsSpan().CopyTo(_theta);
            objective = trialObjective;
            if (largest * scale < StepTolerance)
            {
                Converged = true;
                break;
            }
        }

        for (var k = 0; k < StageCount; k++)
        {
            if (_seen[k])
            {
                pool.SetWeight(k, _theta[k]);
            }
        }

        pool.Bias = _theta[StageCount];
        return true;
    }

    private double Objective(OutcomeSamples samples, double[] theta)
    {
        var k = StageCount;
        var sum = 0.0;
        for (var i = 0; i < samples.Count; i++)
        {
            var s = Score(samples.Logits(i), theta);
            sum += LogLoss(s, samples.Outcome(i));
        }

        var penalty = 0.0;
        for (var j = 0; j < k; j++)
        {
            penalty += theta[j] * theta[j];
        }

        return sum + 0.5 * L2 * penalty;
    }

    private void GradientAndHessian(OutcomeSamples samples)
    {
        var k = StageCount;
        _gradient.AsSpan().Clear();
        _hessian.AsSpan().Clear();
        Span<double> row = stackalloc double[LogOddsPool.MaxStages + 1];
        for (var i = 0; i < samples.Count; i++)
        {
            var x = samples.Logits(i);
            for (var j = 0; j < k; j++)
            {
                row[j] = double.IsNaN(x[j]) ? 0 : x[j];
            }

            row[k] = 1;
            var p = LogOddsPool.Sigmoid(Score(x, _theta));
            var residual = p - (samples.Outcome(i) ? 1 : 0);
            var curvature = p * (1 - p);
            for (var a = 0; a < _dim; a++)
            {
                _gradient[a] += residual * row[a];
                var ca = curvature * row[a];
                for (var b = 0; b <= a; b++)
                {
                    _hessian[a * _dim + b] += ca * row[b];
                }
            }
        }

        for (var j = 0; j < k; j++)
        {
            _gradient[j] += L2 * _theta[j];
            _hessian[j * _dim + j] += L2;
        }

        // A tiny ridge on the bias keeps the factorisation defined when every prediction saturates.
        _hessian[k * _dim + k] += 1e-12;
        for (var j = 0; j < k; j++)
        {
            if (!_seen[j])
            {
                _gradient[j] = 0; // an unseen stage's weight is left where it is
            }
        }
    }

    private double Score(ReadOnlySpan<double> x, double[] theta)
    {
        var s = theta[StageCount];
        for (var j = 0; j < StageCount; j++)
        {
            if (!double.IsNaN(x[j]))
            {
                s += theta[j] * x[j];
            }
        }

        return s;
    }

    /// <summary>−log σ(s) for y = 1, −log(1 − σ(s)) for y = 0, without overflow.</summary>
    internal static double LogLoss(double s, bool y)
    {
        var t = y ? 1.0 : 0.0;
        return s >= 0
            ? (1 - t) * s + Math.Log(1 + Math.Exp(-s))
            : -t * s + Math.Log(1 + Math.Exp(s));
    }

    /// <summary>Solves H·x = rhs for symmetric positive definite H (lower triangle used), H overwritten by its Cholesky factor, x in rhs.</summary>
    private static void CholeskySolveInPlace(double[] h, double[] rhs, int n)
    {
        for (var j = 0; j < n; j++)
        {
            var d = h[j * n + j];
            for (var m = 0; m < j; m++)
            {
                d -= h[j * n + m] * h[j * n + m];
            }

            d = Math.Sqrt(Math.Max(d, 1e-300));
            h[j * n + j] = d;
            for (var i = j + 1; i < n; i++)
            {
                var s = h[i * n + j];
                for (var m = 0; m < j; m++)
                {
                    s -= h[i * n + m] * h[j * n + m];
                }

                h[i * n + j] = s / d;
            }
        }

        for (var i = 0; i < n; i++)
        {
            var s = rhs[i];
            for (var m = 0; m < i; m++)
            {
                s -= h[i * n + m] * rhs[m];
            }

            rhs[i] = s / h[i * n + i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var s = rhs[i];
            for (var m = i + 1; m < n; m++)
            {
                s -= h[m * n + i] * rhs[m];
            }

            rhs[i] = s / h[i * n + i];
        }
    }
}
