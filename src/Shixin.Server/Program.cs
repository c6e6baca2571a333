using Shixin.Server.Hosting;

await ShixinHost.Create(args).RunAsync();
