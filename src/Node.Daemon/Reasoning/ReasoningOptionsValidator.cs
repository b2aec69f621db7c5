using Microsoft.Extensions.Options;
using Node.Reasoning;

namespace Node.Daemon.Reasoning;

/// <summary>Checks <see cref="ReasoningOptions"/> at start: a bad value stops the node with the key named.</summary>
internal sealed class ReasoningOptionsValidator : IValidateOptions<ReasoningOptions>
{
    public ValidateOptionsResult Validate(string? name, ReasoningOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
