namespace Node.Reasoning.Observations;

/// <summary>One sample of the node's own health, as the daemon measures it.</summary>
/// <param name="Time">When it was taken, Unix seconds.</param>
/// <param name="Cpu">CPU in use, a fraction of all cores in [0, 1].</param>
/// <param name="Memory">Memory in use, a fraction of the memory available to the node in [0, 1].</param>
/// <param name="Disk">Disk in use on the state directory's file system, a fraction in [0, 1].</param>
/// <param name="LatencyMs">Store write latency (a commit round trip), milliseconds.</param>
public readonly record struct HealthSample(long Time, double Cpu, double Memory, double Disk, double LatencyMs);
