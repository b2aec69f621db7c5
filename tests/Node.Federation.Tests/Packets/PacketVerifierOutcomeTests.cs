using System.Security.Cryptography;
using Google.Protobuf;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Federation.Tests.Support;
using Node.Protocol.Packets;

namespace Node.Federation.Tests.Packets;

/// <summary>One or more tests producing each <see cref="PacketOutcome"/>, at and over each of <see cref="PacketLimits"/>.</summary>
public sealed class PacketVerifierOutcomeTests : IDisposable
{
    private readonly NodeIdentity _author = TestPackets.Identity(1);
    private readonly NodeIdentity _other = TestPackets.Identity(2);
    private readonly KeyDirectory _keys;

    public PacketVerifierOutcomeTests() => _keys = TestPackets.Keys(_author, _other);

    public void Dispose()
    {
        _author.Dispose();
        _other.Dispose();
    }

    // Every refusal carries a reason and no packet; a valid check carries the packet and no reason.
    private PacketCheck Verify(byte[] envelope, IKeyDirectory? keys = null, byte[]? expectedId = null)
    {
        var check = PacketVerifier.Verify(envelope, keys ?? _keys, expectedId);
        if (check.IsValid)
        {
            Assert.NotNull(check.Packet);
            Assert.Null(check.Detail);
        }
        else
        {
            Assert.Null(check.Packet);
            Assert.False(string.IsNullOrWhiteSpace(check.Detail));
        }

        return check;
    }

    private PacketOutcome Outcome(Action<PacketBody> change)
    {
        var body = TestPackets.Body(_author);
        change(body);
        return Verify(TestPackets.SignedAnyway(body, _author)).Outcome;
    }

    [Fact]
    public void A_packet_signed_by_its_known_author_is_valid()
    {
        var body = TestPackets.Body(_author);
        var (id, envelope) = PacketSigner.Sign(body, _author);

        var check = Verify(envelope);

        Assert.Equal(PacketOutcome.Valid, check.Outcome);
        Assert.Equal(id, check.Packet!.Id);
        Assert.Equal(_author.Id, check.Packet.Author);
        Assert.Equal(body, check.Packet.Body);
        Assert.Equal(envelope, check.Packet.Envelope);
    }

    [Fact]
    public void A_packet_offered_under_its_own_id_is_valid()
    {
        var (id, envelope) = PacketSigner.Sign(TestPackets.Body(_author), _author);

        Assert.Equal(PacketOutcome.Valid, Verify(envelope, expectedId: id).Outcome);
    }

    [Fact]
    public void A_packet_countersigned_by_another_node_is_valid()
    {
        var payload = TestPackets.Body(_author).ToByteArray();
        var envelope = TestPackets.Envelope(PacketVerifier.PayloadType, payload,
            TestPackets.SignatureBy(_other, payload), TestPackets.SignatureBy(_author, payload));

        Assert.Equal(PacketOutcome.Valid, Verify(envelope).Outcome);
    }

    // Malformed

    [Theory]
    [InlineData("")]
    [InlineData("ff")]
    [InlineData("ffffffffffffffffffffff")]
    [InlineData("0a")] // a field tag and nothing after it
    [InlineData("0a05414243")] // a length past the end
    [InlineData("0b")] // a start-group tag
    public void Bytes_that_are_not_an_envelope_are_malformed(string hex) =>
        Assert.Equal(PacketOutcome.Malformed, Verify(Convert.FromHexString(hex)).Outcome);

    [Fact]
    public void An_envelope_without_a_payload_type_is_malformed()
    {
        var payload = TestPackets.Body(_author).ToByteArray();

        Assert.Equal(PacketOutcome.Malformed, Verify(TestPackets.Envelope("", payload, TestPackets.SignatureBy(_author, payload))).Outcome);
    }

    [Theory]
    [InlineData("ff")]
    [InlineData("0a")]
    [InlineData("12ff")]
    public void A_payload_that_is_not_a_packet_body_is_malformed(string hex)
    {
        var payload = Convert.FromHexString(hex);

        Assert.Equal(PacketOutcome.Malformed, Verify(TestPackets.Envelope(PacketVerifier.PayloadType, payload, TestPackets.SignatureBy(_author, payload))).Outcome);
    }

