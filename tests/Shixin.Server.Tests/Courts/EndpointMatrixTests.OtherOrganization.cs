using System.Net;
using Microsoft.AspNetCore.Routing;
using Shixin.Server.Tests.Oversight;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Courts;

/// <summary>
/// The other-organization column of the matrix (issue 11 "What to build" 1): for every endpoint that addresses an
/// organization's or a court's resource, a caller holding the right role but belonging to another organization is
/// refused (403 or 404, never 2xx), and a list answers the caller's own items only. Every /api/v1 endpoint needs a line
/// in <see cref="OtherOrganization"/>: a probe, or the reason it addresses nothing another organization owns; a new
/// endpoint without a line fails the test.
/// </summary>
public sealed partial class EndpointMatrixTests
{
    /// <summary>Organization A owns every resource; B holds the same roles in another organization.</summary>
    private sealed record World(ShixinServer S, Court A, Court B, HttpClient UnitA, HttpClient UnitB, HttpClient UnitBAdmin, string UnitACode,
        Dictionary<string, string> Ids);

    /// <summary>A probe: B's request; <c>MustNotContain</c> names an id of A's that a 200 list must not show (null: 403/404 expected).</summary>
    private sealed record Probe(Func<World, Task<HttpResponseMessage>> Send, string? MustNotContain = null, int[]? AlsoRefusedWith = null);

    private const string HubOnly = "n/a: hub endpoints; the hub is one organization whose keys act platform-wide";
    private const string OwnOnly = "n/a: acts on the caller's own organization only (nothing of another is addressed)";
    private const string PlatformWide = "n/a: platform-wide published data, the same for every caller with the role";
    private const string PublicLine = "n/a: public";
    private const string Covered = "probed in ";

    private static Probe B(Func<World, Task<HttpResponseMessage>> send, params int[] also) => new(send, null, also.Length == 0 ? null : also);

    private static Probe List(Func<World, Task<HttpResponseMessage>> send, string idOfA) => new(send, idOfA);

    private static Task<HttpResponseMessage> Post(HttpClient c, string path, object body) => c.PostJson(path, body);

