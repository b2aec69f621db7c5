using Node.Daemon.Tests.Support;
using Node.Storage;

namespace Node.Daemon.Tests;

// A FIFO where the node expects a file made its start block for ever in open(2), deaf to SIGTERM;
// a directory or a device there is no better. Each is refused by name before anything is opened.
public sealed class SpecialFileTests
{
    // A guard only: before the checks a start blocked on a FIFO for ever, and the test must end.
    private static readonly TimeSpan Hung = TimeSpan.FromMinutes(2);

    [Fact]
    public void FileKinds_tells_what_a_path_names_following_links()
    {
        using var dir = new TempDirectory();
        var fifo = dir.Combine("fifo");
        SpecialFiles.MakeFifo(fifo);
        using var socket = SpecialFiles.BindSocket(dir.Combine("socket"));
        File.CreateSymbolicLink(dir.Combine("to-fifo"), fifo);
        File.CreateSymbolicLink(dir.Combine("dangling"), dir.Combine("nothing"));
        var file = dir.Write("file", "x");

        Assert.Equal(FileKind.Regular, FileKinds.Of(file));
        Assert.Equal(FileKind.Directory, FileKinds.Of(dir.Path));
        Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo));
        Assert.Equal(FileKind.Fifo, FileKinds.Of(dir.Combine("to-fifo")));
        Assert.Equal(FileKind.Socket, FileKinds.Of(dir.Combine("socket")));
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
        Assert.Equal(FileKind.Missing, FileKinds.Of(dir.Combine("nothing")));
        Assert.Equal(FileKind.Missing, FileKinds.Of(dir.Combine("dangling")));
        Assert.Equal(FileKind.Missing, FileKinds.Of(Path.Combine(file, "below")));
        Assert.True(FileKinds.IsRegularOrMissing(file, out _));
        Assert.False(FileKinds.IsRegularOrMissing(fifo, out var problem));
        Assert.Equal($"{fifo} is a FIFO (named pipe), not a regular file", problem);
    }

    public static TheoryData<string, bool> StateFiles => new()
    {
        { "identity.key", true }, { "identity.key", false }, { "identity.key.new", true },
        { "node.db", true }, { "node.db", false }, { "node.db-wal", true }, { "node.db-shm", true },
        { "node.lock", true }, { "node.lock.pid", true }, { "restore.pending", true }, { "node.db.restoring", false },
    };

    [Theory]
    [MemberData(nameof(StateFiles))]
    public async Task A_FIFO_or_a_directory_in_place_of_a_state_file_stops_the_start_with_exit_3_naming_it(string name, bool fifo)
    {
        using var dir = new TempDirectory();
        var data = Directory.CreateDirectory(dir.Combine("data")).FullName;
        var path = Path.Combine(data, name);
        Make(path, fifo);
        var error = new StringWriter();

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(), ["--data-dir", data], error: error,
            stoppingToken: TestContext.Current.CancellationToken).WaitAsync(Hung, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.StateUnusable, exitCode);
        Assert.Contains($"{path} is {(fifo ? "a FIFO (named pipe)" : "a directory")}, not a regular file", error.ToString(), StringComparison.Ordinal);
        // Nothing was opened or made beside it: no store, no key, no lock.
        Assert.Equal(new[] { path, Path.Combine(data, "logs") }.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(data).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_FIFO_or_a_directory_as_the_config_file_is_a_configuration_error(bool fifo)
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("node.json");
        Make(config, fifo);
        var error = new StringWriter();

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(), ["--config", config], error: error,
            stoppingToken: TestContext.Current.CancellationToken).WaitAsync(Hung, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.ConfigError, exitCode);
        Assert.Contains($"configuration file {config} is {(fifo ? "a FIFO (named pipe)" : "a directory")}, not a regular file; give the path of a JSON file.",
            error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_systemd_a_directory_in_place_of_the_config_file_is_refused_not_ignored()
    {
        using var dir = new TempDirectory();
        var config = Directory.CreateDirectory(dir.Combine("node.json")).FullName;
        var error = new StringWriter();

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?> { ["CONFIGURATION_DIRECTORY"] = dir.Path }, [], error: error,
            stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.ConfigError, exitCode);
        Assert.Contains($"configuration file {config} is a directory, not a regular file", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_FIFO_in_place_of_a_log_file_stops_the_start_with_exit_3_naming_it()
    {
        using var dir = new TempDirectory();
        var logs = Directory.CreateDirectory(dir.Combine("data", "logs")).FullName;
        var log = Path.Combine(logs, "node-20000101.log");
        SpecialFiles.MakeFifo(log);
        var error = new StringWriter();

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(), ["--data-dir", dir.Combine("data")], error: error,
            stoppingToken: TestContext.Current.CancellationToken).WaitAsync(Hung, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.StateUnusable, exitCode);
        Assert.Contains($"{log} is a FIFO (named pipe), not a regular file: log files must be regular files", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_where_a_log_directory_goes_stops_the_start_with_exit_3_naming_it()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("data", "logs"));
        var reasoning = dir.Write(Path.Combine("data", "logs", "reasoning"), "not a directory");
        var error = new StringWriter();

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(), ["--data-dir", dir.Combine("data")], error: error,
            stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.StateUnusable, exitCode);
        Assert.Contains($"{reasoning} is a regular file, where the log directory reasoning goes; move it away.", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_FIFO_at_the_API_socket_path_is_refused_and_left_in_place()
    {
        using var dir = new TempDirectory();
        var data = Directory.CreateDirectory(dir.Combine("data")).FullName;
        var socket = Path.Combine(data, "api.sock");
        SpecialFiles.MakeFifo(socket);
        var error = new StringWriter();

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(), ["--data-dir", data], error: error,
            stoppingToken: TestContext.Current.CancellationToken).WaitAsync(Hung, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.StateUnusable, exitCode);
        Assert.Contains($"API socket path {socket} is taken by a FIFO (named pipe), not a socket; move it away.", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(FileKind.Fifo, FileKinds.Of(socket));
    }

    [Fact]
    public async Task A_restore_from_a_FIFO_is_refused_without_blocking()
    {
        using var dir = new TempDirectory();
        var backup = dir.Combine("backup.db");
        SpecialFiles.MakeFifo(backup);
        var error = new StringWriter();

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(), ["restore", "--from", backup, "--data-dir", dir.Combine("data")],
            error: error, stoppingToken: TestContext.Current.CancellationToken).WaitAsync(Hung, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains($"restore refused, nothing was changed: {backup} is a FIFO (named pipe), not a regular file; a backup is a regular file.",
            error.ToString(), StringComparison.Ordinal);
    }

    private static void Make(string path, bool fifo)
    {
        if (fifo)
        {
            SpecialFiles.MakeFifo(path);
        }
        else
        {
            Directory.CreateDirectory(path);
        }
    }
}
