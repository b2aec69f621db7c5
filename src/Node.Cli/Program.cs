using Node.Cli;

return await NodeCtl.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
