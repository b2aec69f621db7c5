namespace Node.Daemon.Dashboard;

/// <summary>The dashboard listener could not bind its address and port; the message names the settings.</summary>
internal sealed class DashboardListenerException(string message, Exception inner) : Exception(message, inner);
