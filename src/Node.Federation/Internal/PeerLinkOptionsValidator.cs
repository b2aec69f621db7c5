using Microsoft.Extensions.Options;
using Node.Federation.Link;

namespace Node.Federation.Internal;

internal sealed class PeerLinkOptionsValidator : IValidateOptions<PeerLinkOptions>
{
    private const string Section = PeerLinkOptions.SectionName;

    internal static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxInterval = TimeSpan.FromMinutes(5);
    internal static readonly TimeSpan MaxSilence = TimeSpan.FromHours(1);
    internal static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    internal static readonly TimeSpan MaxInitialBackoff = TimeSpan.FromMinutes(1);
    internal static readonly TimeSpan MaxRefusedRetry = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, PeerLinkOptions options)
    {
        var failures = new List<string>();
        Between(failures, nameof(PeerLinkOptions.HeartbeatInterval), options.HeartbeatInterval, MinInterval, MaxInterval);

        if (options.SuspectAfter <= 2 * options.HeartbeatInterval)
        {
            failures.Add($"{Section}:SuspectAfter must be more than twice {Section}:HeartbeatInterval ({2 * options.HeartbeatInterval}); was {options.SuspectAfter}.");
        }

        if (options.DownAfter <= options.SuspectAfter || options.DownAfter > MaxSilence)
        {
            failures.Add($"{Section}:DownAfter must be more than {Section}:SuspectAfter ({options.SuspectAfter}) and at most {MaxSilence}; was {options.DownAfter}.");
        }

        if (options.AcceptGrace is { } grace && (grace < TimeSpan.Zero || grace > MaxSilence))
        {
            failures.Add($"{Section}:AcceptGrace must be between {TimeSpan.Zero} and {MaxSilence}, or unset for twice {Section}:HeartbeatInterval; was {grace}.");
        }

        Between(failures, nameof(PeerLinkOptions.BackoffInitial), options.BackoffInitial, MinBackoff, MaxInitialBackoff);

        if (options.BackoffMax < options.BackoffInitial || options.BackoffMax > MaxSilence)
        {
            failures.Add($"{Section}:BackoffMax must be at least {Section}:BackoffInitial ({options.BackoffInitial}) and at most {MaxSilence}; was {options.BackoffMax}.");
        }

        Between(failures, nameof(PeerLinkOptions.BackoffResetAfter), options.BackoffResetAfter, MinInterval, MaxSilence);
        Between(failures, nameof(PeerLinkOptions.RefusedRetry), options.RefusedRetry, MinInterval, MaxRefusedRetry);
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    private static void Between(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{Section}:{key} must be between {min} and {max}; was {value}.");
        }
    }
}
