using System.CommandLine;
using System.CommandLine.Invocation;

namespace Node.Cli.Commands;

/// <summary>Prints <c>nodectl VERSION</c>, on any level and whatever else is on the line.</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine($"{CommandTree.Name} {NodeCtl.Version}");
        return NodeCtl.Ok;
    }
}
