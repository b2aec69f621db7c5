using System.CommandLine;
using System.CommandLine.Help;

namespace Node.Cli.Commands;

/// <summary>Every nodectl command, options and arguments: the tree the parser, help and completions read.</summary>
internal static class CommandTree
{
    /// <summary>The name completions and help use, whatever the executable is called.</summary>
    public const string Name = "nodectl";

    /// <summary>A new tree whose actions write to <paramref name="console"/>.</summary>
    public static RootCommand Create(CliConsole console)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("Controls a Sovereign Node over its local API socket (gRPC).");
        if (root.Name != Name)
        {
            // The [suggest] directive parses "nodectl …" lines; under a test host the executable has another name.
            root.Aliases.Add(Name);
        }

        for (var i = 0; i < root.Options.Count; i++)
        {
            root.Options[i] = root.Options[i] switch
            {
                // Without the Windows spellings (/h, /?, -?), which would only clutter completions.
                HelpOption => new HelpOption("--help", "-h") { Action = new RootHelpAction() },
                VersionOption => new VersionOption("--version", "-V") { Recursive = true, Action = new VersionAction() },
                var option => option,
            };
        }

        root.Options.Add(globals.Json);
        root.Options.Add(globals.Socket);
        root.Subcommands.Add(StatusCommand.Create(globals, console));
        root.Subcommands.Add(IdentityCommands.Create(globals, console));
        root.Subcommands.Add(KnowledgeCommands.Create(globals, console));
        root.Subcommands.Add(PeerCommands.Create(globals, console));
        root.Subcommands.Add(FederationCommands.Create(globals, console));
        root.Subcommands.Add(DecisionCommands.Create(globals, console));
        root.Subcommands.Add(ObserveCommand.Create(globals, console));
        root.Subcommands.Add(ReasonCommands.Create(globals, console));
        root.Subcommands.Add(AuditCommand.Create(globals, console));
        root.Subcommands.Add(LogCommands.Create(globals, console));
        root.Subcommands.Add(BackupCommands.Create(globals, console));
        root.Subcommands.Add(StoreCommands.Create(globals, console));
        root.Subcommands.Add(ApiKeyCommands.Create(globals, console));
        root.Subcommands.Add(DashboardCommand.Create(globals, console));
        root.Subcommands.Add(CompletionCommand.Create());
        return root;
    }
}
