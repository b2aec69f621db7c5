using System.CommandLine;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary>
/// <c>nodectl dashboard [--metrics-token]</c>: a one-time login link to the node's dashboard (as
/// Jupyter prints one), or the bearer token its <c>/metrics</c> takes. Both are secrets: printed,
/// never logged.
/// </summary>
internal static class DashboardCommand
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var metricsToken = new Option<bool>("--metrics-token")
        {
            Description = "Print the bearer token of the dashboard's /metrics (for Prometheus) instead of a login link.",
        };
        var command = new Command("dashboard",
            "Print a one-time login link to the node's local dashboard (open it in a browser on this machine; it works once, for 2 minutes).")
        {
            metricsToken,
        };
        command.Action = new ApiAction(globals, console, call => call.Value(metricsToken) ? MetricsTokenAsync(call) : LoginAsync(call));
        return command;
    }

    private static async Task<int> LoginAsync(ApiCall call)
    {
        var login = await new DashboardService.DashboardServiceClient(call.Channel).CreateLoginAsync(new CreateDashboardLoginRequest(), call.Request())
            .ConfigureAwait(false);
        if (call.Json)
        {
            await call.WriteJsonAsync(writer =>
            {
                writer.WriteString("url", login.Url);
                writer.WriteNumber("expiresAt", login.ExpiresAt);
            }).ConfigureAwait(false);
            return NodeCtl.Ok;
        }

        await call.WriteAsync(
            $"""
            Open this link in a browser on this machine; it works once, until {Display.Time(login.ExpiresAt)}:
            {login.Url}

            """).ConfigureAwait(false);
        return NodeCtl.Ok;
    }

    // The token alone on its line, so 'nodectl dashboard --metrics-token > FILE' makes Prometheus's credentials_file.
    private static async Task<int> MetricsTokenAsync(ApiCall call)
    {
        var token = await new DashboardService.DashboardServiceClient(call.Channel).GetMetricsTokenAsync(new GetMetricsTokenRequest(), call.Request())
            .ConfigureAwait(false);
        return await call.ShowAsync(writer =>
        {
            writer.WriteString("token", token.Token);
            writer.WriteString("url", token.Url);
        }, () => token.Token + "\n").ConfigureAwait(false);
    }
}
