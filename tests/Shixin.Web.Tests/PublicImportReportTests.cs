// Each call runs against a server and browser this test owns and disposes.
#pragma warning disable xUnit1051
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;
using Shixin.Core.Identifiers;
using Shixin.Server.Tests;
using Shixin.Server.Tests.Oversight;
using static Shixin.Web.Tests.WebFlowTests;

namespace Shixin.Web.Tests;

/// <summary>Issue 15 in a browser: the court import page, the public side (search, removals, complaint, 429) and the reports' 比对次数.</summary>
public sealed class PublicImportReportTests
{
    private static readonly IdentifierGenerator Ids = new(2031);

    private static string NewId() => Ids.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1990, 12, 31)).Value;

    private static async Task BothWidthsAsync(Browser browser, ShixinServer server, IPage desktop, string name, Func<IPage, Task>? prepare = null)
    {
        await desktop.SetViewportSizeAsync(1280, 900);
        await Browser.ShotAsync(desktop, name + "-1280");
        var phone = await browser.PageAsync(server.BaseAddress, 390, 844);
        await phone.Context.AddCookiesAsync((await desktop.Context.CookiesAsync()).Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        if (prepare is null)
        {
            await phone.GotoAsync(desktop.Url);
        }
        else
        {
            await prepare(phone);
        }

        await Browser.ShotAsync(phone, name + "-390");
        await phone.Context.CloseAsync();
    }

    private static string Line(string caseNo, string name, string id, string unperformed) => string.Join(',', caseNo, "2024-01-05", "(2023)粤0802民初1号",
        "湛江市赤坎区人民法院", "支付货款人民币50000元", "0", unperformed, "有履行能力而拒不履行生效法律文书确定义务", "自然人", name, id, "公开") + "\r\n";

    [Fact]
    public async Task Import_with_Chinese_labels_and_a_bad_amount_shows_the_line_error_in_Chinese_and_writes_nothing()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, Settings);
        await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk");
        await UserAsync(server, "zj-chikan", "clerk.wang", "court.clerk");
        const string header = "案号,立案时间,执行依据文号,做出执行依据单位,生效法律文书确定的义务,已履行部分,未履行部分,失信情形,主体类型,被执行人姓名/名称,身份证号码,公开\r\n";
        var csv = header + Line("(2024)粤0802执801号", "导入好", NewId(), "50000元") + Line("(2024)粤0802执802号", "导入坏", NewId(), "五万元");

        var clerk = await browser.PageAsync(server.BaseAddress, 1280, 900);
        await SignInAsync(clerk, "clerk.wang");
        await clerk.GotoAsync("/court/import");

        // The column list names every column in Chinese with its accepted values; the template is CSV with BOM and Chinese headers.
        await Assertions.Expect(clerk.Locator("#import-columns")).ToContainTextAsync("未履行部分");
        await Assertions.Expect(clerk.Locator("#import-columns")).ToContainTextAsync("法人或其他组织");
        var template = await clerk.Context.APIRequest.GetAsync((await clerk.Locator("#import-template").GetAttributeAsync("href"))!);
        var templateBytes = await template.BodyAsync();
        templateBytes[..3].ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var templateLines = Encoding.UTF8.GetString(templateBytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        templateLines[0].ShouldStartWith("案号,立案时间,");
        templateLines.Length.ShouldBe(3, "a header and one example per subject kind");
        templateLines[1].ShouldContain("自然人");
        templateLines[2].ShouldContain("法人或其他组织");
        await Browser.ShotAsync(clerk, "15-court-import-columns-1280");

        // All or nothing: the bad amount rejects the file; the upload shows progress with the button disabled meanwhile.
        await clerk.GetByLabel("CSV 文件").SetInputFilesAsync(new FilePayload { Name = "entries.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await clerk.GetByLabel("全部校验通过才导入").CheckAsync();
        var release = new TaskCompletionSource();
        await clerk.RouteAsync("**/court/import", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await clerk.GetByRole(AriaRole.Button, new() { Name = "导入", Exact = true }).ClickAsync();
        await Assertions.Expect(clerk.Locator("#import-progress")).ToBeVisibleAsync();
        await Assertions.Expect(clerk.GetByRole(AriaRole.Button, new() { Name = "导入", Exact = true })).ToBeDisabledAsync();
        await Assertions.Expect(clerk.Locator("#import-progress")).ToContainTextAsync("正在上传文件");
        await Browser.ShotAsync(clerk, "15-court-import-progress-1280");
        release.SetResult();
        await clerk.UnrouteAsync("**/court/import");

        await Assertions.Expect(clerk.Locator("#import-result")).ToContainTextAsync("已导入 0 条，退回 1 行");
        await Assertions.Expect(clerk.Locator("#import-result")).ToContainTextAsync("本次未写入任何条目");
        var row = clerk.Locator("#rejected tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("td").Nth(0)).ToHaveTextAsync("3");
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("未履行部分");
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("无法识别的值");
        await Assertions.Expect(row.Locator("td").Nth(3)).ToContainTextAsync("「五万元」不是金额");
        (await clerk.Locator("#import-result").TextContentAsync())!.ShouldNotMatch("[A-Za-z]{4,}", "no English in the Chinese result");
        await BothWidthsAsync(browser, server, clerk, "15-court-import-line-error", async phone =>
        {
            await phone.GotoAsync("/court/import");
            await phone.GetByLabel("CSV 文件").SetInputFilesAsync(new FilePayload { Name = "entries.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
            await phone.GetByLabel("全部校验通过才导入").CheckAsync();
            await phone.GetByRole(AriaRole.Button, new() { Name = "导入", Exact = true }).ClickAsync();
            await Assertions.Expect(phone.Locator("#import-result")).ToContainTextAsync("退回 1 行");
        });
        await clerk.GotoAsync("/court");
        await Assertions.Expect(clerk.Locator("main")).Not.ToContainTextAsync("导入好");

        // The template itself imports: both example rows are accepted.
        await clerk.GotoAsync("/court/import");
        await clerk.GetByLabel("CSV 文件").SetInputFilesAsync(new FilePayload { Name = "template.csv", MimeType = "text/csv", Buffer = templateBytes });
        await clerk.GetByRole(AriaRole.Button, new() { Name = "导入", Exact = true }).ClickAsync();
        await Assertions.Expect(clerk.Locator("#import-result")).ToContainTextAsync("已导入 2 条，退回 0 行");
    }

    [Fact]
    public async Task Public_search_is_posted_with_total_gender_age_and_province_removals_and_complaint_find_the_unit_by_name()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, Settings);
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        await server.OrganizationAsync("unit", "unit-travelsky", "110000", null, "unit.checker");
        await server.OrganizationAsync("unit", "unit-bank", "110000", null, "unit.checker");
        var id = NewId();
        await ListAsync(court, "郑公开", id, "(2024)粤0802执901号");
        await ListAsync(court, "郑公开", NewId(), "(2024)粤0802执902号");
        var gone = await ListAsync(court, "王已撤", NewId(), "(2024)粤0802执903号");
        (await court.PostAsJsonAsync("/api/v1/entries/" + gone + "/exit", new { kind = "revoke", reason = "wrongly-listed", effectiveOn = Iso(TestApi.Today) }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await server.CaughtUpAsync();

        var page = await browser.PageAsync(server.BaseAddress, 1280, 900);
        await page.GotoAsync("/");
        await page.GetByLabel("被执行人姓名/名称").FillAsync("郑公开");
        await page.GetByLabel("身份证号码（选填）").FillAsync(id);
        await page.GetByRole(AriaRole.Button, new() { Name = "查询", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#search-total")).ToContainTextAsync("共 1 条结果");
        page.Url.Contains(id[..10], StringComparison.Ordinal).ShouldBeFalse("the ID number is posted, not put in the address");
        var birth = ResidentId.TryParse(id, out var parsed, out _) ? parsed.BirthDate : default;
        var age = PublicAge(birth, TestApi.Today);
        var cells = page.Locator("tbody tr").First;
        await Assertions.Expect(cells).ToContainTextAsync(parsed.Sex == Sex.Male ? "男" : "女");
        await Assertions.Expect(cells.Locator("td").Nth(2)).ToHaveTextAsync(age.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(cells).ToContainTextAsync("广东省");
        (await page.Locator("#results ~ *").AllTextContentsAsync()).ShouldAllBe(t => !t.Contains(id), "the results show the number masked");

        await page.GetByLabel("身份证号码（选填）").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#search-total")).ToContainTextAsync("共 2 条结果");
        await BothWidthsAsync(browser, server, page, "16-public-search-total", async phone =>
        {
            await phone.GotoAsync("/");
            await phone.GetByLabel("被执行人姓名/名称").FillAsync("郑公开");
            await phone.GetByRole(AriaRole.Button, new() { Name = "查询", Exact = true }).ClickAsync();
            await Assertions.Expect(phone.Locator("#search-total")).ToBeVisibleAsync();
        });

        await page.GetByRole(AriaRole.Link, new() { Name = "详情" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("#detail-province")).ToHaveTextAsync("广东省");
        await Assertions.Expect(page.Locator("#detail-age")).ToBeVisibleAsync();
        await BothWidthsAsync(browser, server, page, "17-public-detail");

        // Only complete names match, and the page says so.
        await page.GotoAsync("/");
        await page.GetByLabel("被执行人姓名/名称").FillAsync("郑公");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#search-none")).ToContainTextAsync("只按完整的姓名或名称查询");
        await BothWidthsAsync(browser, server, page, "18-public-search-none", async phone =>
        {
            await phone.GotoAsync("/?name=" + Uri.EscapeDataString("郑公"));
            await Assertions.Expect(phone.Locator("#search-none")).ToBeVisibleAsync();
        });

        // The removals page lists the revoked entry, in Chinese, masked.
        await page.GetByRole(AriaRole.Link, new() { Name = "名单移出公告" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("#removals tbody")).ToContainTextAsync("王已撤");
        await Assertions.Expect(page.Locator("#removals tbody")).ToContainTextAsync("撤销");
        await BothWidthsAsync(browser, server, page, "19-public-removals");

        // The complaint form finds the unit as one types part of its name; no list of every unit's code.
        await page.GotoAsync("/complaint");
        await Assertions.Expect(page.Locator("#unit-options input[type=radio]")).ToHaveCountAsync(0);
        await page.GetByLabel("查找单位").PressSequentiallyAsync("bank");
        await Assertions.Expect(page.Locator("#unit-options input[type=radio]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#unit-options")).ToContainTextAsync("unit-bank 名称");
        await Assertions.Expect(page.Locator("#unit-options")).Not.ToContainTextAsync("travelsky");
        await page.GetByLabel("查找单位").FillAsync("没有这个单位");
        await Assertions.Expect(page.Locator("#unit-none")).ToContainTextAsync("没有名称中含");
        await page.GetByLabel("查找单位").FillAsync("unit-");
        await Assertions.Expect(page.Locator("#unit-options input[type=radio]")).ToHaveCountAsync(2);
        await BothWidthsAsync(browser, server, page, "20-complaint-find-unit", async phone =>
        {
            await phone.GotoAsync("/complaint?unit=unit-");
            await Assertions.Expect(phone.Locator("#unit-options input[type=radio]")).ToHaveCountAsync(2);
        });
    }

    private static int PublicAge(DateOnly birth, DateOnly today) =>
        today.Year - birth.Year - (today.Month < birth.Month || (today.Month == birth.Month && today.Day < birth.Day) ? 1 : 0);

    [Fact]
    public async Task The_429_page_is_Chinese_and_leads_to_pages_that_still_answer()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, new Dictionary<string, string?>(Settings) { ["SHIXIN_PUBLIC_RATE_PER_MINUTE"] = "3" });
        var page = await browser.PageAsync(server.BaseAddress, 1280, 900);

        // The home page is not a search: loading it any number of times spends nothing.
        for (var i = 0; i < 6; i++)
        {
            (await page.GotoAsync("/"))!.Status.ShouldBe(200);
        }

        IResponse? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await page.GotoAsync("/?name=" + Uri.EscapeDataString("某某某"));
        }

        last!.Status.ShouldBe(429);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("查询过于频繁");
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("秒后再试");
        await BothWidthsAsync(browser, server, page, "21-public-429", async phone =>
        {
            (await phone.GotoAsync("/?name=" + Uri.EscapeDataString("某某某")))!.Status.ShouldBe(429);
        });

        // Its links answer: the home page, the removals notice and the complaint form are not locked.
        await page.GetByRole(AriaRole.Link, new() { Name = "返回首页" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("失信被执行人查询");
        (await page.GotoAsync("/complaint"))!.Status.ShouldBe(200);
        (await page.GotoAsync("/removals"))!.Status.ShouldBe(200);
        (await page.GotoAsync("/site.css"))!.Status.ShouldBe(200);
        (await page.GotoAsync("/?name=" + Uri.EscapeDataString("某某某")))!.Status.ShouldBe(429, "searches stay limited");
    }

    [Fact]
    public async Task The_reports_count_subjects_checked_single_and_batch()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, Settings);
        var court = await server.CourtAsync();
        var id = TestApi.AdultId();
        await court.ListedOnAsync(TestApi.Today.AddDays(-5), TestApi.Draft(TestApi.Person(id, "季报丙")));
        var key = await server.OrganizationAsync("unit", "unit-bank", "110000", null, "unit.checker", "unit.feedback");
        await server.CaughtUpAsync();

        // Two single checks and a batch of 25 lines (one hit): 27 subjects checked, 2 hits.
        await key.CheckOneAsync(id);
        await key.CheckOneAsync(TestApi.AdultId());
        var lines = new StringBuilder("idNumber\n").Append(id).Append('\n');
        for (var i = 0; i < 24; i++)
        {
            lines.Append(TestApi.AdultId()).Append('\n');
        }

        using (var content = new StringContent(lines.ToString(), Encoding.UTF8, "text/csv"))
        {
            (await key.PostAsync("/api/v1/checks/batch?scenario=" + OversightApi.Flight, content)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var hub = await browser.PageAsync(server.BaseAddress, 1280, 900);
        await SignInAsync(hub, "admin");
        await hub.GotoAsync("/hub/reports");
        var summary = hub.Locator("#quarterly-report .report-summary");
        await Assertions.Expect(summary.Locator("tr", new() { HasText = "比对次数" }).Locator("td")).ToHaveTextAsync("27");
        await Assertions.Expect(summary.Locator("tr", new() { HasText = "命中次数" }).Locator("td")).ToHaveTextAsync("2");
        await Assertions.Expect(hub.Locator("#report-issuer")).ToContainTextAsync("报送单位");
        await Assertions.Expect(hub.Locator("#report-period")).ToContainTextAsync("统计期间");
        (await hub.Locator("svg#chart-checks rect title").AllTextContentsAsync()).ShouldContain(t => t.EndsWith("比对次数: 27", StringComparison.Ordinal));
        await Assertions.Expect(hub.Locator("svg#chart-checks .axis-unit")).ToHaveTextAsync("单位：次");
        await BothWidthsAsync(browser, server, hub, "22-hub-quarterly-report");

        // The dashboard's summary agrees; a quarter without activity says 暂无数据 instead of drawing empty axes.
        await hub.GotoAsync("/hub");
        await Assertions.Expect(hub.Locator("#sum-checks")).ToHaveTextAsync("27");
        await Assertions.Expect(hub.Locator("#sum-hits")).ToHaveTextAsync("2");
        await BothWidthsAsync(browser, server, hub, "23-hub-dashboard");
        await hub.GotoAsync("/hub/reports?year=2001&quarter=1");
        await Assertions.Expect(hub.Locator("svg#chart-checks .no-data")).ToHaveTextAsync("暂无数据");
        await Browser.ShotAsync(hub, "24-hub-quarterly-report-empty-1280");
    }
}
