using System.Net;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Hub;

/// <summary>Organizations and keys (API.md "Bootstrap and organizations").</summary>
public sealed class OrganizationTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Create_duplicate_and_bad_region(Db db)
    {
        var s = await servers.For(db);
        var code = Unique("zj-court-");
        var body = new { kind = "court", code, name = "湛江市赤坎区人民法院", region = "440802" };
        var created = await s.Admin.PostJson("/api/v1/organizations", body);
        var o = await created.Json(HttpStatusCode.Created);
        o["code"].Str().ShouldBe(code);
        o["kind"].Str().ShouldBe("court");
        o["name"].Str().ShouldBe("湛江市赤坎区人民法院");
        created.Headers.Location!.ToString().ShouldBe("/api/v1/organizations/" + code);

        await s.Admin.PostJson("/api/v1/organizations", body).Problem(409, "conflict");

        foreach (var region in new[] { "44080", "4408021", "44O802", "" })
        {
            var p = await s.Admin.PostJson("/api/v1/organizations", new { kind = "court", code = Unique("bad-"), name = "x", region }).Problem(400);
            p["errors"]!["region"].ShouldNotBeNull();
        }

        var missingRegion = await s.Admin.PostJson("/api/v1/organizations", new { kind = "court", code = Unique("bad-"), name = "x" }).Problem(400);
        missingRegion["errors"]!["region"].ShouldNotBeNull();
        await s.Admin.PostJson("/api/v1/organizations", new { kind = "bank", code = Unique("bad-"), name = "x", region = "440802" }).Problem(400);
        await s.Admin.PostJson("/api/v1/organizations", new { kind = "court", code = Unique("bad-"), name = "x", region = "440802", parentCode = "no-such-court" }).Problem(400);

        var got = await s.Admin.GetCt("/api/v1/organizations/" + code).Ok();
        got["region"].Str().ShouldBe("440802");
        await s.Admin.GetCt("/api/v1/organizations/no-such-org").Problem(404, "not-found");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_key_is_shown_once_and_works(Db db)
    {
        var s = await servers.For(db);
        var code = Unique("court-");
        await s.Admin.PostJson("/api/v1/organizations", new { kind = "court", code, name = "x", region = "440802" }).Created();
        var issuedResponse = await s.Admin.PostJson("/api/v1/organizations/" + code + "/keys", new { roles = new[] { "court.clerk" } });
        var issued = await issuedResponse.Json(HttpStatusCode.Created);
        var key = issued["key"].Str();
        key.Length.ShouldBeGreaterThan(20);
        issued["organization"].Str().ShouldBe(code);

        // The key is nowhere else: not in the organization, not in a second issue.
        var org = await s.Admin.GetCt("/api/v1/organizations/" + code);
        (await org.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldNotContain(key);
        var second = await s.Admin.PostJson("/api/v1/organizations/" + code + "/keys", new { roles = new[] { "court.clerk" } }).Created();
        second["key"].Str().ShouldNotBe(key);

        using var clerk = s.Client(key);
        var list = await clerk.GetCt("/api/v1/entries").Ok();
        list["items"]!.AsArray().ShouldBeEmpty();

        await s.Admin.PostJson("/api/v1/organizations/no-such-org/keys", new { roles = new[] { "court.clerk" } }).Problem(404, "not-found");
        await s.Admin.PostJson("/api/v1/organizations/" + code + "/keys", new { roles = Array.Empty<string>() }).Problem(400);
        await s.Admin.PostJson("/api/v1/organizations/" + code + "/keys", new { roles = new[] { "court.emperor" } }).Problem(400);
    }

    [Theory]
    [InlineData(Db.Sqlite, "court", "unit.checker")]
    [InlineData(Db.Sqlite, "court", "hub.admin")]
    [InlineData(Db.Sqlite, "unit", "court.judge")]
    [InlineData(Db.Postgres, "court", "unit.checker")]
    [InlineData(Db.Postgres, "court", "hub.admin")]
    [InlineData(Db.Postgres, "unit", "court.judge")]
    public async Task A_role_that_does_not_fit_the_kind_is_refused(Db db, string kind, string role)
    {
        var s = await servers.For(db);
        var code = Unique(kind + "-");
        await s.Admin.PostJson("/api/v1/organizations", new { kind, code, name = "x", region = "440802" }).Created();
        var p = await s.Admin.PostJson("/api/v1/organizations/" + code + "/keys", new { roles = new[] { role } }).Problem(400);
        p["errors"]!["roles"].ShouldNotBeNull();
    }
}
