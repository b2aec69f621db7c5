namespace Node.Reasoning.Findings;

/// <summary>The node resource a Kenny finding is about.</summary>
public enum Resource : byte
{
    /// <summary>Not about a resource (market findings).</summary>
    None,

    /// <summary>CPU.</summary>
    Cpu,

    /// <summary>Memory.</summary>
    Memory,

    /// <summary>Disk space.</summary>
    Disk,

    /// <summary>Store latency.</summary>
    Latency,
}
