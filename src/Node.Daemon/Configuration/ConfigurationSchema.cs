using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Node.Daemon.Configuration;

/// <summary>
/// The configuration keys the node knows, section by section, and how to check a configuration
/// against them: unknown keys (usually typos) and values the options binder or validators refuse.
/// </summary>
public sealed partial class ConfigurationSchema
{
    private readonly SortedSet<string> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _textKeys = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _listKeys = new(StringComparer.OrdinalIgnoreCase);
    private readonly SortedSet<string> _sections = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Section, Action<IServiceProvider, IConfiguration, List<string>> Check)> _checks = [];

    /// <summary>Every known key, as <c>Section:Key</c> (a list's items are <c>Section:Key:0</c>…).</summary>
    public IReadOnlyCollection<string> Keys => [.. _keys.Concat(_listKeys).Order(StringComparer.OrdinalIgnoreCase)];

    /// <summary>
    /// Registers <typeparamref name="T"/> bound to <paramref name="section"/>: its public properties become known keys;
    /// a list of text is set item by item (<c>Section:Key:0</c>, <c>Section:Key:1</c>…).
    /// </summary>
    public ConfigurationSchema Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(string section)
        where T : class
    {
        foreach (var property in typeof(T).GetProperties())
        {
            var list = typeof(IEnumerable<string>).IsAssignableFrom(property.PropertyType) && property.PropertyType != typeof(string);
            if (property.CanWrite && list)
            {
                _listKeys.Add(ConfigurationPath.Combine(section, property.Name));
                continue;
            }

            // A nested options object is a section, not a key: its own keys come with its own Add.
            var nested = property.PropertyType.IsClass && property.PropertyType != typeof(string);
            if (property.CanWrite && !nested)
            {
                var key = ConfigurationPath.Combine(section, property.Name);
                _keys.Add(key);
                if (property.PropertyType == typeof(string))
                {
                    _textKeys.Add(key);
                }
            }
        }

        for (var colon = section.IndexOf(':', StringComparison.Ordinal); colon > 0; colon = section.IndexOf(':', colon + 1))
        {
            _sections.Add(section[..colon]);
        }

        _sections.Add(section);
        _checks.Add((section, (services, configuration, errors) =>
        {
            try
            {
                _ = services.GetRequiredService<IOptions<T>>().Value;
            }
            catch (OptionsValidationException ex)
            {
                errors.AddRange(ex.Failures);
            }
            catch (InvalidOperationException ex) when (DescribeConversionFailure(ex, configuration) is { } message)
            {
                errors.Add(message);
            }
        }));
        return this;
    }

    /// <summary>
    /// Checks <paramref name="configuration"/>: each key a person set must be known and hold a
    /// single value, and each section must bind and validate through <paramref name="services"/>.
    /// A JSON <c>null</c>, <c>{}</c> or <c>[]</c> is nothing set for a section or a list, and an
    /// error for a setting; a section with such a setting is not bound (its binder would see the null).
    /// </summary>
    /// <returns>One message per problem, each naming the key, its value and what is allowed; empty when valid.</returns>
    public IReadOnlyList<string> Check(IConfigurationRoot configuration, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(services);
        var errors = new List<string>();
        var unbindable = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value, source, inFile) in NodeConfiguration.UserKeys(configuration))
        {
            if (inFile && SettingAbove(key) is { } setting)
            {
                errors.Add($"{setting} (from {source}) must be a single value, not a JSON object or array.");
                unbindable.Add(setting);
            }
            else if (value is null)
            {
                if (_keys.Contains(key) || IsListItem(key))
                {
                    errors.Add($"{key} (from {source}) is null (or an empty {{}} or []): null is not allowed for a setting; give it a value, or remove the key to take the default.");
                    unbindable.Add(key);
                }
                else if (!_listKeys.Contains(key) && !_sections.Contains(key))
                {
                    errors.Add(Unknown(key, source));
                }
            }
            else if (_listKeys.Contains(key))
            {
                errors.Add($"{key} (from {source}) is a list: set its items as {key}:0, {key}:1 … (in the config file, a JSON array).");
            }
            else if (IsListItem(key))
            {
                if (value.Length == 0)
                {
                    errors.Add($"{key} (from {source}) is empty; give it a value or remove it.");
                }
            }
            else if (_sections.Contains(key))
            {
                var first = Keys.First(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase));
                errors.Add($"{key} (from {source}) is not a known setting. It is a section: set its keys, such as {first}.");
            }
            else if (!_keys.Contains(key))
            {
                errors.Add(Unknown(key, source));
            }
            else if (value.Length == 0 && !_textKeys.Contains(key))
            {
                // The binder would quietly keep the default; an empty SOVEREIGN_NODE__X= is a mistake to report.
                errors.Add($"{key} (from {source}) is empty; give it a value or remove it.");
            }
        }

        foreach (var (section, check) in _checks)
        {
            if (!unbindable.Any(key => key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)))
            {
                check(services, configuration, errors);
            }
        }

        return [.. errors.Distinct(StringComparer.Ordinal)];
    }

    private string Unknown(string key, string source)
    {
        var hint = Closest(key) is { } near ? $" Did you mean {near}?" : "";
        return $"{key} (from {source}) is not a known setting.{hint} Known settings: {string.Join(", ", Keys)}.";
    }

    // The setting (or list item) a key lies under: "Node:Name:0" is an array where Node:Name belongs.
    private string? SettingAbove(string key)
    {
        for (var colon = key.IndexOf(':', StringComparison.Ordinal); colon > 0; colon = key.IndexOf(':', colon + 1))
        {
            var above = key[..colon];
            if (_keys.Contains(above) || IsListItem(above))
            {
                return above;
            }
        }

        return null;
    }

    private bool IsListItem(string key)
    {
        var colon = key.LastIndexOf(':');
        return colon > 0 && _listKeys.Contains(key[..colon])
            && int.TryParse(key.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    private string? Closest(string key)
    {
        // A misspelt list item (Interface:0) is compared by its list's name.
        var colon = key.LastIndexOf(':');
        if (colon > 0 && int.TryParse(key.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && Closest(key[..colon]) is { } list && _listKeys.Contains(list))
        {
            return list + key[colon..];
        }

        var best = _keys.Concat(_listKeys).Concat(_sections).Select(k => (Key: k, Distance: Node.Shared.EditDistance.Between(k.ToUpperInvariant(), key.ToUpperInvariant())))
            .OrderBy(x => x.Distance).FirstOrDefault();
        return best.Key is not null && best.Distance <= Math.Max(2, key.Length / 4) ? best.Key : null;
    }

    // The binder's message names the key and the type ("Failed to convert configuration value
    // [...] at 'Federation:PeerPort' to type 'System.Int32'."); ours adds the value and the form allowed.
    private static string? DescribeConversionFailure(InvalidOperationException ex, IConfiguration configuration)
    {
        var match = ConversionFailure().Match(ex.Message);
        if (!match.Success)
        {
            return null;
        }

        var key = match.Groups["key"].Value;
        var form = match.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" or "System.UInt16" => "a whole number",
            "System.Double" => "a number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a duration such as 00:00:30",
            var other => "a value of type " + other,
        };
        return string.Create(CultureInfo.InvariantCulture, $"{key} must be {form}; was {ConfigurationSecrets.Show(key, configuration[key])}.");
    }

    [GeneratedRegex(@"at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionFailure();
}
