namespace Node.Testing;

/// <summary>A fresh directory under the system temp folder, removed with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <param name="prefix">How the directory's name begins, so a leftover says which tests made it.</param>
    public TempDirectory(string prefix = "sovereign-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> in this directory and returns its path.</summary>
    public string Write(string name, string content)
    {
        var file = Combine(name);
        File.WriteAllText(file, content);
        return file;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> in this directory and returns its path.</summary>
    public string Write(string name, byte[] content)
    {
        var file = Combine(name);
        File.WriteAllBytes(file, content);
        return file;
    }

    /// <summary>A new empty directory inside this one.</summary>
    public string CreateDirectory(string name) => Directory.CreateDirectory(Combine(name)).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
