using System.Globalization;

namespace Node.Reasoning.Audit;

public static partial class SelfAudit
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF; // rwxrwxrwx, octal 0777

    private static readonly Rule KeyModeRule =
        new("federation.key_file_mode", AuditCategory.FederationReadiness, "The identity key file is mode 0600");
    private static readonly Rule TiersRule =
        new("federation.peer_tiers", AuditCategory.FederationReadiness, "Every active peer has a trust tier");
    private static readonly Rule ManifestRule =
        new("federation.manifest", AuditCategory.FederationReadiness, "Our signed manifest is valid and not about to expire");
    private static readonly Rule QuarantineRule =
        new("federation.quarantine", AuditCategory.FederationReadiness, "Quarantine is within bound");
    private static readonly Rule ClockRule =
        new("federation.clock", AuditCategory.FederationReadiness, "The hybrid logical clock agrees with the wall clock");

    private static string Octal(UnixFileMode mode) =>
        Convert.ToString((int)(mode & PermissionBits), 8).PadLeft(4, '0');

    private static AuditCheckResult KeyFileMode(AuditSnapshot s, AuditBounds b) =>
        (s.IdentityKeyFileMode & PermissionBits) == OwnerReadWrite
            ? KeyModeRule.Pass("The identity key file is mode 0600.")
            : KeyModeRule.Fail($"The identity key file is mode {Octal(s.IdentityKeyFileMode)}, not 0600.",
                "Run `chmod 600` on the identity key in the state directory (/var/lib/sovereign-node/) and find out who changed it; consider the key exposed if others could read it.");

    private static AuditCheckResult PeerTiers(AuditSnapshot s, AuditBounds b)
    {
        var bad = s.ActivePeers
            .Where(p => string.IsNullOrWhiteSpace(p.Tier) || string.Equals(p.Tier, "unknown", StringComparison.OrdinalIgnoreCase))
            .Select(p => p.NodeId).ToArray();
        return bad.Length == 0
            ? TiersRule.Pass(Invariant($"All {s.ActivePeers.Count} active peers have a trust tier."))
            : TiersRule.Fail(Invariant($"{bad.Length} active peers are still unknown: {Name(bad)}."),
                "Classify them: `nodectl peers trust <node-id> core|sandbox|external`.");
    }

    private static AuditCheckResult Manifest(AuditSnapshot s, AuditBounds b)
    {
        if (!s.ManifestIssued)
        {
            return ManifestRule.NotApplicable("This node issues no peer manifest yet; it comes with the peer listener.");
        }

        if (!s.ManifestSignatureValid)
        {
            return ManifestRule.Fail("Our peer manifest's signature does not verify.",
                "Restart the daemon to re-issue the manifest from the identity key; if it still fails, the identity key or manifest file is damaged — restore them from backup.");
        }
        var remaining = s.ManifestExpiresAt - s.Now;
        return remaining >= b.ManifestMinRemaining
            ? ManifestRule.Pass(Invariant($"The manifest verifies and expires in {Ago(remaining)}."))
            : ManifestRule.Fail(remaining <= TimeSpan.Zero
                    ? Invariant($"Our peer manifest expired at {s.ManifestExpiresAt:O}.")
                    : Invariant($"Our peer manifest expires at {s.ManifestExpiresAt:O}, in {Ago(remaining)} (less than {Ago(b.ManifestMinRemaining)})."),
                "Re-issue the manifest (restart the daemon) before peers stop accepting it.");
    }

    private static AuditCheckResult Quarantine(AuditSnapshot s, AuditBounds b)
    {
        var finding = Invariant($"{s.QuarantineCount} packets in quarantine (bound {b.MaxQuarantine}).");
        return s.QuarantineCount <= b.MaxQuarantine
            ? QuarantineRule.Pass(finding)
            : QuarantineRule.Fail(finding,
                "Have a guardian review quarantine (promote or drop packets), and check which sandbox peer floods it; demote it if needed.");
    }

    private static AuditCheckResult Clock(AuditSnapshot s, AuditBounds b)
    {
        var skew = s.HlcPhysicalTime - s.Now;
        var finding = Invariant($"HLC physical time {s.HlcPhysicalTime:O} vs wall clock {s.Now:O}: skew {skew.TotalSeconds.ToString("+0.###;-0.###;0", CultureInfo.InvariantCulture)} s (bound {Ago(b.MaxClockSkew)}).");
        return skew.Duration() <= b.MaxClockSkew
            ? ClockRule.Pass(finding)
            : ClockRule.Fail(finding,
                "Set the wall clock right (an RTC without battery, or no time source on the LAN); an HLC far ahead means a peer's clock pushed it — find and fix that peer.");
    }
}
