using Node.Daemon.Memory;

namespace Node.Daemon.Tests.Memory;

/// <summary>The memory report, a measurement aid: on only when its variable names 1 to 3600 seconds.</summary>
public sealed class MemoryReportTests
{
    [Theory]
    [InlineData("1", 1)]
    [InlineData("10", 10)]
    [InlineData("3600", 3600)]
    public void Is_on_every_so_many_seconds(string value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), MemoryReport.Interval(new Dictionary<string, string?> { [MemoryReport.EnvironmentVariable] = value }));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("3601")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("ten")]
    public void Is_off_otherwise(string? value)
    {
        var environment = value is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { [MemoryReport.EnvironmentVariable] = value };

        Assert.Null(MemoryReport.Interval(environment));
    }
}
