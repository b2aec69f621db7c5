using System.CommandLine;
using System.CommandLine.Parsing;

namespace Node.Cli.Commands;

/// <summary>
/// Writes what is wrong with a command line, one <c>nodectl: …</c> line per problem and a
/// pointer to the command's help. System.CommandLine finds the problems; this says them the
/// nodectl way (unknown command 'x', unknown option '--y', option '--z' needs PATH).
/// </summary>
internal static class UsageErrors
{
    public static async Task WriteAsync(ParseResult parse, TextWriter error)
    {
        var command = parse.CommandResult.Command;
        var unmatched = parse.UnmatchedTokens;
        var missingArguments = command.Arguments
            .Where(a => a.Arity.MinimumNumberOfValues > 0 && (parse.GetResult(a)?.Tokens.Count ?? 0) < a.Arity.MinimumNumberOfValues)
            .ToList();
        var missingOptions = command.Options.Where(o => o.Required && parse.GetResult(o) is null or { IdentifierToken: null }).ToList();

        var problems = new List<string>();
        if (unmatched.Count > 0)
        {
            problems.Add(Unknown(command, unmatched[0]));
        }

        if (missingArguments.Count > 0)
        {
            problems.Add($"missing {string.Join(" and ", missingArguments.Select(a => a.Name))}");
        }

        problems.AddRange(missingOptions.Select(o => $"missing option {o.Name} {o.HelpName}".TrimEnd()));

        // What is left, less what was said above in nodectl's words.
        var said = unmatched.Concat(missingOptions.Select(o => o.Name)).Append(missingArguments.Count > 0 ? command.Name : null)
            .OfType<string>().Select(name => $"'{name}'").ToList();
        foreach (var problem in parse.Errors)
        {
            if (said.Any(name => problem.Message.Contains(name, StringComparison.Ordinal)))
            {
                continue;
            }

            if (Rephrase(problem, unmatched) is { } line && !problems.Contains(line))
            {
                problems.Add(line);
            }
        }

        var path = string.Join(' ', Path(parse.CommandResult));
        foreach (var line in problems)
        {
            await error.WriteLineAsync($"{CommandTree.Name}: {line}").ConfigureAwait(false);
        }

        await error.WriteLineAsync($"Try '{path} --help'.").ConfigureAwait(false);
    }

    private static string? Rephrase(ParseError problem, IReadOnlyList<string> unmatched)
    {
        switch (problem.SymbolResult)
        {
            // A group (knowledge, peers, …) without its subcommand; an unknown one was said already.
            case CommandResult { Command: { Subcommands.Count: > 0, Action: null } group }:
                return unmatched.Count > 0
                    ? null
                    : $"'{string.Join(' ', Path(problem.SymbolResult).Skip(1))}' needs a command: {string.Join(", ", group.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}";
            case OptionResult { Tokens.Count: 0, Implicit: false, Option: var option } when option.Arity.MinimumNumberOfValues > 0:
                return $"option '{option.Name}' needs {option.HelpName ?? "a value"}";
            default:
                return problem.Message.ReplaceLineEndings(" ").Replace('\t', ' ');
        }
    }

    private static string Unknown(Command command, string token)
    {
        var option = token.StartsWith('-');
        var what = option ? "option" : command.Subcommands.Count > 0 ? "command" : "argument";
        var known = option
            ? command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options).Where(o => o.Recursive))
                .SelectMany(o => o.Aliases.Append(o.Name))
            : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
        var near = known.Select(name => (Name: name, Distance: Node.Shared.EditDistance.Between(name, token))).Where(n => n.Distance <= 2)
            .OrderBy(n => n.Distance).ThenBy(n => n.Name, StringComparer.Ordinal).Select(n => n.Name).FirstOrDefault();
        return near is null ? $"unknown {what} '{token}'" : $"unknown {what} '{token}' (did you mean '{near}'?)";
    }

    private static Stack<string> Path(SymbolResult? result)
    {
        var names = new Stack<string>();
        for (; result is not null; result = result.Parent)
        {
            if (result is CommandResult command)
            {
                names.Push(command.Parent is null ? CommandTree.Name : command.Command.Name);
            }
        }

        return names;
    }
}
