// Each call runs against a server and browser this test owns and disposes.
#pragma warning disable xUnit1051
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Shixin.Core.Identifiers;
using Shixin.Server.Tests;

namespace Shixin.Web.Tests;

/// <summary>
/// The court console does every duty where it shows (issue 15 item 4) and grants court exemptions (issue 10 item 5):
/// a judge lifts a flight restriction and ends it, a clerk sends the special-subject notification from the queue, a judge
/// amends the unperformed amount, and a clerk is offered no decision.
/// </summary>
public sealed class CourtConsoleTests
{
    private static readonly IdentifierGenerator Ids = new(2061);

    private static string NewId() => Ids.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1990, 12, 31)).Value;

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    private static async Task<HttpClient> CourtAsync(ShixinServer server)
    {
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        await WebFlowTests.UserAsync(server, "zj-chikan", "judge.li", "court.judge");
        await WebFlowTests.UserAsync(server, "zj-chikan", "clerk.wang", "court.clerk");
        return court;
    }

    private static async Task CheckAsync(IPage page, string scenario, string id, string expected)
    {
        await page.GotoAsync("/unit");
        await page.GetByLabel("业务场景").SelectOptionAsync(scenario);
        await page.GetByLabel("证件号码").FillAsync(id);
        await page.GetByRole(AriaRole.Button, new() { Name = "核查", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".outcome").First).ToHaveAttributeAsync("data-outcome", expected);
    }

    [Fact]
    public async Task A_judge_lifts_a_flight_restriction_for_three_days_from_the_console_and_ends_it()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, WebFlowTests.Settings);
        var court = await CourtAsync(server);
        await server.OrganizationAsync("unit", "unit-air", "110000", null, "unit.checker");
        await WebFlowTests.UserAsync(server, "unit-air", "checker.air", "unit.checker");
        var id = NewId();
        var entry = await WebFlowTests.ListAsync(court, "郑探视", id, "(2024)粤0802执871号", new DateOnly(2024, 4, 1));

        var checker = await browser.PageAsync(server.BaseAddress, 1280);
        await WebFlowTests.SignInAsync(checker, "checker.air");
        await CheckAsync(checker, "civil-aviation.ticket", id, "block");

        // A clerk reads the entry but is offered neither the grant nor any judge's action.
        var clerk = await browser.PageAsync(server.BaseAddress, 1280);
        await WebFlowTests.SignInAsync(clerk, "clerk.wang");
        await clerk.GotoAsync("/court/entry/" + entry);
        await Assertions.Expect(clerk.Locator("#exemptions")).ToContainTextAsync("本条目暂无法院准许");
        await Assertions.Expect(clerk.Locator("form#grant-exemption")).ToHaveCountAsync(0);
        await Assertions.Expect(clerk.Locator("form#exit")).ToHaveCountAsync(0);
        await Assertions.Expect(clerk.Locator("form#amend")).ToHaveCountAsync(0);

        // The judge grants three days (today and the two after) for flights only.
        var judge = await browser.PageAsync(server.BaseAddress, 1280);
        await WebFlowTests.SignInAsync(judge, "judge.li");
        await judge.GotoAsync("/court/entry/" + entry);
        var grant = judge.Locator("form#grant-exemption");
        await grant.GetByLabel("准许对象").SelectOptionAsync(id);
        await grant.GetByLabel("准许类型").SelectOptionAsync("humanitarian-travel");
        await grant.GetByLabel("民航机票销售").CheckAsync();
        await grant.GetByLabel("起始日期").FillAsync(WebFlowTests.Iso(Today));
        await grant.GetByLabel("截止日期（含当日）").FillAsync(WebFlowTests.Iso(Today.AddDays(2)));
        await grant.GetByLabel("准许理由").FillAsync("父亲病危，须赴北京探视");
        await grant.GetByLabel("依据（决定书文号）").FillAsync("(2024)粤0802执871号之一 准许临时解除限制乘坐飞机决定书");
        await Browser.ShotAsync(judge, "40-court-exemption-form");
        await grant.GetByRole(AriaRole.Button, new() { Name = "准许临时解除限制（法官）" }).ClickAsync();
        await Assertions.Expect(judge.Locator("p.success")).ToContainTextAsync("已准许");
        var row = judge.Locator("#exemption-list tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator(".ex-status")).ToHaveTextAsync("有效");
        await Assertions.Expect(row).ToContainTextAsync("民航机票销售");
        await Assertions.Expect(row).ToContainTextAsync(WebFlowTests.Iso(Today.AddDays(2)));
        await Assertions.Expect(judge.Locator("ol.timeline")).ToContainTextAsync("准许临时解禁");
        await Browser.ShotAsync(judge, "41-court-exemption-granted");

        // The airline's check clears as exempted; the railway's still blocks.
        await CheckAsync(checker, "civil-aviation.ticket", id, "clear");
        await Assertions.Expect(checker.Locator("#outcome li[data-reason=exempted]")).ToContainTextAsync("已豁免");
        await Browser.ShotAsync(checker, "42-unit-check-exempted");
        await CheckAsync(checker, "rail.ticket", id, "block");

        // The clerk sees the exemption but no button to end it.
        await clerk.GotoAsync("/court/entry/" + entry);
        await Assertions.Expect(clerk.Locator("#exemption-list .ex-status")).ToHaveTextAsync("有效");
        await Assertions.Expect(clerk.GetByRole(AriaRole.Button, new() { Name = "终止准许（法官）" })).ToHaveCountAsync(0);

        // The judge ends it: ended on the page, and the flight blocks again.
        await judge.Locator("#exemption-list").GetByLabel("终止理由").FillAsync("探视已结束，被执行人申请提前终止");
        await judge.GetByRole(AriaRole.Button, new() { Name = "终止准许（法官）" }).ClickAsync();
        await Assertions.Expect(judge.Locator("p.success")).ToContainTextAsync("已终止准许");
        await Assertions.Expect(judge.Locator("#exemption-list .ex-status")).ToHaveTextAsync("已终止");
        await Assertions.Expect(judge.Locator("ol.timeline")).ToContainTextAsync("终止准许");
        await CheckAsync(checker, "civil-aviation.ticket", id, "block");

        var view = await court.GetFromJsonAsync<JsonObject>("/api/v1/entries/" + entry);
        view!["exemptions"]!.AsArray().ShouldHaveSingleItem()!["status"]!.GetValue<string>().ShouldBe("ended");

        var phone = await browser.PageAsync(server.BaseAddress, 390, 844);
        await WebFlowTests.SignInAsync(phone, "judge.li");
        await phone.GotoAsync("/court/entry/" + entry);
        await Assertions.Expect(phone.Locator("form#grant-exemption")).ToBeVisibleAsync();
        await Browser.ShotAsync(phone, "43-court-entry-exemptions-390");
    }

    [Fact]
    public async Task A_clerk_sends_the_special_subject_notification_from_the_queue()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, WebFlowTests.Settings);
        var court = await CourtAsync(server);
        var entry = await WebFlowTests.ListAsync(court, "冯公职", NewId(), "(2024)粤0802执872号", new DateOnly(2024, 4, 1));
        var amended = await court.PostAsJsonAsync("/api/v1/entries/" + entry + "/amendment",
            new { changes = new Dictionary<string, string> { ["specialStatus"] = "civil-servant" }, reason = "经查被执行人系公职人员" });
        amended.StatusCode.ShouldBe(HttpStatusCode.OK, await amended.Content.ReadAsStringAsync());

        // The queue shows the notification overdue (decided in 2024) with a link to where it is done.
        var clerk = await browser.PageAsync(server.BaseAddress, 1280);
        await WebFlowTests.SignInAsync(clerk, "clerk.wang");
        await clerk.GotoAsync("/court/queue");
        var duty = clerk.Locator("tr.overdue").Filter(new() { HasTextString = "通知特殊主体所在单位" });
        await Assertions.Expect(duty).ToHaveCountAsync(1);
        await Browser.ShotAsync(clerk, "44-court-queue-duties");
        await duty.GetByRole(AriaRole.Link, new() { Name = "去办理" }).ClickAsync();

        var section = clerk.Locator("#special-notification");
        await Assertions.Expect(section).ToContainTextAsync("公职人员");
        await Assertions.Expect(section.GetByLabel("送达单位")).ToHaveValueAsync("被执行人所在单位（人事部门）");
        await section.GetByLabel("送达日期").FillAsync(WebFlowTests.Iso(Today));
        await section.GetByLabel("送达方式").FillAsync("邮寄送达");
        await section.GetByRole(AriaRole.Button, new() { Name = "登记送达" }).ClickAsync();
        await Assertions.Expect(clerk.Locator("#special-delivered")).ToContainTextAsync("已于 " + WebFlowTests.Iso(Today) + " 送达");
        await Browser.ShotAsync(clerk, "45-court-entry-special-notified");

        // The duty is met in the queue and in the API.
        await clerk.GotoAsync("/court/queue");
        var met = clerk.Locator("tbody tr").Filter(new() { HasTextString = "通知特殊主体所在单位" });
        await Assertions.Expect(met).ToContainTextAsync("已完成");
        await Assertions.Expect(met.GetByRole(AriaRole.Link, new() { Name = "去办理" })).ToHaveCountAsync(0);
        var duties = await court.GetFromJsonAsync<JsonArray>("/api/v1/obligations");
        duties!.Single(d => d!["code"]!.GetValue<string>() == "court.notify-special-subject")!["status"]!.GetValue<string>().ShouldBe("met");

        var phone = await browser.PageAsync(server.BaseAddress, 390, 844);
        await WebFlowTests.SignInAsync(phone, "clerk.wang");
        await phone.GotoAsync("/court/queue");
        await Browser.ShotAsync(phone, "46-court-queue-390");
    }

    [Fact]
    public async Task A_judge_amends_the_unperformed_amount_and_a_clerk_records_performance_and_sees_no_decision_button()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, WebFlowTests.Settings);
        var court = await CourtAsync(server);
        var entry = await WebFlowTests.ListAsync(court, "褚更正", NewId(), "(2024)粤0802执873号", new DateOnly(2024, 4, 1));

        // 更正: the judge corrects the unperformed amount; the page shows the new figure.
        var judge = await browser.PageAsync(server.BaseAddress, 1280);
        await WebFlowTests.SignInAsync(judge, "judge.li");
        await judge.GotoAsync("/court/entry/" + entry);
        await Assertions.Expect(judge.Locator("dl.detail")).ToContainTextAsync("50,000.00");
        var amend = judge.Locator("form#amend");
        await amend.GetByLabel("更正事项").SelectOptionAsync("performance.unperformedAmount");
        await amend.GetByLabel("更正后的内容").FillAsync("32000");
        await amend.GetByLabel("更正理由").FillAsync("执行款已部分到账，原登记金额有误");
        await amend.GetByRole(AriaRole.Button, new() { Name = "更正条目信息（法官）" }).ClickAsync();
        await Assertions.Expect(judge.Locator("p.success")).ToContainTextAsync("已办理");
        await Assertions.Expect(judge.Locator("dl.detail")).ToContainTextAsync("32,000.00");
        await Assertions.Expect(judge.Locator("ol.timeline")).ToContainTextAsync("更正");
        (await court.GetFromJsonAsync<JsonObject>("/api/v1/entries/" + entry))!["performance"]!["unperformedAmount"]!.GetValue<decimal>().ShouldBe(32000m);

        // The exit form offers, for each kind, only the reasons that fit it (no term here: shield takes performance reasons).
        var exit = judge.Locator("form#exit");
        await exit.GetByLabel("退出方式").SelectOptionAsync("shield");
        var visible = await exit.Locator("#ExitReason option:not([hidden])").AllTextContentsAsync();
        visible.ShouldBe(["已履行全部义务", "执行和解协议已履行完毕", "执行终结", "提供有效担保"]);
        await exit.GetByLabel("退出方式").SelectOptionAsync("revoke");
        (await exit.Locator("#ExitReason option:not([hidden])").AllTextContentsAsync()).ShouldContain("不应纳入");
        (await exit.Locator("#ExitReason option:not([hidden])").AllTextContentsAsync()).ShouldNotContain("提供有效担保");
        await Browser.ShotAsync(judge, "47-court-entry-judge");

        // The clerk records full performance: the amounts change and the exit duty opens.
        var clerk = await browser.PageAsync(server.BaseAddress, 1280);
        await WebFlowTests.SignInAsync(clerk, "clerk.wang");
        await clerk.GotoAsync("/court/entry/" + entry);
        var perf = clerk.Locator("form#performance");
        await perf.GetByLabel("已履行金额（元）").FillAsync("五万元");
        await perf.GetByLabel("未履行金额（元）").FillAsync("0");
        await perf.GetByRole(AriaRole.Button, new() { Name = "记录履行情况" }).ClickAsync();
        await Assertions.Expect(clerk.Locator(".errors")).ToContainTextAsync("已履行金额（元）：请填写不小于0的金额");
        await Assertions.Expect(clerk.Locator("dl.detail")).ToContainTextAsync("32,000.00");
        perf = clerk.Locator("form#performance");
        await perf.GetByLabel("已履行金额（元）").FillAsync("50000");
        await perf.GetByLabel("未履行金额（元）").FillAsync("0");
        await perf.GetByLabel("已全部履行").CheckAsync();
        await perf.GetByRole(AriaRole.Button, new() { Name = "记录履行情况" }).ClickAsync();
        await Assertions.Expect(clerk.Locator("p.success")).ToContainTextAsync("已办理");
        await Assertions.Expect(clerk.Locator("dl.detail")).ToContainTextAsync("0.00");
        await Assertions.Expect(clerk.Locator("ol.timeline")).ToContainTextAsync("记录履行情况");
        await Assertions.Expect(clerk.Locator("form#exit")).ToHaveCountAsync(0);

        // A new draft: the clerk finds it in the queue without a decision button, the judge decides from the queue's link.
        var draft = await court.PostAsJsonAsync("/api/v1/entries", new
        {
            caseNumber = "(2026)粤0802执874号", filingDate = "2026-03-01",
            basisDocument = new { number = "(2025)粤0802民初9号", issuer = "湛江市赤坎区人民法院" },
            obligation = "支付货款人民币8000元", performance = new { performedAmount = 0, unperformedAmount = 8000 },
            circumstances = new[] { "capable-but-refuses" }, subject = new { kind = "person", name = "卫待决", idNumber = NewId() },
        });
        var draftId = JsonNode.Parse(await draft.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        await clerk.GotoAsync("/court/queue");
        await Assertions.Expect(clerk.Locator("#drafts")).ToContainTextAsync("卫待决");
        await clerk.Locator("#drafts").GetByRole(AriaRole.Link, new() { Name = "(2026)粤0802执874号" }).ClickAsync();
        await Assertions.Expect(clerk.Locator("#entry-status")).ToHaveTextAsync("草稿");
        await Assertions.Expect(clerk.GetByRole(AriaRole.Button, new() { Name = "作出纳入决定（法官）" })).ToHaveCountAsync(0);
        await Assertions.Expect(clerk.Locator("#decide-hint")).ToContainTextAsync("纳入决定由法官作出");
        await Browser.ShotAsync(clerk, "48-court-entry-draft-clerk");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "送达风险提示" }).ClickAsync();
        await Assertions.Expect(clerk.Locator("#entry-status")).ToHaveTextAsync("已送达风险提示");

        await judge.GotoAsync("/court/queue");
        await Assertions.Expect(judge.Locator("#drafts")).ToContainTextAsync("已送达风险提示");
        await judge.Locator("#drafts").GetByRole(AriaRole.Link, new() { Name = "办理决定" }).ClickAsync();
        await judge.GetByRole(AriaRole.Button, new() { Name = "作出纳入决定（法官）" }).ClickAsync();
        await Assertions.Expect(judge.Locator("#entry-status")).ToHaveTextAsync("已纳入");
        (await court.GetFromJsonAsync<JsonObject>("/api/v1/entries/" + draftId))!["status"]!.GetValue<string>().ShouldBe("listed");

        var phone = await browser.PageAsync(server.BaseAddress, 390, 844);
        await WebFlowTests.SignInAsync(phone, "judge.li");
        await phone.GotoAsync("/court/entry/" + draftId);
        await Browser.ShotAsync(phone, "49-court-entry-judge-390");
        await phone.GotoAsync("/court/entry/" + entry);
        await Browser.ShotAsync(phone, "50-court-entry-performed-390");
    }
}
