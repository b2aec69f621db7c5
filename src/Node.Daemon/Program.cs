using Node.Daemon;

return await DaemonProgram.RunAsync(args, DaemonLaunch.FromProcess, Console.Out, Console.Error).ConfigureAwait(false);
