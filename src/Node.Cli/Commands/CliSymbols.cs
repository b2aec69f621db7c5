using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Node.Cli.Commands;

/// <summary>Options and arguments that check their values while parsing, so a bad one is a usage error (exit 2).</summary>
internal static class CliSymbols
{
    /// <summary>An option whose value is one of <paramref name="choices"/>; completions offer them.</summary>
    public static Option<string> Choice<T>(string name, Choices<T> choices, string description)
        where T : struct, Enum
    {
        var option = new Option<string>(name) { Description = description, HelpName = string.Join('|', choices.Names) };
        option.Validators.Add(result => CheckChoice(result, result.GetValueOrDefault<string?>(), name, choices));
        option.CompletionSources.Add([.. choices.Names]);
        return option;
    }

    /// <summary>An argument whose value is one of <paramref name="choices"/>; completions offer them.</summary>
    public static Argument<string> ChoiceArgument<T>(string name, Choices<T> choices, string description, bool optional = false)
        where T : struct, Enum
    {
        var argument = new Argument<string>(name)
        {
            Description = $"{description}: {string.Join(", ", choices.Names)}",
            HelpName = name,
            Arity = optional ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
        };
        argument.Validators.Add(result => CheckChoice(result, result.GetValueOrDefault<string?>(), name, choices));
        argument.CompletionSources.Add([.. choices.Names]);
        return argument;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<long> Number(string name, long min, long max, string helpName, string description, params string[] aliases)
    {
        var option = new Option<long>(name, aliases) { Description = description, HelpName = helpName };
        option.CustomParser = result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError(max == long.MaxValue
                ? $"{name}: '{token}' is not a whole number of at least {min}."
                : $"{name}: '{token}' is not a whole number from {min} to {max}.");
            return 0;
        };
        return option;
    }

    /// <summary>
    /// A duration from <paramref name="min"/> to <paramref name="max"/>, written with its unit: <c>500ms</c>,
    /// <c>2s</c>, <c>1.5s</c>, <c>1m</c>. Zero (<see cref="TimeSpan.Zero"/>) when not given.
    /// </summary>
    public static Option<TimeSpan> Duration(string name, TimeSpan min, TimeSpan max, string helpName, string description)
    {
        var option = new Option<TimeSpan>(name) { Description = description, HelpName = helpName };
        option.CustomParser = result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (TryParseDuration(token, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError($"{name}: '{token}' is not a duration from {Output.Display.Duration(min)} to {Output.Display.Duration(max)} (such as 2s or 500ms).");
            return TimeSpan.Zero;
        };
        return option;
    }

    /// <summary>Reads <c>500ms</c>, <c>2s</c>, <c>1.5s</c>, <c>1m</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : text.EndsWith('m') ? (text[..^1], 60_000.0)
            : (null, 0);
        if (number is null || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || !double.IsFinite(amount) || amount * unit > TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(Math.Round(amount * unit));
        return true;
    }

    /// <summary>Refuses an empty or blank value of <paramref name="option"/>.</summary>
    public static Option<string> NotBlank(this Option<string> option)
    {
        option.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string?>()))
            {
                result.AddError($"{option.Name}: must not be empty.");
            }
        });
        return option;
    }

    /// <summary>Refuses an empty or blank value of <paramref name="argument"/>.</summary>
    public static Argument<string> NotBlank(this Argument<string> argument)
    {
        argument.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string?>()))
            {
                result.AddError($"{argument.Name}: must not be empty.");
            }
        });
        return argument;
    }

    /// <summary>Values of <paramref name="option"/> must be packet ids (64 hex characters).</summary>
    public static Option<string[]> PacketIds(this Option<string[]> option)
    {
        option.Validators.Add(result =>
        {
            foreach (var id in result.GetValueOrDefault<string[]?>() ?? [])
            {
                if (!IsPacketId(id))
                {
                    result.AddError($"{option.Name}: '{id}' is not a packet id (64 hex characters).");
                }
            }
        });
        return option;
    }

    /// <summary>The value of <paramref name="argument"/>, when given, must be a packet id.</summary>
    public static Argument<string?> PacketId(this Argument<string?> argument)
    {
        argument.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } id && !IsPacketId(id))
            {
                result.AddError($"{argument.Name}: '{id}' is not a packet id (64 hex characters).");
            }
        });
        return argument;
    }

    /// <summary>The value, when given, must read <c>host:port</c> (IPv6 as <c>[addr]:port</c>).</summary>
    public static void AddHostPortCheck(this List<Action<OptionResult>> validators, string name) =>
        validators.Add(result => CheckHostPort(result, result.GetValueOrDefault<string?>(), name));

    /// <inheritdoc cref="AddHostPortCheck(List{Action{OptionResult}}, string)"/>
    public static void AddHostPortCheck(this List<Action<ArgumentResult>> validators, string name) =>
        validators.Add(result => CheckHostPort(result, result.GetValueOrDefault<string?>(), name));

    /// <summary>64 hexadecimal characters: the SHA-256 of a packet's payload.</summary>
    public static bool IsPacketId(string id) => id.Length == 64 && id.All(char.IsAsciiHexDigit);

    /// <summary>Whether <paramref name="address"/> reads <c>host:port</c>, <c>[v6]:port</c> with a port from 1 to 65535.</summary>
    public static bool IsHostPort(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
        {
            return false;
        }

        var host = address.AsSpan(0, colon);
        return host.StartsWith('[')
            ? host.Length > 2 && host.EndsWith(']')
            : !host.ContainsAny(": \t/");
    }

    private static void CheckChoice<T>(SymbolResult result, string? value, string name, Choices<T> choices)
        where T : struct, Enum
    {
        if (value is not null && !choices.TryParse(value, out _))
        {
            result.AddError($"{name}: '{value}' is not one of {string.Join(", ", choices.Names)}.");
        }
    }

    private static void CheckHostPort(SymbolResult result, string? value, string name)
    {
        if (value is not null && !IsHostPort(value))
        {
            result.AddError($"{name}: '{value}' is not HOST:PORT (an IPv6 address as [ADDR]:PORT).");
        }
    }
}
