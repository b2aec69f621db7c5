using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Node.Cli.Commands;

/// <summary>The standard help, followed on the top level by the exit codes and where the socket is looked for.</summary>
internal sealed class RootHelpAction : SynchronousCommandLineAction
{
    private readonly HelpAction _help = new();

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var code = _help.Invoke(parseResult);
        if (parseResult.CommandResult.Command is RootCommand)
        {
            parseResult.InvocationConfiguration.Output.Write(
                $"""
                Exit codes:
                  {NodeCtl.Ok}  ok
                  {NodeCtl.Error}  an error reported by the node, or a check that failed (log verify)
                  {NodeCtl.UsageError}  usage: an unknown command or option, a missing or invalid argument
                  {NodeCtl.Unreachable}  the node cannot be reached (no socket, or nothing answers on it)

                The socket: --socket PATH, else {ApiConnection.InstalledSocket} when it exists, else ./{ApiConnection.DevelopmentSocket}.
                'nodectl COMMAND --help' describes a command; 'nodectl completion bash|zsh|fish' prints a completion script.


                """);
        }

        return code;
    }
}
