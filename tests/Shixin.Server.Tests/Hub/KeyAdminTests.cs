using System.Net;
using System.Text.Json.Nodes;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Hub;

/// <summary>
/// Issue 11 "What to build" 4: a key is revoked by the hub administrator or by the owning organization's key
/// administrator (court.admin / unit.admin); another organization's administrator is refused with 403.
/// </summary>
public sealed class KeyAdminTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task An_organizations_key_administrator_revokes_its_own_keys_only(Db db)
    {
        var s = await servers.For(db);
        var unitCode = Unique("unit-kadm-");
        var checker = await s.OrganizationAsync("unit", unitCode, "110105", null, "unit.checker");
        var admin = await s.KeyAsync(unitCode, "unit.admin");
        var issued = await s.Admin.PostJson("/api/v1/organizations/" + unitCode + "/keys", new { roles = new[] { "unit.checker" } }).Created();
        var id = issued["id"].Str();
        using var key = s.Client(issued["key"].Str());

        // Another unit's and a court's key administrators are refused, and the key goes on working.
        var otherUnit = Unique("unit-kadm-");
        await s.OrganizationAsync("unit", otherUnit, "110105", null, "unit.checker");
        var otherAdmin = await s.KeyAsync(otherUnit, "unit.admin");
        var court = await s.CourtAsync();
        var courtAdmin = await s.KeyAsync(court.Code, "court.admin");
        await otherAdmin.PostJson("/api/v1/keys/" + id + "/revoke", new { }).Problem(403, "forbidden");
        await courtAdmin.PostJson("/api/v1/keys/" + id + "/revoke", new { }).Problem(403, "forbidden");
        await otherAdmin.GetCt("/api/v1/organizations/" + unitCode + "/keys").Problem(403, "forbidden");
        (await key.GetCt("/api/v1/scenarios")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The key administrator does nothing else: no checks, no hub lists.
        await admin.PostJson("/api/v1/checks", new { scenario = "civil-aviation.ticket", subjects = new[] { new { idNumber = AdultId() } } }).Problem(403, "forbidden");
        await admin.GetCt("/api/v1/organizations").Problem(403, "forbidden");

        // Its own organization's keys: listed (never the key itself) and revoked.
        var listed = JsonNode.Parse(await (await admin.GetCt("/api/v1/organizations/" + unitCode + "/keys")).Content.ReadAsStringAsync(Ct))!.AsArray();
        listed.Select(k => k!["id"].Str()).ShouldContain(id);
        listed.ShouldAllBe(k => k!["key"] == null);
        var revoked = await admin.PostJson("/api/v1/keys/" + id + "/revoke", new { }).Ok();
        revoked["revokedAt"].ShouldNotBeNull();
        await key.GetCt("/api/v1/scenarios").Problem(401, "unauthorized");
        (await checker.GetCt("/api/v1/scenarios")).StatusCode.ShouldBe(HttpStatusCode.OK, "the unit's other keys go on working");

        // The roles fit their kind: a unit cannot get court.admin.
        await s.Admin.PostJson("/api/v1/organizations/" + unitCode + "/keys", new { roles = new[] { "court.admin" } }).Problem(400, "validation-failed");
    }
}
