using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Node.Reasoning.Confidence;
using Node.Reasoning.Internal;
using Node.Reasoning.Pipeline;

namespace Node.Reasoning;

/// <summary>The engine's learnt state, saved and restored across restarts.</summary>
public sealed partial class ReasoningEngine
{
    private const int StateMagic = 0x45524E53; // "SNRE"
    private const int StateVersion = 1;
    private const int MaxSubjectBytes = 1024;

    /// <summary>
    /// Writes what the engine has learnt — Aletheia's calibration and validate counts, and each subject's ID baseline —
    /// in a versioned little-endian format. Indicators and waiting outcomes are not kept: they warm up again.
    /// </summary>
    public void SaveState(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var writer = new StateWriter(destination);
        writer.Int32(StateMagic);
        writer.Int32(StateVersion);
        Aletheia.Save(writer);
        writer.Int32(_subjects.Count);
        Span<byte> baseline = stackalloc byte[Reasoners.Baseline.StateSize];
        foreach (var (name, subject) in _subjects)
        {
            writer.String(name);
            subject.Baseline.Save(baseline);
            writer.Bytes(baseline);
        }
    }

    /// <summary>
    /// Restores a state <see cref="SaveState"/> wrote into this (fresh) engine. False, with <paramref name="error"/> naming the
    /// part that does not read, when the bytes are not such a state; the engine may then hold part of it and should be
    /// replaced by a fresh one.
    /// </summary>
    public bool TryRestoreState(ReadOnlySpan<byte> source, [NotNullWhen(false)] out string? error)
    {
        var reader = new StateReader(source);
        if (!reader.Int32(out var magic) || magic != StateMagic)
        {
            error = "reasoning state: not a saved reasoning state (magic)";
            return false;
        }

        if (!reader.Int32(out var version) || version != StateVersion)
        {
            error = $"reasoning state: version {version} is not {StateVersion}";
            return false;
        }

        if (!Aletheia.TryRestore(ref reader, out error))
        {
            return false;
        }

        if (!reader.Int32(out var count) || count < 0 || count > _options.MaxSubjects)
        {
            error = $"reasoning state: subject count {count} is not between 0 and {_options.MaxSubjects}";
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!reader.String(MaxSubjectBytes, out var name) || name.Length == 0
                || !reader.Bytes(Reasoners.Baseline.StateSize, out var baseline))
            {
                error = $"reasoning state: subject {i} does not read";
                return false;
            }

            var subject = new MarketSubject(name, _options.Kyle);
            if (!subject.Baseline.TryRestore(baseline, out var baselineError))
            {
                error = $"reasoning state: subject '{name}': {baselineError}";
                return false;
            }

            _subjects[name] = subject;
        }

        if (!reader.AtEnd)
        {
            error = "reasoning state: bytes left over after the last subject";
            return false;
        }

        error = null;
        return true;
    }
}
