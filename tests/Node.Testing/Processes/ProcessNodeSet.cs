namespace Node.Testing.Processes;

/// <summary>Several <see cref="ProcessNode"/>s started side by side; all are disposed together, and none is left running if one fails to start.</summary>
public sealed class ProcessNodeSet : IDisposable
{
    private readonly IReadOnlyList<ProcessNode> _nodes;

    private ProcessNodeSet(IReadOnlyList<ProcessNode> nodes) => _nodes = nodes;

    public ProcessNode this[int index] => _nodes[index];

    public int Count => _nodes.Count;

    /// <summary>Starts <paramref name="count"/> nodes of <paramref name="kind"/>, each with <paramref name="args"/>, and waits until all are ready.</summary>
    public static async Task<ProcessNodeSet> StartAsync(string kind, int count, IReadOnlyList<string> args)
    {
        var starting = Enumerable.Range(0, count).Select(_ => ProcessNode.StartAsync(kind, args)).ToList();
        try
        {
            return new ProcessNodeSet(await Task.WhenAll(starting));
        }
        catch
        {
            foreach (var start in starting.Where(s => s.IsCompletedSuccessfully))
            {
                start.Result.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }
    }
}
