using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Shixin.Server.Tests.Courts;

/// <summary>
/// Court exemptions (单次解禁、特定消费许可, 法发〔2019〕35号 §17) over HTTP: granted and ended by the executing court's judge,
/// honoured by every check path inside their window, lapsing by themselves, and carried by the feed and the snapshot.
/// </summary>
public sealed class ExemptionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonObject> CheckAsync(HttpClient unit, string scenario, string idNumber)
    {
        var response = await unit.PostJson("/api/v1/checks", new { scenario, subjects = new[] { new { idNumber } } }).Ok();
        return response["results"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
    }

    private static async Task<string> BatchAsync(HttpClient unit, string scenario, string idNumber)
    {
        var r = await unit.PostCt("/api/v1/checks/batch?scenario=" + scenario, new StringContent("{\"idNumber\":\"" + idNumber + "\"}\n", Encoding.UTF8, "application/x-ndjson"));
        var text = await r.Content.ReadAsStringAsync(Ct);
        r.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonNode.Parse(text.Trim())!["outcome"].Str();
    }

    private static object Lift(string idNumber, string from, string until, params string[] scenarios) => new
    {
        idNumber,
        kind = "humanitarian-travel",
        scenarios,
        validFrom = from,
        validUntil = until,
        reason = "近亲属病危，须赴外地探视",
        basis = "(2024)粤0802执恢100号之一 准许临时解除限制乘坐飞机决定书",
    };

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Judge_lifts_a_flight_restriction_for_three_days_then_it_lapses_and_a_second_lift_is_ended(Db db)
    {
        var clock = new ShiftedTime();
        await using var s = await ShixinServer.StartAsync(db, services: sv => sv.AddSingleton<TimeProvider>(clock));
        var court = await s.CourtAsync();
        var unit = await s.OrganizationAsync("unit", TestApi.Unique("airline-"), "440802", null, "unit.checker", "unit.subscriber");
        var debtor = TestApi.AdultId();
        var entryId = await court.ListedAsync(TestApi.Draft(TestApi.Person(debtor)));
        var after = (await (await unit.GetCt("/api/v1/feed?after=0&limit=10000")).Json(HttpStatusCode.OK))["next"]!.GetValue<long>();

        (await CheckAsync(unit, "civil-aviation.ticket", debtor))["outcome"].Str().ShouldBe("block");

        // Three days: today and the two days after.
        var granted = await court.Judge.PostJson("/api/v1/entries/" + entryId + "/exemptions",
            Lift(debtor, TestApi.Iso(0), TestApi.Iso(2), "civil-aviation.ticket")).Created();
        var exemptionId = granted["id"].Str();
        granted["status"].Str().ShouldBe("standing");
        granted["role"].Str().ShouldBe("debtor");
        granted["listSequence"]!.GetValue<long>().ShouldBeGreaterThan(after);

        // The airline's check, sent right after the grant was acknowledged, clears and says why.
        var flight = await CheckAsync(unit, "civil-aviation.ticket", debtor);
        flight["outcome"].Str().ShouldBe("clear");
        flight["matches"]!.AsArray().ShouldBeEmpty();
        var cleared = flight["cleared"]!.AsArray().ShouldHaveSingleItem()!;
        cleared["reason"].Str().ShouldBe("exempted");
        cleared["exemptionId"].Str().ShouldBe(exemptionId);
        cleared["entryId"].Str().ShouldBe(entryId);
        cleared["measures"]!.AsArray().ShouldNotBeEmpty();
        (await BatchAsync(unit, "civil-aviation.ticket", debtor)).ShouldBe("clear");

        // The lift names flights only: the railway still blocks, on both check paths.
        (await CheckAsync(unit, "rail.high-speed-ticket", debtor))["outcome"].Str().ShouldBe("block");
        (await BatchAsync(unit, "rail.high-speed-ticket", debtor)).ShouldBe("block");

        // Still inside the window at 23:00 China time on its last day; blocked again once that day has ended, with no further event.
        var chinaNow = clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        var lastEvening = new DateTimeOffset(TestApi.Today.AddDays(2).ToDateTime(new TimeOnly(23, 0)), TimeSpan.FromHours(8));
        clock.Advance(lastEvening - chinaNow);
        (await CheckAsync(unit, "civil-aviation.ticket", debtor))["outcome"].Str().ShouldBe("clear");
        clock.Advance(TimeSpan.FromHours(1.5));
        (await CheckAsync(unit, "civil-aviation.ticket", debtor))["outcome"].Str().ShouldBe("block");
        (await BatchAsync(unit, "civil-aviation.ticket", debtor)).ShouldBe("block");

        // A second lift (now on the server's day three) is ended by the judge: the flight check blocks again at once.
        var second = await court.Judge.PostJson("/api/v1/entries/" + entryId + "/exemptions",
            Lift(debtor, TestApi.Iso(3), TestApi.Iso(4), "civil-aviation.ticket")).Created();
        (await CheckAsync(unit, "civil-aviation.ticket", debtor))["outcome"].Str().ShouldBe("clear");
        var ended = await court.Judge.PostJson("/api/v1/exemptions/" + second["id"].Str() + "/end", new { reason = "探视事由已消失" }).Ok();
        ended["status"].Str().ShouldBe("ended");
        ended["listSequence"]!.GetValue<long>().ShouldBeGreaterThan(second["listSequence"]!.GetValue<long>());
        (await CheckAsync(unit, "civil-aviation.ticket", debtor))["outcome"].Str().ShouldBe("block");
        await court.Judge.PostJson("/api/v1/exemptions/" + second["id"].Str() + "/end", new { reason = "again" }).Problem(409, "illegal-transition");

        // The feed carries both kinds of event, each with the entry as units see it.
        var feed = await (await unit.GetCt("/api/v1/feed?after=" + after)).Json(HttpStatusCode.OK);
        var types = feed["events"]!.AsArray().Select(e => e!["type"].Str()).ToArray();
        types.ShouldBe(["entry.exemption-granted", "entry.exemption-granted", "entry.exemption-ended"]);
        var lastView = feed["events"]!.AsArray()[^1]!["entry"]!;
        var views = lastView["exemptions"]!.AsArray();
        views.Count.ShouldBe(2);
        views.Single(v => v!["id"].Str() == second["id"].Str())!["endedOn"].Str().ShouldBe(TestApi.Iso(3));
        views[0]!.AsObject().ContainsKey("reason").ShouldBeFalse("the grounds (illness, family) stay with the court");

        // The snapshot carries them too, and the entry lists them for the court.
        var snapshot = await unit.GetStringCt("/api/v1/snapshot");
        var line = snapshot.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).Single(v => v["id"].Str() == entryId);
        line["exemptions"]!.AsArray().Count.ShouldBe(2);
        var entry = await court.Clerk.EntryAsync(entryId);
        var listed = entry["exemptions"]!.AsArray();
        listed.Select(x => x!["status"].Str()).ShouldBe(["lapsed", "ended"]);
        listed[0]!["kindZh"].Str().ShouldBe("人道主义出行临时解禁");
        listed[0]!["reason"].Str().ShouldBe("近亲属病危，须赴外地探视");
        entry.Types().ShouldContain("entry.exemption-granted");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    public async Task Only_the_executing_courts_judge_grants_and_only_for_a_person_on_the_entry(Db db)
    {
        await using var s = await ShixinServer.StartAsync(db);
        var court = await s.CourtAsync();
        var other = await s.CourtAsync();
        var unit = await s.OrganizationAsync("unit", TestApi.Unique("unit-"), "440802", null, "unit.checker");
        var rep = TestApi.AdultId();
        var org = TestApi.Organization();
        org["legalRepresentative"]!["idNumber"] = rep;
        var entryId = await court.ListedAsync(TestApi.Draft(org));
        var path = "/api/v1/entries/" + entryId + "/exemptions";
        var body = Lift(rep, TestApi.Iso(0), TestApi.Iso(1), "civil-aviation.ticket");

        await court.Clerk.PostJson(path, body).Problem(403, "forbidden");
        await other.Judge.PostJson(path, body).Problem(403, "forbidden");
        (await unit.PostJson(path, body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await court.Judge.PostJson(path, Lift(TestApi.AdultId(), TestApi.Iso(0), TestApi.Iso(1), "civil-aviation.ticket"))
            .Problem(400, "exemption-subject-not-on-entry");
        await court.Judge.PostJson(path, Lift(rep, TestApi.Iso(0), TestApi.Iso(1), "no-such.scenario")).Problem(400, "unknown-scenario");
        await court.Judge.PostJson(path, Lift(rep, TestApi.Iso(2), TestApi.Iso(1), "civil-aviation.ticket")).Problem(400, "invalid-date");
        await court.Judge.PostJson(path, Lift(rep, TestApi.Iso(0), TestApi.Iso(1), "real-estate.purchase")).Problem(400, "exemption-scenario-mismatch");

        // The legal representative of an organization debtor may be lifted; the entry's history records it.
        var granted = await court.Judge.PostJson(path, body).Created();
        granted["role"].Str().ShouldBe("legal-representative");
        await other.Judge.PostJson("/api/v1/exemptions/" + granted["id"].Str() + "/end", new { reason = "x" }).Problem(403, "forbidden");
        await court.Clerk.PostJson("/api/v1/exemptions/" + granted["id"].Str() + "/end", new { reason = "x" }).Problem(403, "forbidden");
        await court.Judge.PostJson("/api/v1/exemptions/" + Guid.NewGuid() + "/end", new { reason = "x" }).Problem(404, "not-found");

        // A draft restricts no one: nothing to lift.
        var draft = await court.DraftAsync();
        await court.Judge.PostJson("/api/v1/entries/" + draft + "/exemptions", body).Problem(409, "illegal-transition");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    public async Task Batch_lines_name_the_exemption_that_cleared_a_listed_subject_in_csv_and_ndjson(Db db)
    {
        await using var s = await ShixinServer.StartAsync(db);
        var court = await s.CourtAsync();
        var unit = await s.OrganizationAsync("unit", TestApi.Unique("airline-"), "440802", null, "unit.checker");
        var debtor = TestApi.AdultId();
        var other = TestApi.AdultId();
        var entryId = await court.ListedAsync(TestApi.Draft(TestApi.Person(debtor)));
        var granted = await court.Judge.PostJson("/api/v1/entries/" + entryId + "/exemptions", Lift(debtor, TestApi.Iso(0), TestApi.Iso(2), "civil-aviation.ticket")).Created();
        var exemptionId = granted["id"].Str();
        var single = await CheckAsync(unit, "civil-aviation.ticket", debtor);
        var clauses = single["cleared"]!.AsArray().ShouldHaveSingleItem()!["measures"]!.AsArray().Select(x => x.Str()).ToArray();
        clauses.ShouldNotBeEmpty();

        // NDJSON: the exempted line is clear and names the exemption and the clauses it lifted, as the single check does.
        var r = await unit.PostCt("/api/v1/checks/batch?scenario=civil-aviation.ticket",
            new StringContent("{\"idNumber\":\"" + debtor + "\"}\n{\"idNumber\":\"" + other + "\"}\n", Encoding.UTF8, "application/x-ndjson"));
        var text = await r.Content.ReadAsStringAsync(Ct);
        r.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();
        lines[0]["outcome"].Str().ShouldBe("clear");
        var cleared = lines[0]["cleared"]!.AsArray().ShouldHaveSingleItem()!;
        cleared["reason"].Str().ShouldBe("exempted");
        cleared["exemptionId"].Str().ShouldBe(exemptionId);
        cleared["entryId"].Str().ShouldBe(entryId);
        cleared["measures"]!.AsArray().Select(x => x.Str()).ShouldBe(clauses);
        lines[1]["outcome"].Str().ShouldBe("clear");
        lines[1].AsObject().ContainsKey("cleared").ShouldBeFalse();

        // ?only=hits still names the exempted subject: it is on the list, cleared only by the court.
        r = await unit.PostCt("/api/v1/checks/batch?scenario=civil-aviation.ticket&only=hits",
            new StringContent("{\"idNumber\":\"" + other + "\"}\n{\"idNumber\":\"" + debtor + "\"}\n", Encoding.UTF8, "application/x-ndjson"));
        text = await r.Content.ReadAsStringAsync(Ct);
        JsonNode.Parse(text.Trim())!["cleared"]![0]!["exemptionId"].Str().ShouldBe(exemptionId);

        // CSV: the exempted entry and the exemption in their own columns; the railway line still blocks with them empty.
        var csv = "idNumber\n" + debtor + "\n" + other + "\n";
        r = await unit.PostCt("/api/v1/checks/batch?scenario=civil-aviation.ticket", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var rows = (await r.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rows[0].Split(',')[^2..].ShouldBe(["exemptedEntryId", "exemptionId"]);
        var cells = rows[1].Split(',');
        cells.Length.ShouldBe(12);
        cells[2].ShouldBe("clear");
        cells[10].ShouldBe(entryId);
        cells[11].ShouldBe(exemptionId);
        rows[2].Split(',').Length.ShouldBe(12);
        r = await unit.PostCt("/api/v1/checks/batch?scenario=rail.high-speed-ticket", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var rail = (await r.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split(',');
        rail[2].ShouldBe("block");
        rail[^2..].ShouldBe(["", ""]);
    }
}
