// Each call runs against a server and browser this test owns and disposes.
#pragma warning disable xUnit1051
using System.Net;
using System.Text;
using Microsoft.Playwright;
using Shixin.Server.Tests;
using Shixin.Server.Tests.Oversight;
using static Shixin.Web.Tests.WebFlowTests;

namespace Shixin.Web.Tests;

/// <summary>The oversight pages in a browser: complaints, notices and the compliance flag, credit repair, the quarterly report and its PDF.</summary>
public sealed class OversightPagesTests
{
    private static DateOnly Today => TestApi.Today;

    [Fact]
    public async Task A_public_complaint_is_seen_by_the_hub_answered_by_the_unit_and_followed_by_the_public()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, Settings);
        await server.OrganizationAsync("unit", "unit-travelsky", "110000", null, "unit.checker", "unit.feedback");
        await UserAsync(server, "unit-travelsky", "fb.zhao", "unit.feedback");

        // Anyone files a complaint and keeps the tracking code.
        var visitor = await browser.PageAsync(server.BaseAddress);
        await visitor.GotoAsync("/complaint");
        await visitor.GetByLabel("查找单位").FillAsync("travelsky");
        await visitor.GetByLabel("unit-travelsky 名称").CheckAsync();
        await visitor.GetByLabel("投诉内容").FillAsync("失信被执行人仍然买到了机票");
        await visitor.GetByLabel("联系方式").FillAsync("13800000000");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "提交投诉" }).ClickAsync();
        var code = (await visitor.Locator("#tracking-code").TextContentAsync())!.Trim();
        code.ShouldStartWith("TS");

        // The hub sees it with the unit and its due date.
        var hub = await browser.PageAsync(server.BaseAddress);
        await SignInAsync(hub, "admin");
        await hub.GetByRole(AriaRole.Link, new() { Name = "监督管理" }).ClickAsync();
        var row = hub.Locator($"#complaints tr[data-code='{code}']");
        await Assertions.Expect(row).ToContainTextAsync("已受理，待答复");
        await Assertions.Expect(row).ToContainTextAsync("unit-travelsky");
        await Browser.ShotAsync(hub, "ov-01-hub-complaints");

        // The unit answers: an upheld complaint without the measure is refused in Chinese, then accepted.
        var unit = await browser.PageAsync(server.BaseAddress);
        await SignInAsync(unit, "fb.zhao");
        await unit.GotoAsync("/unit/complaints");
        await unit.GetByRole(AriaRole.Link, new() { Name = "查看 " + code }).ClickAsync();
        await unit.GetByLabel("投诉属实（应采取而未采取惩戒措施）").CheckAsync();
        await unit.GetByLabel("给投诉人的答复").FillAsync("经核查投诉属实，已限制其乘坐飞机。");
        await unit.GetByRole(AriaRole.Button, new() { Name = "提交调查处理结果" }).ClickAsync();
        await Assertions.Expect(unit.Locator(".errors")).ToContainTextAsync("投诉属实的，请填写现已采取的惩戒措施");
        await unit.GetByLabel("已补充实施的惩戒措施（投诉属实时必填）").FillAsync("乘坐飞机限制");
        await unit.GetByRole(AriaRole.Button, new() { Name = "提交调查处理结果" }).ClickAsync();
        await Assertions.Expect(unit.Locator("[role=status]")).ToHaveTextAsync("已答复投诉人。");
        await Assertions.Expect(unit.Locator("#complaint-detail")).ToContainTextAsync("投诉属实");
        await Browser.ShotAsync(unit, "ov-02-unit-complaint-answered");

        // The public follow page shows the answer; the hub list shows it answered.
        await visitor.GotoAsync("/complaint/" + code);
        await Assertions.Expect(visitor.Locator("#complaint-status")).ToContainTextAsync("已答复");
        await Assertions.Expect(visitor.Locator("#complaint-status")).ToContainTextAsync("已限制其乘坐飞机");
        await hub.ReloadAsync();
        await Assertions.Expect(row).ToContainTextAsync("已答复");
    }

    [Fact]
    public async Task The_hub_notifies_an_organization_twice_and_the_ranking_flags_it()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, Settings);
        await server.OrganizationAsync("unit", "unit-cr-guangzhou", "440000", null, "unit.checker", "unit.feedback");
        var hub = await browser.PageAsync(server.BaseAddress);
        await SignInAsync(hub, "admin");
        await hub.GotoAsync("/hub/notices");
        var ranking = hub.Locator("#compliance tr[data-org='unit-cr-guangzhou']");

        // A notice without a subject is refused with a Chinese message.
        await hub.GetByLabel("对象单位").SelectOptionAsync("unit-cr-guangzhou");
        await hub.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Assertions.Expect(hub.Locator(".errors")).ToContainTextAsync("请填写事由");

        for (var i = 1; i <= 2; i++)
        {
            await hub.GetByLabel("通报", new() { Exact = true }).CheckAsync();
            await hub.GetByLabel("对象单位").SelectOptionAsync("unit-cr-guangzhou");
            await hub.GetByLabel("事由").FillAsync("未按期解除惩戒措施（第" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "次）");
            await hub.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
            await Assertions.Expect(hub.Locator("[role=status]")).ToHaveTextAsync("已记录：通报");
            await Assertions.Expect(ranking.Locator("td").Nth(6)).ToHaveTextAsync(i.ToString(System.Globalization.CultureInfo.InvariantCulture) + " / 0");
            if (i == 1)
            {
                await Assertions.Expect(ranking.Locator(".flag")).ToHaveTextAsync("");
            }
        }

        await Assertions.Expect(ranking).ToHaveClassAsync("flagged");
        await Assertions.Expect(ranking.Locator(".flag")).ToContainTextAsync("两次以上通报");
        await Assertions.Expect(hub.Locator("#notices tbody tr")).ToHaveCountAsync(2);
        await Browser.ShotAsync(hub, "ov-03-hub-notices-flagged");

        // The dashboard's compliance table carries the same flag.
        await hub.GotoAsync("/hub");
        await Assertions.Expect(hub.Locator("#compliance tr.flagged")).ToContainTextAsync("unit-cr-guangzhou");
    }

    [Fact]
    public async Task A_unit_takes_in_and_decides_a_credit_repair()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, Settings);
        var court = await server.CourtAsync();
        var exited = await court.ListedOnAsync(Today.AddDays(-10), TestApi.Draft(TestApi.Person(name: "修复甲")));
        await court.ExitAsync(exited, Today.AddDays(-1));
        var listed = await court.ListedOnAsync(Today.AddDays(-10));
        await server.OrganizationAsync("unit", "unit-bank-suzhou", "320500", null, "unit.checker", "unit.feedback");
        await UserAsync(server, "unit-bank-suzhou", "fb.qian", "unit.feedback");

        var unit = await browser.PageAsync(server.BaseAddress);
        await SignInAsync(unit, "fb.qian");
        await unit.GotoAsync("/unit/repairs");

        // An entry still on the list cannot be repaired: said in Chinese.
        await unit.GetByLabel("条目编号").FillAsync(listed);
        await unit.GetByLabel("申请理由").FillAsync("已履行");
        await unit.GetByRole(AriaRole.Button, new() { Name = "受理", Exact = true }).ClickAsync();
        await Assertions.Expect(unit.Locator(".errors")).ToContainTextAsync("退出名单后方可申请信用修复");

        await unit.GetByLabel("条目编号").FillAsync(exited);
        await unit.GetByLabel("申请理由").FillAsync("名单已撤销，申请修复信用记录");
        await unit.GetByRole(AriaRole.Button, new() { Name = "受理", Exact = true }).ClickAsync();
        await Assertions.Expect(unit.Locator("[role=status]")).ToHaveTextAsync("申请已受理。");
        await Assertions.Expect(unit.Locator("#repair-detail")).ToContainTextAsync("修复甲");
        await Assertions.Expect(unit.Locator("#repair-detail .status")).ToHaveTextAsync("待决定");

        await unit.GetByLabel("准予修复").CheckAsync();
        await unit.GetByLabel("理由").FillAsync("经核实名单已撤销");
        await unit.GetByRole(AriaRole.Button, new() { Name = "作出决定" }).ClickAsync();
        await Assertions.Expect(unit.Locator("[role=status]")).ToHaveTextAsync("已作出决定。");
        await Assertions.Expect(unit.Locator("#repair-detail .status")).ToHaveTextAsync("准予修复");
        await Assertions.Expect(unit.Locator("#decide")).ToHaveCountAsync(0);
        await Browser.ShotAsync(unit, "ov-04-unit-repair-granted");

        // The hub sees the decision.
        var hub = await browser.PageAsync(server.BaseAddress);
        await SignInAsync(hub, "admin");
        await hub.GotoAsync("/hub/repairs");
        await Assertions.Expect(hub.Locator("#repairs tbody tr")).ToContainTextAsync("准予修复");
        await Browser.ShotAsync(hub, "ov-05-hub-repairs");
    }

    [Fact]
    public async Task The_quarterly_report_draws_its_charts_downloads_as_pdf_and_the_unit_confirms_it()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, Settings);
        var court = await server.CourtAsync();
        var id = TestApi.AdultId();
        var entry = await court.ListedOnAsync(Today.AddDays(-5), TestApi.Draft(TestApi.Person(id, "季报乙")));
        var key = await server.OrganizationAsync("unit", "unit-travelsky", "110000", null, "unit.checker", "unit.feedback");
        await UserAsync(server, "unit-travelsky", "fb.sun", "unit.feedback");
        await server.CaughtUpAsync();
        await key.CheckOneAsync(id);
        await key.CheckOneAsync(TestApi.AdultId());
        await key.CheckOneAsync(TestApi.AdultId());
        (await key.FeedbackAsync(entry, "applied")).StatusCode.ShouldBe(HttpStatusCode.Created);

        var hub = await browser.PageAsync(server.BaseAddress);
        await SignInAsync(hub, "admin");
        await hub.GotoAsync("/hub/reports");
        await Assertions.Expect(hub.Locator("#quarterly-report h1")).ToContainTextAsync("全平台");
        await Assertions.Expect(hub.Locator("svg#chart-checks")).ToBeVisibleAsync();
        await Assertions.Expect(hub.Locator("svg#chart-feedback")).ToBeVisibleAsync();
        await Assertions.Expect(hub.Locator("svg#chart-measures")).ToBeVisibleAsync();
        (await hub.Locator("svg#chart-checks rect title").AllTextContentsAsync()).ShouldContain(t => t.EndsWith("比对次数: 3", StringComparison.Ordinal));
        (await hub.Locator("svg#chart-checks rect title").AllTextContentsAsync()).ShouldContain(t => t.EndsWith("命中次数: 1", StringComparison.Ordinal));
        (await hub.Locator("svg#chart-feedback rect title").AllTextContentsAsync()).ShouldContain(t => t.EndsWith("已实施: 1", StringComparison.Ordinal));
        await Browser.ShotAsync(hub, "ov-06-hub-quarterly-report");

        // The PDF link answers a real PDF (the browser's own cookies); the CSV a file with the unit.
        var pdf = await hub.Context.APIRequest.GetAsync((await hub.Locator("#report-pdf").GetAttributeAsync("href"))!);
        if (File.Exists(Browser.ChromiumPath))
        {
            pdf.Status.ShouldBe(200, await pdf.TextAsync());
            pdf.Headers["content-type"].ShouldBe("application/pdf");
            Encoding.ASCII.GetString((await pdf.BodyAsync())[..5]).ShouldBe("%PDF-");
        }

        var csv = await hub.Context.APIRequest.GetAsync((await hub.Locator("#report-csv").GetAttributeAsync("href"))!);
        (await csv.TextAsync()).ShouldContain("unit-travelsky,");

        // Printing hides the navigation and the form.
        await hub.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(hub.Locator("header.site")).ToBeHiddenAsync();
        await Assertions.Expect(hub.Locator("main form")).ToBeHiddenAsync();
        await Assertions.Expect(hub.Locator("#report-pdf")).ToBeHiddenAsync();
        await Assertions.Expect(hub.Locator("svg#chart-checks")).ToBeVisibleAsync();

        // The unit views its own report and confirms it.
        var unit = await browser.PageAsync(server.BaseAddress);
        await SignInAsync(unit, "fb.sun");
        await unit.GetByRole(AriaRole.Link, new() { Name = "投诉与报告" }).ClickAsync();
        await unit.GetByRole(AriaRole.Link, new() { Name = "季度报告" }).ClickAsync();
        await Assertions.Expect(unit.Locator("#quarterly-report h1")).ToContainTextAsync("unit-travelsky 名称");
        await Assertions.Expect(unit.Locator("#confirmation")).ToHaveTextAsync("本季度报告尚未确认报送。");
        await unit.GetByRole(AriaRole.Button, new() { Name = "确认报送本季度报告" }).ClickAsync();
        await Assertions.Expect(unit.Locator("#confirmation")).ToContainTextAsync("确认报送");
        await Assertions.Expect(unit.Locator("#confirm")).ToHaveCountAsync(0);
        await Assertions.Expect(unit.Locator("#report-units")).ToContainTextAsync(TestApi.Iso(Today));
        await Browser.ShotAsync(unit, "ov-07-unit-quarterly-report");

        // The quarter under way cannot be confirmed yet.
        await unit.GotoAsync("/unit/reports?year=" + Today.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + "&quarter=" + (((Today.Month - 1) / 3) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(unit.Locator("#confirmation")).ToHaveTextAsync("本季度尚未结束，季度结束后方可确认报送。");
        await Assertions.Expect(unit.Locator("#confirm")).ToHaveCountAsync(0);
    }
}
