using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using static Shixin.Server.Tests.Oversight.OversightApi;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Oversight;

/// <summary>The print-ready quarterly report (HTML with SVG charts, CSV, PDF) and the special-subject notice as PDF.</summary>
public sealed class ReportPdfTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int Quarter => ((Today.Month - 1) / 3) + 1;

    private static string Report(string format, string? organization = null) =>
        "/api/v1/reports/quarterly?year=" + Today.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) + "&quarter="
        + Quarter.ToString(System.Globalization.CultureInfo.InvariantCulture) + "&format=" + format + (organization is null ? "" : "&organization=" + organization);

    private static async Task<byte[]> PdfAsync(HttpResponseMessage r)
    {
        var bytes = await r.Content.ReadAsByteArrayAsync(Ct);
        r.StatusCode.ShouldBe(HttpStatusCode.OK, Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 400)]));
        r.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        Encoding.ASCII.GetString(bytes, 0, 5).ShouldBe("%PDF-");
        bytes.Length.ShouldBeGreaterThan(2000);
        return bytes;
    }

    [Fact]
    public async Task QuarterlyReport_AsHtmlCsvAndPdf_CarriesTheUnitsFigures()
    {
        await using var s = await ShixinServer.StartAsync(Db.Sqlite);
        var court = await s.CourtAsync();
        var id = AdultId();
        var entry = await court.ListedOnAsync(Today.AddDays(-3), Draft(Person(id, "季报甲")));
        var code = Unique("unit-rpt-");
        var unit = await s.UnitAsync(code);
        await s.CaughtUpAsync();
        (await unit.CheckOneAsync(id))["outcome"].Str().ShouldNotBe("clear");
        await unit.CheckOneAsync(AdultId());
        (await unit.FeedbackAsync(entry, "applied")).StatusCode.ShouldBe(HttpStatusCode.Created);

        // HTML: the Chinese report with its charts, the unit's figures in the bars' titles, print rules for A4.
        var html = await (await s.Admin.GetCt(Report("html", code))).Content.ReadAsStringAsync(Ct);
        html.ShouldContain("季度联合惩戒工作情况报告");
        html.ShouldContain("<svg class=\"chart\" id=\"chart-checks\"");
        html.ShouldContain("比对次数: 2");
        html.ShouldContain("命中次数: 1");
        html.ShouldContain("已实施: 1");
        html.ShouldContain("size:A4");

        // The unit reads its own report whatever it asks for; the CSV names the unit.
        var csv = await (await unit.GetCt(Report("csv", "someone-else"))).Content.ReadAsStringAsync(Ct);
        csv.ShouldContain(code + ",");
        csv.Split("\r\n").Count(l => l.Length > 0).ShouldBe(3, "header, the unit's total and its one measure");

        await PdfPrecondition();
        await PdfAsync(await s.Admin.GetCt(Report("pdf")));
        await PdfAsync(await unit.GetCt(Report("pdf")));

        await s.Admin.GetCt(Report("xls")).Problem(400);
        await s.Admin.GetCt(Report("html", "no-such-unit")).Problem(404);
        await s.Admin.GetCt("/api/v1/reports/quarterly?year=2024&quarter=5&format=pdf").Problem(400);
    }

    [Fact]
    public async Task SpecialNotice_DownloadsAsPdf_AndWithoutChromiumAnswers503()
    {
        await using var s = await ShixinServer.StartAsync(Db.Sqlite);
        var court = await s.CourtAsync();
        var body = Draft(Person(name: "王公仆"));
        body["specialStatus"] = "civil-servant";
        var entry = await court.ListedOnAsync(Today.AddDays(-2), body);
        var plain = await court.ListedOnAsync(Today.AddDays(-2));

        await court.Clerk.GetCt("/api/v1/entries/" + entry + "/special-notification?format=doc").Problem(400);
        await court.Clerk.GetCt("/api/v1/entries/" + plain + "/special-notification?format=pdf").Problem(409, "illegal-transition");
        await PdfPrecondition();
        await PdfAsync(await court.Clerk.GetCt("/api/v1/entries/" + entry + "/special-notification?format=pdf"));
        await PdfAsync(await s.Admin.GetCt("/api/v1/entries/" + entry + "/special-notification?format=pdf"));

        await using var bare = await ShixinServer.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["SHIXIN_CHROMIUM"] = "/nonexistent/chromium" });
        var r = await bare.Admin.GetCt(Report("pdf"));
        r.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var problem = JsonNode.Parse(await r.Content.ReadAsStringAsync(Ct))!;
        problem["code"].Str().ShouldBe("pdf-unavailable");
        problem["detail"].Str().ShouldContain("Chromium");
        (await bare.Admin.GetCt(Report("html"))).StatusCode.ShouldBe(HttpStatusCode.OK, "the print-ready HTML needs no Chromium");
    }

    private static Task PdfPrecondition()
    {
        Assert.SkipUnless(File.Exists(Chromium), "Chromium is not installed at " + Chromium + "; PDF rendering is not tested");
        return Task.CompletedTask;
    }
}