    public static TheoryData<string> MalformedBodies { get; } =
    [
        "no topic", "no key", "no kind", "an unknown kind", "a short dependency", "a long supersedes id", "a short derived-from id",
        "an empty dependency", "no author", "an author that is not a node id", "an author with a typo", "a retraction without supersedes",
    ];

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public void A_body_missing_a_required_field_or_with_an_ill_formed_one_is_malformed(string what) =>
        Assert.Equal(PacketOutcome.Malformed, Outcome(body =>
        {
            switch (what)
            {
                case "no topic": body.Topic = ""; break;
                case "no key": body.Key = ""; break;
                case "no kind": body.Kind = PacketKind.Unspecified; break;
                case "an unknown kind": body.Kind = (PacketKind)99; break;
                case "a short dependency": body.Dependencies.Add(ByteString.CopyFrom(new byte[31])); break;
                case "a long supersedes id": body.Supersedes.Add(ByteString.CopyFrom(new byte[33])); break;
                case "a short derived-from id": body.Source = new Attribution { DerivedFrom = { ByteString.CopyFrom(new byte[16]) } }; break;
                case "an empty dependency": body.Dependencies.Add(ByteString.Empty); break;
                case "no author": body.Author = ""; break;
                case "an author that is not a node id": body.Author = "alice"; break;
                case "an author with a typo": body.Author = body.Author[..^1] + (body.Author[^1] == 'A' ? 'B' : 'A'); break;
                case "a retraction without supersedes": body.Kind = PacketKind.Retraction; break;
                default: throw new ArgumentOutOfRangeException(nameof(what), what, null);
            }
        }));

    [Fact]
    public void A_retraction_that_supersedes_a_packet_is_valid() =>
        Assert.Equal(PacketOutcome.Valid, Outcome(body =>
        {
            body.Kind = PacketKind.Retraction;
            body.Supersedes.Add(TestPackets.Id("retracted"));
        }));

    [Theory]
    [InlineData(PacketKind.Observation)]
    [InlineData(PacketKind.Insight)]
    [InlineData(PacketKind.Summary)]
    [InlineData(PacketKind.Decision)]
    [InlineData(PacketKind.Manifest)]
    [InlineData(PacketKind.Note)]
    public void Every_other_known_kind_is_valid(PacketKind kind) =>
        Assert.Equal(PacketOutcome.Valid, Outcome(body => body.Kind = kind));

    // Oversize, one test per limit; at the limit is accepted.

    [Fact]
    public void An_envelope_over_320_KiB_is_oversize_before_it_is_parsed()
    {
        Assert.Equal(PacketOutcome.Oversize, Verify(new byte[PacketLimits.MaxEnvelopeBytes + 1]).Outcome);
        Assert.Equal(PacketOutcome.Malformed, Verify(Enumerable.Repeat((byte)0xFF, PacketLimits.MaxEnvelopeBytes).ToArray()).Outcome);
    }

    [Fact]
    public void A_payload_over_288_KiB_is_oversize_before_it_is_parsed()
    {
        var payload = new byte[PacketLimits.MaxPayloadBytes + 1];

        Assert.Equal(PacketOutcome.Oversize, Verify(TestPackets.Envelope(PacketVerifier.PayloadType, payload)).Outcome);
    }

    [Fact]
    public void More_than_4_signatures_is_oversize_and_4_is_not()
    {
        var payload = TestPackets.Body(_author).ToByteArray();
        var others = Enumerable.Range(10, 4).Select(TestPackets.Identity).ToList();
        var four = others.Take(3).Select(o => TestPackets.SignatureBy(o, payload)).Append(TestPackets.SignatureBy(_author, payload)).ToArray();
        var five = others.Select(o => TestPackets.SignatureBy(o, payload)).Append(TestPackets.SignatureBy(_author, payload)).ToArray();

        Assert.Equal(PacketOutcome.Valid, Verify(TestPackets.Envelope(PacketVerifier.PayloadType, payload, four)).Outcome);
        Assert.Equal(PacketOutcome.Oversize, Verify(TestPackets.Envelope(PacketVerifier.PayloadType, payload, five)).Outcome);
        others.ForEach(o => o.Dispose());
    }

