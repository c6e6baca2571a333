using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using static Shixin.Server.Tests.Oversight.OversightApi;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Oversight;

/// <summary>Accountability (notices, talks, compliance ranking and flags) and quarterly reports with their confirmation duty.</summary>
public sealed class ReportingTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    private const string TwiceNotifiedFlag = "两次以上通报：取消评优评先资格并扣减绩效考核分";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int QuarterOf(DateOnly d) => ((d.Month - 1) / 3) + 1;

    /// <summary>Backdates when an organization joined (its quarterly duties run from that quarter).</summary>
    private static async Task JoinedOnAsync(ShixinServer s, string code, DateOnly on)
    {
        await using var db = s.Get<ShixinDatabase>().CreateContext();
        var org = await db.Organizations.SingleAsync(o => o.Code == code, Ct);
        org.CreatedAt = new DateTimeOffset(on.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8)).UtcDateTime;
        await db.SaveChangesAsync(Ct);
    }

    private static async Task<JsonObject[]> ComplianceAsync(ShixinServer s) =>
        [.. (await (await s.Admin.GetCt("/api/v1/compliance")).Array()).Select(r => r!.AsObject())];

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task TwoNoticesInAYear_FlagTheOrganization(Db db)
    {
        var s = await servers.For(db);
        var code = Unique("unit-ntc-");
        var unit = await s.UnitAsync(code);
        var notice = new { kind = "notice", organization = code, subject = "未按期解除惩戒措施", detail = "通报批评" };

        await s.Admin.PostJson("/api/v1/notices", new { kind = "notice", organization = code, subject = "去年的通报", issuedOn = Iso(Today.AddYears(-1)) }).Created();
        await s.Admin.PostJson("/api/v1/notices", notice).Created();
        await s.Admin.PostJson("/api/v1/notices", new { kind = "talk", organization = code, subject = "约谈负责人" }).Created();
        var once = (await ComplianceAsync(s)).Single(r => r["organization"].Str() == code);
        once["noticesThisYear"]!.GetValue<int>().ShouldBe(1, "last year's notice does not count");
        once["talks"]!.GetValue<int>().ShouldBe(1);
        once["flagged"]!.GetValue<bool>().ShouldBeFalse();

        await s.Admin.PostJson("/api/v1/notices", notice).Created();
        var twice = (await ComplianceAsync(s)).Single(r => r["organization"].Str() == code);
        twice["noticesThisYear"]!.GetValue<int>().ShouldBe(2);
        twice["flagged"]!.GetValue<bool>().ShouldBeTrue();
        twice["flag"].Str().ShouldBe(TwiceNotifiedFlag);

        // The notified organization sees its notices; only the hub issues them and reads compliance.
        (await (await unit.GetCt("/api/v1/notices")).Array()).Count.ShouldBe(4);
        await unit.PostJson("/api/v1/notices", notice).Problem(403);
        await unit.GetCt("/api/v1/compliance").Problem(403);
        await s.Admin.PostJson("/api/v1/notices", new { kind = "scolding", organization = code, subject = "x" }).Problem(400);
        await s.Admin.PostJson("/api/v1/notices", new { kind = "notice", organization = "no-such-org", subject = "x" }).Problem(404);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Compliance_RanksByDutiesMetOnTime(Db db)
    {
        var s = await servers.For(db);
        var goodCode = Unique("unit-good-");
        var badCode = Unique("unit-bad-");
        var good = await s.UnitAsync(goodCode);
        await s.UnitAsync(badCode);

        // Good: a complaint answered on the day it came in. Bad: quarterly reports never filed since 2025.
        var filed = await s.Client().PostJson("/api/v1/complaints", new { againstOrganization = goodCode, description = "未限制", contact = "x@example.cn" }).Created();
        var id = (await good.DutyAsync("unit.answer-complaint"))["proceedingId"].Str();
        await good.PostJson("/api/v1/complaints/" + id + "/resolution", new { finding = "unfounded", answer = "经查不属实", answeredOn = Iso(Today) }).Ok();
        (await s.Client().GetCt("/api/v1/complaints/" + filed["trackingCode"].Str()).Ok())["status"].Str().ShouldBe("answered");
        await JoinedOnAsync(s, badCode, D("2025-01-15"));

        var rows = await ComplianceAsync(s);
        var goodRow = rows.Single(r => r["organization"].Str() == goodCode);
        var badRow = rows.Single(r => r["organization"].Str() == badCode);
        goodRow["metOnTime"]!.GetValue<int>().ShouldBe(1);
        goodRow["onTimeRate"]!.GetValue<double>().ShouldBe(1.0);
        badRow["overdue"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(6, "2025 Q1–Q4 and 2026 Q1–Q2 at least");
        badRow["metOnTime"]!.GetValue<int>().ShouldBe(0);
        badRow["onTimeRate"]!.GetValue<double>().ShouldBe(0.0);
        Array.FindIndex(rows, r => r["organization"].Str() == goodCode).ShouldBeLessThan(Array.FindIndex(rows, r => r["organization"].Str() == badCode));
        var rates = rows.Where(r => r["onTimeRate"] is not null).Select(r => r["onTimeRate"]!.GetValue<double>()).ToArray();
        rates.ShouldBe(rates.OrderByDescending(r => r).ToArray(), "ranked by on-time rate");

        // An organization with no duty due has no rate (not 100 %) and is listed after every rated one (issue 15).
        var idle = await s.UnitAsync(Unique("unit-idle-"));
        rows = await ComplianceAsync(s);
        var unrated = rows.Select((r, i) => (r, i)).Where(x => x.r["onTimeRate"] is null).ToArray();
        unrated.ShouldContain(x => x.r["duties"]!.GetValue<int>() == 0);
        unrated.Min(x => x.i).ShouldBeGreaterThan(rows.Select((r, i) => (r, i)).Where(x => x.r["onTimeRate"] is not null).Max(x => x.i));
        rows.ShouldNotContain(r => r["kind"].Str() == "hub");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task QuarterlyReport_CountsTheQuartersChecksHitsAndFeedback_InJsonAndCsv(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var code = Unique("unit-qr-");
        var unit = await s.UnitAsync(code);
        var other = await s.UnitAsync(Unique("unit-qrx-"));
        var listedId = AdultId();
        var entry = await court.ListedAsync(Draft(Person(listedId)));
        await s.CaughtUpAsync();

        (await unit.CheckOneAsync(listedId))["outcome"].Str().ShouldBe("block");
        (await unit.CheckOneAsync(AdultId()))["outcome"].Str().ShouldBe("clear");
        (await unit.CheckOneAsync(listedId))["outcome"].Str().ShouldBe("block");
        (await unit.FeedbackAsync(entry, "applied", Now())).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await unit.FeedbackAsync(entry, "suspended", Now())).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await unit.FeedbackAsync(entry, "applied", Noon(Today.AddYears(-1)))).StatusCode.ShouldBe(HttpStatusCode.Created); // another quarter

        var year = Today.Year;
        var quarter = QuarterOf(Today);
        var query = "/api/v1/reports/quarterly?year=" + year.ToString(CultureInfo.InvariantCulture) + "&quarter=" + quarter.ToString(CultureInfo.InvariantCulture);
        var report = await s.Admin.GetCt(query).Ok();
        report["year"]!.GetValue<int>().ShouldBe(year);
        report["quarter"]!.GetValue<int>().ShouldBe(quarter);
        var rows = report["rows"]!.AsArray().Where(r => r!["organization"].Str() == code).Select(r => r!.AsObject()).ToArray();
        var total = rows.Single(r => r["measureCode"] is null);
        total["checks"]!.GetValue<long>().ShouldBe(3);
        total["hits"]!.GetValue<long>().ShouldBe(2);
        total["applied"]!.GetValue<int>().ShouldBe(1);
        total["suspended"]!.GetValue<int>().ShouldBe(1);
        total["lifted"]!.GetValue<int>().ShouldBe(0);
        var measure = rows.Single(r => r["measureCode"].StrOrNull() == FlightMeasure);
        measure["applied"]!.GetValue<int>().ShouldBe(1);
        measure["suspended"]!.GetValue<int>().ShouldBe(1);

        // A unit reads its own report only.
        var own = await unit.GetCt(query).Ok();
        own["rows"]!.AsArray().ShouldAllBe(r => r!["organization"].Str() == code);
        await other.GetCt(query).Ok();
        await court.Clerk.GetCt(query).Problem(403);
        await s.Admin.GetCt("/api/v1/reports/quarterly?year=2025&quarter=5").Problem(400);

        var csv = await s.Admin.GetCt(query + "&format=csv");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var bytes = await csv.Content.ReadAsByteArrayAsync(Ct);
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("单位代码,单位名称,措施,比对次数,命中次数,已实施,已解除,已暂停,逾期义务");
        lines.ShouldContain(code + "," + code + " 名称,合计,3,2,1,0,1,0");
        lines.ShouldContain(code + "," + code + " 名称," + FlightMeasure + ",0,0,1,0,1,0");
    }

    /// <summary>
    /// 比对次数 counts subjects checked, single checks and batch lines alike (issue 15: a bank's ~406,000 subjects showed
    /// 10,074 because only hit lines and one row per batch were counted); the report (JSON, CSV, HTML) and the hub
    /// dashboard give the same figures for a known set of checks.
    /// </summary>
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task ChecksCount_SubjectsChecked_SingleAndBatch_ReportAndDashboardAgree(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var code = Unique("unit-cnt-");
        var unit = await s.UnitAsync(code);
        var listedId = AdultId();
        await court.ListedAsync(Draft(Person(listedId)));
        await s.CaughtUpAsync();

        // Three single checks (two hits), then a batch of seven lines: two hits, four clear, one unreadable (not checked).
        (await unit.CheckOneAsync(listedId))["outcome"].Str().ShouldBe("block");
        (await unit.CheckOneAsync(AdultId()))["outcome"].Str().ShouldBe("clear");
        (await unit.CheckOneAsync(listedId))["outcome"].Str().ShouldBe("block");
        var bad = listedId[..17] + (listedId[17] == '0' ? '1' : '0');
        var csvBody = "idNumber\n" + listedId + "\n" + AdultId() + "\n" + AdultId() + "\n" + bad + "\n" + listedId + "\n" + AdultId() + "\n" + AdultId() + "\n";
        using (var content = new StringContent(csvBody, Encoding.UTF8, "text/csv"))
        {
            var batch = await unit.PostAsync("/api/v1/checks/batch?scenario=" + Flight, content, Ct);
            batch.StatusCode.ShouldBe(HttpStatusCode.OK, await batch.Content.ReadAsStringAsync(Ct));
            (await batch.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(8, "a header and seven lines");
        }

        const long checkedSubjects = 3 + 6, hits = 2 + 2;
        var year = Today.Year.ToString(CultureInfo.InvariantCulture);
        var query = "/api/v1/reports/quarterly?year=" + year + "&quarter=" + QuarterOf(Today).ToString(CultureInfo.InvariantCulture);
        var total = (await s.Admin.GetCt(query).Ok())["rows"]!.AsArray()
            .Single(r => r!["organization"].Str() == code && r["measureCode"] is null)!;
        total["checks"]!.GetValue<long>().ShouldBe(checkedSubjects);
        total["hits"]!.GetValue<long>().ShouldBe(hits);

        var csv = await (await s.Admin.GetCt(query + "&format=csv")).Content.ReadAsStringAsync(Ct);
        csv.ShouldContain(code + "," + code + " 名称,合计,9,4,");
        var html = await (await unit.GetCt(query + "&format=html")).Content.ReadAsStringAsync(Ct);
        html.ShouldContain("<th scope=\"row\">比对次数</th><td class=\"num\">9</td>");
        html.ShouldContain("<th scope=\"row\">命中次数</th><td class=\"num\">4</td>");

        // The dashboard's table of checks by unit and scenario (its CSV, filtered to this unit) gives the same figures.
        var dashboard = await (await s.Admin.GetCt("/hub?handler=csv&table=checks&org=" + code)).Content.ReadAsStringAsync(Ct);
        dashboard.ShouldContain(code + "," + code + " 名称," + Flight + ",9,4");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task QuarterlyConfirmation_MeetsThatQuartersDuty(Db db)
    {
        var s = await servers.For(db);
        var code = Unique("unit-qc-");
        var unit = await s.UnitAsync(code);
        await JoinedOnAsync(s, code, D("2024-11-05"));

        // 2024 Q4 ends on 31 December; 30 days later is 30 January 2025, inside the Spring Festival holiday (28 January – 4 February).
        var q4 = await unit.DutyAsync("unit.quarterly-report", caseNumber: "2024Q4");
        q4["dueOn"].Str().ShouldBe("2025-02-05");
        q4["status"].Str().ShouldBe("overdue");

        // 2025 Q3: 30 September + 30 days = Thursday 30 October.
        var q3 = await unit.DutyAsync("unit.quarterly-report", caseNumber: "2025Q3");
        q3["dueOn"].Str().ShouldBe("2025-10-30");
        q3["status"].Str().ShouldBe("overdue");
        (await unit.ObligationsAsync()).ShouldNotContain(o => o["caseNumber"].StrOrNull() == "2024Q3", "the unit joined in 2024 Q4");

        var confirmed = await unit.PostCt("/api/v1/reports/quarterly/confirmation?year=2024&quarter=4", new StringContent("")).Created();
        confirmed["confirmedOn"].Str().ShouldBe(Iso(Today));
        await unit.PostCt("/api/v1/reports/quarterly/confirmation?year=2024&quarter=4", new StringContent("")).Problem(409);
        await unit.PostCt("/api/v1/reports/quarterly/confirmation?year=2024&quarter=9", new StringContent("")).Problem(400);

        // The current quarter (and any later one) has not ended: nothing to confirm yet.
        var current = ((Today.Month - 1) / 3) + 1;
        (await unit.PostCt("/api/v1/reports/quarterly/confirmation?year=" + Today.Year.ToString(CultureInfo.InvariantCulture) + "&quarter="
            + current.ToString(CultureInfo.InvariantCulture), new StringContent("")).Problem(400))["detail"].Str().ShouldContain("该季度尚未结束");
        await unit.PostCt("/api/v1/reports/quarterly/confirmation?year=" + (Today.Year + 1).ToString(CultureInfo.InvariantCulture) + "&quarter=1",
            new StringContent("")).Problem(400);

        var met = await unit.DutyAsync("unit.quarterly-report", caseNumber: "2024Q4");
        met["status"].Str().ShouldBe("met");
        met["metOn"].Str().ShouldBe(Iso(Today));
        (await unit.DutyAsync("unit.quarterly-report", caseNumber: "2025Q3"))["status"].Str().ShouldBe("overdue", "only the confirmed quarter is met");

        var row = (await ComplianceAsync(s)).Single(r => r["organization"].Str() == code);
        row["metLate"]!.GetValue<int>().ShouldBe(1);
        row["overdue"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(6);
    }
}
