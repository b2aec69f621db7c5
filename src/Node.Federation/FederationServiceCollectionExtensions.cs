using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Node.Federation.Identity;
using Node.Federation.Internal;

namespace Node.Federation;

/// <summary>Registers the federation layer.</summary>
public static class FederationServiceCollectionExtensions
{
    /// <summary>
    /// Adds the federation settings' validator. The caller binds
    /// <see cref="FederationOptions"/> to <see cref="FederationOptions.SectionName"/>.
    /// </summary>
    public static IServiceCollection AddFederation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FederationOptions>, FederationOptionsValidator>());
        return services;
    }

    /// <summary>Adds the node identity, loaded (or created) when the host starts.</summary>
    public static IServiceCollection AddNodeIdentity(this IServiceCollection services, Func<IServiceProvider, IdentityHostSettings> settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton<IdentityHostSettings>(settings);
        services.AddSingleton<IdentityHost>();
        services.AddHostedService(sp => sp.GetRequiredService<IdentityHost>());
        return services;
    }
}
