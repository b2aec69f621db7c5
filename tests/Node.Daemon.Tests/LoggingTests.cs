using Microsoft.Extensions.Logging;
using Node.Daemon.Configuration;
using Node.Daemon.Logging;
using Node.Daemon.Tests.Support;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Parsing;

namespace Node.Daemon.Tests;

public sealed class LoggingTests
{
    // A message parameter named Source would replace the class name the enricher puts first on
    // every line (the journal showed "/etc/sovereign-node/node.json: Configuration reloaded ...").
    [Fact]
    public void No_log_message_names_a_parameter_Source()
    {
        var src = Repository.File("src");
        var sources = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var offenders = sources
            .SelectMany(file => File.ReadLines(file).Where(line => line.Contains("LoggerMessage(", StringComparison.Ordinal) && line.Contains("{Source}", StringComparison.Ordinal))
                .Select(line => $"{Path.GetRelativePath(src, file)}: {line.Trim()}"))
            .ToList();

        Assert.NotEmpty(sources);
        Assert.Empty(offenders);
    }

    [Fact]
    public async Task Each_component_gets_its_file_and_errors_also_land_in_errors_log()
    {
        using var dir = new TempDirectory();
        var options = new LogOptions { Directory = dir.Combine("logs"), Level = "Debug", RetainedFileCount = 3 };
        var logger = NodeLogging.Create(options, NodeLogging.LevelSwitch(options.Level), ConsoleKind.Plain, new LossyLogFiles(TextWriter.Null));
        using (var factory = new SerilogLoggerFactory(logger, dispose: false))
        {
            factory.CreateLogger("Node.Reasoning.Pipeline").LogInformation("Conclusion for {Subject}", "SPX");
            factory.CreateLogger("Node.Federation.Sync.SyncWorker").LogWarning("Peer {Peer} slow", "P1");
            factory.CreateLogger("Node.Daemon.Host").LogError(new InvalidOperationException("boom"), "Round failed");
            factory.CreateLogger("Node.Daemon.Host").LogDebug("Debug detail");
        }

        await logger.DisposeAsync();

        var all = LogFiles.Read(dir.Combine("logs"), "node-*.log");
        var errors = LogFiles.Read(dir.Combine("logs"), "errors-*.log");
        var reasoning = LogFiles.Read(dir.Combine("logs", "reasoning"), "reasoning-*.log");
        var federation = LogFiles.Read(dir.Combine("logs", "federation"), "federation-*.log");
        Assert.Contains("[INF] Pipeline: Conclusion for SPX", all, StringComparison.Ordinal);
        Assert.Contains("[WRN] SyncWorker: Peer P1 slow", all, StringComparison.Ordinal);
        Assert.Contains("[ERR] Host: Round failed", all, StringComparison.Ordinal);
        Assert.Contains("[DBG] Host: Debug detail", all, StringComparison.Ordinal);
        Assert.Contains("[ERR] Host: Round failed", errors, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: boom", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Conclusion", errors, StringComparison.Ordinal);
        Assert.Contains("Conclusion for SPX", reasoning, StringComparison.Ordinal);
        Assert.DoesNotContain("Peer P1", reasoning, StringComparison.Ordinal);
        Assert.Contains("Peer P1 slow", federation, StringComparison.Ordinal);
        Assert.DoesNotContain("Round failed", federation, StringComparison.Ordinal);
        Assert.Matches(@"node-\d{8}\.log$", Directory.GetFiles(dir.Combine("logs"), "node-*.log").Single());
    }

    [Fact]
    public async Task The_level_switch_filters_what_is_written()
    {
        using var dir = new TempDirectory();
        var options = new LogOptions { Directory = dir.Path, Level = "Warning" };
        var level = NodeLogging.LevelSwitch(options.Level);
        var logger = NodeLogging.Create(options, level, ConsoleKind.Plain, new LossyLogFiles(TextWriter.Null));
        using (var factory = new SerilogLoggerFactory(logger, dispose: false))
        {
            var log = factory.CreateLogger("Node.Daemon.Test");
            log.LogInformation("hidden while at Warning");
            level.MinimumLevel = LogEventLevel.Information;
            log.LogInformation("shown after lowering");
        }

        await logger.DisposeAsync();

        var all = LogFiles.Read(dir.Path, "node-*.log");
        Assert.DoesNotContain("hidden while at Warning", all, StringComparison.Ordinal);
        Assert.Contains("shown after lowering", all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LogEventLevel.Fatal, "<2>")]
    [InlineData(LogEventLevel.Error, "<3>")]
    [InlineData(LogEventLevel.Warning, "<4>")]
    [InlineData(LogEventLevel.Information, "<6>")]
    [InlineData(LogEventLevel.Debug, "<7>")]
    public void Journal_lines_carry_the_syslog_priority_and_no_timestamp(LogEventLevel level, string prefix)
    {
        var line = FormatForJournal(level, "Peer {Peer} lost", null);

        Assert.Equal($"{prefix}SyncWorker: Peer P1 lost\n", line);
    }

    [Fact]
    public void A_journal_line_holds_one_event_on_one_line_exception_included()
    {
        var line = FormatForJournal(LogEventLevel.Error, "Round failed\nretrying", new InvalidOperationException("first\nsecond"));

        Assert.Equal("<3>SyncWorker: Round failed retrying (InvalidOperationException: first second)\n", line);
    }

    private static string FormatForJournal(LogEventLevel level, string template, Exception? exception)
    {
        var parsed = new MessageTemplateParser().Parse(template);
        var logEvent = new LogEvent(DateTimeOffset.UnixEpoch, level, exception, parsed,
        [
            new LogEventProperty("Peer", new ScalarValue("P1")),
            new LogEventProperty("Source", new ScalarValue("SyncWorker")),
        ]);
        var output = new StringWriter();
        new JournalFormatter().Format(logEvent, output);
        return output.ToString();
    }
}
