namespace Node.Storage.Memory;

/// <summary>
/// The conclusions of one subject on one UTC day with one claim and direction, counted: what a
/// daily summary is made of. Read from conclusion rows whose JSON content holds <c>claim</c>,
/// <c>direction</c> and <c>confidence</c>.
/// </summary>
/// <param name="Subject">The subject.</param>
/// <param name="Day">The start of the UTC day, Unix ms.</param>
/// <param name="Claim">The claim ("" when a row has none).</param>
/// <param name="Direction">The direction (0 when a row has none).</param>
/// <param name="Count">How many conclusions.</param>
/// <param name="ConfidenceSum">The sum of their confidences.</param>
/// <param name="Confidences">How many had a confidence.</param>
/// <param name="First">The first one's time, Unix ms.</param>
/// <param name="Last">The last one's time, Unix ms.</param>
public sealed record ConclusionTally(string Subject, long Day, string Claim, int Direction, long Count, double ConfidenceSum, long Confidences,
    long First, long Last);
