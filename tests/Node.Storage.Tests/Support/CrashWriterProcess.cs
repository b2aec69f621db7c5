using System.Diagnostics;
using System.Text;

namespace Node.Storage.Tests.Support;

/// <summary>
/// The crash writer (tests/Node.Storage.CrashWriter) as a child process: it writes packets into a
/// store and prints "ack &lt;hex id&gt;" for each one committed, until it is killed. Killed on
/// dispose if still running.
/// </summary>
public sealed class CrashWriterProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private CrashWriterProcess(Process process)
    {
        _process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    /// <summary>Where the build copies the crash writer (see the test project's CopyCrashWriter target).</summary>
    public static string AssemblyPath { get; } = Path.Combine(AppContext.BaseDirectory, "crash-writer", "Node.Storage.CrashWriter.dll");

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts a crash writer on the store in <paramref name="directory"/>.</summary>
    public static CrashWriterProcess Start(string directory)
    {
        if (!File.Exists(AssemblyPath))
        {
            throw new FileNotFoundException($"The crash writer is not built beside the tests (expected {AssemblyPath}).", AssemblyPath);
        }

        // The host that runs the tests, when the SDK says which; else the one on PATH.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(AssemblyPath);
        start.ArgumentList.Add(directory);
        return new CrashWriterProcess(Process.Start(start) ?? throw new InvalidOperationException("The crash writer did not start."));
    }

    /// <summary>The next acknowledged id (lowercase hex), or null once the process closed its output.</summary>
    public async Task<string?> ReadAckAsync(CancellationToken cancellationToken)
    {
        var line = await _process.StandardOutput.ReadLineAsync(cancellationToken);
        return line switch
        {
            null => null,
            ['a', 'c', 'k', ' ', .. var id] when id.Length == 64 => id,
            _ => throw new InvalidDataException($"The crash writer printed an unexpected line: \"{line}\". stderr:\n{StandardError}"),
        };
    }

    /// <summary>
    /// Kills the process with SIGKILL, waits for it to end, and returns the acknowledgements it
    /// had printed but that were not read yet.
    /// </summary>
    public async Task<IReadOnlyList<string>> KillAsync(CancellationToken cancellationToken)
    {
        _process.Kill(); // SIGKILL on Linux: no handler, no flush, no finally runs
        var rest = new List<string>();
        while (await ReadAckAsync(cancellationToken) is { } id)
        {
            rest.Add(id);
        }

        await _process.WaitForExitAsync(cancellationToken);
        return rest;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }

        _process.Dispose();
    }
}
