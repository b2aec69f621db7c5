using Microsoft.Extensions.Options;
using Node.Federation.Discovery;

namespace Node.Federation.Internal;

internal sealed class DiscoveryOptionsValidator : IValidateOptions<DiscoveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscoveryOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Interfaces.Count; i++)
        {
            if (Problem(options.Interfaces[i]) is { } problem)
            {
                failures.Add($"{DiscoveryOptions.SectionName}:Interfaces:{i} must be an interface name such as eth0 " +
                    $"(1 to {DiscoveryOptions.MaxInterfaceNameLength} characters: letters, digits, '.', '-', '_', '@', ':'); was '{Printable(options.Interfaces[i])}' ({problem}).");
            }
        }

        var duplicates = options.Interfaces.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            failures.Add($"{DiscoveryOptions.SectionName}:Interfaces names {string.Join(", ", duplicates)} more than once.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    // What the kernel accepts (dev_valid_name) narrowed to what people write: no '/', no whitespace, not "." or "..".
    private static string? Problem(string? name) => name switch
    {
        null or "" => "empty",
        { Length: > DiscoveryOptions.MaxInterfaceNameLength } => $"longer than {DiscoveryOptions.MaxInterfaceNameLength} characters",
        "." or ".." => "not a name",
        _ when !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' or ':') => "an unexpected character",
        _ => null,
    };

    private static string Printable(string? text) => Diagnostics.RemoteText.Printable(text, 32);
}
