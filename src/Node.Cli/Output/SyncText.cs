using System.Globalization;
using System.Text;
using Node.Protocol.Api;

namespace Node.Cli.Output;

/// <summary>How knowledge sync reads in text: the status table, a round's progress and its end.</summary>
internal static class SyncText
{
    /// <summary>Characters in a progress bar.</summary>
    public const int BarWidth = 20;

    /// <summary>The text of <c>federation status</c>: auto-sync, this node's position, and a row per peer.</summary>
    public static string Status(SyncStatus status)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("auto-sync:       ").AppendLine(AutoSync(status.AutoSync));
        text.Append("this node:       ").AppendLine(string.Create(c, $"epoch {Display.OneLine(status.Epoch)}, last seq {status.LastSeq}"));
        text.Append("core view:       ").AppendLine(View(status.CoreView));
        text.Append("shareable view:  ").AppendLine(View(status.ShareableView));
        text.AppendLine();
        var table = new TextTable("NODE ID", "TIER", "LINK", "PHASE", "VIEW", "LAST ROUND", "RECEIVED", "SENT", "REFUSED", "RATE", "TO RECEIVE", "TO SEND",
            "RESULT");
        foreach (var peer in status.Peers)
        {
            table.Add(peer.NodeId, CliNames.Tiers.NameOf(peer.Tier), peer.Link.Length > 0 ? peer.Link : "never", Phase(peer.Phase),
                peer.View.Length > 0 ? peer.View : "-",
                peer.LastRoundEndedAt > 0 ? $"{(peer.LastRoundKind.Length > 0 ? peer.LastRoundKind : "round")} {Display.Time(peer.LastRoundEndedAt)}" : "-",
                string.Create(c, $"{peer.PacketsReceived} ({Display.Bytes(peer.BytesReceived)})"),
                string.Create(c, $"{peer.PacketsSent} ({Display.Bytes(peer.BytesSent)})"),
                peer.Refused.ToString(c), Rate(peer.ReceiveRate),
                Count(peer.HasToReceive, peer.ToReceive), Count(peer.HasToSend, peer.ToSend),
                peer.LastRoundResult.Length > 0 ? peer.LastRoundResult : "-");
        }

        text.Append(table.Render("no peer synced with since the node started (core and sandbox peers sync once linked)"));
        return text.ToString();
    }

    /// <summary>A view's digest and size: core peers in sync show the same core view.</summary>
    public static string View(ViewSummary? view) =>
        view is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Display.OneLine(view.Digest)} ({view.Packets} packets)");

    /// <summary>Whether rounds run on their own, in words.</summary>
    public static string AutoSync(bool on) => on ? "on" : "off (rounds run only when asked: nodectl federation sync)";

    /// <summary>The API's phase as words: <c>catching_up</c> reads "catching up".</summary>
    public static string Phase(string phase) => phase.Length == 0 ? "idle" : phase.Replace('_', ' ');

    /// <summary>Packets per second, or "-" when unknown (0).</summary>
    public static string Rate(double perSecond) =>
        perSecond > 0 ? string.Create(CultureInfo.InvariantCulture, $"{perSecond:0.#}/s") : "-";

    /// <summary>A count that may be unknown: "unknown" is never shown as 0.</summary>
    public static string Count(bool known, long count) => known ? count.ToString(CultureInfo.InvariantCulture) : "unknown";

    /// <summary>
    /// One peer's round under way, for the progress line: a bar when what is left is known (after a
    /// reconciliation), else only what was received; never a share across peers.
    /// </summary>
    /// <param name="nodeId">The peer.</param>
    /// <param name="peer">Its state now; null when the node has not started a round with it yet.</param>
    /// <param name="started">Whether the round asked for has started.</param>
    /// <param name="received">Packets received from it since the round was asked for.</param>
    public static string Progress(string nodeId, PeerSync? peer, bool started, long received)
    {
        var c = CultureInfo.InvariantCulture;
        var who = Display.Prefix(nodeId, 7);
        if (peer is null || !started)
        {
            return $"{who} waiting for its round";
        }

        if (peer.HasToReceive && peer.Phase != "idle")
        {
            var total = received + peer.ToReceive;
            var filled = total == 0 ? BarWidth : (int)(BarWidth * received / total);
            return string.Create(c, $"{who} {Phase(peer.Phase)} [{new string('#', filled)}{new string('-', BarWidth - filled)}] ") +
                string.Create(c, $"{(total == 0 ? 100 : 100 * received / total)}% ({received} of {total} packets)");
        }

        return string.Create(c, $"{who} {Phase(peer.Phase)}: {received} packets received (to receive: unknown)");
    }
}
