namespace Node.Reasoning.Observations;

/// <summary>One OHLCV bar of a market series.</summary>
/// <param name="Time">The bar's time, Unix seconds (UTC; a daily bar is stamped at its date's midnight).</param>
/// <param name="Open">Opening price.</param>
/// <param name="High">Highest price.</param>
/// <param name="Low">Lowest price.</param>
/// <param name="Close">Closing price.</param>
/// <param name="Volume">Traded volume, units of the series (shares, contracts).</param>
public readonly record struct Bar(long Time, double Open, double High, double Low, double Close, double Volume);
