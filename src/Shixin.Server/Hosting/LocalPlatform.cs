namespace Shixin.Server.Hosting;

/// <summary>
/// The platform's own services over its database, without an HTTP listener and without background services: the
/// <c>shixin</c> command's local mode (<c>shixin import --data-dir</c>, <c>shixin demo</c>). It is built by the same
/// composition root as the server (<see cref="ShixinHost.AddShixin"/>), so a local import goes through the same
/// <see cref="Courts.EntryImport"/>, rules, key table and audit as <c>POST /api/v1/entries/import</c>. It behaves like one
/// more node: a running server's index follower polls the ledger head and picks its commits up (PostgreSQL also
/// announces them with NOTIFY from the ledger session).
/// </summary>
public sealed class LocalPlatform : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalPlatform(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public ShixinOptions Options => _app.Services.GetRequiredService<ShixinOptions>();

    /// <summary>
    /// Opens the platform's database with these settings (the server's own names: SHIXIN_DATA_DIR, SHIXIN_DATABASE,
    /// SHIXIN_POSTGRES; the environment fills in what is not given), migrates it and makes sure the hub exists.
    /// </summary>
    public static async Task<LocalPlatform> OpenAsync(IDictionary<string, string?> settings, CancellationToken ct, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        // A command's output is its own lines; the platform's informational logs would bury them.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddShixin([]);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        var app = builder.Build();
        var platform = new LocalPlatform(app);
        try
        {
            // Never started: no listener, no hosted services; only the start-up preparation the ledger needs.
            await ActivatorUtilities.CreateInstance<StartupTasks>(app.Services).PrepareAsync(ct);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
