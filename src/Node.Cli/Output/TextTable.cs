using System.Text;

namespace Node.Cli.Output;

/// <summary>Rows under headers, in columns two spaces apart; the last column is not padded.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>How many rows were added.</summary>
    public int Count => _rows.Count;

    /// <summary>Adds a row (control characters in cells are escaped: <see cref="Display.OneLine"/>).</summary>
    /// <exception cref="ArgumentException">The row has more or fewer cells than there are headers.</exception>
    public void Add(params string[] cells)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(cells.Length, headers.Length, nameof(cells));
        _rows.Add([.. cells.Select(Display.OneLine)]);
    }

    /// <summary>The table, or <paramref name="empty"/> (a line) when it has no rows.</summary>
    public string Render(string empty)
    {
        if (_rows.Count == 0)
        {
            return empty + "\n";
        }

        var widths = headers.Select((header, i) => _rows.Select(row => row[i].Length).Append(header.Length).Max()).ToArray();
        var text = new StringBuilder();
        Append(text, headers, widths);
        foreach (var row in _rows)
        {
            Append(text, row, widths);
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, string[] cells, int[] widths)
    {
        var start = text.Length;
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        // An empty last cell would leave the padding of the one before it.
        var end = text.Length;
        while (end > start && text[end - 1] == ' ')
        {
            end--;
        }

        text.Length = end;
        text.Append('\n');
    }
}
