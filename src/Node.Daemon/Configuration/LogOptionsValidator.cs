using Microsoft.Extensions.Options;

namespace Node.Daemon.Configuration;

internal sealed class LogOptionsValidator : IValidateOptions<LogOptions>
{
    public ValidateOptionsResult Validate(string? name, LogOptions options)
    {
        var failures = new List<string>();
        if (!LogOptions.Levels.Contains(options.Level, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"Logging:Level must be one of {string.Join(", ", LogOptions.Levels)}; was '{options.Level}'.");
        }

        if (options.RetainedFileCount is < 1 or > 3650)
        {
            failures.Add($"Logging:RetainedFileCount must be from 1 to 3650; was {options.RetainedFileCount}.");
        }

        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add("Logging:Directory must name a directory; was empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
