using System.Net;
using System.Text;
using CsCheck;
using Node.Federation.Discovery.Dns;
using Node.Federation.Tests.Support;

namespace Node.Federation.Tests.Discovery.Dns;

/// <summary>CsCheck generators for DNS messages, biased to the names mDNS repeats so compression is exercised.</summary>
internal static class DnsGen
{
    private static readonly string[] CommonLabels = ["local", "_tcp", "_udp", "_sovereign", "h", "X", "golden test", "a.b", "Local", "_services", "_dns-sd"];

    public static readonly Gen<string> Label = Gen.Frequency(
        (4, Gen.Int[0, CommonLabels.Length - 1].Select(i => CommonLabels[i])),
        (1, PacketGen.Text.Where(t => t.Length > 0 && Encoding.UTF8.GetByteCount(t) <= DnsName.MaxLabelBytes)));

    public static readonly Gen<DnsName> Name = Label.Array[0, 5]
        .Select(labels => DnsName.TryCreate(labels, out var name, out _) ? name : DnsName.Root);

    private static readonly Gen<ushort> Class = Gen.Frequency((4, Gen.Const(DnsQuestion.Internet)), (1, Gen.UShort[0, 0x7FFF]));

    private static readonly DnsRecordType[] Modelled =
        [DnsRecordType.A, DnsRecordType.Aaaa, DnsRecordType.Ptr, DnsRecordType.Srv, DnsRecordType.Txt, DnsRecordType.Nsec];

    /// <summary>A type and data that agree, one of each modelled kind or opaque bytes of another type.</summary>
    public static readonly Gen<(DnsRecordType Type, DnsRecordData Data)> TypedData = Gen.OneOf(
        Gen.Byte.Array[4].Select(b => (DnsRecordType.A, (DnsRecordData)new AddressData(new IPAddress(b)))),
        Gen.Byte.Array[16].Select(b => (DnsRecordType.Aaaa, (DnsRecordData)new AddressData(new IPAddress(b)))),
        Name.Select(n => (DnsRecordType.Ptr, (DnsRecordData)new PointerData(n))),
        Gen.Select(Gen.UShort, Gen.UShort, Gen.UShort, Name, (p, w, port, n) => (DnsRecordType.Srv, (DnsRecordData)new ServiceData(p, w, port, n))),
        Gen.Byte.Array[0, 40].Array[0, 4].Select(s => (DnsRecordType.Txt, (DnsRecordData)new TextData(s))),
        Gen.Select(Name, Gen.UShort.Array[0, 6], (n, t) => (DnsRecordType.Nsec, (DnsRecordData)new NsecData(n, t.Select(x => (DnsRecordType)x)))),
        Gen.Select(Gen.UShort.Where(t => !Modelled.Contains((DnsRecordType)t)), Gen.Byte.Array[0, 50],
            (t, b) => ((DnsRecordType)t, (DnsRecordData)new OpaqueData(b))));

    public static readonly Gen<DnsRecord> Record = Gen.Select(Name, TypedData, Gen.UInt, Gen.Bool, Class,
        (name, typed, ttl, flush, @class) => new DnsRecord(name, typed.Type, ttl, typed.Data, flush, @class));

    public static readonly Gen<DnsQuestion> Question = Gen.Select(Name, Gen.UShort, Gen.Bool, Class,
        (name, type, qu, @class) => new DnsQuestion(name, (DnsRecordType)type, qu, @class));

    public static readonly Gen<DnsMessage> Message = Gen.Select(Gen.UShort, Gen.UShort, Question.Array[0, 3], Record.Array[0, 4], Record.Array[0, 3], Record.Array[0, 4],
        (id, flags, questions, answers, authorities, additionals) => new DnsMessage(id, flags, questions, answers, authorities, additionals));
}
