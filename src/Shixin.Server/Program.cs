using Shixin.Server.Hosting;

try
{
    await ShixinHost.Create(args).RunAsync();
}
catch (StartupRefusedException ex)
{
    // A start-up file the platform cannot run without is broken: say which and why, not a stack trace (exit code 2).
    await Console.Error.WriteLineAsync("shixin: " + ex.Message);
    return 2;
}

return 0;
