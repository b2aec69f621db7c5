using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Node.Daemon.Api;
using Node.Daemon.Api.Access;
using Node.Daemon.Dashboard;
using Node.Daemon.Reasoning;
using Node.Federation;
using Node.Federation.Discovery;
using Node.Federation.Link;
using Node.Federation.Sync;
using Node.Reasoning;
using Node.Reasoning.Reasoners;
using Node.Storage;

namespace Node.Daemon.Configuration;

/// <summary>Binds every options section of the node, the same way for the host and for checking a configuration.</summary>
public static class NodeOptionsRegistration
{
    /// <summary>
    /// Binds <see cref="NodeOptions"/>, <see cref="LogOptions"/>, <see cref="StoreOptions"/> and <see cref="FederationOptions"/> to
    /// <paramref name="configuration"/> with their validators, resolving relative paths against
    /// the launch's working directory, and registers the <see cref="ConfigurationSchema"/>.
    /// </summary>
    public static IServiceCollection AddNodeOptions(this IServiceCollection services, IConfiguration configuration, DaemonLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(launch);

        // Defaults under the data directory follow Node:DataDirectory, read raw so a bad Node
        // section is reported once, under Node.
        string DataDirectory() => FullPath(configuration["Node:DataDirectory"] ?? "", launch.WorkingDirectory);

        services.AddOptions<NodeOptions>()
            .Bind(configuration.GetSection(NodeOptions.SectionName))
            .PostConfigure(o => o.DataDirectory = FullPath(o.DataDirectory, launch.WorkingDirectory))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>();

        services.AddOptions<LogOptions>()
            .Bind(configuration.GetSection(LogOptions.SectionName))
            .PostConfigure(o => o.Directory = string.IsNullOrWhiteSpace(o.Directory)
                ? Path.Combine(DataDirectory(), "logs")
                : FullPath(o.Directory, launch.WorkingDirectory))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<LogOptions>, LogOptionsValidator>();

        services.AddOptions<ApiOptions>()
            .Bind(configuration.GetSection(ApiOptions.SectionName))
            .PostConfigure(o => o.Socket = string.IsNullOrWhiteSpace(o.Socket)
                ? launch.Systemd.RuntimeDirectory is { } runtime
                    ? Path.Combine(runtime, "api.sock")
                    : Path.Combine(DataDirectory(), "api.sock")
                : FullPath(o.Socket, launch.WorkingDirectory));
        services.AddApiAccessOptions(configuration);

        services.AddOptions<DashboardOptions>()
            .Bind(configuration.GetSection(DashboardOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();

        services.AddOptions<StoreOptions>()
            .Bind(configuration.GetSection(StoreOptions.SectionName))
            .ValidateOnStart();

        services.AddOptions<ReasoningOptions>()
            .Bind(configuration.GetSection(ReasoningOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReasoningOptions>, ReasoningOptionsValidator>();
        services.AddOptions<MemoryOptions>()
            .Bind(configuration.GetSection(MemoryOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MemoryOptions>, MemoryOptionsValidator>();

        services.AddOptions<FederationOptions>()
            .Bind(configuration.GetSection(FederationOptions.SectionName))
            .ValidateOnStart();
        services.AddOptions<DiscoveryOptions>()
            .Bind(configuration.GetSection(DiscoveryOptions.SectionName))
            .ValidateOnStart();
        services.AddOptions<PeerLinkOptions>()
            .Bind(configuration.GetSection(PeerLinkOptions.SectionName))
            .ValidateOnStart();
        services.AddOptions<SyncOptions>()
            .Bind(configuration.GetSection(SyncOptions.SectionName))
            .ValidateOnStart();
        services.AddFederation();
        services.AddStorageOptions();

        services.AddSingleton(new ConfigurationSchema()
            .Add<NodeOptions>(NodeOptions.SectionName)
            .Add<LogOptions>(LogOptions.SectionName)
            .Add<ApiOptions>(ApiOptions.SectionName)
            .Add<ApiTcpOptions>(ApiTcpOptions.SectionName)
            .Add<ApiRateLimitOptions>(ApiRateLimitOptions.SectionName)
            .Add<DashboardOptions>(DashboardOptions.SectionName)
            .Add<StoreOptions>(StoreOptions.SectionName)
            .Add<FederationOptions>(FederationOptions.SectionName)
            .Add<DiscoveryOptions>(DiscoveryOptions.SectionName)
            .Add<PeerLinkOptions>(PeerLinkOptions.SectionName)
            .Add<SyncOptions>(SyncOptions.SectionName)
            .Add<ReasoningOptions>(ReasoningOptions.SectionName)
            .Add<KyleOptions>(ReasoningOptions.SectionName + ":Kyle")
            .Add<KennyOptions>(KennyOptions.SectionName)
            .Add<PressureLevels>(KennyOptions.SectionName + ":Memory")
            .Add<PressureLevels>(KennyOptions.SectionName + ":Disk")
            .Add<PressureLevels>(KennyOptions.SectionName + ":Cpu")
            .Add<PressureLevels>(KennyOptions.SectionName + ":LatencyMs")
            .Add<MemoryOptions>(MemoryOptions.SectionName));
        return services;
    }

    /// <summary>
    /// Checks a configuration the way the host will use it, without starting anything.
    /// </summary>
    /// <returns>One message per problem; empty when the configuration is valid.</returns>
    public static IReadOnlyList<string> Check(IConfigurationRoot configuration, DaemonLaunch launch) => Check(configuration, launch, out _);

    /// <summary>Checks a configuration and, when it is valid, gives its bound options, binding it once.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="launch">The launch it belongs to.</param>
    /// <param name="settings">The bound options, when there is no problem.</param>
    /// <returns>One message per problem; empty when the configuration is valid.</returns>
    public static IReadOnlyList<string> Check(IConfigurationRoot configuration, DaemonLaunch launch, out ResolvedSettings? settings)
    {
        var services = new ServiceCollection().AddNodeOptions(configuration, launch);
        using var provider = services.BuildServiceProvider();
        var problems = provider.GetRequiredService<ConfigurationSchema>().Check(configuration, provider);
        settings = problems.Count > 0 ? null : new ResolvedSettings(
            provider.GetRequiredService<IOptions<NodeOptions>>().Value,
            provider.GetRequiredService<IOptions<LogOptions>>().Value,
            provider.GetRequiredService<IOptions<FederationOptions>>().Value,
            provider.GetRequiredService<IOptions<ApiOptions>>().Value,
            provider.GetRequiredService<IOptions<StoreOptions>>().Value);
        return problems;
    }

    /// <summary>The bound options of a configuration that passed <see cref="Check(IConfigurationRoot, DaemonLaunch)"/>.</summary>
    public static ResolvedSettings Resolve(IConfigurationRoot configuration, DaemonLaunch launch) =>
        Check(configuration, launch, out var settings) is { Count: > 0 } problems
            ? throw new InvalidOperationException($"The configuration is not valid: {problems[0]}")
            : settings!;

    private static string FullPath(string path, string workingDirectory) =>
        string.IsNullOrWhiteSpace(path) ? path : Path.GetFullPath(path, workingDirectory);
}
