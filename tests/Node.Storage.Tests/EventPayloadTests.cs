using System.Text;
using System.Text.Json;
using CsCheck;
using Node.Storage.Events;
using Node.Storage.Events.Payloads;

namespace Node.Storage.Tests;

/// <summary>
/// Each event kind has one record; its JSON is what the hand-written payloads it replaced wrote, so
/// logs written before read the same, and a payload that is not one reads as false, never as an exception.
/// </summary>
public sealed class EventPayloadTests
{
    [Fact]
    public void Every_payload_is_written_as_the_hand_written_one_was_and_reads_back_equal()
    {
        Check(new StoreCreatedEvent(0, 9), """{"from":0,"to":9}""");
        Check(new StoreMigratedEvent(7, 9), """{"from":7,"to":9}""");
        Check(new StoreRestoredEvent("/var/backups/node-1.db", 412), """{"from":"/var/backups/node-1.db","head":412}""");
        Check(new BackupCreatedEvent("/tmp/b.db", 12), """{"path":"/tmp/b.db","head":12}""");
        Check(new MemoryCompactedEvent(2, 30, 1_440, 1_700_000_000_000), """{"subjects":2,"days":30,"removed":1440,"before":1700000000000}""");
        Check(new IdentityCreatedEvent("n1"), """{"node":"n1"}""");
        Check(new IdentityRotationRequestedEvent("n1", "n2", "alice"), """{"old":"n1","new":"n2","by":"alice"}""");
        Check(new IdentityRotatedEvent("n1", "n2"), """{"old":"n1","new":"n2"}""");
        Check(new NodeStartedEvent("kitchen", "1.4.0", 4321), """{"name":"kitchen","version":"1.4.0","pid":4321}""");
        Check(new NodeStoppedEvent("kitchen", "1.4.0", 4321), """{"name":"kitchen","version":"1.4.0","pid":4321}""");
        Check(new ConfigReloadedEvent(["Logging:Level", "Reasoning:Depth"]), """{"changed":["Logging:Level","Reasoning:Depth"]}""");
        Check(new ApiKeyCreatedEvent("k1", "read", "grafana", "root"), """{"id":"k1","scope":"read","name":"grafana","by":"root"}""");
        Check(new ApiKeyRevokedEvent("k1", "read", "grafana", "root"), """{"id":"k1","scope":"read","name":"grafana","by":"root"}""");
        Check(new PeerAddedEvent("10.0.0.2:8102", null), """{"address":"10.0.0.2:8102"}""");
        Check(new PeerAddedEvent("10.0.0.2:8102", "n2"), """{"address":"10.0.0.2:8102","node":"n2"}""");
        Check(new PeerTrustChangedEvent("n2", "unknown", "core", "alice", "our lab"), """{"node":"n2","from":"unknown","to":"core","by":"alice","reason":"our lab"}""");
        Check(new PeerForgottenEvent("n2", null), """{"node":"n2"}""");
        Check(new PeerForgottenEvent(null, "10.0.0.2:8102"), """{"address":"10.0.0.2:8102"}""");
        Check(new PeerDiscoveredEvent("n2", ["10.0.0.2:8102", "[fe80::2%2]:8102"]), """{"node":"n2","addresses":["10.0.0.2:8102","[fe80::2%2]:8102"]}""");
        Check(new PeerChangedEvent("n2", ["10.0.0.3:8102"]), """{"node":"n2","addresses":["10.0.0.3:8102"]}""");
        Check(new PeerLostEvent("n2"), """{"node":"n2"}""");
        Check(new PeerRotatedEvent("n1", "n2", "core"), """{"old":"n1","new":"n2","tier":"core"}""");
        Check(new PeerRotationConflictEvent("n1", "n2", "n3", "n4", "sandbox"), """{"old":"n1","recorded":"n2","competing":"n3","demoted":"n4","from":"sandbox"}""");
        Check(new DecisionMadeEvent("d1", "promotion", "pending", 0.75, "spx"), """{"id":"d1","type":"promotion","status":"pending","confidence":0.75,"subject":"spx"}""");
        Check(new DecisionDecidedEvent("d1", "approved", "alice", "looks right"), """{"id":"d1","verdict":"approved","guardian":"alice","reason":"looks right"}""");
        Check(new AutomaticApprovalStoppedEvent("alice", "audit failing", 1_700_000_000_000), """{"guardian":"alice","reason":"audit failing","at":1700000000000}""");
        Check(new AutomaticApprovalResumedEvent("alice", null), """{"guardian":"alice"}""");
        Check(new AutomaticApprovalResumedEvent("alice", "fixed"), """{"guardian":"alice","reason":"fixed"}""");
        Check(new SyncAutoChangedEvent(false, "alice"), """{"on":false,"by":"alice"}""");
    }