    /// <summary>"VERB pattern" → probe or reason. Add a line for every new endpoint.</summary>
    private static readonly Dictionary<string, object> OtherOrganization = new(StringComparer.Ordinal)
    {
        // Courts' entries and their proceedings: court B's clerk and judge on court A's entry.
        ["GET /api/v1/entries/{id:guid}"] = B(w => w.B.Clerk.GetCt("/api/v1/entries/" + w.Ids["listed"])),
        ["GET /api/v1/entries/{id:guid}/special-notification"] = B(w => w.B.Clerk.GetCt("/api/v1/entries/" + w.Ids["listed"] + "/special-notification")),
        ["GET /api/v1/entries/"] = List(w => w.B.Clerk.GetCt("/api/v1/entries?limit=500"), "listed"),
        ["POST /api/v1/entries/{id:guid}/risk-notice"] = B(w => Post(w.B.Clerk, "/api/v1/entries/" + w.Ids["draft"] + "/risk-notice", new { servedOn = Iso(-2) })),
        ["POST /api/v1/entries/{id:guid}/decision"] = B(w => Post(w.B.Judge, "/api/v1/entries/" + w.Ids["noticed"] + "/decision", new { decidedOn = Iso(0) })),
        ["POST /api/v1/entries/{id:guid}/exit"] = B(w => Post(w.B.Judge, "/api/v1/entries/" + w.Ids["listed"] + "/exit", new { kind = "revoke", reason = "wrongly-listed", effectiveOn = Iso(0) })),
        ["POST /api/v1/entries/{id:guid}/extension"] = B(w => Post(w.B.Judge, "/api/v1/entries/" + w.Ids["listed"] + "/extension", new { decidedOn = Iso(0), years = 1, reason = "x" })),
        ["POST /api/v1/entries/{id:guid}/amendment"] = B(w => Post(w.B.Judge, "/api/v1/entries/" + w.Ids["listed"] + "/amendment", new { changes = new { obligation = "改" }, reason = "x" })),
        ["POST /api/v1/entries/{id:guid}/performance"] = B(w => Post(w.B.Clerk, "/api/v1/entries/" + w.Ids["listed"] + "/performance", new { performedAmount = 1, unperformedAmount = 1, recordedOn = Iso(0) })),
        ["POST /api/v1/entries/{id:guid}/corrections"] = B(w => Post(w.B.Clerk, "/api/v1/entries/" + w.Ids["listed"] + "/corrections", new { receivedOn = Iso(-1), filedOn = Iso(0), grounds = "x" })),
        ["POST /api/v1/entries/{id:guid}/special-notification"] = B(w => Post(w.B.Clerk, "/api/v1/entries/" + w.Ids["listed"] + "/special-notification", new { addressee = "某局人事处", deliveredOn = Iso(0), method = "直接送达" })),
        ["POST /api/v1/entries/{id:guid}/exemptions"] = B(w => Post(w.B.Judge, "/api/v1/entries/" + w.Ids["listed"] + "/exemptions", Lift(w.Ids["idNumber"]))),
        ["POST /api/v1/exemptions/{id:guid}/end"] = B(w => Post(w.B.Judge, "/api/v1/exemptions/" + w.Ids["exemption"] + "/end", new { reason = "x" })),
        ["POST /api/v1/corrections/{id:guid}/ruling"] = B(w => Post(w.B.Judge, "/api/v1/corrections/" + w.Ids["correction"] + "/ruling", new { outcome = "accepted", ruledOn = Iso(0), reasons = "x" })),
        ["POST /api/v1/corrections/{id:guid}/reconsideration"] = B(w => Post(w.B.Clerk, "/api/v1/corrections/" + w.Ids["rejected"] + "/reconsideration", new { filedOn = Iso(0), grounds = "x" })),
        ["POST /api/v1/reconsiderations/{id:guid}/ruling"] = B(w => Post(w.B.Judge, "/api/v1/reconsiderations/" + w.Ids["reconsideration"] + "/ruling", new { outcome = "accepted", ruledOn = Iso(0), reasons = "x" })),
        ["POST /api/v1/objections/{id:guid}/verification"] = B(w => Post(w.B.Judge, "/api/v1/objections/" + w.Ids["objection"] + "/verification", new { outcome = "rejected", verifiedOn = Iso(0), reasons = "x" })),
        ["GET /api/v1/subjects/status"] = List(w => w.B.Clerk.GetCt("/api/v1/subjects/status?idNumber=" + w.Ids["idNumber"]), "listed"),
        ["GET /api/v1/obligations"] = List(w => w.B.Clerk.GetCt("/api/v1/obligations"), "listed"),

        // Units' records: unit B (checker, feedback, subscriber, key administrator) on unit A's.
        ["GET /api/v1/checks/{checkId:guid}"] = B(w => w.UnitB.GetCt("/api/v1/checks/" + w.Ids["check"])),
        ["GET /api/v1/objections/{id:guid}"] = B(w => w.UnitB.GetCt("/api/v1/objections/" + w.Ids["objection"])),
        // Finding 2: an objection only from the unit that applied the measure (409 measure-not-applied names the cause).
        ["POST /api/v1/objections"] = B(w => Post(w.UnitB, "/api/v1/objections", new { entryId = w.Ids["listed"], measureCode = OversightApi.FlightMeasure, receivedOn = Iso(0), grounds = "x" }), 409),
        ["POST /api/v1/feedback"] = B(w => Post(w.UnitB, "/api/v1/feedback", new { entryId = w.Ids["draft"], measureCode = OversightApi.FlightMeasure, action = "applied", occurredAt = OversightApi.Now(), note = "x" }), 409),
        ["GET /api/v1/feedback"] = List(w => w.UnitB.GetCt("/api/v1/feedback"), "objection"),
        // Finding 10: a repair filed into another organization's queue.
        ["POST /api/v1/credit-repairs"] = B(w => Post(w.UnitB, "/api/v1/credit-repairs", new { entryId = w.Ids["shielded"], organization = w.UnitACode, grounds = "x" })),
        ["POST /api/v1/credit-repairs/{id:guid}/decision"] = B(w => Post(w.UnitB, "/api/v1/credit-repairs/" + w.Ids["repair"] + "/decision", new { outcome = "granted", decidedOn = Iso(0), reasons = "x" })),
        ["GET /api/v1/credit-repairs"] = List(w => w.UnitB.GetCt("/api/v1/credit-repairs"), "repair"),
        ["POST /api/v1/complaints/{id:guid}/resolution"] = B(w => Post(w.UnitB, "/api/v1/complaints/" + w.Ids["complaint"] + "/resolution",
            new { finding = "upheld", answer = "x", answeredOn = Iso(0), measureApplied = OversightApi.FlightMeasure })),
        ["GET /api/v1/complaints"] = List(w => w.UnitB.GetCt("/api/v1/complaints"), "complaintCode"),
        ["GET /api/v1/subscriptions/{id:guid}"] = B(w => w.UnitB.GetCt("/api/v1/subscriptions/" + w.Ids["subscription"])),
        ["DELETE /api/v1/subscriptions/{id:guid}"] = B(w => w.UnitB.DeleteAsync("/api/v1/subscriptions/" + w.Ids["subscription"], TestContext.Current.CancellationToken)),
        ["POST /api/v1/subscriptions/{id:guid}/resume"] = B(w => Post(w.UnitB, "/api/v1/subscriptions/" + w.Ids["subscription"] + "/resume", new { })),
        ["POST /api/v1/subscriptions/{id:guid}/secrets"] = B(w => Post(w.UnitB, "/api/v1/subscriptions/" + w.Ids["subscription"] + "/secrets", new { })),
        ["GET /api/v1/subscriptions/"] = List(w => w.UnitB.GetCt("/api/v1/subscriptions"), "subscription"),
        ["POST /api/v1/keys/{id}/revoke"] = B(w => Post(w.UnitBAdmin, "/api/v1/keys/" + w.Ids["key"] + "/revoke", new { })),
        ["GET /api/v1/organizations/{code}/keys"] = B(w => w.UnitBAdmin.GetCt("/api/v1/organizations/" + w.UnitACode + "/keys")),

        // Investigations and controls (landed alongside): their set-up (routes, assisting units, tasks) lives in InvestigationTests,
        // which asserts the same column there; a probe here would duplicate that world.
        ["GET /api/v1/investigations/{id:guid}"] = Covered + "InvestigationTests: another court's judge → 403",
        ["GET /api/v1/investigations"] = Covered + "InvestigationTests: another court's list does not show it; another unit has no tasks",
        ["POST /api/v1/investigation-tasks/{id:guid}/answer"] = Covered + "InvestigationTests: another unit → 403",
        ["POST /api/v1/investigation-tasks/answers"] = Covered + "BatchAnswerTests: another unit's line is refused (forbidden), the task stays open",
        ["POST /api/v1/controls"] = Covered + "InvestigationTests: a control names a task of the court's own investigation",
        ["GET /api/v1/controls"] = Covered + "InvestigationTests: lists are the caller's own",
        ["POST /api/v1/control-tasks/{id:guid}/answer"] = Covered + "InvestigationTests: a unit not addressed → 403",
        ["POST /api/v1/investigations"] = OwnOnly,
        ["GET /api/v1/investigation-routes"] = PlatformWide,
        ["PUT /api/v1/investigation-routes"] = HubOnly,
        ["GET /api/v1/reports/quarterly"] = OwnOnly + " (a unit's report is its own; the organization parameter is the hub's)",
        ["POST /api/v1/reports/quarterly/confirmation"] = OwnOnly,
        ["POST /api/v1/checks"] = OwnOnly,
        ["POST /api/v1/checks/batch"] = OwnOnly,
        ["POST /api/v1/entries/"] = OwnOnly,
        ["POST /api/v1/entries/import"] = OwnOnly,
        ["POST /api/v1/subscriptions/"] = OwnOnly,
        ["GET /api/v1/catalogs"] = PlatformWide,
        ["GET /api/v1/catalogs/{id}/measures"] = PlatformWide,
        ["GET /api/v1/scenarios"] = PlatformWide,
        ["GET /api/v1/notices"] = PlatformWide,
        ["GET /api/v1/exports/daily/{date}.csv"] = PlatformWide,
        ["GET /api/v1/feed"] = PlatformWide,
        ["GET /api/v1/snapshot"] = PlatformWide,
        ["GET /api/v1/audit"] = HubOnly,
        ["GET /api/v1/compliance"] = HubOnly,
        ["GET /api/v1/organizations/"] = HubOnly,
        ["GET /api/v1/organizations/{code}"] = HubOnly,
        ["GET /api/v1/organizations/{code}/users"] = HubOnly,
        ["POST /api/v1/organizations/"] = HubOnly,
        ["POST /api/v1/organizations/{code}/keys"] = HubOnly,
        ["POST /api/v1/organizations/{code}/users"] = HubOnly,
        ["POST /api/v1/organizations/{code}/users/{userName}/disable"] = HubOnly,
        ["POST /api/v1/organizations/{code}/users/{userName}/enable"] = HubOnly,
        ["POST /api/v1/organizations/{code}/users/{userName}/unlock"] = HubOnly,
        ["POST /api/v1/organizations/{code}/users/{userName}/reset-password"] = HubOnly,
        ["POST /api/v1/notices"] = HubOnly,
        ["GET /api/v1/complaints/{trackingCode}"] = PublicLine,
        ["GET /api/v1/public/entries/{id:guid}"] = PublicLine,
        ["GET /api/v1/public/removals"] = PublicLine,
        ["GET /api/v1/public/search"] = PublicLine,
        ["POST /api/v1/complaints"] = PublicLine,
    };

