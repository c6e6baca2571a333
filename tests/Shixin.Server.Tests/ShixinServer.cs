using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Shixin.Server.Hosting;
using Shixin.Testing;

namespace Shixin.Server.Tests;

/// <summary>Which database a test runs the platform on.</summary>
public enum Db
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The real platform on Kestrel at 127.0.0.1 with a fresh data directory: SQLite file or a new
/// PostgreSQL database in the shared throwaway cluster. Tests talk to it over real HTTP.
/// </summary>
public sealed class ShixinServer : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";
    private readonly WebApplication _app;
    private readonly string _dataDir;

    private ShixinServer(WebApplication app, string dataDir, Uri baseAddress)
    {
        _app = app;
        _dataDir = dataDir;
        BaseAddress = baseAddress;
        Admin = Client(AdminKey);
    }

    public Uri BaseAddress { get; }

    public HttpClient Admin { get; }

    public IServiceProvider Services => _app.Services;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Starts a server; on PostgreSQL without binaries the calling test is skipped, visibly.</summary>
    public static async Task<ShixinServer> StartAsync(Db db, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "shixin-test-" + Guid.NewGuid().ToString("N")[..10]);
        var settings = new Dictionary<string, string?>
        {
            ["SHIXIN_DATA_DIR"] = dataDir,
            ["SHIXIN_ADMIN_KEY"] = AdminKey,
            ["SHIXIN_DATABASE"] = db == Db.Postgres ? "postgres" : "sqlite",
            ["Logging:LogLevel:Default"] = "Warning",
            ["SHIXIN_CLOCK_SECONDS"] = "3600",
        };
        if (db == Db.Postgres)
        {
            var pg = await PostgresCluster.SharedAsync();
            Assert.SkipUnless(pg.Available, pg.SkipReason ?? "");
            settings["SHIXIN_POSTGRES"] = await pg.CreateDatabaseAsync();
        }

        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        var app = ShixinHost.Create(["--urls", "http://127.0.0.1:0"], settings, services);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ShixinServer(app, dataDir, new Uri(address));
    }

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    public HttpClient Client(string? key = null)
    {
        var c = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(20) };
        if (key is not null)
        {
            c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return c;
    }

    /// <summary>Registers an organization (as the hub) and returns a client holding a key with the roles.</summary>
    public async Task<HttpClient> OrganizationAsync(string kind, string code, string region, string? parent, params string[] roles)
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/organizations", new { kind, code, name = code + " 名称", region, parentCode = parent });
        if (created.StatusCode != System.Net.HttpStatusCode.Created && created.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException("organization " + code + ": " + await created.Content.ReadAsStringAsync());
        }

        return await KeyAsync(code, roles);
    }

    public async Task<HttpClient> KeyAsync(string code, params string[] roles)
    {
        var issued = await Admin.PostAsJsonAsync("/api/v1/organizations/" + code + "/keys", new { roles });
        issued.EnsureSuccessStatusCode();
        var key = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        return Client(key);
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The system clock moved by an offset a test controls: lets days pass for the server without waiting.</summary>
public sealed class ShiftedTime : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
