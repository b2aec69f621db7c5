using System.Globalization;

namespace Node.Reasoning.Observations;

/// <summary>
/// Reads bars from CSV lines of <c>date,open,high,low,close[,adjclose],volume</c> (a header line is
/// recognised and skipped). The date is ISO 8601: <c>yyyy-MM-dd</c>, or a date and time with an offset.
/// </summary>
public static class BarCsv
{
    /// <summary>
    /// Parses one line into <paramref name="bar"/>. Returns false with <paramref name="error"/> naming the
    /// column and value when it is not a bar; a header or blank line is false with a null error.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> line, out Bar bar, out string? error)
    {
        bar = default;
        error = null;
        line = line.Trim();
        if (line.IsEmpty || line.StartsWith("date", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<Range> columns = stackalloc Range[8];
        var count = line.Split(columns, ',');
        if (count is not (6 or 7))
        {
            error = $"expected 6 or 7 columns (date,open,high,low,close[,adjclose],volume), found {count}";
            return false;
        }

        if (!TryParseTime(line[columns[0]].Trim(), out var time))
        {
            error = $"date: '{line[columns[0]].Trim()}' is not an ISO 8601 date";
            return false;
        }

        Span<double> values = stackalloc double[6];
        ReadOnlySpan<string> names = count == 7
            ? ["open", "high", "low", "close", "adjclose", "volume"]
            : ["open", "high", "low", "close", "volume"];
        for (var i = 1; i < count; i++)
        {
            var text = line[columns[i]].Trim();
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i - 1]) || !double.IsFinite(values[i - 1]))
            {
                error = $"{names[i - 1]}: '{text}' is not a finite number";
                return false;
            }
        }

        var volume = values[count - 2];
        bar = new Bar(time, values[0], values[1], values[2], values[3], volume);
        return true;
    }

    private static bool TryParseTime(ReadOnlySpan<char> text, out long time)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            time = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
        {
            time = moment.ToUnixTimeSeconds();
            return true;
        }

        time = 0;
        return false;
    }
}