    [Fact]
    public void Content_over_256_KiB_is_oversize_and_256_KiB_is_not()
    {
        Assert.Equal(PacketOutcome.Valid, Outcome(body => body.Content = ByteString.CopyFrom(new byte[PacketLimits.MaxContentBytes])));
        Assert.Equal(PacketOutcome.Oversize, Outcome(body => body.Content = ByteString.CopyFrom(new byte[PacketLimits.MaxContentBytes + 1])));
    }

    [Fact]
    public void A_topic_or_key_over_256_UTF8_bytes_is_oversize_and_256_is_not()
    {
        Assert.Equal(PacketOutcome.Valid, Outcome(body => body.Topic = new string('t', PacketLimits.MaxSlotBytes)));
        Assert.Equal(PacketOutcome.Valid, Outcome(body => body.Key = new string('é', PacketLimits.MaxSlotBytes / 2)));
        Assert.Equal(PacketOutcome.Oversize, Outcome(body => body.Topic = new string('t', PacketLimits.MaxSlotBytes + 1)));
        Assert.Equal(PacketOutcome.Oversize, Outcome(body => body.Key = new string('k', PacketLimits.MaxSlotBytes + 1)));
        // 129 characters, 258 bytes: the limit is in bytes.
        Assert.Equal(PacketOutcome.Oversize, Outcome(body => body.Topic = new string('é', (PacketLimits.MaxSlotBytes / 2) + 1)));
    }

    [Fact]
    public void A_media_type_over_128_UTF8_bytes_is_oversize_and_128_is_not()
    {
        Assert.Equal(PacketOutcome.Valid, Outcome(body => body.MediaType = new string('m', PacketLimits.MaxTypeBytes)));
        Assert.Equal(PacketOutcome.Oversize, Outcome(body => body.MediaType = new string('m', PacketLimits.MaxTypeBytes + 1)));
        Assert.Equal(PacketOutcome.Oversize, Outcome(body => body.MediaType = new string('€', (PacketLimits.MaxTypeBytes / 3) + 1)));
    }

    [Fact]
    public void An_author_or_origin_over_64_UTF8_bytes_is_oversize()
    {
        Assert.Equal(PacketOutcome.Oversize, Outcome(body => body.Author = new string(' ', PacketLimits.MaxNodeIdBytes) + body.Author));
        Assert.Equal(PacketOutcome.Oversize, Outcome(body => body.Source = new Attribution { Origin = new string('o', PacketLimits.MaxNodeIdBytes + 1) }));
        // Within the limit, an origin must still be a node id in its written form.
        Assert.Equal(PacketOutcome.Malformed, Outcome(body => body.Source = new Attribution { Origin = new string('o', PacketLimits.MaxNodeIdBytes) }));
    }

    [Fact]
    public void An_author_or_origin_not_in_the_written_form_is_malformed()
    {
        Assert.Equal(PacketOutcome.Malformed, Outcome(body => body.Author = body.Author.ToLowerInvariant()));
        Assert.Equal(PacketOutcome.Malformed, Outcome(body => body.Source = new Attribution { Origin = body.Author.Replace("-", "", StringComparison.Ordinal) }));
        Assert.Equal(PacketOutcome.Valid, Outcome(body => body.Source = new Attribution { Origin = body.Author }));
    }

    [Fact]
    public void A_share_scope_this_node_does_not_know_is_malformed()
    {
        Assert.Equal(PacketOutcome.Malformed, Outcome(body => body.Scope = (Node.Protocol.Packets.ShareScope)99));
    }

    [Theory]
    [InlineData("dependencies")]
    [InlineData("supersedes")]
    [InlineData("derived from")]
    public void More_than_64_ids_in_one_reference_list_is_oversize_and_64_is_not(string list)
    {
        PacketOutcome With(int count) => Outcome(body =>
        {
            var ids = Enumerable.Range(0, count).Select(i => TestPackets.Id($"ref {i}"));
            switch (list)
            {
                case "dependencies": body.Dependencies.Add(ids); break;
                case "supersedes": body.Supersedes.Add(ids); break;
                default: body.Source = new Attribution { DerivedFrom = { ids } }; break;
            }
        });

        Assert.Equal(PacketOutcome.Valid, With(PacketLimits.MaxReferences));
        Assert.Equal(PacketOutcome.Oversize, With(PacketLimits.MaxReferences + 1));
    }

