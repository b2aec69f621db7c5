using System.Globalization;
using Microsoft.Extensions.Options;

namespace Node.Daemon.Api.Access;

internal sealed class ApiTcpOptionsValidator : IValidateOptions<ApiTcpOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiTcpOptions options) =>
        options.Port is < 0 or > 65535
            ? ValidateOptionsResult.Fail(string.Create(CultureInfo.InvariantCulture,
                $"Api:Tcp:Port must be a port from 0 to 65535 (0 picks a free port); was {options.Port}."))
            : ValidateOptionsResult.Success;
}
