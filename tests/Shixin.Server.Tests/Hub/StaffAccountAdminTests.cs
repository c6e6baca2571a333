using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Ops;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Hub;

/// <summary>
/// Issue 15 item 7: the hub administrator disables, enables, unlocks and resets the password of staff accounts; a
/// disabled account cannot sign in and its open sessions end; every change is in the audit trail with who made it.
/// </summary>
public sealed partial class StaffAccountAdminTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    private const string Password = "correct-horse-battery";
    private const string NewPassword = "another-long-passphrase";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static async Task<string> FormTokenAsync(HttpClient browser, string path)
    {
        var m = AntiforgeryField().Match(await browser.GetStringCt(path));
        m.Success.ShouldBeTrue("an antiforgery token on " + path);
        return WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    private static HttpClient Browser(ShixinServer s) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = s.BaseAddress };

    /// <summary>Posts the sign-in form: true when it signed in (redirect), false when the page answered with an error.</summary>
    private static async Task<bool> SignInAsync(HttpClient browser, string user, string password)
    {
        var token = await FormTokenAsync(browser, "/signin");
        var r = await browser.PostCt("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
        return r.StatusCode == HttpStatusCode.Redirect;
    }

    private static async Task<bool> SignedInAsync(HttpClient browser, string page)
    {
        using var r = await browser.GetCt(page);
        return r.StatusCode == HttpStatusCode.OK;
    }

    private static async Task<(string Code, string User)> CourtUserAsync(ShixinServer s)
    {
        var court = await s.CourtAsync();
        var user = Unique("clerk.");
        await s.Admin.PostJson("/api/v1/organizations/" + court.Code + "/users", new { userName = user, password = Password, roles = new[] { "court.clerk" } }).Created();
        return (court.Code, user);
    }

    private static async Task<List<AuditTrailRow>> TrailAsync(ShixinServer s, string user)
    {
        await s.Get<Audit>().CatchUpAsync(Ct);
        await using var db = s.Get<ShixinDatabase>().Records.CreateContext();
        return await db.Trail.AsNoTracking().Where(a => a.Target == "user:" + user).OrderBy(a => a.Seq).ToListAsync(Ct);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_disabled_account_cannot_sign_in_and_its_sessions_end(Db db)
    {
        var s = await servers.For(db);
        var (code, user) = await CourtUserAsync(s);
        using var browser = Browser(s);
        (await SignInAsync(browser, user, Password)).ShouldBeTrue();
        (await SignedInAsync(browser, "/court")).ShouldBeTrue();

        var disabled = await s.Admin.PostJson("/api/v1/organizations/" + code + "/users/" + user + "/disable", new { }).Ok();
        disabled["disabledAt"].ShouldNotBeNull();

        // The open session ended at once; signing in again is refused.
        (await SignedInAsync(browser, "/court")).ShouldBeFalse();
        using var again = Browser(s);
        (await SignInAsync(again, user, Password)).ShouldBeFalse();

        // Enabled again, the account signs in (the old session stays ended).
        (await s.Admin.PostJson("/api/v1/organizations/" + code + "/users/" + user + "/enable", new { }).Ok())["disabledAt"].ShouldBeNull();
        (await SignedInAsync(browser, "/court")).ShouldBeFalse();
        (await SignInAsync(again, user, Password)).ShouldBeTrue();
        (await SignedInAsync(again, "/court")).ShouldBeTrue();

        var trail = await TrailAsync(s, user);
        trail.Select(a => a.Action).ShouldBe(["user.create", "user.disable", "user.enable"]);
        trail.ShouldAllBe(a => a.OrganizationCode == "hub" && a.KeyId != null, "who did it: the hub administrator's key");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_locked_account_is_unlocked_and_a_reset_password_ends_sessions(Db db)
    {
        var s = await servers.For(db);
        var (code, user) = await CourtUserAsync(s);
        using var first = Browser(s);
        (await SignInAsync(first, user, Password)).ShouldBeTrue();

        // Five wrong passwords lock the account: the right one is refused too.
        using var browser = Browser(s);
        for (int i = 0; i < 5; i++)
        {
            (await SignInAsync(browser, user, "wrong-password-" + i)).ShouldBeFalse();
        }

        (await SignInAsync(browser, user, Password)).ShouldBeFalse();
        var listed = await s.Admin.GetCt("/api/v1/organizations/" + code + "/users");
        (await listed.Content.ReadAsStringAsync(Ct)).ShouldContain("\"lockedUntil\":\"");

        (await s.Admin.PostJson("/api/v1/organizations/" + code + "/users/" + user + "/unlock", new { }).Ok())["lockedUntil"].ShouldBeNull();
        (await SignInAsync(browser, user, Password)).ShouldBeTrue();

        // A reset sets the new password and ends every open session.
        await s.Admin.PostJson("/api/v1/organizations/" + code + "/users/" + user + "/reset-password", new { password = "short" }).Problem(400, "validation-failed");
        (await SignedInAsync(first, "/court")).ShouldBeTrue("a refused reset changes nothing");
        await s.Admin.PostJson("/api/v1/organizations/" + code + "/users/" + user + "/reset-password", new { password = NewPassword }).Ok();
        (await SignedInAsync(first, "/court")).ShouldBeFalse();
        (await SignedInAsync(browser, "/court")).ShouldBeFalse();
        using var fresh = Browser(s);
        (await SignInAsync(fresh, user, Password)).ShouldBeFalse();
        (await SignInAsync(fresh, user, NewPassword)).ShouldBeTrue();

        var trail = await TrailAsync(s, user);
        trail.Select(a => a.Action).ShouldBe(["user.create", "user.unlock", "user.reset-password"]);
        (await s.Get<ShixinDatabase>().Records.CreateContext().Trail.AsNoTracking().AnyAsync(a => a.Target != null && a.Target.Contains(NewPassword), Ct))
            .ShouldBeFalse("the password is never in the audit trail");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Only_the_hub_administrator_changes_accounts(Db db)
    {
        var s = await servers.For(db);
        var (code, user) = await CourtUserAsync(s);
        var auditor = await s.OrganizationAsync("hub", Unique("hub-aud-"), "000000", null, "hub.auditor");
        var unit = await s.OrganizationAsync("unit", Unique("unit-acc-"), "110105", null, "unit.checker");
        var path = "/api/v1/organizations/" + code + "/users/" + user + "/";
        foreach (var action in new[] { "disable", "enable", "unlock" })
        {
            await auditor.PostJson(path + action, new { }).Problem(403, "forbidden");
            await unit.PostJson(path + action, new { }).Problem(403, "forbidden");
        }

        await unit.PostJson(path + "reset-password", new { password = NewPassword }).Problem(403, "forbidden");

        // An account named under another organization is not found; so is an unknown one.
        var other = await s.CourtAsync();
        await s.Admin.PostJson("/api/v1/organizations/" + other.Code + "/users/" + user + "/disable", new { }).Problem(404, "not-found");
        await s.Admin.PostJson("/api/v1/organizations/" + code + "/users/nobody-here/disable", new { }).Problem(404, "not-found");
        using var browser = Browser(s);
        (await SignInAsync(browser, user, Password)).ShouldBeTrue("nothing was changed");
    }

    /// <summary>The page does the same through the same rule: a hub administrator signed in disables an account from /hub/users.</summary>
    [Fact]
    public async Task The_users_page_disables_and_an_admin_cannot_disable_themselves()
    {
        var s = await servers.For(Db.Sqlite);
        var (_, user) = await CourtUserAsync(s);
        var admin = Unique("hubadmin.");
        await s.Admin.PostJson("/api/v1/organizations/hub/users", new { userName = admin, password = Password, roles = new[] { "hub.admin" } }).Created();
        using var browser = Browser(s);
        (await SignInAsync(browser, admin, Password)).ShouldBeTrue();

        var html = await browser.GetStringCt("/hub/users");
        html.ShouldContain("data-user=\"" + user + "\"");
        var token = await FormTokenAsync(browser, "/hub/users");

        async Task<string> ChangeAsync(string org, string who, string act)
        {
            var r = await browser.PostCt("/hub/users?handler=change", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["org"] = org, ["user"] = who, ["act"] = act, ["__RequestVerificationToken"] = token,
            }));
            r.StatusCode.ShouldBe(HttpStatusCode.OK);
            return await r.Content.ReadAsStringAsync(Ct);
        }

        var userCode = (await s.Get<ShixinDatabase>().CreateContext().Users.AsNoTracking().SingleAsync(u => u.UserName == user, Ct)).OrganizationCode;
        (await ChangeAsync(userCode, user, "disable")).ShouldContain("已停用");
        (await s.Get<ShixinDatabase>().CreateContext().Users.AsNoTracking().SingleAsync(u => u.UserName == user, Ct)).DisabledAt.ShouldNotBeNull();
        (await ChangeAsync("hub", admin, "disable")).ShouldContain("不能停用自己的账户");
        (await SignedInAsync(browser, "/hub/users")).ShouldBeTrue("the administrator is still signed in");

        var trail = await TrailAsync(s, user);
        trail.Last().Action.ShouldBe("user.disable");
        trail.Last().KeyId.ShouldBe("user:" + admin, "the audit names the administrator who did it");
    }
}
