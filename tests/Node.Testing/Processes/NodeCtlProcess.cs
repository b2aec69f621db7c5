using System.Diagnostics;

namespace Node.Testing.Processes;

/// <summary>What a nodectl run ended with.</summary>
public readonly record struct NodeCtlResult(int Code, string Output, string Error)
{
    public override string ToString() => $"exit {Code}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>
/// Runs the real nodectl of <c>kind</c>: the build next to the tests (<c>dotnet exec nodectl.dll</c>)
/// or the native-AOT binary published beside the AOT daemon. Killed if the test ends first.
/// </summary>
public static class NodeCtlProcess
{
    /// <summary>Runs nodectl with <paramref name="args"/>; <paramref name="prefix"/> is a command that runs it (such as setpriv).</summary>
    public static async Task<NodeCtlResult> RunAsync(string kind, IEnumerable<string> args, IReadOnlyList<string>? prefix = null)
    {
        var command = new List<string>(prefix ?? []);
        if (kind == "aot")
        {
            Assert.SkipWhen(DaemonProcess.AotBinary() is null, "No native-AOT binary published: scripts/test.sh publishes one and sets SOVEREIGN_NODE_AOT_DIR.");
            command.Add(Path.Combine(Path.GetDirectoryName(DaemonProcess.AotBinary()!)!, "nodectl"));
        }
        else
        {
            command.AddRange(["dotnet", "exec", Path.Combine(AppContext.BaseDirectory, "nodectl.dll")]);
        }

        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1).Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        var token = TestContext.Current.CancellationToken;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start.");
        try
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(token);
            var error = process.StandardError.ReadToEndAsync(token);
            await process.WaitForExitAsync(token);
            return new NodeCtlResult(process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    public static Task<NodeCtlResult> RunAsync(string kind, params string[] args) => RunAsync(kind, args, prefix: null);
}