    [Fact]
    public void A_payload_type_over_128_bytes_is_refused()
    {
        var payload = TestPackets.Body(_author).ToByteArray();
        var type = PacketVerifier.PayloadType + new string('x', PacketLimits.MaxTypeBytes);

        Assert.False(Verify(TestPackets.Envelope(type, payload, TestPackets.SignatureBy(_author, payload))).IsValid);
    }

    [Fact]
    public void A_payload_type_over_128_bytes_is_oversize()
    {
        var payload = TestPackets.Body(_author).ToByteArray();
        var type = PacketVerifier.PayloadType + new string('x', PacketLimits.MaxTypeBytes);

        Assert.Equal(PacketOutcome.Oversize, Verify(TestPackets.Envelope(type, payload, TestPackets.SignatureBy(_author, payload))).Outcome);
    }

    [Fact]
    public void A_signature_key_id_over_64_bytes_is_oversize()
    {
        var payload = TestPackets.Body(_author).ToByteArray();
        var longKeyId = TestPackets.SignatureBy(_other, payload, keyId: new string('k', PacketLimits.MaxNodeIdBytes + 1));
        var envelope = TestPackets.Envelope(PacketVerifier.PayloadType, payload, TestPackets.SignatureBy(_author, payload), longKeyId);

        Assert.Equal(PacketOutcome.Oversize, Verify(envelope).Outcome);
    }

    // UnknownVersion

    [Theory]
    [InlineData("application/vnd.sovereign.packet.v2+protobuf")]
    [InlineData("application/vnd.sovereign.packet.v1+json")]
    [InlineData("APPLICATION/VND.SOVEREIGN.PACKET.V1+PROTOBUF")]
    [InlineData("application/vnd.in-toto+json")]
    public void A_payload_type_this_node_does_not_read_is_an_unknown_version(string payloadType)
    {
        var payload = TestPackets.Body(_author).ToByteArray();
        var signature = new Signature { Keyid = _author.Id.ToString(), Sig = ByteString.CopyFrom(_author.Sign(Dsse.Pae(payloadType, payload))) };

        Assert.Equal(PacketOutcome.UnknownVersion, Verify(TestPackets.Envelope(payloadType, payload, signature)).Outcome);
    }

    // BadHash

