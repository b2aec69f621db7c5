using Microsoft.Extensions.Options;

namespace Node.Daemon.Configuration;

internal sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        var failures = new List<string>();
        if (options.Name.Length is 0 or > NodeOptions.MaxNameLength || options.Name.Any(char.IsControl) || options.Name.Trim().Length != options.Name.Length)
        {
            failures.Add($"Node:Name must be 1 to {NodeOptions.MaxNameLength} characters, without control characters or surrounding spaces; was '{Printable(options.Name)}'.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Node:DataDirectory must name a directory; was empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Printable(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
