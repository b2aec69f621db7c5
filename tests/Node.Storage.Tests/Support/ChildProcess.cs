using System.Diagnostics;

namespace Node.Storage.Tests.Support;

/// <summary>Runs short system commands (mount, umount) to their end.</summary>
public static class ChildProcess
{
    /// <summary>Runs <paramref name="file"/>; returns its exit code and what it printed on stderr.</summary>
    public static (int ExitCode, string Error) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.GetAwaiter().GetResult().Trim());
    }

    /// <summary>Runs <paramref name="file"/> and throws, with its stderr, when it fails.</summary>
    public static void RunChecked(string file, params string[] args)
    {
        var (code, error) = Run(file, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {code}: {error}");
        }
    }
}
