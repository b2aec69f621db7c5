using System.Globalization;
using Node.Daemon.Memory;

namespace Node.Daemon.Tests.Memory;

/// <summary>The resident memory the health sampler and the trimmer read: the kernel's VmRSS.</summary>
public sealed class ResidentMemoryTests
{
    [Fact]
    public void Is_the_resident_set_the_kernel_reports()
    {
        var before = VmRss();
        var read = ResidentMemory.Bytes();
        var after = VmRss();

        // The test process allocates between the reads; a megabyte either side is plenty.
        Assert.InRange(read, Math.Min(before, after) - (1 << 20), Math.Max(before, after) + (1 << 20));
    }

    private static long VmRss() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))["VmRSS:".Length..].Trim().Split(' ')[0],
            CultureInfo.InvariantCulture) * 1024;
}
