using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Node.Storage.Internal;

namespace Node.Storage;

/// <summary>Registers the store.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds the open <paramref name="store"/> (opened before the host is built; the container does
    /// not own it, whoever opened it disposes it after the host), <see cref="StoreOptions"/>'
    /// validator, the <see cref="StoreFaultWatcher"/> and maintenance. The caller binds
    /// <see cref="StoreOptions"/> to <see cref="StoreOptions.SectionName"/>.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, NodeStore store)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(store);
        services.AddStorageOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(store);
        services.AddHostedService<StoreFaultWatcher>();
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
