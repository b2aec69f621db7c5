using Microsoft.Extensions.Options;

namespace Node.Storage.Internal;

internal sealed class StoreOptionsValidator : IValidateOptions<StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBatchSize is < 1 or > 100_000)
        {
            failures.Add($"Storage:MaxBatchSize must be from 1 to 100000; was {options.MaxBatchSize}.");
        }

        if (options.VerifyTailAtStart is < 0 or > 10_000_000)
        {
            failures.Add($"Storage:VerifyTailAtStart must be from 0 to 10000000 entries; was {options.VerifyTailAtStart}.");
        }

        if (options.MaintenanceInterval < TimeSpan.FromMinutes(1) || options.MaintenanceInterval > TimeSpan.FromDays(7))
        {
            failures.Add($"Storage:MaintenanceInterval must be between 00:01:00 and 7.00:00:00; was {options.MaintenanceInterval}.");
        }

        if (options.ScrubInterval != TimeSpan.Zero && (options.ScrubInterval < TimeSpan.FromMinutes(1) || options.ScrubInterval > TimeSpan.FromDays(365)))
        {
            failures.Add($"Storage:ScrubInterval must be 00:00:00 (off) or between 00:01:00 and 365.00:00:00; was {options.ScrubInterval}.");
        }

        if (options.ScrubBatchSize is < 1 or > 100_000)
        {
            failures.Add($"Storage:ScrubBatchSize must be from 1 to 100000; was {options.ScrubBatchSize}.");
        }

        if (options.ReclaimAbovePages is < 0 or > 1_000_000_000)
        {
            failures.Add($"Storage:ReclaimAbovePages must be from 0 to 1000000000; was {options.ReclaimAbovePages}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
