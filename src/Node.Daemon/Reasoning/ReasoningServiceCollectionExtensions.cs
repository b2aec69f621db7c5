using Microsoft.Extensions.DependencyInjection;

namespace Node.Daemon.Reasoning;

/// <summary>Registers the reasoning pipeline's host, its decision recorder, health sampler, the durable guardian stop, conclusion memory and its compaction, the self-audit, and governance of the quarantine.</summary>
internal static class ReasoningServiceCollectionExtensions
{
    public static IServiceCollection AddReasoning(this IServiceCollection services)
    {
        services.AddSingleton<HealthSampler>();
        services.AddSingleton<DecisionRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionRecorder>());
        services.AddSingleton<ReasoningHost>();
        // Before the reasoning loop: the guardian stop is restored before any decision is judged.
        services.AddSingleton<GuardianStops>();
        services.AddHostedService(sp => sp.GetRequiredService<GuardianStops>());
        services.AddHostedService(sp => sp.GetRequiredService<ReasoningHost>());
        services.AddSingleton<ConclusionLog>();
        services.AddHostedService(sp => sp.GetRequiredService<ConclusionLog>());
        services.AddHostedService<MemoryCompactionWorker>();
        services.AddSingleton<SelfAuditRunner>();
        services.AddSingleton<PromotionGovernor>();
        services.AddHostedService(sp => sp.GetRequiredService<PromotionGovernor>());
        return services;
    }
}
