using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Hub;

/// <summary>
/// Issue 11 findings 8 and 11: keys can be revoked and stop working on every node within a second; a staff cookie
/// stops working at sign-out; the API takes no cookie for writes; every response carries the browser security headers.
/// </summary>
public sealed partial class KeysAndSessionsTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Password = "correct-horse-battery";

    private static async Task<(string Id, HttpClient Client)> IssueAsync(ShixinServer s, string org, params string[] roles)
    {
        var issued = await s.Admin.PostJson("/api/v1/organizations/" + org + "/keys", new { roles }).Created();
        return (issued["id"].Str(), s.Client(issued["key"].Str()));
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task The_hub_admin_revokes_a_key_and_it_answers_401_at_once(Db db)
    {
        var s = await servers.For(db);
        var unitCode = Unique("unit-rev-");
        var unit = await s.OrganizationAsync("unit", unitCode, "110105", null, "unit.checker");
        var (id, key) = await IssueAsync(s, unitCode, "unit.checker", "unit.feedback");
        (await key.GetCt("/api/v1/scenarios")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Not the unit's working keys, not an auditor: the hub administrator revokes (or the unit's own key administrator: KeyAdminTests).
        await unit.PostJson("/api/v1/keys/" + id + "/revoke", new { }).Problem(403, "forbidden");
        var hubCode = Unique("hub-aud-");
        var auditor = await s.OrganizationAsync("hub", hubCode, "000000", null, "hub.auditor");
        await auditor.PostJson("/api/v1/keys/" + id + "/revoke", new { }).Problem(403, "forbidden");
        await s.Admin.PostJson("/api/v1/keys/key_nosuchkey/revoke", new { }).Problem(404, "not-found");
        (await key.GetCt("/api/v1/scenarios")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var revoked = await s.Admin.PostJson("/api/v1/keys/" + id + "/revoke", new { }).Ok();
        revoked["id"].Str().ShouldBe(id);
        revoked["organization"].Str().ShouldBe(unitCode);
        var at = revoked["revokedAt"].Str();
        await key.GetCt("/api/v1/scenarios").Problem(401, "unauthorized");
        await key.PostJson("/api/v1/checks", new { scenario = "civil-aviation.ticket", subjects = new[] { new { idNumber = AdultId() } } }).Problem(401, "unauthorized");

        // Revoking again changes nothing; the organization's other keys go on working; the list shows the revocation.
        Instant((await s.Admin.PostJson("/api/v1/keys/" + id + "/revoke", new { }).Ok())["revokedAt"].Str()).ShouldBe(Instant(at), TimeSpan.FromMilliseconds(1));
        (await unit.GetCt("/api/v1/scenarios")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var keys = await s.Admin.GetCt("/api/v1/organizations/" + unitCode + "/keys");
        keys.StatusCode.ShouldBe(HttpStatusCode.OK);
        var listed = JsonNode.Parse(await keys.Content.ReadAsStringAsync(Ct))!.AsArray();
        Instant(listed.Single(k => k!["id"].Str() == id)!["revokedAt"].Str()).ShouldBe(Instant(at), TimeSpan.FromMilliseconds(1));
        listed.ShouldAllBe(k => k!["key"] == null);
    }

    private static DateTimeOffset Instant(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>A key revoked elsewhere (another node or process writes the database) stops working here within about a second.</summary>
    [Fact]
    public async Task A_key_revoked_by_another_process_stops_within_a_second_on_sqlite()
    {
        var s = await servers.For(Db.Sqlite);
        var unitCode = Unique("unit-rev2-");
        await s.OrganizationAsync("unit", unitCode, "110105", null, "unit.checker");
        var (id, key) = await IssueAsync(s, unitCode, "unit.checker");
        (await key.GetCt("/api/v1/scenarios")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Written beside the server, as another process would: this node learns of it only from the database.
        var dataDir = s.Get<Shixin.Server.Hosting.ShixinOptions>().DataDirectory;
        var other = ShixinDatabase.SqliteFile(Path.Combine(dataDir, "shixin.db"));
        await using (var ctx = other.CreateContext())
        {
            var row = await ctx.ApiKeys.FirstAsync(k => k.Id == id, Ct);
            row.RevokedAt = DateTime.UtcNow;
            await ctx.SaveChangesAsync(Ct);
        }

        var elapsed = await UntilUnauthorizedAsync(key);
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2.5), "the cache noticed the revocation");
    }

    /// <summary>Two nodes on one PostgreSQL database: a key revoked through node A answers 401 on node B within a second.</summary>
    [Fact]
    public async Task A_key_revoked_on_one_node_answers_401_on_the_other_within_a_second()
    {
        var a = await servers.For(Db.Postgres);
        var connection = a.Get<Shixin.Server.Hosting.ShixinOptions>().PostgresConnectionString;
        await using var b = await ShixinServer.StartAsync(Db.Postgres, new Dictionary<string, string?> { ["SHIXIN_POSTGRES"] = connection });
        var unitCode = Unique("unit-rev3-");
        await a.OrganizationAsync("unit", unitCode, "110105", null, "unit.checker");
        var issued = await a.Admin.PostJson("/api/v1/organizations/" + unitCode + "/keys", new { roles = new[] { "unit.checker" } }).Created();
        using var onB = b.Client(issued["key"].Str());
        (await onB.GetCt("/api/v1/scenarios")).StatusCode.ShouldBe(HttpStatusCode.OK, "node B resolved and cached the key");

        await a.Admin.PostJson("/api/v1/keys/" + issued["id"].Str() + "/revoke", new { }).Ok();
        var elapsed = await UntilUnauthorizedAsync(onB);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"node B refused the revoked key after {elapsed.TotalMilliseconds:F0} ms"));
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2.5));
    }

    private static async Task<TimeSpan> UntilUnauthorizedAsync(HttpClient key)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            using var r = await key.GetCt("/api/v1/scenarios");
            if (r.StatusCode == HttpStatusCode.Unauthorized)
            {
                return watch.Elapsed;
            }

            r.StatusCode.ShouldBe(HttpStatusCode.OK);
            await Task.Delay(50, Ct);
        }

        throw new ShouldAssertException("the revoked key still works after 10 s");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static async Task<string> FormTokenAsync(HttpClient browser, string path)
    {
        var html = await browser.GetStringCt(path);
        var m = AntiforgeryField().Match(html);
        m.Success.ShouldBeTrue("an antiforgery token on " + path);
        return WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    private static HttpClient Browser(ShixinServer s, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = s.BaseAddress };

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string user, string? forwardedProto = null)
    {
        var token = await FormTokenAsync(browser, "/signin");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = user, ["Password"] = Password, ["__RequestVerificationToken"] = token }),
        };
        if (forwardedProto is not null)
        {
            post.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        var r = await browser.SendCt(post);
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect, "signed in");
        return r;
    }

    private static async Task<string> HubUserAsync(ShixinServer s)
    {
        var user = Unique("staff.");
        await s.Admin.PostJson("/api/v1/organizations/hub/users", new { userName = user, password = Password, roles = new[] { "hub.admin", "hub.auditor" } }).Created();
        return user;
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_staff_cookie_stops_working_at_sign_out_even_when_copied(Db db)
    {
        var s = await servers.For(db);
        var user = await HubUserAsync(s);
        var cookies = new CookieContainer();
        using var browser = Browser(s, cookies);
        await SignInAsync(browser, user);
        (await browser.GetCt("/hub")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var copied = cookies.GetCookies(s.BaseAddress)["shixin.staff"]!.Value;

        var token = await FormTokenAsync(browser, "/hub");
        (await browser.PostCt("/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }))).StatusCode
            .ShouldBe(HttpStatusCode.Redirect);

        // The copy, replayed by someone who kept it, no longer signs anyone in: pages send to sign-in, the API says 401.
        using var replay = s.Client();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/hub");
        page.Headers.Add("Cookie", "shixin.staff=" + copied);
        var r = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = s.BaseAddress }.SendCt(page);
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        r.Headers.Location!.ToString().ShouldStartWith("/signin");
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/v1/organizations");
        api.Headers.Add("Cookie", "shixin.staff=" + copied);
        await (await new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = s.BaseAddress }.SendCt(api)).Problem(401, "unauthorized");
    }

    /// <summary>The cookie never authenticates an API write (a form post from another site carries no key); it still reads the consoles' downloads.</summary>
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task The_api_takes_keys_for_writes_and_never_the_cookie(Db db)
    {
        var s = await servers.For(db);
        var user = await HubUserAsync(s);
        var cookies = new CookieContainer();
        using var browser = Browser(s, cookies);
        await SignInAsync(browser, user);

        var code = Unique("court-csrf-");
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["kind"] = "court", ["code"] = code, ["name"] = "x", ["region"] = "440802" });
        (await browser.PostCt("/api/v1/organizations", form)).StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.UnsupportedMediaType);
        await browser.PostJson("/api/v1/organizations", new { kind = "court", code, name = "x", region = "440802" }).Problem(401, "unauthorized");
        await s.Admin.GetCt("/api/v1/organizations/" + code).Problem(404, "not-found");

        // An endpoint without a body takes a cross-site form post as it is: the cookie must not revoke a key.
        var unitCode = Unique("unit-csrf-");
        var unit = await s.OrganizationAsync("unit", unitCode, "110105", null, "unit.checker");
        var (keyId, key) = await IssueAsync(s, unitCode, "unit.checker");
        var revoke = new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" });
        await browser.PostCt("/api/v1/keys/" + keyId + "/revoke", revoke).Problem(401, "unauthorized");
        (await key.GetCt("/api/v1/scenarios")).StatusCode.ShouldBe(HttpStatusCode.OK, "the key was not revoked");

        // Reads behind the consoles' download links go on working with the cookie.
        (await browser.GetCt("/api/v1/organizations")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Every_response_carries_the_security_headers(Db db)
    {
        var s = await servers.For(db);
        using var anonymous = s.Client();
        foreach (var path in new[] { "/", "/signin", "/healthz", "/api/v1/scenarios", "/api/v1/public/search?name=x", "/no-such-page", "/site.css", "/docs/index.html" })
        {
            using var r = await anonymous.GetCt(path);
            var csp = r.Headers.TryGetValues("Content-Security-Policy", out var v) ? string.Join(";", v) : null;
            csp.ShouldNotBeNull(path);
            csp.ShouldContain("frame-ancestors 'none'", Case.Sensitive, path);
            r.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"], path);
            r.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"], path);
            r.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"], path);
            if (!path.StartsWith("/docs", StringComparison.Ordinal))
            {
                csp.ShouldNotContain("'unsafe-inline'; s", Case.Sensitive, path);
                csp.ShouldNotContain("script-src 'self' 'unsafe-inline'", Case.Sensitive, path);
            }
        }

        // The pages carry no inline script or style attribute the policy would block.
        var home = await anonymous.GetStringCt("/signin");
        home.ShouldNotContain(" style=\"");
        home.ShouldNotContain(" onclick=");
        home.ShouldNotContain("<script>");
    }

    /// <summary>Behind a configured TLS proxy the staff cookie is Secure; an X-Forwarded-Proto from anyone else is ignored.</summary>
    [Fact]
    public async Task The_cookie_is_secure_behind_a_trusted_tls_proxy_only()
    {
        await using var proxied = await ShixinServer.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["SHIXIN_TRUSTED_PROXIES"] = "127.0.0.1/32, ::1" });
        var user = await HubUserAsync(proxied);
        using (var browser = Browser(proxied, new CookieContainer()))
        {
            var r = await SignInAsync(browser, user, forwardedProto: "https");
            r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("shixin.staff=", StringComparison.Ordinal)).ShouldContain("secure", Case.Insensitive);
        }

        var s = await servers.For(Db.Sqlite);
        var other = await HubUserAsync(s);
        using (var browser = Browser(s, new CookieContainer()))
        {
            var r = await SignInAsync(browser, other, forwardedProto: "https");
            r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("shixin.staff=", StringComparison.Ordinal)).ShouldNotContain("secure", Case.Insensitive);
        }
    }
}
