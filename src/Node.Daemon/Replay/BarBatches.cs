using System.Collections.Concurrent;
using Node.Reasoning.Observations;

namespace Node.Daemon.Replay;

/// <summary>
/// Reads and parses a CSV of bars on a thread of its own, handing them over in batches, so that parsing and
/// reasoning run side by side on two cores. Batches are reused: a fixed number circulate between the two threads.
/// </summary>
internal sealed class BarBatches : IDisposable
{
    public const int BatchSize = 4096;
    private const int InFlight = 4;
    private readonly BlockingCollection<Batch> _full = new(InFlight);
    private readonly BlockingCollection<Batch> _free = new(InFlight);
    private readonly Thread _reader;
    private Exception? _failure;

    public BarBatches(Stream input)
    {
        for (var i = 0; i < InFlight; i++)
        {
            _free.Add(new Batch());
        }

        _reader = new Thread(() => Read(new LineReader(input))) { IsBackground = true, Name = "replay-reader" };
        _reader.Start();
    }

    /// <summary>The next batch, or null at the end; give it back with <see cref="Return"/> once used.</summary>
    public Batch? Next()
    {
        if (_full.TryTake(out var batch, Timeout.Infinite))
        {
            return batch;
        }

        return _failure is null ? null : throw new IOException($"Reading the CSV failed: {_failure.Message}", _failure);
    }

    public void Return(Batch batch)
    {
        batch.Count = 0;
        _free.Add(batch);
    }

    private void Read(LineReader reader)
    {
        try
        {
            var batch = _free.Take();
            while (reader.TryRead(out var line, out var tooLong))
            {
                string? problem = tooLong ? "longer than 64 KiB" : null;
                Bar bar = default;
                if (problem is null && !BarCsv.TryParse(line, out bar, out problem) && problem is null)
                {
                    continue; // a header or a blank line
                }

                batch.Items[batch.Count++] = new Item(bar, reader.LineNumber, problem);
                if (batch.Count == BatchSize)
                {
                    _full.Add(batch);
                    batch = _free.Take();
                }
            }

            if (batch.Count > 0)
            {
                _full.Add(batch);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _failure = e;
        }
        finally
        {
            _full.CompleteAdding();
        }
    }

    public void Dispose()
    {
        _full.Dispose();
        _free.Dispose();
    }

    /// <summary>A bar, or the problem of a line that is not one, with its line number.</summary>
    internal readonly record struct Item(Bar Bar, long Line, string? Problem);

    internal sealed class Batch
    {
        public Item[] Items { get; } = new Item[BatchSize];

        public int Count { get; set; }
    }
}
