using System.Collections.Concurrent;
using static Shixin.Server.Tests.Oversight.OversightApi;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Oversight;

/// <summary>One server per database and rule set, shared by the tests of a class.</summary>
public sealed class RuleSetServers : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(Db, string), Lazy<Task<ShixinServer>>> _servers = new();

    public Task<ShixinServer> For(Db db, string ruleSet) =>
        _servers.GetOrAdd((db, ruleSet), k => new Lazy<Task<ShixinServer>>(() =>
            ShixinServer.StartAsync(k.Item1, new Dictionary<string, string?> { ["SHIXIN_RULE_SET"] = k.Item2 }))).Value;

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

/// <summary>
/// The court's duties under both rule sets, over HTTP, across weekends and the 2025 National Day holiday
/// (1–8 October off, Sunday 28 September and Saturday 11 October worked; data/holidays/2025.json).
/// </summary>
public sealed class RuleSetDutyTests(RuleSetServers servers) : IClassFixture<RuleSetServers>
{
    /// <summary>
    /// Filed on Sunday 28 September 2025 (a working day). seeds: 3 days → 1 October, a holiday → Thursday 9 October.
    /// spc-2017: 15 days → Monday 13 October.
    /// </summary>
    [Theory]
    [InlineData(Db.Sqlite, "seeds", "2025-10-09")]
    [InlineData(Db.Postgres, "seeds", "2025-10-09")]
    [InlineData(Db.Sqlite, "spc-2017", "2025-10-13")]
    [InlineData(Db.Postgres, "spc-2017", "2025-10-13")]
    public async Task CorrectionReview_DueDateFollowsTheRuleSet(Db db, string ruleSet, string dueOn)
    {
        var s = await servers.For(db, ruleSet);
        var court = await s.CourtAsync();
        var entry = await court.ListedOnAsync(D("2025-09-20"));

        var correction = await court.Clerk.PostJson("/api/v1/entries/" + entry + "/corrections",
            new { receivedOn = "2025-09-24", filedOn = "2025-09-28", grounds = "已履行完毕，不应纳入" }).Created();
        correction["reviewDueOn"].Str().ShouldBe(dueOn);

        var duty = await court.Judge.DutyAsync("court.review-correction", entry);
        duty["dueOn"].Str().ShouldBe(dueOn);
        duty["rule"].Str().ShouldBe("correction.review");
        duty["ruleSet"].Str().ShouldBe(ruleSet);
        duty["status"].Str().ShouldBe("overdue");
    }

    /// <summary>
    /// Fully performed on Tuesday 30 September 2025. seeds: 3 days → 3 October, a holiday → Thursday 9 October.
    /// spc-2017: 3 working days → 9, 10 and Saturday 11 October (worked).
    /// </summary>
    [Theory]
    [InlineData(Db.Sqlite, "seeds", "2025-10-09")]
    [InlineData(Db.Postgres, "seeds", "2025-10-09")]
    [InlineData(Db.Sqlite, "spc-2017", "2025-10-11")]
    [InlineData(Db.Postgres, "spc-2017", "2025-10-11")]
    public async Task ExitAfterPerformance_DueDateFollowsTheRuleSet(Db db, string ruleSet, string dueOn)
    {
        var s = await servers.For(db, ruleSet);
        var court = await s.CourtAsync();
        var entry = await court.ListedOnAsync(D("2025-09-20"));

        await court.Clerk.PostJson("/api/v1/entries/" + entry + "/performance",
            new { performedAmount = 100000, unperformedAmount = 0, fully = true, performedOn = "2025-09-30" }).Ok();
        var duty = await court.Judge.DutyAsync("court.exit-after-performance", entry);
        duty["dueOn"].Str().ShouldBe(dueOn);
        duty["rule"].Str().ShouldBe("exit.after-performance");
        duty["ruleSet"].Str().ShouldBe(ruleSet);
        duty["status"].Str().ShouldBe("overdue");

        await court.ExitAsync(entry, Today, kind: ruleSet == "seeds" ? "shield" : "delete", reason: "fully-performed");
        var met = await court.Judge.DutyAsync("court.exit-after-performance", entry);
        met["status"].Str().ShouldBe("met");
        met["metOn"].Str().ShouldBe(Iso(Today));
    }

    /// <summary>
    /// Filed and performed on Friday 14 November 2025. Review — seeds: 3 days → Monday 17; spc-2017: 15 days → Saturday 29 →
    /// Monday 1 December. Exit — seeds: 3 days → Monday 17; spc-2017: 3 working days → 17, 18, 19.
    /// </summary>
    [Theory]
    [InlineData(Db.Sqlite, "seeds", "2025-11-17", "2025-11-17")]
    [InlineData(Db.Postgres, "seeds", "2025-11-17", "2025-11-17")]
    [InlineData(Db.Sqlite, "spc-2017", "2025-12-01", "2025-11-19")]
    [InlineData(Db.Postgres, "spc-2017", "2025-12-01", "2025-11-19")]
    public async Task CorrectionAndExitDuties_AcrossAWeekend(Db db, string ruleSet, string reviewDue, string exitDue)
    {
        var s = await servers.For(db, ruleSet);
        var court = await s.CourtAsync();
        var reviewed = await court.ListedOnAsync(D("2025-11-03"));
        var performed = await court.ListedOnAsync(D("2025-11-03"));

        (await court.Clerk.PostJson("/api/v1/entries/" + reviewed + "/corrections",
            new { receivedOn = "2025-11-10", filedOn = "2025-11-14", grounds = "身份信息有误" }).Created())["reviewDueOn"].Str().ShouldBe(reviewDue);
        (await court.Judge.DutyAsync("court.review-correction", reviewed))["dueOn"].Str().ShouldBe(reviewDue);

        await court.Clerk.PostJson("/api/v1/entries/" + performed + "/performance",
            new { performedAmount = 100000, unperformedAmount = 0, fully = true, performedOn = "2025-11-14" }).Ok();
        (await court.Judge.DutyAsync("court.exit-after-performance", performed))["dueOn"].Str().ShouldBe(exitDue);
    }
}
