using System.Runtime.InteropServices;

namespace Node.Daemon.Lifecycle;

/// <summary>
/// SIGHUP for the whole run of the daemon, registered before anything is opened: SIGHUP's default
/// action ends the process, so a SIGHUP during start-up (a reload sent while the node still opens
/// its store) would kill it silently. One that arrives before a handler is attached is held and
/// handed over at <see cref="Attach"/>; one that arrives after <see cref="Detach"/> is ignored.
/// </summary>
public sealed class HangupSignal : IDisposable
{
    private readonly Lock _gate = new();
    private readonly PosixSignalRegistration _registration;
    private Action? _handler;
    private bool _held;
    private bool _detached;

    /// <summary>Starts catching SIGHUP.</summary>
    public HangupSignal() => _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

    /// <summary>Whether a SIGHUP arrived before a handler was attached and waits for one.</summary>
    public bool IsHeld
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    /// <summary>
    /// Routes SIGHUP to <paramref name="handler"/> (on the thread pool, never on the signal thread);
    /// one held from before runs at once. Does nothing after <see cref="Detach"/>.
    /// </summary>
    public void Attach(Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            if (_detached)
            {
                return;
            }

            _handler = handler;
            if (_held)
            {
                _held = false;
                ThreadPool.QueueUserWorkItem(static h => h(), handler, preferLocal: false);
            }
        }
    }

    /// <summary>Stops routing SIGHUP for good (the node is stopping): later ones are caught and ignored.</summary>
    public void Detach()
    {
        lock (_gate)
        {
            _detached = true;
            _handler = null;
            _held = false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _registration.Dispose();

    /// <summary>What a SIGHUP does (public for tests: a signal to the test process would reach every test's node).</summary>
    public void Raise()
    {
        lock (_gate)
        {
            if (_handler is { } handler)
            {
                ThreadPool.QueueUserWorkItem(static h => h(), handler, preferLocal: false);
            }
            else if (!_detached)
            {
                _held = true;
            }
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // SIGHUP must not end the process
        Raise();
    }
}
