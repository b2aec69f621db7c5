using Microsoft.Extensions.Configuration;

namespace Node.Daemon.Configuration;

/// <summary>
/// The configuration the running node reads: a snapshot of a configuration that passed its
/// checks. A reload swaps in the next checked snapshot as a whole, so the node never sees a
/// half-read or unchecked file (the file is read once per reload, by the check).
/// </summary>
public sealed class LiveConfiguration : ConfigurationProvider, IConfigurationSource
{
    /// <summary>Starts from <paramref name="checkedConfiguration"/>.</summary>
    public LiveConfiguration(IConfiguration checkedConfiguration)
    {
        Data = Flatten(checkedConfiguration);
    }

    /// <summary>Every key with a value, as the node sees it now.</summary>
    public IReadOnlyDictionary<string, string?> Snapshot() => new Dictionary<string, string?>(Data, StringComparer.OrdinalIgnoreCase);

    /// <summary>Replaces everything with <paramref name="checkedConfiguration"/> and tells the readers (options monitors).</summary>
    public void Replace(IConfiguration checkedConfiguration)
    {
        Data = Flatten(checkedConfiguration);
        OnReload();
    }

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    private static Dictionary<string, string?> Flatten(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (value is not null)
            {
                values[key] = value;
            }
        }

        return values;
    }
}
