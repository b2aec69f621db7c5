using System.Diagnostics;
using Node.Cli.Tests.Support;

namespace Node.Cli.Tests;

/// <summary>Completion scripts, and the suggest directive they call: <c>nodectl "[suggest:POS]" "LINE"</c>.</summary>
public sealed class CompletionTests
{
    [Theory]
    [InlineData("bash", "complete -o default -F _nodectl_complete nodectl")]
    [InlineData("zsh", "#compdef nodectl")]
    [InlineData("fish", "complete -c nodectl -f -a '(__nodectl_complete)'")]
    public async Task A_script_for_each_shell_asks_nodectl_through_the_suggest_directive(string shell, string registration)
    {
        var run = await CliRunner.Run("completion", shell);

        Assert.Equal((0, ""), (run.Code, run.Error));
        Assert.Contains(registration, run.Output, StringComparison.Ordinal);
        Assert.Contains("\"[suggest:", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nodectl kn", new[] { "knowledge" })]
    [InlineData("nodectl knowledge w", new[] { "watch" })]
    [InlineData("nodectl decisions list --status a", new[] { "approved", "auto-approved" })]
    [InlineData("nodectl knowledge put --kind ", new[] { "decision", "insight", "note", "observation", "retraction", "summary" })]
    [InlineData("nodectl knowledge put --scope s", new[] { "shareable" })]
    [InlineData("nodectl apikey create --scope ", new[] { "admin", "read", "write" })]
    [InlineData("nodectl log tail --fo", new[] { "--follow" })]
    [InlineData("nodectl completion ", new[] { "bash", "fish", "zsh" })]
    public async Task Suggest_completes_commands_options_and_their_values(string line, string[] expected)
    {
        var run = await CliRunner.Run($"[suggest:{line.Length}]", line);

        Assert.Equal(0, run.Code);
        Assert.Equal(expected, run.Lines.Where(s => !s.StartsWith('-') || expected[0].StartsWith('-')));
    }

    [Fact]
    public async Task Suggest_offers_the_tiers_after_a_node_id()
    {
        var line = "nodectl peers trust ABCDEFG-HIJKLMN-OPQRSTU-VWXYZ23 ";

        var run = await CliRunner.Run($"[suggest:{line.Length}]", line);

        Assert.Superset(new HashSet<string> { "core", "sandbox", "external", "unknown", "--reason" }, run.Lines.ToHashSet());
        Assert.DoesNotContain("status", run.Lines);
    }

    [Theory]
    [InlineData("nodectl kn", "knowledge")]
    [InlineData("nodectl peers trust ABCDEFG-HIJKLMN-OPQRSTU-VWXYZ23 s", "sandbox")]
    [InlineData("nodectl log ", "tail verify")]
    public async Task The_bash_script_completes_in_bash(string line, string expected)
    {
        Assert.SkipUnless(File.Exists("/bin/bash"), "No bash here.");
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--norc");
        start.ArgumentList.Add("--noprofile");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(
            """
            nodectl() { dotnet exec "$NODECTL_DLL" "$@"; }
            source <(nodectl completion bash)
            COMP_LINE=$LINE
            COMP_POINT=${#LINE}
            read -r -a COMP_WORDS <<<"$LINE"
            [[ $LINE == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            _nodectl_complete
            printf '%s\n' "${COMPREPLY[@]}" | grep -v '^-' | sort | paste -sd ' '
            """);
        start.Environment["NODECTL_DLL"] = Path.Combine(AppContext.BaseDirectory, "nodectl.dll");
        start.Environment["LINE"] = line;
        using var bash = Process.Start(start)!;

        var output = bash.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = bash.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await bash.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(bash.ExitCode == 0, await error);
        Assert.Equal(expected, (await output).TrimEnd());
    }
}
