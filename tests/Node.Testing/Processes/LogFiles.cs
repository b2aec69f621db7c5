namespace Node.Testing.Processes;

/// <summary>Reads the node's daily log files.</summary>
public static class LogFiles
{
    /// <summary>The text of every file matching <paramref name="pattern"/> in <paramref name="directory"/> (empty if none), read while the node may still write.</summary>
    public static string Read(string directory, string pattern)
    {
        if (!Directory.Exists(directory))
        {
            return "";
        }

        return string.Concat(Directory.GetFiles(directory, pattern).Order().Select(file =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }));
    }

    /// <summary>
    /// Waits until <paramref name="text"/> appears in the files: the node writes them from its own
    /// threads, so the check is repeated on every file-system change event.
    /// </summary>
    public static async Task<string> WaitForAsync(string directory, string pattern, string text, TimeSpan? timeout = null)
    {
        Directory.CreateDirectory(directory);
        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(directory) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        watcher.Changed += (_, _) => changed.Release();
        watcher.Created += (_, _) => changed.Release();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var content = Read(directory, pattern);
            if (content.Contains(text, StringComparison.Ordinal))
            {
                return content;
            }

            try
            {
                // An event may fire between the read and the wait; the one-second bound re-reads then.
                await changed.WaitAsync(TimeSpan.FromSeconds(1), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"'{text}' did not appear in {directory}/{pattern}. Content:\n{Read(directory, pattern)}");
            }
        }
    }
}
