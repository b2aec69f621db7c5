using Node.Federation;
using Node.Storage;

namespace Node.Daemon.Configuration;

/// <summary>The options the daemon needs before its host exists (directories, logging, the store).</summary>
/// <param name="Node">Identity and state directory.</param>
/// <param name="Log">Logging.</param>
/// <param name="Federation">Federation.</param>
/// <param name="Api">The local API.</param>
/// <param name="Store">The store, opened before the host.</param>
public sealed record ResolvedSettings(NodeOptions Node, LogOptions Log, FederationOptions Federation, Api.ApiOptions Api, StoreOptions Store);
