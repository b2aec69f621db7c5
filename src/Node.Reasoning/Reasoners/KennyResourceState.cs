using Node.Reasoning.Findings;

namespace Node.Reasoning.Reasoners;

/// <summary>What <see cref="Kenny"/> currently thinks of one resource, for status pages.</summary>
/// <param name="Resource">The resource.</param>
/// <param name="InPressure">Whether it is under sustained pressure (entered and not yet left).</param>
/// <param name="Ewma">Its smoothed use, in its unit (fraction, or milliseconds for latency); NaN before the first sample.</param>
/// <param name="SecondsToExhaustion">
/// The latest forecast seconds until it runs out while an exhaustion forecast stands; NaN otherwise and for CPU and latency.
/// </param>
public readonly record struct KennyResourceState(Resource Resource, bool InPressure, double Ewma, double SecondsToExhaustion);
