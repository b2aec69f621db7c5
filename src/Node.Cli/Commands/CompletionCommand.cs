using System.CommandLine;

namespace Node.Cli.Commands;

/// <summary><c>nodectl completion bash|zsh|fish</c>: prints a shell completion script.</summary>
internal static class CompletionCommand
{
    public static Command Create()
    {
        var shell = new Argument<string>("SHELL") { Description = $"The shell: {string.Join(", ", CompletionScripts.Shells)}.", HelpName = "SHELL" };
        shell.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !CompletionScripts.Shells.Contains(value))
            {
                result.AddError($"SHELL: '{value}' is not one of {string.Join(", ", CompletionScripts.Shells)}.");
            }
        });
        shell.CompletionSources.Add([.. CompletionScripts.Shells]);
        var command = new Command("completion", "Print a shell completion script (docs/operator-manual.md says how to install it).") { shell };
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.Write(CompletionScripts.For(parse.GetValue(shell)!));
            return NodeCtl.Ok;
        });
        return command;
    }
}
