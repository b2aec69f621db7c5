using Microsoft.Extensions.DependencyInjection;
using Node.Reasoning.Memory;

namespace Node.Daemon.Reasoning;

/// <summary>Registers the reasoning pipeline's host, its decision recorder, health sampler and the durable guardian stop.</summary>
internal static class ReasoningServiceCollectionExtensions
{
    public static IServiceCollection AddReasoning(this IServiceCollection services)
    {
        services.AddSingleton<IReasoningMemory>(_ => new InMemoryReasoningMemory());
        services.AddSingleton<HealthSampler>();
        services.AddSingleton<DecisionRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionRecorder>());
        services.AddSingleton<ReasoningHost>();
        // Before the reasoning loop: the guardian stop is restored before any decision is judged.
        services.AddSingleton<GuardianStops>();
        services.AddHostedService(sp => sp.GetRequiredService<GuardianStops>());
        services.AddHostedService(sp => sp.GetRequiredService<ReasoningHost>());
        return services;
    }
}
