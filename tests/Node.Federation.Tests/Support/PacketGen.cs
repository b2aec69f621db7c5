using CsCheck;
using Google.Protobuf;
using Node.Federation.Identity;
using Node.Protocol.Packets;

namespace Node.Federation.Tests.Support;

/// <summary>CsCheck generators for packet bodies.</summary>
internal static class PacketGen
{
    /// <summary>Any Unicode text (no lone surrogates, which UTF-8 cannot carry), mostly ASCII.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (3, Gen.Char.Where(c => !char.IsSurrogate(c)).Array[0, 24].Select(chars => new string(chars))),
        (1, Gen.Int[0, 0x10FFFF].Where(cp => cp is < 0xD800 or > 0xDFFF).Array[0, 12]
            .Select(cps => string.Concat(cps.Select(char.ConvertFromUtf32)))));

    public static readonly Gen<ByteString> Bytes = Gen.Byte.Array[0, 300].Select(ByteString.CopyFrom);

    public static readonly Gen<ByteString> PacketId = Gen.Byte.Array[32].Select(ByteString.CopyFrom);

    /// <summary>Any body the protobuf codec can carry, valid or not: any kind number, ids of any length, strings of any length.</summary>
    public static readonly Gen<PacketBody> AnyBody =
        Gen.Select(
            Gen.Select(Text, Text, Text, Gen.Int[-3, 12], Text, Bytes, Gen.ULong),
            Gen.Select(Bytes.List[0, 4], PacketId.List[0, 4], Gen.Select(Text, PacketId.List[0, 3]).Nullable(0.3), Gen.Int[0, 5]),
            (a, b) =>
            {
                var (author, topic, key, kind, mediaType, content, hlc) = a;
                var (dependencies, supersedes, source, scope) = b;
                var body = new PacketBody
                {
                    Author = author,
                    Topic = topic,
                    Key = key,
                    Kind = (PacketKind)kind,
                    MediaType = mediaType,
                    Content = content,
                    Hlc = hlc,
                    Dependencies = { dependencies },
                    Supersedes = { supersedes },
                    Scope = (ShareScope)scope,
                };
                if (source is { } attribution)
                {
                    body.Source = new Attribution { Origin = attribution.Item1, DerivedFrom = { attribution.Item2 } };
                }

                return body;
            });

    /// <summary>A body <paramref name="author"/> may sign and every verifier accepts.</summary>
    public static Gen<PacketBody> ValidBody(NodeIdentity author) =>
        Gen.Select(
            Gen.Select(Text.Where(t => t.Length > 0), Gen.Int[1, 7], Bytes, Gen.ULong),
            Gen.Select(PacketId.List[0, 3], PacketId.List[1, 3], PacketId.List[0, 3], Gen.Int[0, 3]),
            (a, b) =>
            {
                var (topic, kind, content, hlc) = a;
                var (dependencies, supersedes, derivedFrom, scope) = b;
                var body = new PacketBody
                {
                    Author = author.Id.ToString(),
                    Topic = topic,
                    Key = topic + "/key",
                    Kind = (PacketKind)kind,
                    MediaType = "application/octet-stream",
                    Content = content,
                    Hlc = hlc,
                    Dependencies = { dependencies },
                    Supersedes = { supersedes },
                    Source = new Attribution { Origin = author.Id.ToString(), DerivedFrom = { derivedFrom } },
                    Scope = (ShareScope)scope,
                };
                return body;
            });
}
