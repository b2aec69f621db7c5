using Node.Storage;

namespace Node.Storage.Tests;

public sealed class StateDirectoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sovereign-storage-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_missing_directory_is_created_for_the_owner_only()
    {
        var path = Path.Combine(_root, "state", "nested");

        Assert.True(StateDirectory.TryPrepare(path, out var error), error);

        Assert.True(Directory.Exists(path));
        Assert.Equal(StateDirectory.CreateMode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void An_existing_directory_keeps_its_mode_and_its_files()
    {
        var path = Path.Combine(_root, "existing");
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        File.WriteAllText(Path.Combine(path, "node.db"), "data");

        Assert.True(StateDirectory.TryPrepare(path, out var error), error);

        Assert.Equal(["node.db"], Directory.GetFiles(path).Select(Path.GetFileName));
        Assert.Equal("data", File.ReadAllText(Path.Combine(path, "node.db")));
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.GroupRead));
    }

    [Fact]
    public void A_file_in_the_way_is_named_in_the_error()
    {
        var path = Path.Combine(_root, "occupied");
        File.WriteAllText(path, "");

        Assert.False(StateDirectory.TryPrepare(path, out var error));

        Assert.Equal($"State directory {path} is a file, not a directory.", error);
    }

    [Fact]
    public void A_directory_that_cannot_be_made_is_named_with_the_reason()
    {
        // Nobody, root included, can make a directory under /proc.
        const string path = "/proc/sovereign-node-cannot-be-here";

        Assert.False(StateDirectory.TryPrepare(path, out var error));

        Assert.StartsWith($"State directory {path} is not usable: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_path_is_resolved_against_the_working_directory()
    {
        Assert.True(StateDirectory.TryPrepare(Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(_root, "relative")), out var error), error);

        Assert.True(Directory.Exists(Path.Combine(_root, "relative")));
    }
}
