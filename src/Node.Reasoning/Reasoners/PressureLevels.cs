namespace Node.Reasoning.Reasoners;

/// <summary>The hysteresis band of one resource: pressure is entered at or above <see cref="Enter"/> and left below <see cref="Exit"/>.</summary>
/// <remarks>In the resource's unit: a fraction in (0, 1] for CPU, memory and disk; milliseconds for latency.</remarks>
public sealed class PressureLevels
{
    /// <summary>The smoothed use at or above which (for <see cref="KennyOptions.SamplesToEnter"/> samples) pressure is entered.</summary>
    public double Enter { get; set; }

    /// <summary>The smoothed use below which pressure is left; below <see cref="Enter"/>.</summary>
    public double Exit { get; set; }
}
