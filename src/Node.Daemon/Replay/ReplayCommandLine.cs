using System.Diagnostics.CodeAnalysis;
using Node.Reasoning;

namespace Node.Daemon.Replay;

/// <summary>The command line of <c>sovereign-node replay</c>.</summary>
internal sealed record ReplayCommandLine(string? Csv, Depth Depth, string? Subject, bool SummaryOnly, bool Help)
{
    public const string Usage = """
        Usage: sovereign-node replay --csv FILE [--depth shallow|moderate|deep] [--subject NAME] [--summary]

        Runs a CSV of date,open,high,low,close[,adjclose],volume bars through the reasoning pipeline, offline
        (no node, no store). Writes one JSON object per bar to stdout (features, findings, conclusion) and a
        calibration summary (Brier score, expected calibration error over 10 bins, outcomes) to stderr.

          --csv FILE       the bars, oldest first ('-' reads stdin)
          --depth D        shallow, moderate (default) or deep
          --subject NAME   the subject's name; default the file's name without extension
          --summary        write only the summary, to stdout
          -h, --help       show this help

        Exit codes: 0 done, 1 some lines were not bars (each named on stderr; the rest replayed), 2 usage error
        or unreadable file.

        """;

    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out ReplayCommandLine? result, [NotNullWhen(false)] out string? error)
    {
        string? csv = null, subject = null;
        var depth = Depth.Moderate;
        bool summary = false, help = false;
        result = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 2)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            switch (arg)
            {
                case "-h" or "--help" or "-?":
                    help = true;
                    continue;
                case "--summary":
                    summary = true;
                    continue;
                case "--csv" or "--depth" or "--subject":
                    var value = inline ?? (i + 1 < args.Count ? args[++i] : null);
                    if (string.IsNullOrEmpty(value))
                    {
                        error = $"option '{arg}' needs a value";
                        return false;
                    }

                    if (arg == "--csv")
                    {
                        csv = value;
                    }
                    else if (arg == "--subject")
                    {
                        subject = value;
                    }
                    else if (!ReasoningNames.TryParseDepth(value, out depth))
                    {
                        error = $"--depth must be shallow, moderate or deep; was '{value}'";
                        return false;
                    }

                    continue;
                default:
                    error = arg.StartsWith('-') ? $"unknown option '{arg}'" : $"unexpected argument '{arg}'";
                    return false;
            }
        }

        if (csv is null && !help)
        {
            error = "replay needs --csv FILE";
            return false;
        }

        result = new ReplayCommandLine(csv, depth, subject, summary, help);
        error = null;
        return true;
    }
}
