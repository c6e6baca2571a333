// Each call runs against a server and browser this test owns and disposes.
#pragma warning disable xUnit1051
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Shixin.Core.Identifiers;
using Shixin.Server.Tests;

namespace Shixin.Web.Tests;

/// <summary>The consoles' remaining steps in a real browser: extension, rulings from the queue, batch checks, list size over time.</summary>
public sealed class ConsoleTests
{
    private static readonly IdentifierGenerator Ids = new(2025);

    private static string NewId() => Ids.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1990, 12, 31)).Value;

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    [Fact]
    public async Task A_judge_extends_a_term_and_finds_the_entry_by_id_and_case_number()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, WebFlowTests.Settings);
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        await WebFlowTests.UserAsync(server, "zj-chikan", "judge.li", "court.judge");
        await WebFlowTests.UserAsync(server, "zj-chikan", "clerk.wang", "court.clerk");
        var id = NewId();

        // Two circumstances: a 2-year term that may be extended (SPC Art. 2).
        var entry = await ListAsync(court, "孙延期", id, "(2026)粤0802执811号", Today, "violates-property-reporting", "violates-consumption-restriction");
        await ListAsync(court, "李其他", NewId(), "(2026)粤0802执812号", Today);

        // Search by the full ID number, then by part of the case number (full-width brackets as typed).
        var judge = await browser.PageAsync(server.BaseAddress);
        await WebFlowTests.SignInAsync(judge, "judge.li");
        await judge.GotoAsync("/court");
        await judge.GetByLabel("姓名/名称、案号或证件号码").FillAsync(id);
        await judge.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(judge.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(judge.Locator("tbody")).ToContainTextAsync("孙延期");
        await judge.GetByLabel("姓名/名称、案号或证件号码").FillAsync("（2026）粤0802执812");
        await judge.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(judge.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(judge.Locator("tbody")).ToContainTextAsync("李其他");
        await judge.GetByLabel("姓名/名称、案号或证件号码").FillAsync("没有这个人");
        await judge.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(judge.Locator(".notice")).ToContainTextAsync("没有与“没有这个人”相符的条目");

        // The judge extends by one year: the expiry moves a year on and the timeline says so.
        await judge.GotoAsync("/court/entry/" + entry);
        var expires = Today.AddYears(2);
        await Assertions.Expect(judge.Locator("dl.detail")).ToContainTextAsync(WebFlowTests.Iso(expires));
        var form = judge.Locator("form#extend");
        await form.GetByLabel("延长年限").SelectOptionAsync("1");
        await form.GetByLabel("延长理由").FillAsync("以暴力方法妨碍执行，情节严重");
        await form.GetByRole(AriaRole.Button, new() { Name = "延长纳入期限（法官）" }).ClickAsync();
        await Assertions.Expect(judge.Locator("p.success")).ToContainTextAsync("已办理");
        await Assertions.Expect(judge.Locator("dl.detail")).ToContainTextAsync(WebFlowTests.Iso(expires.AddYears(1)));
        await Assertions.Expect(judge.Locator("ol.timeline")).ToContainTextAsync("延长期限");
        await Assertions.Expect(judge.Locator("#entry-status")).ToHaveTextAsync("已纳入");
        await Browser.ShotAsync(judge, "20-court-entry-extended");

        // Three more years would pass the 3-year cap: refused with a message in Chinese, not an error page.
        await form.GetByLabel("延长年限").SelectOptionAsync("3");
        await form.GetByLabel("延长理由").FillAsync("再次延长");
        await form.GetByRole(AriaRole.Button, new() { Name = "延长纳入期限（法官）" }).ClickAsync();
        await Assertions.Expect(judge.Locator(".errors")).ToContainTextAsync("纳入期限累计只能延长一至三年");
        await Assertions.Expect(judge.Locator("dl.detail")).ToContainTextAsync(WebFlowTests.Iso(expires.AddYears(1)));

        // A clerk is not offered the extension (judges decide it), and the API refuses a clerk's key.
        var clerk = await browser.PageAsync(server.BaseAddress);
        await WebFlowTests.SignInAsync(clerk, "clerk.wang");
        await clerk.GotoAsync("/court/entry/" + entry);
        await Assertions.Expect(clerk.Locator("#entry-status")).ToHaveTextAsync("已纳入");
        await Assertions.Expect(clerk.Locator("form#extend")).ToHaveCountAsync(0);
        var clerkKey = await server.KeyAsync("zj-chikan", "court.clerk");
        (await clerkKey.PostAsJsonAsync("/api/v1/entries/" + entry + "/extension", new { years = 1, reason = "书记员尝试" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var view = await court.GetFromJsonAsync<JsonObject>("/api/v1/entries/" + entry);
        view!["extensionYears"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task A_clerk_records_a_correction_and_a_judge_accepts_it_from_the_queue()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, WebFlowTests.Settings);
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        await WebFlowTests.UserAsync(server, "zj-chikan", "clerk.wang", "court.clerk");
        await WebFlowTests.UserAsync(server, "zj-chikan", "judge.li", "court.judge");
        var entry = await ListAsync(court, "钱纠正", NewId(), "(2024)粤0802执821号", new DateOnly(2024, 4, 1));

        // The clerk records the debtor's application on the entry page (received and filed in 2024: long overdue now).
        var clerk = await browser.PageAsync(server.BaseAddress);
        await WebFlowTests.SignInAsync(clerk, "clerk.wang");
        await clerk.GotoAsync("/court/entry/" + entry);
        var file = clerk.Locator("form#file-correction");
        await file.GetByLabel("被执行人收到决定日期").FillAsync("2024-04-02");
        await file.GetByLabel("申请日期").FillAsync("2024-04-10");
        await file.GetByLabel("申请理由").FillAsync("申请人已在纳入前提供足额担保");
        await file.GetByRole(AriaRole.Button, new() { Name = "登记纠正申请" }).ClickAsync();
        await Assertions.Expect(clerk.Locator("table#corrections")).ToContainTextAsync("申请人已在纳入前提供足额担保");
        await Assertions.Expect(clerk.Locator("table#corrections")).ToContainTextAsync("待审查");

        // The queue shows the review duty overdue, in red.
        var judge = await browser.PageAsync(server.BaseAddress);
        await WebFlowTests.SignInAsync(judge, "judge.li");
        await judge.GotoAsync("/court/queue");
        var due = judge.Locator("tr.overdue td.overdue").First;
        await Assertions.Expect(due).ToBeVisibleAsync();
        (await due.EvaluateAsync<string>("e => getComputedStyle(e).color")).ShouldBe("rgb(176, 0, 32)");
        var card = judge.Locator("form.ruling").Filter(new() { HasTextString = "(2024)粤0802执821号" });
        await Assertions.Expect(card).ToContainTextAsync("申请人已在纳入前提供足额担保");
        await Assertions.Expect(card.Locator("dd.overdue")).ToContainTextAsync("已逾期");

        // Without reasons the ruling is refused with a message in Chinese; the choice is kept.
        await card.GetByLabel("理由成立（撤销失信信息）").CheckAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "作出裁决（法官）" }).ClickAsync();
        await Assertions.Expect(judge.Locator(".errors")).ToContainTextAsync("理由：必须填写");
        card = judge.Locator("form.ruling").Filter(new() { HasTextString = "(2024)粤0802执821号" });
        await Assertions.Expect(card.GetByLabel("理由成立（撤销失信信息）")).ToBeCheckedAsync();
        await card.GetByLabel("理由", new() { Exact = true }).FillAsync("担保充分有效，纳入有误");
        await Browser.ShotAsync(judge, "21-court-queue-ruling");
        await card.GetByRole(AriaRole.Button, new() { Name = "作出裁决（法官）" }).ClickAsync();
        await Assertions.Expect(judge.Locator("p.success")).ToContainTextAsync("裁决已记录");
        await Assertions.Expect(judge.Locator("form.ruling")).ToHaveCountAsync(0);

        // Accepted revokes the entry (correction-accepted), as the API's ruling does.
        await judge.GotoAsync("/court/entry/" + entry);
        await Assertions.Expect(judge.Locator("#entry-status")).ToHaveTextAsync("已撤销");
        await Assertions.Expect(judge.Locator("ol.timeline")).ToContainTextAsync("纠正申请审查决定");
        await Assertions.Expect(judge.Locator("table#corrections")).ToContainTextAsync("成立");
        var view = await court.GetFromJsonAsync<JsonObject>("/api/v1/entries/" + entry);
        view!["exitReason"]!.GetValue<string>().ShouldBe("correction-accepted");
    }

    [Fact]
    public async Task A_unit_operator_uploads_a_csv_and_downloads_a_block_for_the_listed_debtor()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, WebFlowTests.Settings);
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        await server.OrganizationAsync("unit", "unit-travelsky", "110000", null, "unit.checker");
        await server.OrganizationAsync("unit", "unit-bank", "110000", null, "unit.checker");
        await WebFlowTests.UserAsync(server, "unit-travelsky", "checker.zhao", "unit.checker");
        await WebFlowTests.UserAsync(server, "unit-bank", "checker.bank", "unit.checker");
        var listed = NewId();
        var clean = NewId();
        var bad = NewId();
        bad = bad[..17] + (bad[17] == '0' ? '1' : '0');
        await ListAsync(court, "周批量", listed, "(2024)粤0802执831号", new DateOnly(2024, 4, 1));
        var csv = "idNumber,name\r\n" + listed + ",周批量\r\n" + clean + ",王无关\r\n" + bad + ",错号码\r\n";

        var checker = await browser.PageAsync(server.BaseAddress);
        await WebFlowTests.SignInAsync(checker, "checker.zhao");
        await checker.GotoAsync("/unit");
        await checker.GetByRole(AriaRole.Link, new() { Name = "上传 CSV 批量核查" }).ClickAsync();
        await checker.GetByLabel("业务场景").SelectOptionAsync("civil-aviation.ticket");
        await checker.GetByLabel("主体清单（CSV 文件）").SetInputFilesAsync(new FilePayload
        {
            Name = "customers.csv", MimeType = "text/csv", Buffer = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(csv)],
        });
        await checker.GetByRole(AriaRole.Button, new() { Name = "上传并核查" }).ClickAsync();
        await Assertions.Expect(checker.Locator("#batch-summary [data-count=lines]")).ToHaveTextAsync("3");
        await Assertions.Expect(checker.Locator("#batch-summary [data-count=hits]")).ToHaveTextAsync("1");
        await Assertions.Expect(checker.Locator("#batch-summary [data-count=blocked]")).ToHaveTextAsync("1");
        await Assertions.Expect(checker.Locator("#batch-summary [data-count=invalid]")).ToHaveTextAsync("1");
        await Assertions.Expect(checker.Locator("#batch-errors tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(checker.Locator("#batch-errors tbody tr td").First).ToHaveTextAsync("4");
        await Assertions.Expect(checker.Locator("#batch-errors")).ToContainTextAsync("身份证号码有误");
        await Browser.ShotAsync(checker, "22-unit-batch");

        // The download is the API's CSV: one line per input line, a block for the listed debtor.
        var download = await checker.RunAndWaitForDownloadAsync(() => checker.Locator("#batch-download").ClickAsync());
        var path = await download.PathAsync();
        var lines = (await File.ReadAllTextAsync(path, Encoding.UTF8)).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("line,subject,outcome,via,entryId,caseNumber,court,measures,clauses,needsContext,exemptedEntryId,exemptionId");
        lines.Length.ShouldBe(4);
        lines.ShouldContain(l => l.StartsWith("2,", StringComparison.Ordinal) && l.Contains(",block,debtor,", StringComparison.Ordinal)
            && l.Contains("(2024)粤0802执831号", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("3,", StringComparison.Ordinal) && l.Contains(",clear,", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("4,,error,invalid-id-number", StringComparison.Ordinal));

        // The batch is recorded like the API's; another unit cannot fetch this unit's result.
        var href = await checker.Locator("#batch-download").GetAttributeAsync("href");
        var other = await browser.PageAsync(server.BaseAddress);
        await WebFlowTests.SignInAsync(other, "checker.bank");
        (await other.APIRequest.GetAsync(href!)).Status.ShouldBe(404);

        // A large file whose Chinese names cross the upload's read buffers is read, not refused as "not UTF-8" (issue 15).
        var big = new StringBuilder("idNumber,name\r\n");
        for (var i = 0; i < 20_000; i++)
        {
            big.Append(clean).Append(",王批量").Append(i).Append("\r\n");
        }
        var bigBytes = Encoding.UTF8.GetBytes(big.ToString());
        Enumerable.Range(1, bigBytes.Length / 65536).Any(k => (bigBytes[k * 65536] & 0xC0) == 0x80).ShouldBeTrue();
        await checker.GotoAsync("/unit/batch");
        await checker.GetByLabel("业务场景").SelectOptionAsync("civil-aviation.ticket");
        await checker.GetByLabel("主体清单（CSV 文件）").SetInputFilesAsync(new FilePayload { Name = "large.csv", MimeType = "text/csv", Buffer = bigBytes });
        await checker.GetByRole(AriaRole.Button, new() { Name = "上传并核查" }).ClickAsync();
        await Assertions.Expect(checker.Locator("#batch-summary [data-count=lines]")).ToHaveTextAsync("20000", new() { Timeout = 60_000 });
        await Assertions.Expect(checker.Locator("#batch-summary [data-count=invalid]")).ToHaveTextAsync("0");

        // A file without an identifier column is explained, and nothing is offered for download.
        await checker.GotoAsync("/unit/batch");
        await checker.GetByLabel("业务场景").SelectOptionAsync("civil-aviation.ticket");
        await checker.GetByLabel("主体清单（CSV 文件）").SetInputFilesAsync(new FilePayload
        {
            Name = "wrong.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("name,phone\r\n张三,13800000000\r\n"),
        });
        await checker.GetByRole(AriaRole.Button, new() { Name = "上传并核查" }).ClickAsync();
        await Assertions.Expect(checker.Locator("#batch-errors")).ToContainTextAsync("列名行有误");
        await Assertions.Expect(checker.Locator("#batch-errors")).ToContainTextAsync("首行须为列名");
        await Assertions.Expect(checker.Locator("#batch-download")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_dashboard_draws_the_list_size_over_time_and_exports_it_as_csv()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, WebFlowTests.Settings);
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        await server.OrganizationAsync("court", "nx-yinchuan", "640104", null, "court.clerk");
        await ListAsync(court, "冯规模", NewId(), "(2026)粤0802执841号", Today);
        await ListAsync(court, "陈规模", NewId(), "(2026)粤0802执842号", Today);
        var leaving = await ListAsync(court, "褚规模", NewId(), "(2026)粤0802执843号", Today);
        (await court.PostAsJsonAsync("/api/v1/entries/" + leaving + "/exit", new { kind = "shield", reason = "fully-performed", effectiveOn = WebFlowTests.Iso(Today) }))
            .EnsureSuccessStatusCode();
        var month = Today.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var admin = await browser.PageAsync(server.BaseAddress);
        await WebFlowTests.SignInAsync(admin, "admin");
        await admin.GotoAsync("/hub");

        // Three listed this month, one left again: two on the list today, none at the end of last month.
        await Assertions.Expect(admin.Locator("svg#chart-size-time")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("svg#chart-size-time circle")).ToHaveCountAsync(12);
        await Assertions.Expect(admin.Locator("svg#chart-size-time circle title").Last).ToHaveTextAsync(month + ": 2");
        await Assertions.Expect(admin.Locator("svg#chart-size-time circle title").Nth(10)).ToHaveTextAsync(Today.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture) + ": 0");
        await Assertions.Expect(admin.Locator("table#courts")).ToContainTextAsync("zj-chikan");
        await Browser.ShotAsync(admin, "23-hub-dashboard-size");

        // The CSV link downloads the same figures with its header.
        var download = await admin.RunAndWaitForDownloadAsync(() =>
            admin.Locator("#size-over-time").GetByRole(AriaRole.Link, new() { Name = "导出 CSV" }).ClickAsync());
        var text = (await File.ReadAllTextAsync(await download.PathAsync(), Encoding.UTF8)).TrimStart('\uFEFF');
        var rows = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        rows[0].ShouldBe("month,month_end,listed");
        rows.Length.ShouldBe(13);
        rows[^1].ShouldBe(month + "," + WebFlowTests.Iso(Today) + ",2");

        // Every table has its CSV; the courts table by month, narrowed by the name filter.
        foreach (var table in new[] { "status", "months", "courts", "checks", "compliance" })
        {
            (await admin.Locator("a[href^='/hub?handler=csv&table=" + table + "']").CountAsync()).ShouldBe(1, table);
        }

        await admin.GetByLabel("按法院或单位名称筛选").FillAsync("银川");
        await admin.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#courts-h + .notice")).ToContainTextAsync("没有符合条件的法院");
        await admin.GetByLabel("按法院或单位名称筛选").FillAsync("chikan");
        await admin.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(admin.Locator("table#courts tbody tr")).ToHaveCountAsync(1);
        var courts = await admin.APIRequest.GetAsync("/hub?handler=csv&table=courts&org=chikan");
        var courtsCsv = await courts.TextAsync();
        courtsCsv.ShouldContain("court,court_name,month,listings,exits");
        courtsCsv.ShouldContain("zj-chikan,zj-chikan 名称," + month + ",3,1");
    }

    private static Task<string> ListAsync(HttpClient court, string name, string id, string caseNo, DateOnly decidedOn, params string[] circumstances) =>
        WebFlowTests.ListAsync(court, name, id, caseNo, decidedOn, circumstances);
}