    private static object Lift(string idNumber) => new
    {
        idNumber, kind = "humanitarian-travel", scenarios = new[] { "civil-aviation.ticket" }, validFrom = Iso(0), validUntil = Iso(1),
        reason = "近亲属病危，须赴外地探视", basis = "(2024)粤0802执恢100号之一",
    };

    [Fact]
    public async Task Another_organization_with_the_right_role_is_refused_on_every_endpoint()
    {
        await using var s = await ShixinServer.StartAsync(Db.Sqlite, new Dictionary<string, string?>
        {
            ["SHIXIN_WEBHOOK_ALLOWED_NETWORKS"] = "127.0.0.0/8", ["SHIXIN_WEBHOOK_ALLOW_HTTP_NETWORKS"] = "127.0.0.0/8",
        });
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var e in s.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + e.RoutePattern.RawText?.TrimStart('/');
            if (pattern.StartsWith("/api/v1", StringComparison.Ordinal))
            {
                foreach (var verb in e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                {
                    lines.Add(verb + " " + pattern);
                }
            }
        }

        lines.Where(l => !OtherOrganization.ContainsKey(l)).ShouldBeEmpty("endpoints without an other-organization line (a probe, or why none applies)");
        OtherOrganization.Keys.Except(lines).ShouldBeEmpty("other-organization lines for endpoints that no longer exist");

        var w = await WorldAsync(s);
        var failures = new List<string>();
        foreach (var line in lines)
        {
            if (OtherOrganization[line] is not Probe probe)
            {
                continue;
            }

            using var r = await probe.Send(w);
            var text = await r.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var status = (int)r.StatusCode;
            if (probe.MustNotContain is { } idOfA)
            {
                if (status is >= 200 and < 300 && text.Contains(w.Ids[idOfA], StringComparison.Ordinal))
                {
                    failures.Add(line + ": another organization's list shows A's " + idOfA);
                }
            }
            else if (status is not (403 or 404) && !(probe.AlsoRefusedWith?.Contains(status) ?? false))
            {
                failures.Add(line + " → " + status + " " + text[..Math.Min(200, text.Length)]);
            }
        }

        failures.ShouldBeEmpty();

        // Nothing of A's changed: its entry is still listed, its key still works.
        (await w.A.Clerk.EntryAsync(w.Ids["listed"]))["status"].Str().ShouldBe("listed");
        (await w.UnitA.GetCt("/api/v1/subscriptions/" + w.Ids["subscription"])).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Builds A's resources: entries in each state, proceedings on them, a unit's check, objection, repair, complaint, subscription, key.</summary>
    private static async Task<World> WorldAsync(ShixinServer s)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var higher = await s.CourtAsync();
        var a = await s.CourtAsync(parent: higher.Code);
        var b = await s.CourtAsync();
        var unitACode = Unique("unit-mxa-");
        var unitA = await s.UnitAsync(unitACode, "unit.checker", "unit.feedback", "unit.subscriber");
        var unitBCode = Unique("unit-mxb-");
        var unitB = await s.UnitAsync(unitBCode, "unit.checker", "unit.feedback", "unit.subscriber");
        var unitBAdmin = await s.KeyAsync(unitBCode, "unit.admin");
        var issued = await s.Admin.PostJson("/api/v1/organizations/" + unitACode + "/keys", new { roles = new[] { "unit.checker" } }).Created();
        ids["key"] = issued["id"].Str();

        var idNumber = AdultId();
        ids["idNumber"] = idNumber;
        ids["listed"] = await a.ListedAsync(Draft(Person(idNumber)));
        ids["draft"] = await a.DraftAsync();
        ids["noticed"] = await a.DraftAsync();
        await a.Clerk.PostJson("/api/v1/entries/" + ids["noticed"] + "/risk-notice", new { servedOn = Iso(-3) }).Ok();
        var shielded = await a.ListedAsync();
        await a.ExitAsync(shielded, Today, kind: "shield", reason: "fully-performed");
        ids["shielded"] = shielded;

        ids["correction"] = (await a.Clerk.PostJson("/api/v1/entries/" + ids["listed"] + "/corrections", new { receivedOn = Iso(-3), filedOn = Iso(-2), grounds = "已提供担保" }).Created())["id"].Str();
        var second = await a.ListedAsync();
        ids["rejected"] = (await a.Clerk.PostJson("/api/v1/entries/" + second + "/corrections", new { receivedOn = Iso(-3), filedOn = Iso(-2), grounds = "已提供担保" }).Created())["id"].Str();
        await a.Judge.PostJson("/api/v1/corrections/" + ids["rejected"] + "/ruling", new { outcome = "rejected", ruledOn = Iso(-1), reasons = "理由不成立" }).Ok();
        ids["reconsideration"] = (await a.Clerk.PostJson("/api/v1/corrections/" + ids["rejected"] + "/reconsideration", new { filedOn = Iso(0), grounds = "不服" }).Created())["id"].Str();
        ids["exemption"] = (await a.Judge.PostJson("/api/v1/entries/" + ids["listed"] + "/exemptions", Lift(idNumber)).Created())["id"].Str();

        await s.CaughtUpAsync();
        ids["check"] = (await unitA.PostJson("/api/v1/checks", new { scenario = OversightApi.Flight, subjects = new[] { new { idNumber } } }).Ok())["checkId"].Str();
        (await unitA.FeedbackAsync(ids["listed"], "applied", OversightApi.Now())).StatusCode.ShouldBe(HttpStatusCode.Created);
        ids["objection"] = (await unitA.PostJson("/api/v1/objections", new { entryId = ids["listed"], measureCode = OversightApi.FlightMeasure, receivedOn = Iso(0), grounds = "债务已清偿" }).Created())["id"].Str();
        ids["repair"] = (await unitA.PostJson("/api/v1/credit-repairs", new { entryId = shielded, organization = unitACode, grounds = "已全部履行" }).Created())["id"].Str();
        var caseNumber = CaseNumber();
        ids["complaintCode"] = (await s.Client().PostJson("/api/v1/complaints", new { againstOrganization = unitACode, caseNumber, description = "仍可购买机票", contact = "13800000000" }).Created())["trackingCode"].Str();
        ids["complaint"] = (await unitA.DutyAsync("unit.answer-complaint", caseNumber: caseNumber))["proceedingId"].Str();
        ids["subscription"] = (await unitA.PostJson("/api/v1/subscriptions", new { url = "http://127.0.0.1:443/hook" }).Created())["id"].Str();
        return new World(s, a, b, unitA, unitB, unitBAdmin, unitACode, ids);
    }
}
