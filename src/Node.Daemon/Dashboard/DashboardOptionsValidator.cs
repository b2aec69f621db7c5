using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace Node.Daemon.Dashboard;

internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var invariant = CultureInfo.InvariantCulture;
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            failures.Add(string.Create(invariant, $"Dashboard:Port must be a port from 0 to 65535 (0 picks a free port); was {options.Port}."));
        }

        if (!IPAddress.TryParse(options.Address, out _))
        {
            failures.Add($"Dashboard:Address must be an IP address such as 127.0.0.1 (a host name is not allowed); was '{options.Address}'.");
        }

        if (options.LoginLinkLifetime <= TimeSpan.Zero || options.LoginLinkLifetime > DashboardOptions.MaxLoginLinkLifetime)
        {
            failures.Add(string.Create(invariant,
                $"Dashboard:LoginLinkLifetime must be more than 00:00:00 and at most {DashboardOptions.MaxLoginLinkLifetime}; was {options.LoginLinkLifetime}."));
        }

        if (options.RequestsPerSecond is < 1 or > DashboardOptions.MaxRequestsPerSecond)
        {
            failures.Add(string.Create(invariant,
                $"Dashboard:RequestsPerSecond must be from 1 to {DashboardOptions.MaxRequestsPerSecond}; was {options.RequestsPerSecond}."));
        }

        if (options.Burst is < 1 or > DashboardOptions.MaxBurst)
        {
            failures.Add(string.Create(invariant, $"Dashboard:Burst must be from 1 to {DashboardOptions.MaxBurst}; was {options.Burst}."));
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
