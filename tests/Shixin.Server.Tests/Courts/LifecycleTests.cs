using System.Net;
using System.Text.Json.Nodes;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Courts;

/// <summary>The legal life of an entry over HTTP, on both databases.</summary>
public sealed class LifecycleTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Draft_notice_decide_amend_extend_perform_and_exit(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();

        var draftResponse = await court.Clerk.PostJson("/api/v1/entries", Draft(null, "evades-enforcement", "violates-property-reporting"));
        var draft = await draftResponse.Json(HttpStatusCode.Created);
        draft["status"].Str().ShouldBe("draft");
        var id = draft["id"].Str();
        draftResponse.Headers.Location!.ToString().ShouldEndWith("/api/v1/entries/" + id);
        draft["court"].Str().ShouldBe(court.Code);

        var noticed = await court.Clerk.PostJson("/api/v1/entries/" + id + "/risk-notice", new { servedOn = Iso(-20) }).Ok();
        noticed["status"].Str().ShouldBe("noticed");
        noticed["riskNoticeServedOn"].Str().ShouldBe(Iso(-20));

        var decidedOn = Today.AddDays(-10);
        var listed = await court.Judge.PostJson("/api/v1/entries/" + id + "/decision", new { decidedOn = Iso(decidedOn) }).Ok();
        listed["status"].Str().ShouldBe("listed");
        listed["publishedOn"].Str().ShouldBe(Iso(decidedOn));
        listed["expiresOn"].Str().ShouldBe(Iso(decidedOn.AddYears(2)));

        var amended = await court.Judge.PostJson("/api/v1/entries/" + id + "/amendment",
            new { changes = new Dictionary<string, object> { ["obligation"] = "支付货款人民币120000元及利息" }, reason = "执行依据数额录入错误" }).Ok();
        amended["obligation"].Str().ShouldBe("支付货款人民币120000元及利息");
        amended["status"].Str().ShouldBe("listed");

        var extended = await court.Judge.PostJson("/api/v1/entries/" + id + "/extension", new { years = 1, reason = "多次失信，情节严重" }).Ok();
        extended["expiresOn"].Str().ShouldBe(Iso(decidedOn.AddYears(3)));

        var performed = await court.Clerk.PostJson("/api/v1/entries/" + id + "/performance",
            new { performedAmount = 100000, unperformedAmount = 0, fully = true, performedOn = Iso(-1) }).Ok();
        performed["status"].Str().ShouldBe("listed");

        // The entry has a term (SPC Art. 2), so full performance does not oblige the court to exit (Art. 10 para 2).
        var entry = await court.Clerk.EntryAsync(id);
        entry["obligations"]!.AsArray().ShouldNotContain(o => o!["code"].Str() == "court.exit-after-performance");

        var types = entry.Types().ToList();
        types.ShouldContain("entry.drafted");
        types.ShouldContain("entry.risk-notice-served");
        types.ShouldContain("entry.listed");
        types.ShouldContain("entry.updated");
        types.ShouldContain("entry.extended");
        types.ShouldContain("entry.performance-recorded");

        var seqs = entry["history"]!.AsArray().Where(h => h!["seq"] is not null).Select(h => h!["seq"]!.GetValue<long>()).ToList();
        seqs.Count.ShouldBeGreaterThanOrEqualTo(3); // listed, updated, extended are list events
        for (var i = 1; i < seqs.Count; i++)
        {
            seqs[i].ShouldBeGreaterThan(seqs[i - 1]);
        }

        entry["history"]!.AsArray().Single(h => h!["type"].Str() == "entry.listed")!["seq"].ShouldNotBeNull();
        entry["history"]!.AsArray().Where(h => h!["type"].Str() == "entry.updated").ShouldAllBe(h => h!["seq"] != null);
        entry["history"]!.AsArray().ShouldContain(h => h!["type"].Str() == "entry.updated" && h["data"]!["reason"]!.GetValue<string>() == "执行依据数额录入错误");

        // It does not leave through performance, but the court may delete it early (Art. 2 para 2).
        await court.Judge.PostJson("/api/v1/entries/" + id + "/exit", new { kind = "shield", reason = "fully-performed", effectiveOn = Iso(0) })
            .Problem(422, "invalid-exit-reason");
        var exited = await court.Judge.PostJson("/api/v1/entries/" + id + "/exit", new { kind = "delete", reason = "early-deletion", effectiveOn = Iso(0) }).Ok();
        exited["status"].Str().ShouldBe("deleted");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Full_performance_opens_the_exit_duty_of_an_entry_without_a_term(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var id = await court.ListedAsync();
        await court.Clerk.PostJson("/api/v1/entries/" + id + "/performance",
            new { performedAmount = 100000, unperformedAmount = 0, fully = true, performedOn = Iso(-1) }).Ok();

        var entry = await court.Clerk.EntryAsync(id);
        var duty = entry["obligations"]!.AsArray().Single(o => o!["code"].Str() == "court.exit-after-performance")!;
        DateOnly.Parse(duty["dueOn"].Str(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(Today.AddDays(-1)); // counted from performedOn, after it
        duty["owner"].Str().ShouldBe(court.Code);
        duty["rule"].Str().ShouldNotBeNullOrWhiteSpace();

        (await court.Judge.PostJson("/api/v1/entries/" + id + "/exit", new { kind = "shield", reason = "fully-performed", effectiveOn = Iso(0) }).Ok())
            ["status"].Str().ShouldBe("shielded");
        var after = await court.Judge.EntryAsync(id);
        after["obligations"]!.AsArray().Single(o => o!["code"].Str() == "court.exit-after-performance")!["status"].Str().ShouldBe("met");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Capable_but_refuses_has_no_term(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var id = await court.ListedAsync(Draft(Organization(), "capable-but-refuses"));
        var e = await court.Judge.EntryAsync(id);
        e["status"].Str().ShouldBe("listed");
        e["expiresOn"].ShouldBeNull();
        e["termYears"].ShouldBeNull();
        e["publishedOn"].Str().ShouldBe(Iso(-10));

        // Extension needs a term.
        var p = await court.Judge.PostJson("/api/v1/entries/" + id + "/extension?lang=en", new { years = 1, reason = "x" }).Problem(422, "invalid-extension");
        p["detail"].Str().ShouldContain("capable-but-refuses");
        var zh = await court.Judge.PostJson("/api/v1/entries/" + id + "/extension", new { years = 1, reason = "x" }).Problem(422, "invalid-extension");
        zh["detail"].Str().ShouldContain("《最高人民法院关于公布失信被执行人名单信息的若干规定》第二条");
    }

    [Theory]
    [InlineData(Db.Sqlite, "shield", "settlement-performed", "shielded")]
    [InlineData(Db.Sqlite, "revoke", "wrongly-listed", "revoked")]
    [InlineData(Db.Sqlite, "delete", "fully-performed", "deleted")]
    [InlineData(Db.Postgres, "shield", "settlement-performed", "shielded")]
    [InlineData(Db.Postgres, "revoke", "wrongly-listed", "revoked")]
    [InlineData(Db.Postgres, "delete", "fully-performed", "deleted")]
    public async Task Exits(Db db, string kind, string reason, string status)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var id = await court.ListedAsync();
        var r = await court.Judge.PostJson("/api/v1/entries/" + id + "/exit", new { kind, reason, effectiveOn = Iso(0), note = "测试" }).Ok();
        r["status"].Str().ShouldBe(status);
        r["exitReason"].Str().ShouldBe(reason);
        r["exitedOn"].Str().ShouldBe(Iso(0));
        var e = await court.Clerk.EntryAsync(id);
        var last = e["history"]!.AsArray().Last()!;
        last["type"].Str().ShouldBe("entry." + status);
        last["seq"].ShouldNotBeNull();

        // A second exit from the exited state is a transition from the wrong state.
        await court.Judge.PostJson("/api/v1/entries/" + id + "/exit", new { kind = "shield", reason = "fully-performed", effectiveOn = Iso(0) })
            .Problem(409, "illegal-transition");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task List_filters_by_status_and_paginates_with_a_cursor(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var other = await s.CourtAsync();
        var drafts = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            drafts.Add(await court.DraftAsync());
        }

        var listed = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            listed.Add(await court.ListedAsync());
        }

        await other.ListedAsync();

        var onlyListed = await court.Clerk.GetCt("/api/v1/entries?status=listed").Ok();
        onlyListed["items"]!.AsArray().Select(x => x!["id"].Str()).Order().ShouldBe(listed.Order());
        onlyListed["items"]!.AsArray().ShouldAllBe(x => x!["status"].Str() == "listed");
        var onlyDrafts = await court.Clerk.GetCt("/api/v1/entries?status=draft").Ok();
        onlyDrafts["items"]!.AsArray().Select(x => x!["id"].Str()).Order().ShouldBe(drafts.Order());

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await court.Clerk.GetCt("/api/v1/entries?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))).Ok();
            var items = page["items"]!.AsArray();
            items.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(items.Select(x => x!["id"].Str()));
            cursor = page["next"]?.GetValue<string>();
            pages++;
            pages.ShouldBeLessThan(10);
        }
        while (cursor is not null);

        pages.ShouldBe(4);
        seen.Count.ShouldBe(7);
        seen.Distinct().Count().ShouldBe(7);
        seen.Order().ShouldBe(drafts.Concat(listed).Order());

        await court.Clerk.GetCt("/api/v1/entries?status=bogus").Problem(400);
        await court.Clerk.GetCt("/api/v1/entries?cursor=not-a-cursor").Problem(400);
    }
}
