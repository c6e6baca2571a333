using System.Globalization;
using static Shixin.Server.Tests.Oversight.OversightApi;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Oversight;

/// <summary>
/// SPC Art. 2 terms, the exit duty's three triggers (000 §四(二)4), the rule sets' correction window, and provisional dates
/// (DOMAIN.md "Time": data/holidays has no 2027 notice), over HTTP on both databases.
/// </summary>
public sealed class TermsAndCalendarTests(RuleSetServers servers) : IClassFixture<RuleSetServers>
{
    /// <summary>The data covers 2026; from 20 December on a date waits for the 2027 notice, and 2027 has none.</summary>
    private static readonly DateOnly FirstUncoveredDay = new(2026, 12, 20);

    private static bool ShouldBeProvisional(string isoDue) =>
        DateOnly.ParseExact(isoDue, "yyyy-MM-dd", CultureInfo.InvariantCulture) >= FirstUncoveredDay;

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Capable_but_refuses_with_evasion_lists_for_two_years_and_keeps_its_term_after_full_performance(Db db)
    {
        var s = await servers.For(db, "seeds");
        var court = await s.CourtAsync();
        var decidedOn = Today.AddDays(-20);
        var id = await court.ListedOnAsync(decidedOn, Draft(null, "capable-but-refuses", "evades-enforcement"));
        var entry = await court.Judge.EntryAsync(id);
        entry["termYears"]!.GetValue<int>().ShouldBe(2);
        entry["expiresOn"].Str().ShouldBe(Iso(decidedOn.AddYears(2)));

        // SPC Art. 10 para 2: full performance neither opens an exit duty nor lets the entry leave through it…
        await court.Clerk.PostJson("/api/v1/entries/" + id + "/performance", new { performedAmount = 100000, unperformedAmount = 0, fully = true }).Ok();
        (await court.Judge.ObligationsAsync()).Where(o => o["entryId"].StrOrNull() == id).ShouldBeEmpty();
        foreach (var (kind, reason) in new[] { ("shield", "fully-performed"), ("delete", "fully-performed"), ("delete", "applicant-request"), ("revoke", "execution-terminated") })
        {
            var p = await court.Judge.PostJson("/api/v1/entries/" + id + "/exit?lang=en", new { kind, reason, effectiveOn = Iso(0) }).Problem(422, "invalid-exit-reason");
            p["detail"].Str().ShouldContain("early-deletion");
            var zh = await court.Judge.PostJson("/api/v1/entries/" + id + "/exit", new { kind, reason, effectiveOn = Iso(0) }).Problem(422, "invalid-exit-reason");
            zh["detail"].Str().ShouldContain("提前删除");
        }

        // …but the court may delete it early (Art. 2 para 2).
        (await court.ExitAsync(id, Today, kind: "delete", reason: "early-deletion"))["status"].Str().ShouldBe("deleted");
    }

    [Theory]
    [InlineData(Db.Sqlite, "settlementPerformed", "settlement-performed")]
    [InlineData(Db.Postgres, "settlementPerformed", "settlement-performed")]
    [InlineData(Db.Sqlite, "executionTerminated", "execution-terminated")]
    [InlineData(Db.Postgres, "executionTerminated", "execution-terminated")]
    public async Task A_performed_settlement_or_terminated_enforcement_opens_the_exit_duty(Db db, string field, string reason)
    {
        var s = await servers.For(db, "seeds");
        var court = await s.CourtAsync();
        var id = await court.ListedOnAsync(Today.AddDays(-30));
        var performedOn = Today.AddDays(-1);

        // The amounts may stay as recorded: the fact itself opens the duty (000 §四(二)4).
        var body = new System.Text.Json.Nodes.JsonObject { [field] = true, ["performedOn"] = Iso(performedOn) };
        var entry = await court.Clerk.PostJson("/api/v1/entries/" + id + "/performance", body).Ok();
        entry[field == "settlementPerformed" ? "settlementPerformedOn" : "executionTerminatedOn"].Str().ShouldBe(Iso(performedOn));
        entry["performance"]!["unperformedAmount"]!.GetValue<decimal>().ShouldBeGreaterThan(0);

        var duty = await court.Judge.DutyAsync("court.exit-after-performance", id);
        duty["rule"].Str().ShouldBe("exit.after-performance");
        duty["status"].Str().ShouldBe("open");
        duty["title"].Str().ShouldContain(field == "settlementPerformed" ? "执行和解协议履行完毕" : "终结执行");

        await court.ExitAsync(id, Today, kind: "shield", reason: reason);
        (await court.Judge.DutyAsync("court.exit-after-performance", id))["status"].Str().ShouldBe("met");
    }

