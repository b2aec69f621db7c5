using System.Buffers.Text;
using System.Globalization;
using System.Text;

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

    /// <summary>
    /// <see cref="TryParse(ReadOnlySpan{char}, out Bar, out string?)"/> on a UTF-8 line, without allocating for a
    /// well-formed line (replay reads files this way).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out Bar bar, out string? error)
    {
        bar = default;
        error = null;
        line = line.Trim("\r\t "u8);
        if (line.IsEmpty || (line.Length >= 4 && Ascii.EqualsIgnoreCase(line[..4], "date"u8)))
        {
            return false;
        }

        Span<Range> columns = stackalloc Range[8];
        var count = Split(line, columns);
        if (count is not (6 or 7) || !TryParseDate(line[columns[0]], out var time))
        {
            return TryParse(Encoding.UTF8.GetString(line), out bar, out error);
        }

        Span<double> values = stackalloc double[6];
        for (var i = 1; i < count; i++)
        {
            var text = line[columns[i]].Trim(" \t"u8);
            if (!Utf8Parser.TryParse(text, out values[i - 1], out var consumed) || consumed != text.Length || !double.IsFinite(values[i - 1]))
            {
                return TryParse(Encoding.UTF8.GetString(line), out bar, out error);
            }
        }

        bar = new Bar(time, values[0], values[1], values[2], values[3], values[count - 2]);
        return true;
    }

    private static int Split(ReadOnlySpan<byte> line, Span<Range> columns)
    {
        var count = 0;
        var start = 0;
        while (count < columns.Length)
        {
            var comma = line[start..].IndexOf((byte)',');
            if (comma < 0)
            {
                columns[count++] = start..line.Length;
                return count;
            }

            columns[count++] = start..(start + comma);
            start += comma + 1;
        }

        return count + 1; // more columns than room: too many either way
    }

    // yyyy-MM-dd exactly, the common case, without a parser.
    private static bool TryParseDate(ReadOnlySpan<byte> text, out long time)
    {
        time = 0;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-')
        {
            return false;
        }

        if (!Utf8Parser.TryParse(text[..4], out int year, out var a) || a != 4
            || !Utf8Parser.TryParse(text[5..7], out int month, out var b) || b != 2
            || !Utf8Parser.TryParse(text[8..], out int day, out var c) || c != 2
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        time = (long)(new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalSeconds;
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
