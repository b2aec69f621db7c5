namespace Node.Federation.Discovery.Internal;

/// <summary>Where a responder is in RFC 6762 §8: probing its names, announcing them, or holding them.</summary>
internal enum ResponderState
{
    /// <summary>Not announcing anything (browse only, or stopped).</summary>
    Idle,

    /// <summary>Asking whether the names are free (three probes, 250 ms apart).</summary>
    Probing,

    /// <summary>Announcing the records (twice, one second apart).</summary>
    Announcing,

    /// <summary>Holding the names: answering and defending them.</summary>
    Announced,
}
