using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Shixin.Core.Identifiers;
using Shixin.Data;
using Shixin.Server.Units;

namespace Shixin.Server.Tests.Units;

/// <summary>
/// A running platform with one court (clerk + judge) and checker units in Ningxia (640104), Zhanjiang (440802)
/// and Beijing (110105), plus helpers that list entries the way a court does over HTTP.
/// </summary>
public sealed class ScreeningWorld : IAsyncDisposable
{
    public const string NingxiaRegion = "640104";
    public const string ZhanjiangRegion = "440802";
    public const string BeijingRegion = "110105";

    private static int _serial = Random.Shared.Next(1000, 9000);
    private readonly IdentifierGenerator _ids = new(Random.Shared.Next());
    private readonly Lock _gate = new();

    private ScreeningWorld(Db db, ShixinServer server)
    {
        Db = db;
        Server = server;
    }

    public Db Db { get; }

    public ShixinServer Server { get; }

    public HttpClient Court { get; private set; } = null!;

    public HttpClient Ningxia { get; private set; } = null!;

    public HttpClient Zhanjiang { get; private set; } = null!;

    public HttpClient Beijing { get; private set; } = null!;

    public const string CourtCode = "court-ycz";
    public const string NingxiaUnit = "unit-nx-airline";
    public const string ZhanjiangUnit = "unit-zj-airline";
    public const string BeijingUnit = "unit-bj-airline";

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task<ScreeningWorld> StartAsync(Db db)
    {
        var server = await ShixinServer.StartAsync(db);
        var w = new ScreeningWorld(db, server);
        try
        {
            await w.InitAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return w;
    }

    private async Task InitAsync()
    {
        await Server.Get<IndexFollower>().Loaded.WaitAsync(TimeSpan.FromSeconds(60));
        Court = await Server.OrganizationAsync("court", CourtCode, "640104", null, "court.clerk", "court.judge");
        Ningxia = await Server.OrganizationAsync("unit", NingxiaUnit, NingxiaRegion, null, "unit.checker");
        Zhanjiang = await Server.OrganizationAsync("unit", ZhanjiangUnit, ZhanjiangRegion, null, "unit.checker");
        Beijing = await Server.OrganizationAsync("unit", BeijingUnit, BeijingRegion, null, "unit.checker");
    }

    public IndexFollower Follower => Server.Get<IndexFollower>();

    public string NewPersonId()
    {
        lock (_gate)
        {
            return _ids.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1995, 12, 31)).Value;
        }
    }

    public CreditCode NewCreditCode()
    {
        lock (_gate)
        {
            return _ids.NextCreditCode();
        }
    }

    public string NewPassport()
    {
        lock (_gate)
        {
            return _ids.NextPassport().Number;
        }
    }

    public static string NewCaseNumber() =>
        "(2024)宁0104执" + Interlocked.Increment(ref _serial).ToString(CultureInfo.InvariantCulture) + "号";

    public static object Person(string idNumber, string name = "张三", object[]? documents = null) =>
        new { kind = "person", name, idNumber, documents };

    public static object Organization(string creditCode, string repId, string name = "宁夏某某商贸有限公司") =>
        new { kind = "organization", name, creditCode, legalRepresentative = new { name = "李四", idNumber = repId } };

    /// <summary>Drafts an entry and serves the risk notice; returns its id.</summary>
    public async Task<Guid> NoticedAsync(object subject, object[]? relatedPersons = null, string publicity = "public")
    {
        var caseNumber = NewCaseNumber();
        var today = Iso(Today);
        var draft = await Court.PostAsJsonAsync("/api/v1/entries", new
        {
            caseNumber,
            filingDate = today,
            basisDocument = new { number = "(2023)宁0104民初1号", issuer = "银川市兴庆区人民法院" },
            obligation = "偿还借款本金人民币100000元及利息",
            performance = new { performedAmount = 0m, unperformedAmount = 100000m },
            circumstances = new[] { "capable-but-refuses" },
            subject,
            relatedPersons,
            publicity,
        });
        await Ensure(draft, HttpStatusCode.Created, "draft");
        var id = Guid.Parse((await draft.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        await Ensure(await Court.PostAsJsonAsync($"/api/v1/entries/{id}/risk-notice", new { servedOn = today }), HttpStatusCode.OK, "risk-notice");
        return id;
    }

    /// <summary>Decides the listing (optionally with a grace period); returns the decision's response.</summary>
    public async Task<JsonObject> DecideAsync(Guid id, DateOnly? publishOn = null)
    {
        var decided = await Court.PostAsJsonAsync($"/api/v1/entries/{id}/decision",
            new { decidedOn = Iso(Today), publishOn = publishOn is null ? null : Iso(publishOn.Value) });
        await Ensure(decided, HttpStatusCode.OK, "decision");
        return (await decided.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Lists an entry and waits until this node's index reflects it.</summary>
    public async Task<Guid> ListAsync(object subject, object[]? relatedPersons = null, string publicity = "public")
    {
        var id = await NoticedAsync(subject, relatedPersons, publicity);
        var decision = await DecideAsync(id);
        decision["status"]!.GetValue<string>().ShouldBe("listed");
        decision["screened"]!.GetValue<bool>().ShouldBeTrue();
        await CaughtUpAsync();
        return id;
    }

    public async Task ExitAsync(Guid id, string kind = "revoke", string reason = "wrongly-listed")
    {
        var exit = await Court.PostAsJsonAsync($"/api/v1/entries/{id}/exit", new { kind, reason, effectiveOn = Iso(Today), note = "测试" });
        await Ensure(exit, HttpStatusCode.OK, "exit");
    }

    /// <summary>The ledger sequence committed in the database.</summary>
    public async Task<long> LedgerHeadAsync()
    {
        await using var db = Server.Get<ShixinDatabase>().CreateContext();
        return await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync();
    }

    /// <summary>Waits until the index reflects every committed change.</summary>
    public async Task<long> CaughtUpAsync()
    {
        var head = await LedgerHeadAsync();
        (await Follower.WaitForAsync(head, TimeSpan.FromSeconds(10))).ShouldBeTrue("the index did not reach sequence " + head.ToString(CultureInfo.InvariantCulture));
        return head;
    }

    public static async Task<JsonObject> CheckAsync(HttpClient unit, string scenario, params object[] subjects)
    {
        var response = await unit.PostAsJsonAsync("/api/v1/checks", new { scenario, reference = "order-8812", subjects });
        await Ensure(response, HttpStatusCode.OK, "check");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Checks one subject and returns its result.</summary>
    public static async Task<JsonObject> CheckOneAsync(HttpClient unit, string scenario, object subject) =>
        (await CheckAsync(unit, scenario, subject))["results"]!.AsArray().Single()!.AsObject();

    public static async Task Ensure(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException(what + ": expected " + ((int)expected).ToString(CultureInfo.InvariantCulture) + ", got "
                + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + ": " + await response.Content.ReadAsStringAsync());
        }
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>One world per database, started on first use and shared by the tests of a class.</summary>
public sealed class WorldFixture : IAsyncDisposable
{
    private readonly Dictionary<Db, Task<ScreeningWorld>> _worlds = [];

    public Task<ScreeningWorld> GetAsync(Db db)
    {
        lock (_worlds)
        {
            if (!_worlds.TryGetValue(db, out var world))
            {
                _worlds[db] = world = ScreeningWorld.StartAsync(db);
            }

            return world;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var w in _worlds.Values)
        {
            try
            {
                await (await w).DisposeAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A world that never started (e.g. PostgreSQL unavailable) has nothing to stop.
            }
        }
    }
}
