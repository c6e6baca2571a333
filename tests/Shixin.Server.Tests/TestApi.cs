using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Shixin.Core.Identifiers;

namespace Shixin.Server.Tests;

/// <summary>One server per database, started on first use and shared by the tests of a class.</summary>
public sealed class ServerPerDb : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Db, Lazy<Task<ShixinServer>>> _servers = new();

    public Task<ShixinServer> For(Db db) =>
        _servers.GetOrAdd(db, d => new Lazy<Task<ShixinServer>>(() => ShixinServer.StartAsync(d))).Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _servers.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                await lazy.Value.Result.DisposeAsync();
            }
        }
    }
}

/// <summary>A court registered for one test: its code and a clerk, a judge and a clerk-only client.</summary>
public sealed record Court(string Code, HttpClient Clerk, HttpClient Judge);

/// <summary>Request builders, identifiers and assertions shared by the HTTP tests.</summary>
public static class TestApi
{
    private static readonly IdentifierGenerator Gen = new(Random.Shared.Next());
    private static int _counter = Random.Shared.Next(1000, 100000);

    /// <summary>Today in China, as the server counts it.</summary>
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Iso(int daysFromToday) => Iso(Today.AddDays(daysFromToday));

    public static int Next() => Interlocked.Increment(ref _counter);

    public static string Unique(string prefix) => prefix + Next().ToString(CultureInfo.InvariantCulture);

    public static string CaseNumber() => "(2024)粤0802执" + Next().ToString(CultureInfo.InvariantCulture) + "号";

    public static string AdultId()
    {
        lock (Gen)
        {
            return Gen.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1995, 12, 31)).Value;
        }
    }

    public static string IdBornOn(DateOnly birth)
    {
        lock (Gen)
        {
            return Gen.NextResidentId(birth, birth).Value;
        }
    }

    public static string CreditCode()
    {
        lock (Gen)
        {
            return Gen.NextCreditCode().Value;
        }
    }

    /// <summary>A court under the server's higher court <c>parent</c> (created when missing).</summary>
    public static async Task<Court> CourtAsync(this ShixinServer s, string? parent = null)
    {
        var code = Unique("court-");
        var clerk = await s.OrganizationAsync("court", code, "440802", parent, "court.clerk");
        var judge = await s.KeyAsync(code, "court.judge");
        return new Court(code, clerk, judge);
    }

    public static JsonObject Person(string? idNumber = null, string name = "张三") =>
        new() { ["kind"] = "person", ["name"] = name, ["idNumber"] = idNumber ?? AdultId() };

    public static JsonObject Organization(string? creditCode = null) => new()
    {
        ["kind"] = "organization",
        ["name"] = "湛江市某某贸易有限公司",
        ["creditCode"] = creditCode ?? CreditCode(),
        ["legalRepresentative"] = new JsonObject { ["name"] = "李四", ["idNumber"] = AdultId() },
    };

    public static JsonObject Draft(JsonObject? subject = null, params string[] circumstances) => new()
    {
        ["caseNumber"] = CaseNumber(),
        ["filingDate"] = "2024-01-05",
        ["basisDocument"] = new JsonObject { ["number"] = "(2023)粤0802民初100号", ["issuer"] = "湛江市赤坎区人民法院" },
        ["obligation"] = "支付货款人民币100000元及利息",
        ["performance"] = new JsonObject { ["performedAmount"] = 0, ["unperformedAmount"] = 100000 },
        ["circumstances"] = new JsonArray([.. (circumstances.Length == 0 ? ["capable-but-refuses"] : circumstances).Select(c => (JsonNode?)JsonValue.Create(c))]),
        ["subject"] = subject ?? Person(),
        ["publicity"] = "public",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> GetCt(this HttpClient c, string path) => c.GetAsync(path, Ct);

    public static Task<string> GetStringCt(this HttpClient c, string path) => c.GetStringAsync(path, Ct);

    public static Task<HttpResponseMessage> PostCt(this HttpClient c, string path, HttpContent content) => c.PostAsync(path, content, Ct);

    public static Task<HttpResponseMessage> SendCt(this HttpClient c, HttpRequestMessage m) => c.SendAsync(m, Ct);

    public static Task<HttpResponseMessage> PostJson(this HttpClient c, string path, object body) =>
        c.PostCt(path, new StringContent(body is JsonNode n ? n.ToJsonString() : System.Text.Json.JsonSerializer.Serialize(body, ShixinServer.Json), Encoding.UTF8, "application/json"));

    public static async Task<JsonObject> Json(this HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync(Ct);
        r.StatusCode.ShouldBe(expected, r.RequestMessage?.Method + " " + r.RequestMessage?.RequestUri + " → " + text);
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonObject> Ok(this Task<HttpResponseMessage> r) => await (await r).Json(HttpStatusCode.OK);

    public static async Task<JsonObject> Created(this Task<HttpResponseMessage> r) => await (await r).Json(HttpStatusCode.Created);

    /// <summary>Asserts a problem+json response with the status and stable code; returns the problem.</summary>
    public static async Task<JsonObject> Problem(this HttpResponseMessage r, int status, string? code = null)
    {
        var text = await r.Content.ReadAsStringAsync(Ct);
        ((int)r.StatusCode).ShouldBe(status, r.RequestMessage?.Method + " " + r.RequestMessage?.RequestUri + " → " + text);
        r.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        var p = JsonNode.Parse(text)!.AsObject();
        p["code"].ShouldNotBeNull(text);
        p["status"]!.GetValue<int>().ShouldBe(status);
        if (code is not null)
        {
            p["code"]!.GetValue<string>().ShouldBe(code, text);
        }

        return p;
    }

    public static async Task<JsonObject> Problem(this Task<HttpResponseMessage> r, int status, string? code = null) => await (await r).Problem(status, code);

    public static string Str(this JsonNode? n) => n!.GetValue<string>();

    public static string? StrOrNull(this JsonNode? n) => n?.GetValue<string>();

    /// <summary>Drafts an entry and returns its id.</summary>
    public static async Task<string> DraftAsync(this Court court, JsonObject? body = null)
    {
        var e = await court.Clerk.PostJson("/api/v1/entries", body ?? Draft()).Created();
        return e["id"].Str();
    }

    /// <summary>Drafts, serves the risk notice and decides: a listed entry.</summary>
    public static async Task<string> ListedAsync(this Court court, JsonObject? body = null, int decidedDaysAgo = 10)
    {
        var id = await court.DraftAsync(body);
        await court.Clerk.PostJson("/api/v1/entries/" + id + "/risk-notice", new { servedOn = Iso(-decidedDaysAgo - 5) }).Ok();
        await court.Judge.PostJson("/api/v1/entries/" + id + "/decision", new { decidedOn = Iso(-decidedDaysAgo) }).Ok();
        return id;
    }

    public static async Task<JsonObject> EntryAsync(this HttpClient c, string id) => await c.GetCt("/api/v1/entries/" + id).Ok();

    public static async Task<int> HistoryLengthAsync(this HttpClient c, string id) => (await c.EntryAsync(id))["history"]!.AsArray().Count;

    public static IEnumerable<string> Types(this JsonObject entry) => entry["history"]!.AsArray().Select(h => h!["type"].Str());
}
