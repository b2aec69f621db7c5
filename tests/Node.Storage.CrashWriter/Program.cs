// Writes packets into the store in the directory given as argument until it is killed: eight
// writes in flight at all times, each printed as "ack <hex id>" (flushed) once its task completed,
// that is once its transaction committed. The crash tests kill it with SIGKILL at random moments
// and check that every printed id survived.
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Storage;
using Node.Storage.Packets;

if (args is not [var directory])
{
    Console.Error.WriteLine("usage: Node.Storage.CrashWriter DIRECTORY");
    return 2;
}

const int InFlight = 8;
const int EnvelopeBytes = 1024;

var store = NodeStore.Open(directory, new StoreOptions(), TimeProvider.System, NullLogger.Instance);
var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
var gate = new Lock();

async Task WriteForeverAsync()
{
    while (true)
    {
        var envelope = RandomNumberGenerator.GetBytes(EnvelopeBytes);
        var id = SHA256.HashData(envelope);
        var packet = new PacketRecord(id, envelope, "crash", Convert.ToHexStringLower(id[..4]), "crash-writer", "observation", 0, PacketScope.Local);
        await store.Writer.WriteAsync(c => c.InsertPacket(packet)).ConfigureAwait(false);
        // One write(2) per line, well under PIPE_BUF: a kill never leaves half an acknowledgement.
        var line = $"ack {Convert.ToHexStringLower(id)}\n";
        lock (gate)
        {
            output.Write(line);
            output.Flush();
        }
    }
}

var writers = Enumerable.Range(0, InFlight).Select(_ => Task.Run(WriteForeverAsync)).ToArray();
await Task.WhenAll(writers).ConfigureAwait(false);
return 0;
