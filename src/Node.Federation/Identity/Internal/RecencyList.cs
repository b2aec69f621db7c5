namespace Node.Federation.Identity.Internal;

/// <summary>Node ids in order of last use, at most <c>capacity</c>: touching one past the capacity evicts the least recent.</summary>
/// <remarks>Not thread-safe: the manifest book uses it under its lock.</remarks>
internal sealed class RecencyList(int capacity)
{
    private readonly LinkedList<NodeId> _order = [];
    private readonly Dictionary<NodeId, LinkedListNode<NodeId>> _nodes = [];

    public int Count => _nodes.Count;

    public bool Contains(NodeId id) => _nodes.ContainsKey(id);

    /// <summary>Makes <paramref name="id"/> the most recent; returns the id evicted to stay within the capacity, if any.</summary>
    public NodeId? Touch(NodeId id)
    {
        if (_nodes.TryGetValue(id, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            return null;
        }

        _nodes[id] = _order.AddFirst(id);
        if (_nodes.Count <= capacity)
        {
            return null;
        }

        var evicted = _order.Last!.Value;
        Remove(evicted);
        return evicted;
    }

    public bool Remove(NodeId id)
    {
        if (!_nodes.Remove(id, out var node))
        {
            return false;
        }

        _order.Remove(node);
        return true;
    }
}
