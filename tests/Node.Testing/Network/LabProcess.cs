using System.Diagnostics;

namespace Node.Testing.Network;

/// <summary>
/// A process started for a namespace test, its output kept line by line (stdout and stderr
/// together) so a test waits for what the process says, never for wall time. Killed on dispose.
/// </summary>
public sealed class LabProcess : IAsyncDisposable
{
    /// <summary>How long a wait may take before it fails the test: generous, since it only bounds a failure.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _description;
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource _streamsEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openStreams = 2;

    private LabProcess(Process process, string description)
    {
        _process = process;
        _description = description;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether it has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything it printed so far, one line each.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>The lines printed so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts <paramref name="command"/> (program and arguments) with extra environment variables.</summary>
    public static LabProcess Start(IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(command.Count);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command[0]}.");
        return new LabProcess(process, string.Join(' ', command));
    }

    /// <summary>
    /// The first line (printed before or after the call) that <paramref name="match"/> accepts.
    /// Fails if the process ends without printing one, or after <paramref name="timeout"/>.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        TaskCompletionSource<string> found;
        lock (_lines)
        {
            if (_lines.Find(l => match(l)) is { } line)
            {
                return line;
            }

            if (_openStreams == 0)
            {
                throw new InvalidOperationException($"'{_description}' ended without printing the line awaited. Output:\n{Output}");
            }

            found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout ?? DefaultTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"'{_description}' did not print the line awaited within {timeout ?? DefaultTimeout}. Output:\n{Output}");
        }
    }

    /// <summary>Closes its standard input: a process that reads to the end of its input (to know when to stop) stops.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for the process to end and its output to be read; fails after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout ?? DefaultTimeout);
            await _streamsEnded.Task.WaitAsync(timeout ?? DefaultTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"'{_description}' did not exit within {timeout ?? DefaultTimeout}. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills it (and its children) if still running and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(DefaultTimeout);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{_description} (pid {_process.Id})";

    private void OnLine(string? line)
    {
        List<TaskCompletionSource<string>> matched = [];
        List<TaskCompletionSource<string>> orphaned = [];
        lock (_lines)
        {
            if (line is null)
            {
                if (--_openStreams == 0)
                {
                    orphaned.AddRange(_waiters.Select(w => w.Found));
                    _waiters.Clear();
                    _streamsEnded.TrySetResult();
                }
            }
            else
            {
                _lines.Add(line);
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    _waiters.Remove(waiter);
                    matched.Add(waiter.Found);
                }
            }
        }

        foreach (var found in matched)
        {
            found.TrySetResult(line!);
        }

        foreach (var found in orphaned)
        {
            found.TrySetException(new InvalidOperationException($"'{_description}' ended without printing the line awaited. Output:\n{Output}"));
        }
    }
}
