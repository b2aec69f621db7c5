using Google.Protobuf;
using Grpc.Core;

namespace Node.Daemon.Binding;

/// <summary>
/// Marshallers for protobuf messages, as the code protoc's gRPC plugin generates makes them: written
/// straight into the call's buffer writer and parsed from its payload sequence, without a copy.
/// </summary>
internal static class ProtobufMarshallers
{
    /// <summary>A marshaller of <typeparamref name="T"/>, parsing with <paramref name="parser"/>.</summary>
    public static Marshaller<T> Create<T>(MessageParser<T> parser) where T : class, IMessage<T>, IBufferMessage =>
        Marshallers.Create<T>(Serialize, context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));

    private static void Serialize<T>(T message, SerializationContext context) where T : class, IMessage<T>, IBufferMessage
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }
}
