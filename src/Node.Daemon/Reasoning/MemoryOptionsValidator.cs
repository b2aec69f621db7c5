using Microsoft.Extensions.Options;

namespace Node.Daemon.Reasoning;

/// <summary>Checks <see cref="MemoryOptions"/> at start: a bad value stops the node with the key, the value and the range named.</summary>
internal sealed class MemoryOptionsValidator : IValidateOptions<MemoryOptions>
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(1), MaxInterval = TimeSpan.FromDays(7);
    private static readonly TimeSpan MinRetention = TimeSpan.FromDays(1), MaxRetention = TimeSpan.FromDays(3650);

    public ValidateOptionsResult Validate(string? name, MemoryOptions options) =>
        options.CompactionInterval < MinInterval || options.CompactionInterval > MaxInterval
            ? ValidateOptionsResult.Fail(
                $"{MemoryOptions.SectionName}:CompactionInterval must be between 00:01:00 and 7.00:00:00; was {options.CompactionInterval}.")
            : options.Retention < MinRetention || options.Retention > MaxRetention
                ? ValidateOptionsResult.Fail(
                    $"{MemoryOptions.SectionName}:Retention must be between 1.00:00:00 and 3650.00:00:00; was {options.Retention}.")
                : ValidateOptionsResult.Success;
}
