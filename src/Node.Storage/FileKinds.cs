using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Node.Storage;

/// <summary>
/// Tells what a path names before the node opens it: a FIFO in place of a key file made start
/// block forever in <c>open(2)</c>, and a directory or a device is no better. Uses <c>statx(2)</c>
/// (Linux 4.11, glibc 2.28): .NET tells a directory from a file but not a FIFO, socket or device.
/// </summary>
public static partial class FileKinds
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28; // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid, u32 gid, u16 mode
    private const int NoEntry = 2, NotADirectory = 20;

    /// <summary>What <paramref name="path"/> names, following symbolic links; never throws for a bad path.</summary>
    public static unsafe FileKind Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var buffer = stackalloc byte[256]; // struct statx is 256 bytes on every architecture
        if (Statx(AtCurrentDirectory, path, 0, StatxType, buffer) != 0)
        {
            return Marshal.GetLastPInvokeError() is NoEntry or NotADirectory ? FileKind.Missing : FileKind.Unknown;
        }

        var mode = BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(buffer + StatxModeOffset, 2));
        return (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Unknown,
        };
    }

    /// <summary>How a message names <paramref name="kind"/>: "a directory", "a FIFO (named pipe)"…</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a socket",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        _ => "of an unknown kind",
    };

    /// <summary>
    /// Whether <paramref name="path"/> is a regular file or absent, the only things the node opens
    /// in its places; otherwise <paramref name="problem"/> says what it is ("… is a FIFO (named pipe), not a regular file").
    /// </summary>
    public static bool IsRegularOrMissing(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        var kind = Of(path);
        problem = kind is FileKind.Regular or FileKind.Missing or FileKind.Unknown ? null : $"{path} is {Describe(kind)}, not a regular file";
        return problem is null;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
