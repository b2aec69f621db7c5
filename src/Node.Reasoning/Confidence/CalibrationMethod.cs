namespace Node.Reasoning.Confidence;

/// <summary>Which map an <see cref="OnlineCalibrator"/> applies to a pooled score.</summary>
public enum CalibrationMethod : byte
{
    /// <summary>Not fitted yet: σ(z).</summary>
    Identity = 0,

    /// <summary><see cref="PlattScaling"/>: σ(A·z + B).</summary>
    Platt = 1,

    /// <summary><see cref="IsotonicCalibration"/>: a monotone step function, linearly interpolated.</summary>
    Isotonic = 2,
}
