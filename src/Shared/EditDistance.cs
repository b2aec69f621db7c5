namespace Node.Shared;

/// <summary>
/// How far apart two words are, for "did you mean": the daemon's configuration keys and nodectl's
/// commands and options. One source file linked into both executables (they share no library).
/// </summary>
internal static class EditDistance
{
    /// <summary>The Levenshtein distance: insertions, deletions and substitutions, each counting one.</summary>
    public static int Between(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
