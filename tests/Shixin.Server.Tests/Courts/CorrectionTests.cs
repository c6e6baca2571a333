using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Courts;

/// <summary>Corrections (纠正) and reconsideration (复议) over HTTP.</summary>
public sealed class CorrectionTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task An_accepted_correction_revokes_the_entry(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var id = await court.ListedAsync(decidedDaysAgo: 5);

        var response = await court.Clerk.PostJson("/api/v1/entries/" + id + "/corrections", new { receivedOn = Iso(-4), filedOn = Iso(-2), grounds = "案号录入错误，被执行人并非本案当事人" });
        var c = await response.Json(System.Net.HttpStatusCode.Created);
        response.Headers.Location!.ToString().ShouldBe("/api/v1/corrections/" + c["id"].Str());
        c["entryId"].Str().ShouldBe(id);
        c["rule"].Str().ShouldBe("correction.review");
        c["reviewDueOn"].Str().ShouldNotBeNullOrWhiteSpace();
        c["source"].Str().ShouldNotBeNullOrWhiteSpace();

        var open = await court.Judge.EntryAsync(id);
        var duty = open["obligations"]!.AsArray().Single(o => o!["code"].Str() == "court.review-correction")!;
        duty["owner"].Str().ShouldBe(court.Code);
        duty["dueOn"].Str().ShouldBe(c["reviewDueOn"].Str());
        duty["proceedingId"].Str().ShouldBe(c["id"].Str());

        // A clerk may not rule.
        await court.Clerk.PostJson("/api/v1/corrections/" + c["id"].Str() + "/ruling", new { outcome = "accepted", ruledOn = Iso(-1), reasons = "x" })
            .Problem(403, "forbidden");

        var ruled = await court.Judge.PostJson("/api/v1/corrections/" + c["id"].Str() + "/ruling",
            new { outcome = "accepted", ruledOn = Iso(-1), reasons = "确属错误纳入" }).Ok();
        ruled["status"].Str().ShouldBe("revoked");
        ruled["exitReason"].Str().ShouldBe("correction-accepted");

        var e = await court.Judge.EntryAsync(id);
        e.Types().ShouldContain("correction.filed");
        e.Types().ShouldContain("correction.ruled");
        e.Types().ShouldContain("entry.revoked");
        e["obligations"]!.AsArray().Single(o => o!["code"].Str() == "court.review-correction")!["status"].Str().ShouldBe("met");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_rejected_correction_goes_to_the_higher_court_on_reconsideration(Db db)
    {
        var s = await servers.For(db);
        var higher = await s.CourtAsync();
        var court = await s.CourtAsync(parent: higher.Code);
        var stranger = await s.CourtAsync();
        var id = await court.ListedAsync(decidedDaysAgo: 8);

        var c = await court.Clerk.PostJson("/api/v1/entries/" + id + "/corrections", new { receivedOn = Iso(-7), filedOn = Iso(-6), grounds = "已提供担保" }).Created();
        var cid = c["id"].Str();

        // Another court's judge may not rule on this court's correction.
        await stranger.Judge.PostJson("/api/v1/corrections/" + cid + "/ruling", new { outcome = "accepted", ruledOn = Iso(-5), reasons = "x" })
            .Problem(403, "forbidden");

        var rejected = await court.Judge.PostJson("/api/v1/corrections/" + cid + "/ruling", new { outcome = "rejected", ruledOn = Iso(-5), reasons = "理由不成立" }).Ok();
        rejected["status"].Str().ShouldBe("listed");

        var rResponse = await court.Clerk.PostJson("/api/v1/corrections/" + cid + "/reconsideration", new { filedOn = Iso(-3), grounds = "不服驳回决定" });
        var r = await rResponse.Json(System.Net.HttpStatusCode.Created);
        r["court"].Str().ShouldBe(higher.Code);
        r["rulingDueOn"].Str().ShouldNotBeNullOrWhiteSpace();
        var rid = r["id"].Str();
        rResponse.Headers.Location!.ToString().ShouldBe("/api/v1/reconsiderations/" + rid);

        var entry = await court.Judge.EntryAsync(id);
        var duties = entry["obligations"]!.AsArray();
        duties.Single(o => o!["code"].Str() == "court.review-correction")!["owner"].Str().ShouldBe(court.Code);
        var ruleDuty = duties.Single(o => o!["code"].Str() == "court.rule-on-reconsideration")!;
        ruleDuty["owner"].Str().ShouldBe(higher.Code);
        ruleDuty["dueOn"].Str().ShouldBe(r["rulingDueOn"].Str());
        ruleDuty["status"].Str().ShouldNotBe("met");

        // Neither a stranger court nor the executing court rules on the reconsideration.
        var before = entry["history"]!.AsArray().Count;
        await stranger.Judge.PostJson("/api/v1/reconsiderations/" + rid + "/ruling", new { outcome = "accepted", ruledOn = Iso(-1), reasons = "x" })
            .Problem(403, "forbidden");
        await court.Judge.PostJson("/api/v1/reconsiderations/" + rid + "/ruling", new { outcome = "accepted", ruledOn = Iso(-1), reasons = "x" })
            .Problem(403, "forbidden");
        (await court.Judge.HistoryLengthAsync(id)).ShouldBe(before);

        // The higher court may read the entry it hears, and its judge rules.
        (await higher.Judge.EntryAsync(id))["id"].Str().ShouldBe(id);
        var ruled = await higher.Judge.PostJson("/api/v1/reconsiderations/" + rid + "/ruling", new { outcome = "accepted", ruledOn = Iso(-1), reasons = "原决定错误" }).Ok();
        ruled["status"].Str().ShouldBe("revoked");
        ruled["exitReason"].Str().ShouldBe("correction-accepted");

        var after = await court.Judge.EntryAsync(id);
        after.Types().ShouldContain("reconsideration.filed");
        after.Types().ShouldContain("reconsideration.ruled");
        after["obligations"]!.AsArray().Single(o => o!["code"].Str() == "court.rule-on-reconsideration")!["status"].Str().ShouldBe("met");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Unknown_correction_and_reconsideration_are_not_found(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        await court.Judge.PostJson("/api/v1/corrections/" + Guid.NewGuid() + "/ruling", new { outcome = "accepted", ruledOn = Iso(-1), reasons = "x" }).Problem(404, "not-found");
        await court.Judge.PostJson("/api/v1/reconsiderations/" + Guid.NewGuid() + "/ruling", new { outcome = "accepted", ruledOn = Iso(-1), reasons = "x" }).Problem(404, "not-found");
        await court.Clerk.PostJson("/api/v1/entries/" + Guid.NewGuid() + "/corrections", new { receivedOn = Iso(-1), filedOn = Iso(0), grounds = "x" }).Problem(404, "not-found");
    }
}
