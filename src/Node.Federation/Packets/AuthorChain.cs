using Node.Storage;

namespace Node.Federation.Packets;

/// <summary>
/// Whether two node ids are one author: the same id, or the later one reached from the earlier by
/// key rotations this node has accepted (its own, or peers'). Only a target's author, or a key it
/// rotated to, may retract it.
/// </summary>
public static class AuthorChain
{
    /// <summary>Most rotations followed from one id: longer chains are not believed.</summary>
    public const int MaxRotations = 16;

    /// <summary>Whether <paramref name="retractor"/> is <paramref name="author"/> or a key <paramref name="author"/> rotated to.</summary>
    public static bool MayRetract(StoreReader read, string retractor, string author)
    {
        ArgumentNullException.ThrowIfNull(read);
        var current = author;
        for (var step = 0; step <= MaxRotations; step++)
        {
            if (current == retractor)
            {
                return true;
            }

            if ((read.OwnRotations.From(current)?.NewId ?? read.PeerManifests.Rotation(current)?.NewId) is not { } next)
            {
                return false;
            }

            current = next;
        }

        return false;
    }
}
