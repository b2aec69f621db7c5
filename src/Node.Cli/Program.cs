using System.Runtime.InteropServices;
using Node.Cli;

// Ctrl-C ends a command that follows (knowledge watch, log tail -f) cleanly; a second Ctrl-C
// while it winds down kills the process as usual.
using var interrupted = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    if (!interrupted.IsCancellationRequested)
    {
        context.Cancel = true;
        interrupted.Cancel();
    }
});

return await NodeCtl.RunAsync(args, CliConsole.FromProcess(), interrupted.Token).ConfigureAwait(false);
