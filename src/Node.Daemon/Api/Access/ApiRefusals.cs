namespace Node.Daemon.Api.Access;

/// <summary>
/// How many API calls were refused since the node started, by reason: the figures an operator
/// reads in <c>nodectl status</c>, where the log has only a line a minute for each kind.
/// </summary>
internal sealed class ApiRefusals
{
    private readonly long[] _counts = new long[Enum.GetValues<ApiRefusal>().Length];

    /// <summary>Counts one refusal for <paramref name="reason"/>.</summary>
    public void Count(ApiRefusal reason) => Interlocked.Increment(ref _counts[(int)reason]);

    /// <summary>The refusals for <paramref name="reason"/> so far.</summary>
    public long this[ApiRefusal reason] => Interlocked.Read(ref _counts[(int)reason]);

    /// <summary>
    /// The counts in words: <c>refused 3 without a valid API key, 0 over a rate limit, 1 out of
    /// scope; 2 requests that did not decode</c>.
    /// </summary>
    public string Describe()
    {
        var undecodable = this[ApiRefusal.Undecodable];
        return $"refused {this[ApiRefusal.NoValidKey]} without a valid API key, {this[ApiRefusal.OverRateLimit]} over a rate limit, " +
            $"{this[ApiRefusal.OutOfScope]} out of scope; {undecodable} request{(undecodable == 1 ? "" : "s")} that did not decode";
    }
}
