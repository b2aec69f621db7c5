using System.Diagnostics;
using System.Text;
using Node.Daemon.Logging;
using Node.Daemon.Tests.Support;
using Serilog;
using Serilog.Sinks.File;

namespace Node.Daemon.Tests;

// Stopping on a full disk aborted the node (exit 134): the log file sink's flush on close threw
// ENOSPC out of the logger's disposal. A line that cannot be written is dropped and counted.
public sealed class DiskFullLoggingTests
{
    private const int NoSpace = 28; // ENOSPC, the HResult .NET gives its IOException on Linux

    [Fact]
    public async Task A_log_file_on_a_full_disk_drops_its_lines_counts_them_and_closes_without_throwing()
    {
        using var dir = new TempDirectory();
        var disk = new FillingDisk();
        var error = new StringWriter();
        var files = new LossyLogFiles(error);
        var logger = new LoggerConfiguration().WriteTo.File(dir.Combine("node-.log"), rollingInterval: RollingInterval.Day, hooks: disk.Then(files))
            .CreateLogger();
        logger.Information("written before the disk filled");

        disk.Full = true;
        logger.Information("dropped first");
        logger.Information("dropped second");
        await logger.DisposeAsync();
        files.ReportDropped();

        Assert.Equal(2, files.Dropped);
        var log = LogFiles.Read(dir.Path, "node-*.log");
        Assert.Contains("written before the disk filled", log, StringComparison.Ordinal);
        Assert.DoesNotContain("dropped", log, StringComparison.Ordinal);
        var file = Directory.GetFiles(dir.Path, "node-*.log").Single();
        Assert.Equal(
        [
            $"sovereign-node: cannot write the log file {file}: No space left on device. Log lines that cannot be written are dropped and counted; the node goes on.",
            $"sovereign-node: 2 log line(s) could not be written and were dropped; the first failure: {file}: No space left on device.",
        ], error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Without_it_the_same_full_disk_throws_out_of_the_loggers_disposal()
    {
        // What aborted the node: Serilog catches a failed write, but not a failed close.
        using var dir = new TempDirectory();
        var disk = new FillingDisk();
        var logger = new LoggerConfiguration().WriteTo.File(dir.Combine("node-.log"), rollingInterval: RollingInterval.Day, hooks: disk).CreateLogger();
        logger.Information("written before the disk filled");
        disk.Full = true;
        logger.Information("dropped");

        var thrown = await Assert.ThrowsAnyAsync<IOException>(() => logger.DisposeAsync().AsTask());

        Assert.Equal(NoSpace, thrown.HResult);
    }

    [Fact]
    public async Task A_node_stopping_while_its_log_disk_is_full_exits_cleanly_and_says_how_many_lines_were_dropped()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess,
            "Needs root: it mounts a 1 MiB tmpfs for the log directory and fills it. Run the tests as root to include it.");
        using var dir = new TempDirectory();
        var logs = Directory.CreateDirectory(dir.Combine("logs")).FullName;
        Run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", logs);
        try
        {
            using var notify = new NotifyListener(dir.Path);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var error = new StringWriter();
            var run = InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path },
                ["--data-dir", dir.Combine("data"), "--log-dir", logs, "--peer-port", "0"], error: TextWriter.Synchronized(error), stoppingToken: stop.Token);
            var ready = notify.WaitForAsync("READY=1");
            Assert.Same(ready, await Task.WhenAny(ready, run));

            FillLeavingTheLogsNoRoom(logs);
            stop.Cancel();
            var exitCode = await run;

            Assert.Equal(ExitCodes.Ok, exitCode);
            Assert.Contains("sovereign-node: cannot write the log file ", error.ToString(), StringComparison.Ordinal);
            Assert.Matches(@"sovereign-node: \d+ log line\(s\) could not be written and were dropped; the first failure: .*No space left on device", error.ToString());
        }
        finally
        {
            if (Process(["umount", logs]) != 0)
            {
                Run("umount", "-l", logs);
            }
        }
    }

    // Fills the file system; then empties the log files (their pages freed) and fills it again, so
    // the next line of each, written at its old offset, needs a page the disk does not have. The
    // slack at the end of a log's last page would otherwise take a few more lines.
    private static void FillLeavingTheLogsNoRoom(string logs)
    {
        var filler = Path.Combine(logs, "filler");
        var chunk = new byte[4096];
        for (var round = 0; round < 100; round++)
        {
            foreach (var log in Directory.EnumerateFiles(logs, "*.log", SearchOption.AllDirectories))
            {
                using var file = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                file.SetLength(0);
            }

            using (var fill = new FileStream(filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                try
                {
                    while (true)
                    {
                        fill.Write(chunk);
                    }
                }
                catch (IOException ex) when (ex.HResult == NoSpace)
                {
                }
            }

            // A line the node wrote meanwhile took a page: empty the logs again.
            if (Directory.EnumerateFiles(logs, "*.log", SearchOption.AllDirectories).All(log => new FileInfo(log).Length == 0))
            {
                return;
            }
        }

        Assert.Fail("The node kept writing its logs while the disk was being filled.");
    }

    private static void Run(params string[] command) => Assert.Equal(0, Process(command));

    private static int Process(string[] command)
    {
        using var process = System.Diagnostics.Process.Start(new ProcessStartInfo(command[0], command[1..]) { RedirectStandardError = true })!;
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>A disk under the log file that fills on demand: from then on every write, flush and close fails with ENOSPC.</summary>
    private sealed class FillingDisk : FileLifecycleHooks
    {
        public bool Full { get; set; }

        public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding) => new DiskStream(underlyingStream, this);

        private sealed class DiskStream(Stream inner, FillingDisk disk) : Stream
        {
            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override void Write(byte[] buffer, int offset, int count)
            {
                ThrowIfFull();
                inner.Write(buffer, offset, count);
            }

            public override void Flush()
            {
                ThrowIfFull();
                inner.Flush();
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                    ThrowIfFull(); // as FileStream does: the handle is closed, then its failed flush is thrown
                }

                base.Dispose(disposing);
            }

            private void ThrowIfFull()
            {
                if (disk.Full)
                {
                    throw new IOException("No space left on device", NoSpace);
                }
            }

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();
        }
    }
}
