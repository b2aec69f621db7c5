using Node.Storage.Packets;

namespace Node.Federation.Packets;

/// <summary>What a scrub found.</summary>
/// <param name="From">The receive sequence it started after: 0 for a whole scrub, more when it went on with one a stop interrupted.</param>
/// <param name="Checked">Packets it verified.</param>
/// <param name="Unverified">Packets whose signature it could not check (author key not known here); not corrupt.</param>
/// <param name="Marked">Packets it found bad and marked corrupt.</param>
/// <param name="Corrupt">Packets marked corrupt in all, after it.</param>
/// <param name="CorruptPackets">The packets marked corrupt, in receive order, at most <see cref="PacketScrub.MaxNamed"/>.</param>
public sealed record ScrubReport(long From, long Checked, long Unverified, long Marked, long Corrupt, IReadOnlyList<CorruptPacket> CorruptPackets);
