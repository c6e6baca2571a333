using System.Text.Json.Nodes;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Courts;

/// <summary>Every refusal of issue 2's "Done when", with the stable code and nothing half-written.</summary>
public sealed class RefusalTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    private static string BreakCheckDigit(string id)
    {
        var last = id[^1];
        var wrong = last == '0' ? '1' : last == 'X' ? '0' : (char)(last == '9' ? '0' : last + 1);
        return id[..^1] + wrong;
    }

    private static async Task<long> CountAsync(HttpClient c)
    {
        var page = await c.GetCt("/api/v1/entries?limit=500").Ok();
        return page["items"]!.AsArray().Count;
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Invalid_id_number_is_refused_naming_the_field(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var p = await court.Clerk.PostJson("/api/v1/entries", Draft(Person(BreakCheckDigit(AdultId())))).Problem(400, "invalid-id-number");
        p["errors"]!["subject.idNumber"]!.AsArray().Count.ShouldBe(1);

        // Related persons and legal representatives are checked too.
        var org = Organization();
        org["legalRepresentative"]!["idNumber"] = BreakCheckDigit(AdultId());
        var p2 = await court.Clerk.PostJson("/api/v1/entries", Draft(org)).Problem(400, "invalid-id-number");
        p2["errors"]!["subject.legalRepresentative.idNumber"].ShouldNotBeNull();
        (await CountAsync(court.Clerk)).ShouldBe(0);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Invalid_credit_code_is_refused_naming_the_field(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var code = CreditCode();
        var bad = code[..^1] + (code[^1] == '0' ? '1' : '0');
        var p = await court.Clerk.PostJson("/api/v1/entries", Draft(Organization(bad))).Problem(400, "invalid-credit-code");
        p["errors"]!["subject.creditCode"].ShouldNotBeNull();
        (await CountAsync(court.Clerk)).ShouldBe(0);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_minor_on_the_decision_date_is_not_listed(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();

        // Turns 18 tomorrow: a minor today, an adult tomorrow.
        var id = await court.DraftAsync(Draft(Person(IdBornOn(Today.AddYears(-18).AddDays(1)), "王小明")));
        await court.Clerk.PostJson("/api/v1/entries/" + id + "/risk-notice", new { servedOn = Iso(-3) }).Ok();
        var before = await court.Judge.HistoryLengthAsync(id);
        var p = await court.Judge.PostJson("/api/v1/entries/" + id + "/decision", new { decidedOn = Iso(0) }).Problem(422, "subject-is-minor");
        p["errors"]!["decidedOn"].ShouldNotBeNull();
        var e = await court.Judge.EntryAsync(id);
        e["status"].Str().ShouldBe("noticed");
        e["history"]!.AsArray().Count.ShouldBe(before);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_decision_needs_a_served_risk_notice(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var id = await court.DraftAsync();
        await court.Judge.PostJson("/api/v1/entries/" + id + "/decision", new { decidedOn = Iso(-1) }).Problem(409, "illegal-transition");
        var e = await court.Judge.EntryAsync(id);
        e["status"].Str().ShouldBe("draft");
        e["history"]!.AsArray().Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_clerk_cannot_decide(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var id = await court.DraftAsync();
        await court.Clerk.PostJson("/api/v1/entries/" + id + "/risk-notice", new { servedOn = Iso(-3) }).Ok();
        await court.Clerk.PostJson("/api/v1/entries/" + id + "/decision", new { decidedOn = Iso(-1) }).Problem(403, "forbidden");
        await court.Clerk.PostJson("/api/v1/entries/" + id + "/exit", new { kind = "revoke", reason = "wrongly-listed", effectiveOn = Iso(0) }).Problem(403, "forbidden");
        (await court.Judge.EntryAsync(id))["status"].Str().ShouldBe("noticed");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_transition_from_the_wrong_state_is_illegal(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var id = await court.DraftAsync();
        await court.Judge.PostJson("/api/v1/entries/" + id + "/exit", new { kind = "shield", reason = "fully-performed", effectiveOn = Iso(0) })
            .Problem(409, "illegal-transition");
        await court.Judge.PostJson("/api/v1/entries/" + id + "/extension", new { years = 1, reason = "x" }).Problem(409, "illegal-transition");
        await court.Clerk.PostJson("/api/v1/entries/" + id + "/corrections", new { receivedOn = Iso(-2), filedOn = Iso(-1), grounds = "x" })
            .Problem(409, "illegal-transition");
        (await court.Judge.HistoryLengthAsync(id)).ShouldBe(1);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_late_correction_is_refused(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var id = await court.ListedAsync(decidedDaysAgo: 30);
        var before = await court.Judge.HistoryLengthAsync(id);

        // Received 20 days ago: the 10-day window has closed whatever the holidays.
        var p = await court.Clerk.PostJson("/api/v1/entries/" + id + "/corrections", new { receivedOn = Iso(-20), filedOn = Iso(0), grounds = "已经履行" })
            .Problem(422, "window-closed");
        p["errors"]!["filedOn"].ShouldNotBeNull();
        (await court.Judge.HistoryLengthAsync(id)).ShouldBe(before);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_correction_window_ending_on_a_holiday_moves_to_the_next_working_day(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();

        // Capable-but-refuses carries no term, so the 2024 entry still stands today.
        var id = await court.DraftAsync(Draft(null, "capable-but-refuses"));
        await court.Clerk.PostJson("/api/v1/entries/" + id + "/risk-notice", new { servedOn = "2024-01-15" }).Ok();
        await court.Judge.PostJson("/api/v1/entries/" + id + "/decision", new { decidedOn = "2024-01-25" }).Ok();
        var before = await court.Judge.HistoryLengthAsync(id);

        // Received 2024-02-01: ten days end 2024-02-11, inside the Spring Festival holiday (02-10…02-17);
        // the next working day is Sunday 2024-02-18, an adjusted working day.
        var late = await court.Clerk.PostJson("/api/v1/entries/" + id + "/corrections",
            new { receivedOn = "2024-02-01", filedOn = "2024-02-19", grounds = "被执行人已履行" }).Problem(422, "window-closed");
        late["detail"].Str().ShouldContain("2024-02-18");
        (await court.Judge.HistoryLengthAsync(id)).ShouldBe(before);

        var ok = await court.Clerk.PostJson("/api/v1/entries/" + id + "/corrections",
            new { receivedOn = "2024-02-01", filedOn = "2024-02-18", grounds = "被执行人已履行" }).Created();
        ok["status"].Str().ShouldBe("filed");
        ok["rule"].Str().ShouldBe("correction.review");
        ok["reviewDueOn"].Str().ShouldBe("2024-02-21"); // three days from 02-18, a Wednesday
    }
}
