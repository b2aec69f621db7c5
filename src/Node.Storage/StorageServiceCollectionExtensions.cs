using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Node.Storage.Internal;

namespace Node.Storage;

/// <summary>Registers the store.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds the store: <see cref="StoreOptions"/>' validator, the <see cref="StoreHost"/> hosted
    /// service that opens it at start (services reach the store through
    /// <see cref="StoreHost.Store"/>: the container must never own, and so never dispose, it), and maintenance. The caller binds <see cref="StoreOptions"/> to <see cref="StoreOptions.SectionName"/>.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, Func<IServiceProvider, StoreHostSettings> settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddStorageOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StoreHostSettings>(settings);
        services.AddSingleton<StoreHost>();
        services.AddHostedService(sp => sp.GetRequiredService<StoreHost>());
        services.AddHostedService<StoreMaintenanceWorker>();
        return services;
    }

    /// <summary>Adds only <see cref="StoreOptions"/>' validator (to check a configuration without a store).</summary>
    public static IServiceCollection AddStorageOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>());
        return services;
    }
}
