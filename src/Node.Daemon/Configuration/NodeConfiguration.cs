using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Node.Federation;

namespace Node.Daemon.Configuration;

/// <summary>
/// Builds the node's configuration from its layers, lowest first: built-in defaults, the JSON
/// config file, <c>SOVEREIGN_NODE__SECTION__KEY</c> environment variables, the command line.
/// </summary>
public static class NodeConfiguration
{
    /// <summary>Builds (and loads) the configuration of <paramref name="launch"/>; never throws on a bad file.</summary>
    /// <param name="launch">The launch to read.</param>
    /// <param name="configuration">The loaded configuration, on success.</param>
    /// <param name="error">What is wrong with the config file, naming it, on failure.</param>
    public static bool TryBuild(DaemonLaunch launch, [NotNullWhen(true)] out IConfigurationRoot? configuration, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var builder = new ConfigurationBuilder().AddInMemoryCollection(Defaults(launch));
        if (launch.ConfigFile is { } file)
        {
            // Opening a FIFO blocks until something writes to it, and signals cannot stop a start stuck there.
            if (!Node.Storage.FileKinds.IsRegularOrMissing(file, out var notAFile))
            {
                configuration = null;
                error = $"configuration file {notAFile}; give the path of a JSON file.";
                return false;
            }

            builder.Add(new ConfigFileProvider(file));
        }

        builder.Add(new UserSettingsSource(FromEnvironment(launch.Environment), "environment"));
        builder.Add(new UserSettingsSource(launch.CommandLine.Settings, "command line"));
        try
        {
            configuration = builder.Build();
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            configuration = null;
            error = $"configuration file {launch.ConfigFile} does not exist.";
            return false;
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            configuration = null;
            // The innermost exception says where (System.Text.Json: "... LineNumber: 2 | BytePositionInLine: 4.").
            var innermost = ex;
            while (innermost.InnerException is { } inner)
            {
                innermost = inner;
            }

            error = $"configuration file {launch.ConfigFile} is not valid: {innermost.Message}";
            return false;
        }
    }

    /// <summary>
    /// Every leaf key a person set (file, environment, command line), with its value and where it came from.
    /// A value is <see langword="null"/> only in the file: JSON <c>null</c>, <c>{}</c> or <c>[]</c>.
    /// </summary>
    public static IEnumerable<(string Key, string? Value, string Source, bool InFile)> UserKeys(IConfigurationRoot configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var provider in configuration.Providers)
        {
            var source = provider switch
            {
                UserSettingsProvider user => user.Origin,
                ConfigFileProvider file => "file " + file.Path,
                _ => null,
            };
            if (source is null)
            {
                continue;
            }

            foreach (var key in Leaves(provider, null))
            {
                if (provider.TryGet(key, out var value))
                {
                    yield return (key, value, source, provider is ConfigFileProvider);
                }
            }
        }
    }

    private static IEnumerable<string> Leaves(IConfigurationProvider provider, string? parent)
    {
        foreach (var child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var path = parent is null ? child : ConfigurationPath.Combine(parent, child);
            var hasChildren = provider.GetChildKeys([], path).Any();
            if (!hasChildren)
            {
                yield return path;
                continue;
            }

            foreach (var leaf in Leaves(provider, path))
            {
                yield return leaf;
            }
        }
    }

    private static Dictionary<string, string?> Defaults(DaemonLaunch launch) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Node:Name"] = Environment.MachineName,
        ["Node:DataDirectory"] = launch.Systemd.StateDirectory ?? ".node",
        ["Logging:Directory"] = launch.Systemd.LogsDirectory ?? "",
        ["Logging:Level"] = "Information",
        ["Logging:RetainedFileCount"] = "30",
        ["Federation:PeerPort"] = FederationOptions.DefaultPeerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, string?> FromEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (name.StartsWith(DaemonLaunch.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > DaemonLaunch.EnvironmentPrefix.Length)
            {
                settings[name[DaemonLaunch.EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = value;
            }
        }

        return settings;
    }

    /// <summary>Settings a person gave outside the file, remembered with where they came from.</summary>
    private sealed class UserSettingsSource(IReadOnlyDictionary<string, string?> settings, string origin) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new UserSettingsProvider(settings, origin);
    }

    private sealed class UserSettingsProvider : ConfigurationProvider
    {
        public UserSettingsProvider(IReadOnlyDictionary<string, string?> settings, string origin)
        {
            Origin = origin;
            foreach (var (key, value) in settings)
            {
                Data[key] = value;
            }
        }

        public string Origin { get; }
    }
}
