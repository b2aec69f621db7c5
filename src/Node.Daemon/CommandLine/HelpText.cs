using System.Reflection;
using System.Text;

namespace Node.Daemon.CommandLine;

/// <summary>The text of <c>--help</c> and <c>--version</c>.</summary>
public static class HelpText
{
    /// <summary>The version this binary was built as, such as <c>0.1.0</c>.</summary>
    public static string Version { get; } =
        typeof(HelpText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>One line: the program and its version.</summary>
    public static string VersionLine => $"sovereign-node {Version}";

    /// <summary>The usage text.</summary>
    public static string Usage()
    {
        var text = new StringBuilder()
            .AppendLine(VersionLine + " - a self-contained knowledge node for the local network")
            .AppendLine()
            .AppendLine("Usage: sovereign-node [options]                      run the node")
            .AppendLine("       sovereign-node restore --from BACKUP [options]  replace the store with a backup (node stopped);")
            .AppendLine("                                                     every packet in it is verified first, and a backup")
            .AppendLine("                                                     with bad ones is refused unless --mark-corrupt is")
            .AppendLine("                                                     given (they are then kept, marked, never served)")
            .AppendLine("       sovereign-node new-store [options]              start over with an empty store when node.db was lost")
            .AppendLine("                                                     and no backup is left (node stopped; keeps the identity)")
            .AppendLine("       sovereign-node replay --csv FILE [--depth D] [--subject S] [--summary]")
            .AppendLine("                                                     reason over a CSV of bars offline (see replay --help)")
            .AppendLine()
            .AppendLine("Options:")
            .AppendLine("  --config FILE        JSON configuration file; default /etc/sovereign-node/node.json under systemd")
            .AppendLine("                       ($CONFIGURATION_DIRECTORY/node.json), otherwise none");
        foreach (var (flag, key, value, help) in DaemonCommandLine.SettingFlags)
        {
            text.Append("  ").Append($"{flag} {value}".PadRight(21)).Append(help).Append(" [").Append(key).AppendLine("]");
        }

        foreach (var (flag, key, value, help) in DaemonCommandLine.SwitchFlags)
        {
            text.Append("  ").Append(flag.PadRight(21)).Append(help).Append(" [").Append(key).Append('=').Append(value).AppendLine("]");
        }

        return text
            .AppendLine("  --set KEY=VALUE      set any configuration key, such as --set Logging:RetainedFileCount=60")
            .AppendLine("  -h, --help           show this help")
            .AppendLine("  -V, --version        show the version")
            .AppendLine()
            .AppendLine("Every setting can also come from the config file ({\"Federation\": {\"PeerPort\": 8102}}) and")
            .AppendLine("from the environment (SOVEREIGN_NODE__FEDERATION__PEERPORT=8102). The command line wins over")
            .AppendLine("the environment, which wins over the file.")
            .AppendLine()
            .AppendLine("Signals: SIGTERM or SIGINT stop the node cleanly; SIGHUP re-reads the configuration.")
            .AppendLine("Exit codes: 0 stopped cleanly, 1 failed, 2 usage or configuration error,")
            .AppendLine("            3 the store cannot be used (damaged, newer version, broken event log, in use, or")
            .AppendLine("              missing while the node has an identity) or the identity key cannot.")
            .ToString();
    }
}
