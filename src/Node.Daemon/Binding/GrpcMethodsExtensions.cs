using System.Diagnostics.CodeAnalysis;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Node.Daemon.Binding;

/// <summary>Registers and maps gRPC services whose methods are bound by a <see cref="GrpcMethods{TService}"/> table.</summary>
public static class GrpcMethodsExtensions
{
    // grpc-dotnet's own (internal) annotation of a service type.
    internal const DynamicallyAccessedMemberTypes ServiceAccessibility =
        DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods;

    /// <summary>
    /// Makes <paramref name="methods"/> the way <typeparamref name="TService"/>'s methods are found,
    /// and takes grpc-dotnet's reflection-based provider out for every service (call it after
    /// <c>AddGrpc</c>): from then on a service is mapped with its table, through
    /// <see cref="MapGrpcMethods"/>, or not at all.
    /// </summary>
    public static IServiceCollection AddGrpcMethods<[DynamicallyAccessedMembers(ServiceAccessibility)] TService>(this IServiceCollection services, GrpcMethods<TService> methods)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(methods);
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        services.AddSingleton<IServiceMethodProvider<TService>>(methods);
        return services;
    }

    /// <summary>Maps <typeparamref name="TService"/>'s methods, as its <see cref="GrpcMethods{TService}"/> table binds them.</summary>
    /// <exception cref="InvalidOperationException">
    /// <typeparamref name="TService"/> has no table, or another provider of methods (grpc-dotnet's
    /// own, put back by a later <c>AddGrpc</c>) would bind its methods a second time.
    /// </exception>
    public static GrpcServiceEndpointConventionBuilder MapGrpcMethods<[DynamicallyAccessedMembers(ServiceAccessibility)] TService>(this IEndpointRouteBuilder endpoints)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var providers = endpoints.ServiceProvider.GetServices<IServiceMethodProvider<TService>>().ToList();
        if (providers is not [GrpcMethods<TService>])
        {
            throw new InvalidOperationException(providers.Count == 0 || !providers.OfType<GrpcMethods<TService>>().Any()
                ? $"{typeof(TService).Name} has no method table: register one with AddGrpcMethods."
                : $"{typeof(TService).Name}'s methods would be bound twice: AddGrpc was called after AddGrpcMethods, and put grpc-dotnet's reflection-based provider back.");
        }

        return endpoints.MapGrpcService<TService>();
    }
}