    [Fact]
    public void A_packet_offered_under_another_id_has_a_bad_hash()
    {
        var (id, envelope) = PacketSigner.Sign(TestPackets.Body(_author), _author);
        var otherId = (byte[])id.Clone();
        otherId[^1] ^= 1;

        var check = Verify(envelope, expectedId: otherId);

        Assert.Equal(PacketOutcome.BadHash, check.Outcome);
        Assert.Contains(Convert.ToHexStringLower(id), check.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void An_expected_id_of_the_wrong_length_is_a_bad_hash(int length)
    {
        var (id, envelope) = PacketSigner.Sign(TestPackets.Body(_author), _author);
        var expected = new byte[length];
        id.AsSpan(0, Math.Min(length, id.Length)).CopyTo(expected);

        Assert.Equal(PacketOutcome.BadHash, Verify(envelope, expectedId: expected).Outcome);
    }

    // NotSignedByAuthor

    [Fact]
    public void An_envelope_without_signatures_is_not_signed_by_its_author()
    {
        var payload = TestPackets.Body(_author).ToByteArray();

        Assert.Equal(PacketOutcome.NotSignedByAuthor, Verify(TestPackets.Envelope(PacketVerifier.PayloadType, payload)).Outcome);
    }

    [Fact]
    public void A_packet_signed_only_by_another_known_node_is_not_signed_by_its_author()
    {
        var payload = TestPackets.Body(_author).ToByteArray();

        Assert.Equal(PacketOutcome.NotSignedByAuthor,
            Verify(TestPackets.Envelope(PacketVerifier.PayloadType, payload, TestPackets.SignatureBy(_other, payload))).Outcome);
    }

    // UnknownKey

    [Fact]
    public void A_packet_whose_author_is_not_in_the_key_directory_has_an_unknown_key()
    {
        var (_, envelope) = PacketSigner.Sign(TestPackets.Body(_author), _author);

        Assert.Equal(PacketOutcome.UnknownKey, Verify(envelope, TestPackets.Keys(_other)).Outcome);
    }

    // BadSignature

    [Fact]
    public void A_signature_by_another_key_under_the_authors_key_id_is_a_bad_signature()
    {
        var payload = TestPackets.Body(_author).ToByteArray();
        var forged = TestPackets.SignatureBy(_other, payload, keyId: _author.Id.ToString());

        Assert.Equal(PacketOutcome.BadSignature, Verify(TestPackets.Envelope(PacketVerifier.PayloadType, payload, forged)).Outcome);
    }

    [Fact]
    public void A_signature_over_the_bare_payload_instead_of_the_DSSE_encoding_is_a_bad_signature()
    {
        var payload = TestPackets.Body(_author).ToByteArray();
        var bare = new Signature { Keyid = _author.Id.ToString(), Sig = ByteString.CopyFrom(_author.Sign(payload)) };

        Assert.Equal(PacketOutcome.BadSignature, Verify(TestPackets.Envelope(PacketVerifier.PayloadType, payload, bare)).Outcome);
    }

    [Fact]
    public void A_signature_over_another_payload_type_is_a_bad_signature()
    {
        var payload = TestPackets.Body(_author).ToByteArray();
        var otherType = new Signature { Keyid = _author.Id.ToString(), Sig = ByteString.CopyFrom(_author.Sign(Dsse.Pae("application/octet-stream", payload))) };

        Assert.Equal(PacketOutcome.BadSignature, Verify(TestPackets.Envelope(PacketVerifier.PayloadType, payload, otherType)).Outcome);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(64)]
    public void A_signature_of_the_wrong_length_is_a_bad_signature(int length)
    {
        var payload = TestPackets.Body(_author).ToByteArray();
        var signature = new Signature { Keyid = _author.Id.ToString(), Sig = ByteString.CopyFrom(new byte[length]) };

        Assert.Equal(PacketOutcome.BadSignature, Verify(TestPackets.Envelope(PacketVerifier.PayloadType, payload, signature)).Outcome);
    }

    [Fact]
    public void A_body_changed_after_signing_is_a_bad_signature()
    {
        var body = TestPackets.Body(_author);
        var signed = body.ToByteArray();
        body.Content = ByteString.CopyFromUtf8("4769.84");
        var changed = body.ToByteArray();

        Assert.Equal(PacketOutcome.BadSignature,
            Verify(TestPackets.Envelope(PacketVerifier.PayloadType, changed, TestPackets.SignatureBy(_author, signed))).Outcome);
    }

    [Fact]
    public void Every_outcome_has_a_test_here() =>
        Assert.Equal(8, Enum.GetValues<PacketOutcome>().Length);

    [Fact]
    public void The_signer_refuses_a_body_written_by_someone_else()
    {
        var ex = Assert.Throws<ArgumentException>(() => PacketSigner.Sign(TestPackets.Body(_other), _author));

        Assert.Equal("body", ex.ParamName);
    }

    [Fact]
    public void A_key_directory_refuses_a_key_that_is_not_32_bytes_and_files_keys_under_their_own_id()
    {
        var keys = new KeyDirectory();

        Assert.Throws<ArgumentException>(() => keys.Add(new byte[31]));
        Assert.Equal(_author.Id, keys.Add(_author.PublicKey));
        Assert.True(keys.TryGetPublicKey(_author.Id, out var key));
        Assert.Equal(_author.PublicKey, key.ToArray());
        Assert.False(keys.TryGetPublicKey(_other.Id, out _));
        Assert.False(keys.TryGetPublicKey(NodeId.FromPublicKey(SHA256.HashData(_author.PublicKey)), out _));
    }
}