    [Fact]
    public async Task The_performance_endpoint_still_requires_amounts_without_a_settlement_or_termination()
    {
        var s = await servers.For(Db.Sqlite, "seeds");
        var court = await s.CourtAsync();
        var id = await court.ListedOnAsync(Today.AddDays(-30));
        await court.Clerk.PostJson("/api/v1/entries/" + id + "/performance", new { fully = true }).Problem(400);
        await court.Clerk.PostJson("/api/v1/entries/" + id + "/performance", new { performedAmount = 5, executionTerminated = true }).Problem(400);
    }

    /// <summary>Seeds: 10 days from receipt (000 §四(二)3). spc-2017: Art. 11 sets none, so a late application is taken.</summary>
    [Theory]
    [InlineData(Db.Sqlite, "seeds")]
    [InlineData(Db.Postgres, "seeds")]
    [InlineData(Db.Sqlite, "spc-2017")]
    [InlineData(Db.Postgres, "spc-2017")]
    public async Task A_correction_filed_two_months_after_receipt_is_refused_only_under_the_seeds(Db db, string ruleSet)
    {
        var s = await servers.For(db, ruleSet);
        var court = await s.CourtAsync();
        var id = await court.ListedOnAsync(Today.AddDays(-70));
        // ?lang=en: the English detail names the rule by its id (the Chinese names it by its title and source).
        var response = court.Clerk.PostJson("/api/v1/entries/" + id + "/corrections?lang=en",
            new { receivedOn = Iso(-65), filedOn = Iso(0), grounds = "不应纳入" });
        if (ruleSet == "seeds")
        {
            (await response.Problem(422, "window-closed"))["detail"].Str().ShouldContain("correction.filing-window");
        }
        else
        {
            var created = await response.Created();
            created["rule"].Str().ShouldBe("correction.review");
        }
    }

    /// <summary>
    /// Filed today (2026-12-04 in the brief): spc-2017 reviews in 15 days → Saturday 12-19 → Monday 12-21, a day the 2027
    /// notice could still move, so provisional; the seeds' 3 days end on 12-07, firm.
    /// </summary>
    [Theory]
    [InlineData(Db.Sqlite, "seeds")]
    [InlineData(Db.Postgres, "seeds")]
    [InlineData(Db.Sqlite, "spc-2017")]
    [InlineData(Db.Postgres, "spc-2017")]
    public async Task A_due_date_counted_into_the_unpublished_2027_calendar_is_provisional(Db db, string ruleSet)
    {
        var s = await servers.For(db, ruleSet);
        var court = await s.CourtAsync();
        var id = await court.ListedOnAsync(Today.AddDays(-3));
        var created = await court.Clerk.PostJson("/api/v1/entries/" + id + "/corrections",
            new { receivedOn = Iso(-1), filedOn = Iso(0), grounds = "已履行" }).Created();
        var due = created["reviewDueOn"].Str();
        var expected = ShouldBeProvisional(due);
        if (Today == new DateOnly(2026, 12, 4))
        {
            due.ShouldBe(ruleSet == "seeds" ? "2026-12-07" : "2026-12-21");
            expected.ShouldBe(ruleSet == "spc-2017");
        }

        created["reviewDueOnProvisional"]!.GetValue<bool>().ShouldBe(expected);
        var duty = await court.Judge.DutyAsync("court.review-correction", id);
        duty["dueOn"].Str().ShouldBe(due);
        duty["provisional"]!.GetValue<bool>().ShouldBe(expected);
        var entry = await court.Judge.EntryAsync(id);
        entry["corrections"]![0]!["reviewDueOnProvisional"]!.GetValue<bool>().ShouldBe(expected);
        entry["obligations"]!.AsArray().Single(o => o!["code"].Str() == "court.review-correction")!["provisional"]!.GetValue<bool>().ShouldBe(expected);

        // Three days after yesterday's performance: a date the 2026 notice settles (in early December) is not marked.
        var firm = await court.ListedOnAsync(Today.AddDays(-10));
        await court.Clerk.PostJson("/api/v1/entries/" + firm + "/performance",
            new { performedAmount = 100000, unperformedAmount = 0, fully = true, performedOn = Iso(-1) }).Ok();
        var exit = await court.Judge.DutyAsync("court.exit-after-performance", firm);
        exit["provisional"]!.GetValue<bool>().ShouldBe(ShouldBeProvisional(exit["dueOn"].Str()));
        if (Today == new DateOnly(2026, 12, 4))
        {
            exit["provisional"]!.GetValue<bool>().ShouldBeFalse();
        }
    }

    [Fact]
    public async Task Metrics_report_the_end_of_the_covered_calendar()
    {
        var s = await servers.For(Db.Sqlite, "seeds");
        using var c = s.Client();
        var text = await c.GetStringCt("/metrics");
        var seconds = Ops.PromText.Value(text, "shixin_calendar_covered_until");

        // The end of 2026-12-19 in China time: later days wait for the 2027 notice.
        seconds.ShouldBe(new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeSeconds());
        text.ShouldContain("# TYPE shixin_calendar_covered_until gauge");
    }
}
