using Microsoft.Extensions.Logging;

namespace Node.Daemon.Dashboard;

/// <summary>The dashboard's log lines that are not the listener's.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "A new metrics token was made because {Why}: give Prometheus the new one ('nodectl dashboard --metrics-token').")]
    public static partial void MetricsTokenRenewed(ILogger logger, string why);
}
