using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Daemon.Binding;
using Node.Federation.Diagnostics;
using Node.Protocol.Api;
using Serilog.Extensions.Logging;

namespace Node.Daemon.Api.Access;

/// <summary>
/// Access to the local API: API keys (<c>ApiKeyService</c>), the optional TCP listener on
/// 127.0.0.1, and the gate that admits every call by transport, key, rate and scope before its
/// request is read (middleware), with the interceptor that makes sure no service runs without it.
/// </summary>
public static class ApiAccessExtensions
{
    /// <summary>
    /// Binds <see cref="ApiTcpOptions"/> and <see cref="ApiRateLimitOptions"/> to
    /// <paramref name="configuration"/> with their validators (checked at start).
    /// </summary>
    public static IServiceCollection AddApiAccessOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ApiTcpOptions>().Bind(configuration.GetSection(ApiTcpOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiTcpOptions>, ApiTcpOptionsValidator>());
        services.AddOptions<ApiRateLimitOptions>().Bind(configuration.GetSection(ApiRateLimitOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiRateLimitOptions>, ApiRateLimitOptionsValidator>());
        return services;
    }

    /// <summary>
    /// Adds API keys and access control: the key registry (loaded at start, so register this
    /// after the store), the rate limiter, the refusal counts and log, the gate, the TCP listener,
    /// the interceptor on every gRPC service, and <c>ApiKeyService</c>'s method table (after <c>AddGrpc</c>).
    /// </summary>
    public static IServiceCollection AddApiAccess(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyRegistry>());
        services.AddSingleton<ApiKeyRateLimiter>();
        services.AddSingleton(sp => new RefusalLog(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<ApiAccessGate>(), "TCP API calls"));
        services.AddSingleton<ApiRefusals>();
        services.AddSingleton<ApiAccessGate>();
        services.AddSingleton<ApiAccessInterceptor>();
        services.Configure<GrpcServiceOptions>(grpc => grpc.Interceptors.Add<ApiAccessInterceptor>());
        services.AddGrpcMethods(new GrpcMethods<ApiKeyApi>(ApiKeyService.Descriptor)
        {
            { nameof(ApiKeyApi.Create), (ApiKeyApi s, CreateApiKeyRequest r, ServerCallContext c) => s.Create(r, c) },
            { nameof(ApiKeyApi.List), (ApiKeyApi s, ListApiKeysRequest r, ServerCallContext c) => s.List(r, c) },
            { nameof(ApiKeyApi.Revoke), (ApiKeyApi s, RevokeApiKeyRequest r, ServerCallContext c) => s.Revoke(r, c) },
        });
        services.AddSingleton<ApiTcpListener>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiTcpListener>());
        // gRPC logs every call that ends in an error status at Information ("Error status code
        // 'Unauthenticated' with detail … raised."): a line per refused call, which the gate's
        // throttled lines replace. Its errors are each a stack trace for a request that did not
        // decode (a client's bad input, a line a call), or else a failure outside any service:
        // UndecodableRequests logs both itself, the first at Debug and the rest as errors. Its
        // warnings still show. (For the Serilog provider by name: its own rule for every category
        // would win over a general one.)
        services.Configure<LoggerFilterOptions>(filters =>
            filters.AddFilter<SerilogLoggerProvider>("Grpc.AspNetCore.Server.ServerCallHandler", level => level == LogLevel.Warning));
        return services;
    }

    /// <summary>
    /// Prepares Kestrel for API access: every listener configured after this call has its
    /// connections marked with their transport (so call this before <c>ListenUnixSocket</c>: an
    /// unmarked socket connection is refused like a TCP one without a key), and the TCP listener on
    /// 127.0.0.1 is added when <c>Api:Tcp:Enabled</c> is true.
    /// </summary>
    public static KestrelServerOptions UseApiAccess(this KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.ApplicationServices.GetRequiredService<ApiTcpListener>().AddTo(kestrel);
        return kestrel;
    }

    /// <summary>
    /// Puts every request to the access check before its endpoint reads it (see
    /// <see cref="ApiAccessMiddleware"/>): call this before the endpoints run, first of the middleware.
    /// </summary>
    public static IApplicationBuilder UseApiAccess(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(ApiAccessMiddleware.Create(app.ApplicationServices.GetRequiredService<ApiAccessGate>()));
    }

    /// <summary>Maps <c>sovereign.api.v1.ApiKeyService</c>.</summary>
    public static IEndpointRouteBuilder MapApiAccess(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGrpcMethods<ApiKeyApi>();
        return endpoints;
    }
}
