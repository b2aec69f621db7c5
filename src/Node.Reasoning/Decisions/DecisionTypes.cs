namespace Node.Reasoning.Decisions;

/// <summary>The decision types of <see cref="DecisionPolicy.Default"/>.</summary>
public static class DecisionTypes
{
    /// <summary>Roll back a deployment or configuration change.</summary>
    public const string Rollback = "rollback";

    /// <summary>Deploy a new version or configuration.</summary>
    public const string Deployment = "deployment";

    /// <summary>Scale a loop or a pool up or down.</summary>
    public const string Scaling = "scaling";

    /// <summary>Kenny asks to heal the node: compact or vacuum the store, restart a loop.</summary>
    public const string SelfHeal = "self_heal";

    /// <summary>Share a market conclusion with peers as an insight packet.</summary>
    public const string Publish = "publish";

    /// <summary>Promote a quarantined packet.</summary>
    public const string Promotion = "promotion";

    /// <summary>Tell the guardian; never approved automatically.</summary>
    public const string Alert = "alert";
}
