using Microsoft.Extensions.Options;

namespace Node.Federation.Internal;

internal sealed class FederationOptionsValidator : IValidateOptions<FederationOptions>
{
    public ValidateOptionsResult Validate(string? name, FederationOptions options) =>
        options.PeerPort is < 0 or > 65535
            ? ValidateOptionsResult.Fail($"Federation:PeerPort must be a port from 0 to 65535 (0 picks a free port); was {options.PeerPort}.")
            : ValidateOptionsResult.Success;
}
