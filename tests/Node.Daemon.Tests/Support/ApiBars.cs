using ApiBar = Node.Protocol.Api.Bar;

namespace Node.Daemon.Tests.Support;

/// <summary>The test kit's S&amp;P 500 bars as the reasoning API takes them.</summary>
public static class ApiBars
{
    /// <summary>The first <paramref name="count"/> bars of <see cref="Sp500"/>.</summary>
    public static IReadOnlyList<ApiBar> First(int count) =>
    [
        .. Sp500.Bars.Take(count).Select(b => new ApiBar { Time = b.Time, Open = b.Open, High = b.High, Low = b.Low, Close = b.Close, Volume = b.Volume }),
    ];
}
