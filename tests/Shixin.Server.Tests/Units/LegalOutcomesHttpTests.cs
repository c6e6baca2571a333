using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Shixin.Server.Tests.Units.ScreeningWorld;

namespace Shixin.Server.Tests.Units;

/// <summary>
/// A sample of the legal outcomes table (data/legal-outcomes.json) over real HTTP on both databases: the court lists
/// the debtor, a unit in the case's region checks at the case's scenario with its context (and officers), and the
/// answer must be what the seeds say. The whole table runs against the pure rule in Shixin.Core.Tests.
/// </summary>
public sealed class LegalOutcomesHttpTests(WorldFixture worlds) : IClassFixture<WorldFixture>
{
    // Flights, rail and hotels with context, both role directions, quota, review and reference, objections,
    // court exemptions, and the regions: Suzhou (003), Zhaoling (004), Lingshou and Chengdu (national only).
    public static TheoryData<Db, string> Sample()
    {
        string[] ids =
        [
            "002", "003", "009", "017", "023", "024", "026", "028", "032", "034", "055", "061",
            "069", "072", "076", "080", "088", "090", "094", "099", "120", "133", "141", "142", "171", "174",
        ];
        var data = new TheoryData<Db, string>();
        foreach (var db in new[] { Db.Sqlite, Db.Postgres })
        {
            foreach (var id in ids)
            {
                data.Add(db, id);
            }
        }
        return data;
    }

    private static readonly Lazy<JsonArray> Cases = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "legal-outcomes.json")))!["cases"]!.AsArray());

    private static readonly Dictionary<(ScreeningWorld, string), Task<HttpClient>> Units = [];

    private static Task<HttpClient> UnitAsync(ScreeningWorld w, string region)
    {
        lock (Units)
        {
            if (!Units.TryGetValue((w, region), out var unit))
            {
                Units[(w, region)] = unit = w.Server.OrganizationAsync("unit", "unit-outcomes-" + region, region, null, "unit.checker", "unit.feedback");
            }
            return unit;
        }
    }

    private static string[] Strings(JsonNode? node) => node is JsonArray a ? [.. a.Select(x => x!.GetValue<string>())] : [];

    [Theory]
    [MemberData(nameof(Sample))]
    public async Task SampledCase_AnswersAsTheSeedsSay_OverHttp(Db db, string caseId)
    {
        var ct = TestContext.Current.CancellationToken;
        var c = Cases.Value.Single(x => x!["id"]!.GetValue<string>() == caseId)!;
        var expected = c["expected"]!;
        var clauses = Strings(expected["clauses"]);
        var w = await worlds.GetAsync(db);
        var scenario = c["scenario"]!.GetValue<string>();
        var via = c["via"]!.GetValue<string>();
        var direction = c["direction"]!.GetValue<string>();
        var debtorKind = c["debtorKind"]!.GetValue<string>();

        // The court lists the debtor; the checked subject is the debtor, an officer of it, or an organization
        // that names the debtor among its officers.
        Guid entry;
        object subject;
        string exemptFor;
        if (debtorKind == "person")
        {
            var person = w.NewPersonId();
            entry = await w.ListAsync(Person(person));
            exemptFor = person;
            subject = direction == "organization-of-officer"
                ? new { creditCode = w.NewCreditCode().Value, name = "苏州某某科技有限公司", officers = new[] { new { role = via, idNumber = person, name = "张三" } } }
                : new { idNumber = person, name = "张三" };
        }
        else
        {
            var code = w.NewCreditCode().Value;
            var rep = w.NewPersonId();
            var officer = via == "legal-representative" ? rep : w.NewPersonId();
            object[]? related = via is "debtor" or "legal-representative" ? null : [new { role = via, name = "王五", idNumber = officer }];
            entry = await w.ListAsync(Organization(code, rep), related);
            exemptFor = officer;
            subject = direction == "debtor" ? new { creditCode = code } : new { idNumber = officer, name = "王五" };
        }

        // The debtor objects to the unit applying a measure, which suspends it while the court verifies
        // (002 §四(二)3, 003 §三(十二)); the unit has first reported applying it.
        var unit = await UnitAsync(w, c["region"]!.GetValue<string>());
        foreach (var measure in Strings(c["suspended"]))
        {
            var applied = await unit.PostAsJsonAsync("/api/v1/feedback", new
            {
                entryId = entry, measureCode = measure, action = "applied",
                occurredAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToOffset(TimeSpan.FromHours(8)), note = "测试",
            }, ct);
            applied.StatusCode.ShouldBe(HttpStatusCode.Created, await applied.Content.ReadAsStringAsync(ct));
            var objection = await unit.PostAsJsonAsync("/api/v1/objections", new { entryId = entry, measureCode = measure, receivedOn = Iso(Today), grounds = "债务已清偿" }, ct);
            objection.StatusCode.ShouldBe(HttpStatusCode.Created, await objection.Content.ReadAsStringAsync(ct));
        }
        var exemptions = Strings(c["exemptions"]);
        if (exemptions.Length > 0)
        {
            var granted = await w.Court.PostAsJsonAsync($"/api/v1/entries/{entry}/exemptions", new
            {
                idNumber = exemptFor,
                kind = scenario.StartsWith("hotel", StringComparison.Ordinal) ? "private-purchase" : "humanitarian-travel",
                scenarios = exemptions,
                validFrom = Iso(Today),
                validUntil = Iso(Today.AddDays(3)),
                reason = "近亲属病危",
                basis = "法发〔2019〕35号",
            }, ct);
            granted.StatusCode.ShouldBe(HttpStatusCode.Created, await granted.Content.ReadAsStringAsync(ct));
        }
        await w.CaughtUpAsync();

        var body = new JsonObject
        {
            ["scenario"] = scenario,
            ["reference"] = "outcomes-" + caseId,
            ["subjects"] = JsonSerializer.SerializeToNode(new[] { subject }),
        };
        if (c["context"] is JsonObject context && context.Count > 0)
        {
            body["context"] = context.DeepClone();
        }
        var response = await unit.PostAsJsonAsync("/api/v1/checks", body, ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(ct));
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["results"]!.AsArray().Single()!;

        var why = $"case {caseId} ({scenario} in {c["region"]}, {direction} via {via}): {c["basis"]}";
        result["outcome"]!.GetValue<string>().ShouldBe(expected["outcome"]!.GetValue<string>(), why);
        var matches = result["matches"]!.AsArray();
        if (expected["outcome"]!.GetValue<string>() == "clear")
        {
            matches.ShouldBeEmpty(why);
            if (expected["cleared"] is { } reason && result["cleared"] is JsonArray cleared)
            {
                cleared.Select(x => x!["reason"]!.GetValue<string>()).ShouldContain(reason.GetValue<string>(), why);
            }
            return;
        }
        var match = matches.ShouldHaveSingleItem(why)!;
        match["entryId"]!.GetValue<string>().ShouldBe(entry.ToString());
        match["via"]!.GetValue<string>().ShouldBe(via, why);
        match["measures"]!.AsArray().Select(m => m!["code"]!.GetValue<string>()).Order(StringComparer.Ordinal)
            .ShouldBe(clauses.Order(StringComparer.Ordinal), why);
        Strings(match["needsContext"]).Order(StringComparer.Ordinal).ShouldBe(Strings(expected["needsContext"]).Order(StringComparer.Ordinal), why);
        if (direction == "organization-of-officer")
        {
            match["officer"].ShouldNotBeNull(why);
        }
    }
}
