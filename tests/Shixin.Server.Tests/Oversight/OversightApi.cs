using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Units;

namespace Shixin.Server.Tests.Oversight;

/// <summary>Helpers for the oversight tests: units, entries listed on a given day, exits, duties and checks over HTTP.</summary>
public static class OversightApi
{
    /// <summary>Beijing: a unit there applies the national catalog only (civil-aviation.ticket → one measure).</summary>
    public const string BeijingRegion = "110105";

    /// <summary>The national measure a flight check applies (002 二.七.1).</summary>
    public const string FlightMeasure = "national-2016/二.七.1";

    public const string Flight = "civil-aviation.ticket";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A unit with the checker and feedback roles (or the given ones).</summary>
    public static Task<HttpClient> UnitAsync(this ShixinServer s, string code, params string[] roles) =>
        s.OrganizationAsync("unit", code, BeijingRegion, null, roles.Length == 0 ? ["unit.checker", "unit.feedback"] : roles);

    /// <summary>Drafts, serves the risk notice five days before and decides the listing on <paramref name="decidedOn"/>.</summary>
    public static async Task<string> ListedOnAsync(this Court court, DateOnly decidedOn, JsonObject? body = null)
    {
        var id = await court.DraftAsync(body);
        await court.Clerk.PostJson("/api/v1/entries/" + id + "/risk-notice", new { servedOn = TestApi.Iso(decidedOn.AddDays(-5)) }).Ok();
        var decided = await court.Judge.PostJson("/api/v1/entries/" + id + "/decision", new { decidedOn = TestApi.Iso(decidedOn) }).Ok();
        decided["status"].Str().ShouldBe("listed");
        return id;
    }

    public static async Task<JsonObject> ExitAsync(this Court court, string id, DateOnly effectiveOn, string kind = "revoke", string reason = "wrongly-listed") =>
        await court.Judge.PostJson("/api/v1/entries/" + id + "/exit", new { kind, reason, effectiveOn = TestApi.Iso(effectiveOn), note = "测试" }).Ok();

    /// <summary>Waits until this node's index reflects every committed ledger change.</summary>
    public static async Task CaughtUpAsync(this ShixinServer s)
    {
        var follower = s.Get<IndexFollower>();
        await follower.Loaded.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        long head;
        await using (var db = s.Get<ShixinDatabase>().CreateContext())
        {
            head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync(Ct);
        }

        (await follower.WaitForAsync(head, TimeSpan.FromSeconds(10))).ShouldBeTrue("the index did not reach " + head.ToString(CultureInfo.InvariantCulture));
    }

    public static async Task<JsonArray> Array(this HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await r.Content.ReadAsStringAsync(Ct);
        r.StatusCode.ShouldBe(expected, r.RequestMessage?.Method + " " + r.RequestMessage?.RequestUri + " → " + text);
        return JsonNode.Parse(text)!.AsArray();
    }

    /// <summary>GET /api/v1/obligations for the caller.</summary>
    public static async Task<JsonObject[]> ObligationsAsync(this HttpClient c, string? status = null) =>
        [.. (await (await c.GetCt("/api/v1/obligations" + (status is null ? "" : "?status=" + status))).Array()).Select(o => o!.AsObject())];

    /// <summary>The single duty with this code about this entry (or proceeding/quarter when given).</summary>
    public static async Task<JsonObject> DutyAsync(this HttpClient c, string code, string? entryId = null, string? proceedingId = null, string? caseNumber = null)
    {
        var all = await c.ObligationsAsync();
        var found = all.Where(o => o["code"].Str() == code
            && (entryId is null || o["entryId"].StrOrNull() == entryId)
            && (proceedingId is null || o["proceedingId"].StrOrNull() == proceedingId)
            && (caseNumber is null || o["caseNumber"].StrOrNull() == caseNumber)).ToArray();
        found.Length.ShouldBe(1, code + " among " + new JsonArray([.. all.Select(o => (JsonNode?)o.DeepClone())]).ToJsonString());
        return found[0];
    }

    public static async Task<JsonObject> CheckOneAsync(this HttpClient unit, string idNumber, string scenario = Flight)
    {
        var r = await unit.PostJson("/api/v1/checks", new { scenario, reference = "order-1", subjects = new[] { new { idNumber } } }).Ok();
        return r["results"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
    }

    public static Task<HttpResponseMessage> FeedbackAsync(this HttpClient unit, string entryId, string action, DateTimeOffset? occurredAt = null,
        string measureCode = FlightMeasure, string? legalBasis = null, string? keepUntil = null) =>
        unit.PostJson("/api/v1/feedback", new { entryId, measureCode, action, occurredAt, legalBasis, keepUntil, note = "测试" });

    /// <summary>A minute ago, in China time.</summary>
    public static DateTimeOffset Now() => DateTimeOffset.UtcNow.AddMinutes(-1).ToOffset(TimeSpan.FromHours(8));

    /// <summary>Noon in China on a date.</summary>
    public static DateTimeOffset Noon(DateOnly d) => new(d.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8));
}
