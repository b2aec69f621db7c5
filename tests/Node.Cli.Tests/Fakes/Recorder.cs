namespace Node.Cli.Tests.Fakes;

/// <summary>The requests a fake service got, in order (calls arrive on the server's threads).</summary>
public sealed class Recorder<T>
{
    private readonly Lock _lock = new();
    private readonly List<T> _items = [];

    public void Add(T item)
    {
        lock (_lock)
        {
            _items.Add(item);
        }
    }

    public IReadOnlyList<T> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _items];
            }
        }
    }

    /// <summary>The one request there was (fails the test when there were none or more).</summary>
    public T Only() => Assert.Single(All);
}
