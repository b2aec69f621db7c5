using System.Collections.Frozen;
using Node.Protocol.Api;

namespace Node.Daemon.Api.Access;

/// <summary>
/// The scope every gRPC method needs (read &lt; write &lt; admin), as the comments in
/// <c>api.proto</c> say; the one place access is decided from. A method missing here needs
/// admin — a new method is closed until someone says otherwise (a test walks api.proto's
/// descriptor so none is forgotten).
/// </summary>
internal static class ApiScopes
{
    private const string Api = "/sovereign.api.v1.";

    /// <summary>Full method name (<c>/package.Service/Method</c>) to the scope it needs.</summary>
    public static FrozenDictionary<string, ApiScope> Required { get; } = new Dictionary<string, ApiScope>(StringComparer.Ordinal)
    {
        [Api + "NodeService/GetStatus"] = ApiScope.Read,
        [Api + "NodeService/GetIdentity"] = ApiScope.Read,
        [Api + "NodeService/RotateIdentity"] = ApiScope.Admin,

        [Api + "KnowledgeService/Put"] = ApiScope.Write,
        [Api + "KnowledgeService/Get"] = ApiScope.Read,
        [Api + "KnowledgeService/List"] = ApiScope.Read,
        [Api + "KnowledgeService/Watch"] = ApiScope.Read,
        [Api + "KnowledgeService/Retract"] = ApiScope.Write,
        [Api + "KnowledgeService/ListQuarantine"] = ApiScope.Read,
        [Api + "KnowledgeService/Promote"] = ApiScope.Admin,
        [Api + "KnowledgeService/Reject"] = ApiScope.Admin,

        [Api + "PeerService/List"] = ApiScope.Read,
        [Api + "PeerService/Add"] = ApiScope.Write,
        [Api + "PeerService/SetTrust"] = ApiScope.Admin,
        [Api + "PeerService/Forget"] = ApiScope.Admin,
        [Api + "PeerService/Get"] = ApiScope.Read,

        [Api + "FederationService/Discover"] = ApiScope.Read,
        [Api + "FederationService/Diagnose"] = ApiScope.Read,
        [Api + "FederationService/GetSyncStatus"] = ApiScope.Read,
        [Api + "FederationService/Sync"] = ApiScope.Write,
        [Api + "FederationService/SetAutoSync"] = ApiScope.Admin,

        [Api + "DecisionService/List"] = ApiScope.Read,
        [Api + "DecisionService/Approve"] = ApiScope.Admin,
        [Api + "DecisionService/Reject"] = ApiScope.Admin,
        [Api + "DecisionService/StopAutomatic"] = ApiScope.Admin,
        [Api + "DecisionService/ResumeAutomatic"] = ApiScope.Admin,
        [Api + "DecisionService/GetAutomatic"] = ApiScope.Read,

        [Api + "LogService/Verify"] = ApiScope.Read,
        [Api + "LogService/Tail"] = ApiScope.Read,

        [Api + "BackupService/Create"] = ApiScope.Admin,
        [Api + "BackupService/GetStatus"] = ApiScope.Read,

        [Api + "StoreService/Scrub"] = ApiScope.Admin,

        [Api + "ApiKeyService/Create"] = ApiScope.Admin,
        [Api + "ApiKeyService/List"] = ApiScope.Admin,
        [Api + "ApiKeyService/Revoke"] = ApiScope.Admin,

        [Api + "DashboardService/CreateLogin"] = ApiScope.Admin,
        [Api + "DashboardService/GetMetricsToken"] = ApiScope.Admin,

        [Api + "ReasoningService/Observe"] = ApiScope.Write,
        [Api + "ReasoningService/GetStatus"] = ApiScope.Read,
        [Api + "ReasoningService/Audit"] = ApiScope.Read,

        ["/grpc.health.v1.Health/Check"] = ApiScope.Read,
        ["/grpc.health.v1.Health/Watch"] = ApiScope.Read,
        ["/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"] = ApiScope.Read,
        ["/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"] = ApiScope.Read,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The scope <paramref name="method"/> needs: its entry, else admin.</summary>
    public static ApiScope For(string method) => Required.GetValueOrDefault(method, ApiScope.Admin);

    /// <summary>Whether a key of <paramref name="held"/> may make a call that needs <paramref name="needed"/>.</summary>
    public static bool Allows(ApiScope held, ApiScope needed) => IsScope(held) && held >= needed;

    /// <summary>Whether <paramref name="scope"/> is read, write or admin (not unspecified, not a number from a newer client).</summary>
    public static bool IsScope(ApiScope scope) => scope is ApiScope.Read or ApiScope.Write or ApiScope.Admin;

    /// <summary>The scope as stored and shown: <c>read</c>, <c>write</c> or <c>admin</c>.</summary>
    public static string Name(ApiScope scope) => scope switch
    {
        ApiScope.Read => "read",
        ApiScope.Write => "write",
        ApiScope.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not a scope a key can have."),
    };

    /// <summary>Reads a stored scope name.</summary>
    public static bool TryParse(string? name, out ApiScope scope)
    {
        scope = name switch
        {
            "read" => ApiScope.Read,
            "write" => ApiScope.Write,
            "admin" => ApiScope.Admin,
            _ => ApiScope.Unspecified,
        };
        return scope != ApiScope.Unspecified;
    }
}
