using Node.Protocol.Api;
using Node.Protocol.Packets;

namespace Node.Cli;

/// <summary>The words for the API's enums, on the command line and in text and JSON output.</summary>
internal static class CliNames
{
    /// <summary>Every packet kind (filters, output).</summary>
    public static Choices<PacketKind> Kinds { get; } = new(
        ("note", PacketKind.Note), ("observation", PacketKind.Observation), ("insight", PacketKind.Insight),
        ("summary", PacketKind.Summary), ("decision", PacketKind.Decision), ("retraction", PacketKind.Retraction),
        ("manifest", PacketKind.Manifest));

    /// <summary>The kinds a put may have (manifests are made by the node itself).</summary>
    public static Choices<PacketKind> PutKinds { get; } = new(
        ("note", PacketKind.Note), ("observation", PacketKind.Observation), ("insight", PacketKind.Insight),
        ("summary", PacketKind.Summary), ("decision", PacketKind.Decision), ("retraction", PacketKind.Retraction));

    /// <summary>Share scopes.</summary>
    public static Choices<ShareScope> Scopes { get; } = new(
        ("local", ShareScope.Local), ("core", ShareScope.Core), ("shareable", ShareScope.Shareable));

    /// <summary>Trust tiers, highest first.</summary>
    public static Choices<TrustTier> Tiers { get; } = new(
        ("core", TrustTier.Core), ("sandbox", TrustTier.Sandbox), ("external", TrustTier.External), ("unknown", TrustTier.Unknown));

    /// <summary>Decision statuses.</summary>
    public static Choices<DecisionStatus> DecisionStatuses { get; } = new(
        ("pending", DecisionStatus.Pending), ("approved", DecisionStatus.Approved), ("rejected", DecisionStatus.Rejected),
        ("auto-approved", DecisionStatus.AutoApproved));

    /// <summary>API key scopes, narrowest first.</summary>
    public static Choices<ApiScope> ApiScopes { get; } = new(
        ("read", ApiScope.Read), ("write", ApiScope.Write), ("admin", ApiScope.Admin));
}
