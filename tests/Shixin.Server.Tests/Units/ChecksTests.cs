using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using static Shixin.Server.Tests.Units.ScreeningWorld;

namespace Shixin.Server.Tests.Units;

/// <summary>POST /api/v1/checks over HTTP: who is hit, through which entry and role, with which measures.</summary>
public sealed class ChecksTests(WorldFixture worlds) : IClassFixture<WorldFixture>
{
    private static JsonObject OnlyMatch(JsonObject result) => result["matches"]!.AsArray().ShouldHaveSingleItem()!.AsObject();

    // Each entry of `measures` is a clause (API.md "Screening additions"); these tests pin which measures they come from.
    private static string[] MeasureCodes(JsonObject match) =>
        [.. match["measures"]!.AsArray().Select(m => m!["measure"]!.GetValue<string>()).Distinct(StringComparer.Ordinal)];

    private static void ShouldExplain(JsonObject match, Guid entryId, string via)
    {
        match["entryId"]!.GetValue<string>().ShouldBe(entryId.ToString());
        match["caseNumber"]!.GetValue<string>().ShouldStartWith("(2024)宁0104执");
        match["court"]!.GetValue<string>().ShouldBe(CourtCode);
        match["courtName"]!.GetValue<string>().ShouldBe(CourtCode + " 名称");
        match["via"]!.GetValue<string>().ShouldBe(via);
        match["listedOn"]!.GetValue<string>().ShouldBe(Iso(Today));
        var measures = match["measures"]!.AsArray();
        measures.ShouldNotBeEmpty();
        foreach (var m in measures)
        {
            m!["code"]!.GetValue<string>().ShouldStartWith(m["measure"]!.GetValue<string>() + "#");
            m["text"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            m["outcome"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            m["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            m["action"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            m["basis"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        }
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task ListedPerson_IsBlockedFromFlightsAndHighSpeedRail(Db db)
    {
        var w = await worlds.GetAsync(db);
        var id = w.NewPersonId();
        var entry = await w.ListAsync(Person(id));

        foreach (var scenario in new[] { "civil-aviation.ticket", "rail.high-speed-ticket" })
        {
            var response = await CheckAsync(w.Beijing, scenario, new { idNumber = id, name = "张三" });
            response["checkId"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
            response["listSequence"]!.GetValue<long>().ShouldBeGreaterThan(0);
            DateTimeOffset.Parse(response["checkedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).Offset.ShouldBe(TimeSpan.FromHours(8));
            var result = response["results"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
            result["subject"]!["idNumber"]!.GetValue<string>().ShouldBe(id);
            result["outcome"]!.GetValue<string>().ShouldBe("block");
            var match = OnlyMatch(result);
            ShouldExplain(match, entry, "debtor");

            // A Beijing unit applies the national catalog only.
            MeasureCodes(match).ShouldBe(["national-2016/二.七.1"]);
            var m = match["measures"]![0]!;
            m["action"]!.GetValue<string>().ShouldBe("block");
            m["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            m["basis"]!.GetValue<string>().ShouldContain("二");
        }

        // A Ningxia unit adds the Ningxia measure to the national one.
        var nx = await CheckOneAsync(w.Ningxia, "civil-aviation.ticket", new { idNumber = id });
        nx["outcome"]!.GetValue<string>().ShouldBe("block");
        MeasureCodes(OnlyMatch(nx)).ShouldBe(["national-2016/二.七.1", "ningxia-2017/二.七.1"], ignoreOrder: true);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task OrganizationDebtor_ReachesItsLegalRepresentativeAndOfficers(Db db)
    {
        var w = await worlds.GetAsync(db);
        var credit = w.NewCreditCode();
        var rep = w.NewPersonId();
        var controller = w.NewPersonId();
        var director = w.NewPersonId();
        var entry = await w.ListAsync(Organization(credit.Value, rep),
            [new { role = "actual-controller", name = "王五", idNumber = controller }, new { role = "director", name = "赵六", idNumber = director }]);

        // The legal representative is blocked from a flight through the organization's entry.
        var repResult = await CheckOneAsync(w.Beijing, "civil-aviation.ticket", new { idNumber = rep });
        repResult["outcome"]!.GetValue<string>().ShouldBe("block");
        var repMatch = OnlyMatch(repResult);
        ShouldExplain(repMatch, entry, "legal-representative");
        MeasureCodes(repMatch).ShouldBe(["national-2016/二.七.1"]);

        // The organization itself, by credit code and by the organization code embedded in it (positions 9–17).
        credit.OrganizationCode.ShouldBe(credit.Value.Substring(8, 9));
        foreach (var subject in new object[] { new { creditCode = credit.Value }, new { organizationCode = credit.OrganizationCode } })
        {
            var org = await CheckOneAsync(w.Beijing, "government-procurement.bid", subject);
            org["outcome"]!.GetValue<string>().ShouldBe("block");
            var match = OnlyMatch(org);
            ShouldExplain(match, entry, "debtor");
            MeasureCodes(match).ShouldBe(["national-2016/二.一.7"]);
        }

        // The actual controller is reached by the high-consumption measures (000 §二(七)).
        var ctl = await CheckOneAsync(w.Beijing, "civil-aviation.ticket", new { idNumber = controller });
        ctl["outcome"]!.GetValue<string>().ShouldBe("block");
        ShouldExplain(OnlyMatch(ctl), entry, "actual-controller");

        // A director: hit in the index, but no measure reaches a director personally, so cleared and explained.
        foreach (var scenario in new[] { "civil-aviation.ticket", "policy-support.application", "government-procurement.bid" })
        {
            var dir = await CheckOneAsync(w.Beijing, scenario, new { idNumber = director });
            dir["outcome"]!.GetValue<string>().ShouldBe("clear", scenario);
            dir["matches"]!.AsArray().ShouldBeEmpty();
            var cleared = dir["cleared"]!.AsArray().ShouldHaveSingleItem()!;
            cleared["entryId"]!.GetValue<string>().ShouldBe(entry.ToString());
            cleared["via"]!.GetValue<string>().ShouldBe("director");
            cleared["reason"]!.GetValue<string>().ShouldBe("not-covered");
        }

        // Government procurement reaches the debtor only, not its legal representative.
        var repBid = await CheckOneAsync(w.Beijing, "government-procurement.bid", new { idNumber = rep });
        repBid["outcome"]!.GetValue<string>().ShouldBe("clear");
        var repCleared = repBid["cleared"]!.AsArray().ShouldHaveSingleItem()!;
        repCleared["via"]!.GetValue<string>().ShouldBe("legal-representative");
        repCleared["reason"]!.GetValue<string>().ShouldBe("not-covered");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task PassportBoundToListedId_IsBlocked(Db db)
    {
        var w = await worlds.GetAsync(db);
        var id = w.NewPersonId();
        var passport = w.NewPassport();
        var entry = await w.ListAsync(Person(id, documents: [new { type = "passport", number = passport }]));

        var result = await CheckOneAsync(w.Beijing, "civil-aviation.ticket", new { passport, name = "张三" });
        result["outcome"]!.GetValue<string>().ShouldBe("block");
        ShouldExplain(OnlyMatch(result), entry, "debtor");

        // Another passport is clear.
        var other = await CheckOneAsync(w.Beijing, "civil-aviation.ticket", new { passport = w.NewPassport() });
        other["outcome"]!.GetValue<string>().ShouldBe("clear");
        other["matches"]!.AsArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task RestrictedEntry_StillScreens(Db db)
    {
        var w = await worlds.GetAsync(db);
        var id = w.NewPersonId();
        var entry = await w.ListAsync(Person(id), publicity: "restricted");

        var result = await CheckOneAsync(w.Beijing, "rail.high-speed-ticket", new { idNumber = id });
        result["outcome"]!.GetValue<string>().ShouldBe("block");
        var match = OnlyMatch(result);
        ShouldExplain(match, entry, "debtor");
        match["restricted"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task DecisionWithGracePeriod_DoesNotScreenYet(Db db)
    {
        var w = await worlds.GetAsync(db);
        var id = w.NewPersonId();
        var entry = await w.NoticedAsync(Person(id));
        var decision = await w.DecideAsync(entry, publishOn: Today.AddMonths(1));
        decision["status"]!.GetValue<string>().ShouldBe("listed");
        decision["screened"]!.GetValue<bool>().ShouldBeFalse();
        decision["publishedOn"]!.GetValue<string>().ShouldBe(Iso(Today.AddMonths(1)));
        await w.CaughtUpAsync();

        var result = await CheckOneAsync(w.Beijing, "civil-aviation.ticket", new { idNumber = id });
        result["outcome"]!.GetValue<string>().ShouldBe("clear");
        result["matches"]!.AsArray().ShouldBeEmpty();
        result["cleared"]!.AsArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task UnknownSubject_IsClear_AtTheCurrentListSequence(Db db)
    {
        var w = await worlds.GetAsync(db);
        await w.ListAsync(Person(w.NewPersonId()));
        var head = await w.CaughtUpAsync();

        var response = await CheckAsync(w.Beijing, "civil-aviation.ticket",
            new { idNumber = w.NewPersonId() }, new { creditCode = w.NewCreditCode().Value }, new { passport = w.NewPassport() });
        response["listSequence"]!.GetValue<long>().ShouldBe(head);
        foreach (var r in response["results"]!.AsArray())
        {
            r!["outcome"]!.GetValue<string>().ShouldBe("clear");
            r["matches"]!.AsArray().ShouldBeEmpty();
        }
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task NingxiaOnlyMeasure_AppliesInNingxiaButNotInZhanjiang(Db db)
    {
        var w = await worlds.GetAsync(db);
        var id = w.NewPersonId();
        var entry = await w.ListAsync(Person(id));

        // construction.tender: 002 二(一)8 bars debtors from tendering for construction projects; the national
        // opinion and Zhanjiang's catalog have no such measure.
        var nx = await CheckOneAsync(w.Ningxia, "construction.tender", new { idNumber = id });
        nx["outcome"]!.GetValue<string>().ShouldBe("block");
        var match = OnlyMatch(nx);
        ShouldExplain(match, entry, "debtor");
        MeasureCodes(match).ShouldBe(["ningxia-2017/二.一.8"]);

        var zj = await CheckOneAsync(w.Zhanjiang, "construction.tender", new { idNumber = id });
        zj["outcome"]!.GetValue<string>().ShouldBe("clear");
        zj["matches"]!.AsArray().ShouldBeEmpty();
        var cleared = zj["cleared"]!.AsArray().ShouldHaveSingleItem()!;
        cleared["entryId"]!.GetValue<string>().ShouldBe(entry.ToString());
        cleared["reason"]!.GetValue<string>().ShouldBe("not-covered");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task EveryCheck_IsRecordedPerSubject(Db db)
    {
        var w = await worlds.GetAsync(db);
        var listed = w.NewPersonId();
        await w.ListAsync(Person(listed));
        var unknown = w.NewPersonId();
        var credit = w.NewCreditCode().Value;

        var response = await CheckAsync(w.Ningxia, "rail.high-speed-ticket", new { idNumber = listed }, new { idNumber = unknown }, new { creditCode = credit });
        var checkId = Guid.Parse(response["checkId"]!.GetValue<string>());
        var seq = response["listSequence"]!.GetValue<long>();

        // Check records are in the audit trail (records store), one per subject, the identifier hashed, never in clear.
        await using var ctx = w.Server.Get<ShixinDatabase>().Records.CreateContext();
        var hasher = w.Server.Get<SubjectHasher>();
        var rows = await ctx.Trail.AsNoTracking().Where(r => r.CheckId == checkId).ToListAsync(TestContext.Current.CancellationToken);
        rows.Count.ShouldBe(3);
        rows.ShouldAllBe(r => r.Action == "check" && r.OrganizationCode == NingxiaUnit && r.Scenario == "rail.high-speed-ticket" && r.ListSeq == seq && r.Reference == "order-8812");
        var birth = listed.Substring(6, 8);
        rows.ShouldAllBe(r => !r.SubjectMask!.Contains(birth) && r.Subject!.Length == 32);
        rows.Single(r => r.Subject == hasher.Hash("id:" + listed)).Outcome.ShouldBe("block");
        rows.Single(r => r.Subject == hasher.Hash("id:" + listed)).EntryNos.ShouldNotBeNullOrEmpty();
        rows.Single(r => r.Subject == hasher.Hash("id:" + unknown)).Outcome.ShouldBe("clear");
        rows.Single(r => r.Subject == hasher.Hash("uscc:" + credit)).Outcome.ShouldBe("clear");
    }
}
