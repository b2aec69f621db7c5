using Serilog.Core;
using Serilog.Events;

namespace Node.Daemon.Logging;

/// <summary>Adds <c>Source</c>: the last segment of <c>SourceContext</c> (the class), for short log lines.</summary>
internal sealed class SourceEnricher : ILogEventEnricher
{
    public const string PropertyName = "Source";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.Properties.TryGetValue(Serilog.Core.Constants.SourceContextPropertyName, out var value) &&
            value is ScalarValue { Value: string context })
        {
            var dot = context.LastIndexOf('.');
            logEvent.AddPropertyIfAbsent(new LogEventProperty(PropertyName, new ScalarValue(dot >= 0 ? context[(dot + 1)..] : context)));
        }
        else
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty(PropertyName, new ScalarValue("sovereign-node")));
        }
    }
}
