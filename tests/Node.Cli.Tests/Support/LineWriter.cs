using System.Text;

namespace Node.Cli.Tests.Support;

/// <summary>
/// Standard output for commands that run until Ctrl-C: tells the test when a number of lines has
/// been written, so it knows when to interrupt without sleeping.
/// </summary>
public sealed class LineWriter : StringWriter
{
    private readonly Lock _lock = new();
    private readonly List<(int Lines, TaskCompletionSource Reached)> _waiters = [];
    private int _lines;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_lock)
        {
            base.Write(value);
            if (value == '\n')
            {
                _lines++;
                foreach (var waiter in _waiters.Where(w => w.Lines <= _lines))
                {
                    waiter.Reached.TrySetResult();
                }
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        for (var i = index; i < index + count; i++)
        {
            Write(buffer[i]);
        }
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        Write(value + NewLine);
        return Task.CompletedTask;
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return base.ToString();
        }
    }

    /// <summary>Completes once <paramref name="lines"/> lines have been written.</summary>
    public Task WaitForLinesAsync(int lines)
    {
        lock (_lock)
        {
            if (_lines >= lines)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((lines, reached));
            return reached.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }
    }
}
