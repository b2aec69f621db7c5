using System.Net;
using Node.Federation.Discovery;

namespace Node.Federation.Tests.Discovery;

/// <summary>A transport sink that keeps what it hears and lets a test wait for a datagram or an interface set.</summary>
internal sealed class RecordingSink : IMdnsTransportSink
{
    private readonly Lock _gate = new();
    private readonly List<Received> _packets = [];
    private readonly List<IReadOnlyList<MdnsInterface>> _interfaceSets = [];
    private readonly List<(Func<Received, bool> Match, TaskCompletionSource<Received> Found)> _packetWaiters = [];
    private readonly List<(Func<IReadOnlyList<MdnsInterface>, bool> Match, TaskCompletionSource<IReadOnlyList<MdnsInterface>> Found)> _setWaiters = [];

    /// <summary>A datagram as heard: its bytes copied.</summary>
    public sealed record Received(byte[] Data, IPEndPoint Source, int InterfaceIndex);

    /// <summary>The datagrams heard so far.</summary>
    public IReadOnlyList<Received> Packets
    {
        get
        {
            lock (_gate)
            {
                return [.. _packets];
            }
        }
    }

    /// <summary>When set, OnPacket throws after recording a datagram this accepts.</summary>
    public Func<Received, bool>? ThrowOn { get; init; }

    public void OnPacket(in MdnsPacket packet)
    {
        var received = new Received(packet.Data.ToArray(), packet.Source, packet.InterfaceIndex);
        Record(_packets, _packetWaiters, received);
        if (ThrowOn?.Invoke(received) == true)
        {
            throw new InvalidOperationException("The sink failed, as the test asked.");
        }
    }

    public void OnInterfacesChanged(IReadOnlyList<MdnsInterface> interfaces) => Record(_interfaceSets, _setWaiters, interfaces);

    /// <summary>The first datagram (heard before or after the call) that <paramref name="match"/> accepts.</summary>
    public Task<Received> WaitForPacketAsync(Func<Received, bool> match) => WaitAsync(_packets, _packetWaiters, match);

    /// <summary>The first interface set reported that <paramref name="match"/> accepts.</summary>
    public Task<IReadOnlyList<MdnsInterface>> WaitForInterfacesAsync(Func<IReadOnlyList<MdnsInterface>, bool> match) =>
        WaitAsync(_interfaceSets, _setWaiters, match);

    private void Record<T>(List<T> seen, List<(Func<T, bool> Match, TaskCompletionSource<T> Found)> waiters, T item)
    {
        List<TaskCompletionSource<T>> matched;
        lock (_gate)
        {
            seen.Add(item);
            var hits = waiters.Where(w => w.Match(item)).ToList();
            waiters.RemoveAll(hits.Contains);
            matched = [.. hits.Select(h => h.Found)];
        }

        foreach (var found in matched)
        {
            found.TrySetResult(item);
        }
    }

    private async Task<T> WaitAsync<T>(List<T> seen, List<(Func<T, bool> Match, TaskCompletionSource<T> Found)> waiters, Func<T, bool> match)
    {
        var found = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var item in seen)
            {
                if (match(item))
                {
                    return item;
                }
            }

            waiters.Add((match, found));
        }

        try
        {
            return await found.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                throw new TimeoutException($"The awaited {typeof(T).Name} did not come within 60 s; heard {seen.Count}: "
                    + string.Join("; ", seen.Select(s => s is Received r ? $"{r.Source} on {r.InterfaceIndex} ({r.Data.Length} bytes)" : s?.ToString())));
            }
        }
    }
}
