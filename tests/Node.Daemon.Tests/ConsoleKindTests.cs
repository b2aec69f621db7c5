using System.Diagnostics;
using Node.Daemon.Logging;
using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests;

public sealed class ConsoleKindTests
{
    [Theory]
    [InlineData("8:1234", 8ul, 1234ul, true)]
    [InlineData("8:1234", 9ul, 1234ul, false)]
    [InlineData("8:1234", 8ul, 1235ul, false)]
    [InlineData("8:1234:5", 8ul, 1234ul, false)]
    [InlineData("socket", 8ul, 1234ul, false)]
    [InlineData("", 0ul, 0ul, false)]
    public void The_journal_stream_must_name_both_device_and_inode(string journalStream, ulong device, ulong inode, bool expected) =>
        Assert.Equal(expected, ConsoleKindDetector.IsStream(journalStream, device, inode));

    [Fact]
    public async Task Fstat_reads_the_device_and_inode_stat_reports()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("probe", "x");
        using var handle = File.OpenHandle(file);
        var start = new ProcessStartInfo("stat", ["-c", "%d:%i", file]) { RedirectStandardOutput = true };
        using var stat = Process.Start(start)!;
        var expected = (await stat.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)).Trim();

        Assert.True(ConsoleKindDetector.TryGetDeviceAndInode((int)handle.DangerousGetHandle(), out var device, out var inode));

        Assert.Equal(expected, $"{device}:{inode}");
    }
}
