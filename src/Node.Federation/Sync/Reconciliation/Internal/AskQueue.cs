using System.Diagnostics;

namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>
/// The asks waiting to be sent, lowest key first. A query takes the lowest; everything the reply opens lies within
/// them, so it goes back in front of what still waits: what waits is never moved or sorted again.
/// </summary>
internal sealed class AskQueue
{
    private readonly List<Ask> _stack = []; // highest key first, so the lowest are taken from the end

    public int Count => _stack.Count;

    /// <summary>The ask <paramref name="index"/> places from the front.</summary>
    public Ask this[int index] => _stack[_stack.Count - 1 - index];

    /// <summary>Moves the <paramref name="count"/> lowest asks, in order, to <paramref name="into"/>.</summary>
    public void Take(int count, List<Ask> into)
    {
        for (var i = 0; i < count; i++)
        {
            into.Add(this[i]);
        }

        _stack.RemoveRange(_stack.Count - count, count);
    }

    /// <summary>Puts <paramref name="asks"/>, in key order and all below what waits, in front.</summary>
    public void PushFront(List<Ask> asks)
    {
        Debug.Assert(asks.Count == 0 || _stack.Count == 0 || asks[^1].Upper <= this[0].Lower, "opened asks lie below the waiting ones");
        for (var i = asks.Count - 1; i >= 0; i--)
        {
            _stack.Add(asks[i]);
        }
    }

    public void Clear() => _stack.Clear();
}
