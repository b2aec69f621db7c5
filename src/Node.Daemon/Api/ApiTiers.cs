using TrustTier = Node.Federation.Trust.TrustTier;

namespace Node.Daemon.Api;

/// <summary>A trust tier as the API says it (PeerService, FederationService.GetSyncStatus).</summary>
internal static class ApiTiers
{
    /// <summary>The API's tier for <paramref name="tier"/>; anything this node does not classify is unknown.</summary>
    public static Protocol.Api.TrustTier ToApi(TrustTier tier) => tier switch
    {
        TrustTier.Core => Protocol.Api.TrustTier.Core,
        TrustTier.Sandbox => Protocol.Api.TrustTier.Sandbox,
        TrustTier.External => Protocol.Api.TrustTier.External,
        _ => Protocol.Api.TrustTier.Unknown,
    };
}