    [Fact]
    public void A_decision_made_before_the_typed_payloads_with_its_confidence_as_text_still_reads()
    {
        var entry = Entry(EventKinds.DecisionMade, """{"id":"d1","type":"alert","status":"auto_approved","confidence":"0.93","subject":"spx"}""");

        Assert.True(entry.TryRead<DecisionMadeEvent>(out var made));
        Assert.Equal(0.93, made.Confidence);
    }

    [Theory]
    [InlineData("""{"guardian":"alice","reason":"audit failing"}""")] // no "at"
    [InlineData("""{"guardian":null,"reason":"audit failing","at":1}""")]
    [InlineData("""{"guardian":"alice","reason":7,"at":1}""")]
    [InlineData("""{"guardian":"alice","reason":"r","at":"soon"}""")]
    [InlineData("""["alice","r",1]""")]
    [InlineData("""{"guardian":"alice","reason":"r","at":1""")]
    [InlineData("""null""")]
    [InlineData("")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void A_payload_that_is_not_the_kind_s_record_does_not_read(string payload)
    {
        Assert.False(Entry(EventKinds.DecisionAutomaticStopped, payload).TryRead<AutomaticApprovalStoppedEvent>(out var stop));
        Assert.Null(stop);
    }

    [Fact]
    public void An_entry_of_another_kind_does_not_read_even_when_its_fields_match()
    {
        var started = Entry(EventKinds.NodeStarted, """{"name":"kitchen","version":"1.4.0","pid":1}""");

        Assert.False(started.TryRead<NodeStoppedEvent>(out _));
        Assert.True(started.TryRead<NodeStartedEvent>(out _));
    }

    [Fact]
    public void Reading_never_throws_on_random_bytes_or_random_text()
    {
        Gen.Byte.Array[0, 120].Sample(bytes => Never<PeerDiscoveredEvent>(bytes) && Never<DecisionMadeEvent>(bytes) && Never<AutomaticApprovalResumedEvent>(bytes), iter: 5000);
        Gen.String.Sample(text => Never<PeerTrustChangedEvent>(Encoding.UTF8.GetBytes(text)), iter: 2000);
        byte[] badUtf8 = [.. "{\"guardian\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.False(Entry(EventKinds.DecisionAutomaticResumed, badUtf8).TryRead<AutomaticApprovalResumedEvent>(out _));
    }

    private static bool Never<T>(byte[] payload) where T : class, IEventPayload<T>
    {
        _ = Entry(T.Kind, payload).TryRead<T>(out _);
        return true;
    }

    private static void Check<T>(T payload, string json) where T : class, IEventPayload<T>
    {
        Assert.Equal(json, Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(payload, T.JsonType)));
        Assert.True(Entry(T.Kind, json).TryRead<T>(out var read), $"{T.Kind} does not read back: {json}");
        Assert.Equivalent(payload, read, strict: true);
    }

    private static EventEntry Entry(string kind, string payload) => Entry(kind, Encoding.UTF8.GetBytes(payload));

    private static EventEntry Entry(string kind, byte[] payload) => new(1, 0, kind, payload, new byte[32], new byte[32]);
}
