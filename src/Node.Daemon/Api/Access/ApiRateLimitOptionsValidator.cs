using System.Globalization;
using Microsoft.Extensions.Options;

namespace Node.Daemon.Api.Access;

internal sealed class ApiRateLimitOptionsValidator : IValidateOptions<ApiRateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiRateLimitOptions options)
    {
        var failures = new List<string>();
        if (options.PermitsPerSecond is < 1 or > ApiRateLimitOptions.MaxPermitsPerSecond)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Api:Tcp:RateLimit:PermitsPerSecond must be from 1 to {ApiRateLimitOptions.MaxPermitsPerSecond} calls per second; was {options.PermitsPerSecond}."));
        }

        if (options.Burst is < 1 or > ApiRateLimitOptions.MaxBurst)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Api:Tcp:RateLimit:Burst must be from 1 to {ApiRateLimitOptions.MaxBurst} calls; was {options.Burst}."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
