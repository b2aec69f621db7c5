namespace Node.Cli.Commands;

/// <summary>
/// Shell completion scripts. Each asks nodectl itself what may come next, through
/// System.CommandLine's suggest directive: <c>nodectl "[suggest:POS]" "LINE"</c> prints the
/// commands, options and option values that fit at cursor position POS of LINE, one a line.
/// </summary>
internal static class CompletionScripts
{
    /// <summary>The shells there is a script for.</summary>
    public static IReadOnlyList<string> Shells { get; } = ["bash", "zsh", "fish"];

    /// <summary>The script for <paramref name="shell"/>, one of <see cref="Shells"/>.</summary>
    public static string For(string shell) => shell switch
    {
        "bash" => Bash,
        "zsh" => Zsh,
        "fish" => Fish,
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, $"Not one of {string.Join(", ", Shells)}."),
    };

    private const string Bash =
        """
        # nodectl completion for bash: commands, options and their values, asked of nodectl itself.
        # Install:  nodectl completion bash | sudo tee /etc/bash_completion.d/nodectl >/dev/null
        #     or:   echo 'source <(nodectl completion bash)' >> ~/.bashrc
        _nodectl_complete()
        {
            local IFS=$'\n'
            local suggestions
            suggestions=$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) || return 0
            COMPREPLY=($(compgen -W "${suggestions}" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        # -o default: file names where nodectl has nothing to offer (--file, backup create PATH).
        complete -o default -F _nodectl_complete nodectl

        """;

    private const string Zsh =
        """
        #compdef nodectl
        # nodectl completion for zsh: commands, options and their values, asked of nodectl itself.
        # Install:  nodectl completion zsh > "${fpath[1]}/_nodectl"    (then start a new shell)
        #     or:   echo 'source <(nodectl completion zsh)' >> ~/.zshrc  (after compinit)
        _nodectl() {
          local upto="${(j: :)words[1,CURRENT]}"
          local -a suggestions
          suggestions=("${(@f)$("${words[1]}" "[suggest:${#upto}]" "${(j: :)words}" 2>/dev/null)}")
          suggestions=(${suggestions:#})
          if (( ${#suggestions} )); then
            compadd -a suggestions
          else
            _files
          fi
        }
        if [ "$funcstack[1]" = "_nodectl" ]; then
          _nodectl "$@"
        else
          compdef _nodectl nodectl
        fi

        """;

    private const string Fish =
        """
        # nodectl completion for fish: commands, options and their values, asked of nodectl itself.
        # Install:  nodectl completion fish > ~/.config/fish/completions/nodectl.fish
        function __nodectl_complete
            set -l line (commandline -cp)
            set -l suggestions (nodectl "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null)
            if test (count $suggestions) -gt 0
                printf '%s\n' $suggestions
            else
                __fish_complete_path (commandline -ct)
            end
        end
        complete -c nodectl -f -a '(__nodectl_complete)'

        """;
}
