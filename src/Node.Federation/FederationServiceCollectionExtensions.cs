using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Node.Federation.Internal;

namespace Node.Federation;

/// <summary>Registers the federation layer.</summary>
public static class FederationServiceCollectionExtensions
{
    /// <summary>
    /// Adds the federation settings and their validator. The caller binds
    /// <see cref="FederationOptions"/> to <see cref="FederationOptions.SectionName"/>.
    /// </summary>
    public static IServiceCollection AddFederation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FederationOptions>, FederationOptionsValidator>());
        return services;
    }
}
