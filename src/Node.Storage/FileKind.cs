namespace Node.Storage;

/// <summary>What a path names, as <c>stat(2)</c> tells it (a symbolic link is followed).</summary>
public enum FileKind
{
    /// <summary>Nothing is there (or a symbolic link to nothing).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A FIFO (named pipe): opening it blocks until a writer comes.</summary>
    Fifo,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>A character device (<c>/dev/zero</c>, a terminal).</summary>
    CharacterDevice,

    /// <summary>A block device (a disk).</summary>
    BlockDevice,

    /// <summary>It could not be told (no permission to look, or an unknown type): the open that follows reports its own error.</summary>
    Unknown,
}
