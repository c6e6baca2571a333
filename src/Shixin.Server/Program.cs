using Shixin.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddShixin(args);
var app = builder.Build();
app.UseShixin();
await app.RunAsync();

/// <summary>The host entry point (public so tests can start it in-process).</summary>
public partial class Program;
