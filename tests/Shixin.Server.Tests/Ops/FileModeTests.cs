using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Shixin.Server.Hosting;
using static Shixin.Server.Tests.Distribution.DistKit;

namespace Shixin.Server.Tests.Ops;

/// <summary>Issue 11 F13: what the platform writes in its data directory is readable by the service account only.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileModeTests
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task Database_keys_and_key_ring_are_private_to_the_service_account()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "shixin-modes-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        File.SetUnixFileMode(dataDir, (UnixFileMode)0b111_101_101);
        var old = Path.Combine(dataDir, "left-by-an-earlier-version.db");
        await File.WriteAllTextAsync(old, "x", Ct);
        File.SetUnixFileMode(old, (UnixFileMode)0b110_100_100);
        try
        {
            await using var s = await ShixinServer.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["SHIXIN_DATA_DIR"] = dataDir });
            s.Get<ShixinOptions>().DataDirectory.ShouldBe(dataDir);
            var court = await CourtAsync(s.Admin);
            var unit = await UnitAsync(s.Admin);
            await court.ListAsync();

            // A subscription seals its secret with the Data Protection key ring, which is written then.
            await unit.Post("/api/v1/subscriptions", new { url = "https://10.0.0.1/hook" }).Expect(HttpStatusCode.Created);

            // A unit's batch from its console page leaves a result file with full ID numbers in the data directory.
            await BatchFromTheConsoleAsync(s);

            var files = Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories).ToList();
            files.ShouldContain(f => f.Contains(Path.DirectorySeparatorChar + "batches" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && f.EndsWith(".csv", StringComparison.Ordinal));
            files.ShouldContain(f => f.EndsWith("shixin.db", StringComparison.Ordinal));
            files.ShouldContain(f => f.EndsWith("shixin.db-wal", StringComparison.Ordinal));
            files.ShouldContain(f => f.EndsWith(".xml", StringComparison.Ordinal) && f.Contains("data-protection-keys", StringComparison.Ordinal));
            foreach (var f in files.Append(dataDir).Concat(Directory.EnumerateDirectories(dataDir, "*", SearchOption.AllDirectories)))
            {
                (File.GetUnixFileMode(f) & GroupOrOther).ShouldBe((UnixFileMode)0, f + " is " + File.GetUnixFileMode(f));
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>Signs in a unit operator and uploads a small CSV on /unit/batch, as the console's form does.</summary>
    private static async Task BatchFromTheConsoleAsync(ShixinServer s)
    {
        const string password = "correct-horse-battery";
        var code = Unique("unit-batch-");
        await OrgAsync(s.Admin, "unit", code, "unit.checker");
        var user = Unique("operator.");
        (await s.Admin.PostAsJsonAsync("/api/v1/organizations/" + code + "/users", new { userName = user, password, roles = new[] { "unit.checker" } }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = s.BaseAddress };
        (await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = await TokenAsync(browser, "/signin"),
        }), Ct)).StatusCode.ShouldBe(HttpStatusCode.Redirect, "signed in");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("civil-aviation.ticket"), "Scenario" },
            { new StringContent(await TokenAsync(browser, "/unit/batch")), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("idNumber\n" + AdultId() + "\n")) { Headers = { ContentType = new("text/csv") } }, "file", "subjects.csv" },
        };
        var r = await browser.PostAsync("/unit/batch", form, Ct);
        r.StatusCode.ShouldBe(HttpStatusCode.OK, await r.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<string> TokenAsync(HttpClient browser, string path)
    {
        var m = Regex.Match(await browser.GetStringAsync(path, Ct), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        m.Success.ShouldBeTrue("an antiforgery token on " + path);
        return WebUtility.HtmlDecode(m.Groups[1].Value);
    }
}
