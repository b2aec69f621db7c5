using Grpc.Core;
using Node.Protocol.Api;

namespace Node.Cli.Tests.Fakes;

/// <summary>DashboardService: a fixed login link and metrics token, and how many of each were asked for.</summary>
public sealed class FakeDashboardService : DashboardService.DashboardServiceBase
{
    public const string Url = "http://127.0.0.1:8101/login?token=q7Vb0cN2xKmL5pRt8yWz3aEd6fGh9jS1uIo4pQr_AbC";
    public const string Token = "Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1Gg0Ff9Dd8Ss7Aa6Qq5W";

    public Recorder<CreateDashboardLoginRequest> Logins { get; } = new();

    public Recorder<GetMetricsTokenRequest> Tokens { get; } = new();

    public override Task<DashboardLogin> CreateLogin(CreateDashboardLoginRequest request, ServerCallContext context)
    {
        Logins.Add(request);
        return Task.FromResult(new DashboardLogin { Url = Url, ExpiresAt = FakeKnowledgeService.Epoch + 120_000 });
    }

    public override Task<MetricsToken> GetMetricsToken(GetMetricsTokenRequest request, ServerCallContext context)
    {
        Tokens.Add(request);
        return Task.FromResult(new MetricsToken { Token = Token, Url = "http://127.0.0.1:8101/metrics" });
    }
}
