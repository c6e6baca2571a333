return await Shixin.Cli.CliApp.RunAsync(args, Console.Out, Console.Error);
