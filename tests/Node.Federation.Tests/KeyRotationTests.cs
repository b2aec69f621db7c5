using Google.Protobuf;
using Node.Federation.Identity;
using Node.Protocol.Packets;

namespace Node.Federation.Tests;

public sealed class KeyRotationTests : IDisposable
{
    private readonly NodeIdentity _old = NodeIdentity.FromSeed(Enumerable.Repeat((byte)5, 32).ToArray());
    private readonly NodeIdentity _new = NodeIdentity.FromSeed(Enumerable.Repeat((byte)6, 32).ToArray());

    public void Dispose()
    {
        _old.Dispose();
        _new.Dispose();
    }

    [Fact]
    public void A_statement_signed_by_both_keys_moves_the_old_id_to_the_new()
    {
        var check = KeyRotations.Verify(KeyRotations.Sign(_old, _new, TimeProvider.System));

        Assert.True(check.IsValid, check.Detail);
        Assert.Equal((_old.Id, _new.Id), (check.OldId, check.NewId));
        Assert.Equal(_new.PublicKey, check.NewPublicKey);
    }

    [Fact]
    public void A_statement_without_the_new_keys_signature_is_refused()
    {
        var envelope = Envelope.Parser.ParseFrom(KeyRotations.Sign(_old, _new, TimeProvider.System));
        envelope.Signatures.RemoveAt(1);

        var check = KeyRotations.Verify(envelope.ToByteArray());

        Assert.False(check.IsValid);
        Assert.Contains("possession of it is not proven", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stolen_new_key_cannot_claim_an_old_id_without_the_old_key()
    {
        using var thief = NodeIdentity.FromSeed(Enumerable.Repeat((byte)9, 32).ToArray());
        var forged = Envelope.Parser.ParseFrom(KeyRotations.Sign(thief, _new, TimeProvider.System));
        var rotation = KeyRotation.Parser.ParseFrom(forged.Payload);
        rotation.OldNodeId = _old.Id.ToString();
        rotation.OldPublicKey = ByteString.CopyFrom(_old.PublicKey);
        forged.Payload = rotation.ToByteString();

        Assert.False(KeyRotations.Verify(forged.ToByteArray()).IsValid);
    }

    [Fact]
    public void Garbage_is_refused_without_throwing()
    {
        var random = new Random(2);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            Assert.False(KeyRotations.Verify(bytes).IsValid);
        }
    }
}
