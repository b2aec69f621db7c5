using Microsoft.Extensions.Logging;

namespace Node.Federation.Tests.Support;

/// <summary>Loggers that keep every entry (level and rendered message) in one list, for tests that read what was logged.</summary>
public sealed class ListLoggerFactory : ILoggerFactory
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, string Category, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (factory._gate)
            {
                factory._entries.Add((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
