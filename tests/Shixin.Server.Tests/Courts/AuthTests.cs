using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Courts;

/// <summary>Keys, roles and organization scope on the court endpoints.</summary>
public sealed class AuthTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Missing_or_garbage_key_is_401(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var id = await court.DraftAsync();
        using var anonymous = s.Client();
        using var garbage = s.Client("sx_not-a-real-key");

        foreach (var c in new[] { anonymous, garbage })
        {
            await c.GetCt("/api/v1/entries/" + id).Problem(401, "unauthorized");
            await c.GetCt("/api/v1/entries").Problem(401, "unauthorized");
            await c.PostJson("/api/v1/entries", Draft()).Problem(401, "unauthorized");
            await c.PostJson("/api/v1/entries/" + id + "/risk-notice", new { servedOn = Iso(-1) }).Problem(401, "unauthorized");
            await c.PostJson("/api/v1/organizations", new { kind = "court", code = Unique("x-"), name = "x", region = "440802" }).Problem(401, "unauthorized");
        }

        (await court.Clerk.HistoryLengthAsync(id)).ShouldBe(1);

        // Authentication comes before the body is read: no key and a broken body is still 401, not 400.
        var broken = new StringContent("{\"servedOn\": ", System.Text.Encoding.UTF8, "application/json");
        await anonymous.PostCt("/api/v1/entries/" + id + "/risk-notice", broken).Problem(401, "unauthorized");
        await garbage.PostCt("/api/v1/entries", new StringContent("[1,", System.Text.Encoding.UTF8, "application/json")).Problem(401, "unauthorized");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_unit_key_on_court_endpoints_is_403(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var id = await court.ListedAsync();
        var unit = await s.OrganizationAsync("unit", Unique("unit-"), "440802", null, "unit.checker", "unit.feedback");

        await unit.PostJson("/api/v1/entries", Draft()).Problem(403, "forbidden");
        await unit.PostCt("/api/v1/entries", new StringContent("{\"caseNumber\": 1", System.Text.Encoding.UTF8, "application/json")).Problem(403, "forbidden");
        await unit.GetCt("/api/v1/entries/" + id).Problem(403, "forbidden");
        await unit.GetCt("/api/v1/entries").Problem(403, "forbidden");
        await unit.PostJson("/api/v1/entries/" + id + "/exit", new { kind = "revoke", reason = "wrongly-listed", effectiveOn = Iso(0) }).Problem(403, "forbidden");
        await unit.PostCt("/api/v1/entries/import", new StringContent("caseNumber\n", System.Text.Encoding.UTF8, "text/csv")).Problem(403, "forbidden");
        await unit.PostJson("/api/v1/organizations", new { kind = "court", code = Unique("x-"), name = "x", region = "440802" }).Problem(403, "forbidden");
        (await court.Judge.EntryAsync(id))["status"].Str().ShouldBe("listed");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Another_court_can_neither_read_nor_change_an_entry(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var other = await s.CourtAsync();
        var id = await court.ListedAsync();
        var before = await court.Judge.HistoryLengthAsync(id);

        await other.Judge.GetCt("/api/v1/entries/" + id).Problem(403, "forbidden");
        await other.Clerk.GetCt("/api/v1/entries/" + id).Problem(403, "forbidden");
        await other.Judge.PostJson("/api/v1/entries/" + id + "/exit", new { kind = "revoke", reason = "wrongly-listed", effectiveOn = Iso(0) }).Problem(403, "forbidden");
        await other.Judge.PostJson("/api/v1/entries/" + id + "/amendment", new { changes = new { obligation = "x" }, reason = "x" }).Problem(403, "forbidden");
        await other.Clerk.PostJson("/api/v1/entries/" + id + "/performance", new { performedAmount = 1, unperformedAmount = 1 }).Problem(403, "forbidden");
        await other.Clerk.PostJson("/api/v1/entries/" + id + "/corrections", new { receivedOn = Iso(-2), filedOn = Iso(-1), grounds = "x" }).Problem(403, "forbidden");

        var list = await other.Clerk.GetCt("/api/v1/entries").Ok();
        list["items"]!.AsArray().ShouldBeEmpty();

        // Only the hub may pick a court to list; a court's ?court= names no one but itself.
        var smuggled = await other.Judge.GetCt("/api/v1/entries?court=" + court.Code).Ok();
        smuggled["items"]!.AsArray().ShouldBeEmpty();
        (await court.Judge.HistoryLengthAsync(id)).ShouldBe(before);
        (await court.Judge.EntryAsync(id))["status"].Str().ShouldBe("listed");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task The_hub_admin_reads_any_entry(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var id = await court.ListedAsync();
        var e = await s.Admin.EntryAsync(id);
        e["court"].Str().ShouldBe(court.Code);
        e["history"]!.AsArray().Count.ShouldBeGreaterThan(0);
        var list = await s.Admin.GetCt("/api/v1/entries?court=" + court.Code).Ok();
        list["items"]!.AsArray().Select(x => x!["id"].Str()).ShouldBe([id]);

        // The hub reads; it does not decide for a court.
        await s.Admin.PostJson("/api/v1/entries/" + id + "/exit", new { kind = "revoke", reason = "wrongly-listed", effectiveOn = Iso(0) }).Problem(403, "forbidden");
    }
}
