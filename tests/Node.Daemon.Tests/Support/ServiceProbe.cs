using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Node.Daemon.Tests.Support;

/// <summary>Hands a test the in-process node's service provider: pass <see cref="Customize"/> to <see cref="ApiNode.StartAsync"/>.</summary>
public sealed class ServiceProbe
{
    private IServiceProvider? _services;

    /// <summary>The node's services, once it has started.</summary>
    public IServiceProvider Services => _services ?? throw new InvalidOperationException("The node has not started.");

    public void Customize(IHostApplicationBuilder builder) =>
        builder.Services.AddSingleton<IHostedService>(sp =>
        {
            _services = sp;
            return new Nothing();
        });

    private sealed class Nothing : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
