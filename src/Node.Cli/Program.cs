using Node.Cli;

return NodeCtl.Run(args, Console.Out, Console.Error);
