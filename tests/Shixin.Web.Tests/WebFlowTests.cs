// Each call runs against a server and browser this test owns and disposes.
#pragma warning disable xUnit1051
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Shixin.Core.Identifiers;
using Shixin.Server.Tests;

namespace Shixin.Web.Tests;

/// <summary>The browser scenarios against the real server: public search, clerk → judge → public, unit check, dashboard.</summary>
public sealed class WebFlowTests
{
    internal const string Password = "correct-horse-battery";
    private static readonly IdentifierGenerator Ids = new(2024);
    internal static readonly Dictionary<string, string?> Settings = new()
    {
        ["SHIXIN_PUBLIC_RATE_PER_MINUTE"] = "1000",
        ["SHIXIN_ADMIN_PASSWORD"] = Password,
    };

    private static string NewId() => Ids.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1990, 12, 31)).Value;

    [Fact]
    public async Task Public_search_shows_a_masked_id()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, Settings);
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        var id = NewId();
        await ListAsync(court, "陈公开", id, "(2024)粤0802执301号");

        var page = await browser.PageAsync(server.BaseAddress);
        await page.GotoAsync("/");
        await page.GetByLabel("被执行人姓名/名称").FillAsync("陈公开");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        var masked = id[..10] + "****" + id[14..];
        await Assertions.Expect(page.Locator("td.masked")).ToHaveTextAsync(masked);
        (await page.ContentAsync()).ShouldNotContain(id);
        await Assertions.Expect(page.Locator("tbody")).ToContainTextAsync("(2024)粤0802执301号");
        await Assertions.Expect(page.Locator("tbody")).ToContainTextAsync("有履行能力而拒不履行生效法律文书确定义务");
        await Browser.ShotAsync(page, "01-public-search");

        await page.GetByRole(AriaRole.Link, new() { Name = "详情" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("dl.detail")).ToContainTextAsync(masked);
        await Assertions.Expect(page.Locator("dl.detail")).ToContainTextAsync("全部未履行");
        await Browser.ShotAsync(page, "02-public-detail");

        // The English switch, on a phone-sized screen.
        var phone = await browser.PageAsync(server.BaseAddress, 390, 844);
        await phone.GotoAsync("/?lang=en&name=" + Uri.EscapeDataString("陈公开"));
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Search the list of dishonest judgment debtors");
        await Assertions.Expect(phone.Locator("td.masked")).ToHaveTextAsync(masked);
        await Browser.ShotAsync(phone, "03-public-search-en-phone");
    }

    [Fact]
    public async Task Clerk_drafts_judge_decides_public_finds_and_unit_is_blocked()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, Settings);
        await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk");
        await server.OrganizationAsync("unit", "unit-travelsky", "110000", null, "unit.checker");
        await UserAsync(server, "zj-chikan", "clerk.wang", "court.clerk");
        await UserAsync(server, "zj-chikan", "judge.li", "court.judge");
        await UserAsync(server, "unit-travelsky", "checker.zhao", "unit.checker");
        var id = NewId();

        // The clerk drafts; a wrong check digit is flagged while typing.
        var clerk = await browser.PageAsync(server.BaseAddress);
        await SignInAsync(clerk, "clerk.wang");
        await clerk.GotoAsync("/court/draft");
        var idBox = clerk.GetByLabel("身份证号码（自然人）");
        await idBox.FillAsync(id[..17] + (id[17] == '0' ? '1' : '0'));
        await Assertions.Expect(clerk.Locator("#IdNumber-check")).ToHaveTextAsync("校验码错误或格式不符");
        await idBox.FillAsync(id);
        await Assertions.Expect(clerk.Locator("#IdNumber-check")).ToHaveTextAsync("校验通过");
        await clerk.GetByLabel("案号").FillAsync("(2024)粤0802执402号");
        await clerk.GetByLabel("立案日期").FillAsync("2024-03-01");
        await clerk.GetByLabel("执行依据文号").FillAsync("(2023)粤0802民初77号");
        await clerk.GetByLabel("做出执行依据单位").FillAsync("湛江市赤坎区人民法院");
        await clerk.GetByLabel("生效法律文书确定的义务").FillAsync("支付借款人民币80000元及利息");
        await clerk.GetByLabel("未履行金额（元）").FillAsync("80000");
        await clerk.GetByLabel("有履行能力而拒不履行生效法律文书确定义务").CheckAsync();
        await clerk.GetByLabel("姓名/名称").FillAsync("刘失信");
        await Browser.ShotAsync(clerk, "04-court-draft-form");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await Assertions.Expect(clerk.Locator("#entry-status")).ToHaveTextAsync("草稿");
        var entryUrl = clerk.Url;

        // The clerk serves the risk notice; the decision is not offered to a clerk (a judge decides).
        await clerk.GetByRole(AriaRole.Button, new() { Name = "送达风险提示" }).ClickAsync();
        await Assertions.Expect(clerk.Locator("#entry-status")).ToHaveTextAsync("已送达风险提示");
        await Assertions.Expect(clerk.GetByRole(AriaRole.Button, new() { Name = "作出纳入决定（法官）" })).ToHaveCountAsync(0);
        await Assertions.Expect(clerk.Locator("#decide-hint")).ToContainTextAsync("纳入决定由法官作出");
        await Browser.ShotAsync(clerk, "05-court-entry-clerk");

        // The judge decides: the entry is listed and its timeline shows every step.
        var judge = await browser.PageAsync(server.BaseAddress);
        await SignInAsync(judge, "judge.li");
        await judge.GotoAsync(entryUrl);
        await judge.GetByRole(AriaRole.Button, new() { Name = "作出纳入决定（法官）" }).ClickAsync();
        await Assertions.Expect(judge.Locator("#entry-status")).ToHaveTextAsync("已纳入");
        await Assertions.Expect(judge.Locator("ol.timeline")).ToContainTextAsync("纳入名单并公布");
        await Browser.ShotAsync(judge, "06-court-entry-judge-listed");
        await judge.GotoAsync("/court?status=listed");
        await Assertions.Expect(judge.Locator("tbody")).ToContainTextAsync("刘失信");
        await Browser.ShotAsync(judge, "07-court-entries");

        // The public finds the entry, masked.
        var visitor = await browser.PageAsync(server.BaseAddress);
        await visitor.GotoAsync("/?name=" + Uri.EscapeDataString("刘失信"));
        await Assertions.Expect(visitor.Locator("td.masked")).ToHaveTextAsync(id[..10] + "****" + id[14..]);

        // The unit operator checks the debtor for an air ticket and is told to block, with the explanation.
        var checker = await browser.PageAsync(server.BaseAddress);
        await SignInAsync(checker, "checker.zhao");
        await checker.GotoAsync("/unit");
        await checker.GetByLabel("业务场景").SelectOptionAsync("civil-aviation.ticket");
        await checker.GetByLabel("证件号码").FillAsync(id);
        await checker.GetByRole(AriaRole.Button, new() { Name = "核查" }).ClickAsync();
        await Assertions.Expect(checker.Locator(".outcome").First).ToHaveAttributeAsync("data-outcome", "block");
        await Assertions.Expect(checker.Locator(".outcome").First).ToContainTextAsync("阻断");
        await Assertions.Expect(checker.Locator("#outcome")).ToContainTextAsync("(2024)粤0802执402号");
        await Assertions.Expect(checker.Locator("#outcome")).ToContainTextAsync("被执行人本人");
        await Browser.ShotAsync(checker, "08-unit-check-block");

        // The unit's feedback operator records that the measure was applied; the unit has no subscriptions yet.
        var entryId = (await checker.Locator("#outcome code.entry-id").First.TextContentAsync())!.Trim();
        var measure = (await checker.Locator("#outcome code.measure-code").First.TextContentAsync())!.Trim();
        await UserAsync(server, "unit-travelsky", "feedback.qian", "unit.feedback");
        var feedback = await browser.PageAsync(server.BaseAddress);
        await SignInAsync(feedback, "feedback.qian");
        await feedback.GotoAsync("/unit");
        await feedback.GetByLabel("条目编号").FillAsync(entryId);
        await feedback.GetByLabel("措施代码").FillAsync(measure);
        await feedback.GetByLabel("采取的行动").SelectOptionAsync("applied");
        await feedback.GetByRole(AriaRole.Button, new() { Name = "提交反馈" }).ClickAsync();
        await Assertions.Expect(feedback.Locator("#feedback .success")).ToContainTextAsync("已采取");
        await Assertions.Expect(feedback.Locator("#subscriptions")).ToContainTextAsync("暂无订阅");
        await Browser.ShotAsync(feedback, "15-unit-feedback");
    }

    [Fact]
    public async Task Dashboard_renders_its_charts_and_sign_in_locks_after_five_failures()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, Settings);
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        // Listed this month (so the monthly chart has bars); one of them exits again.
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        await ListAsync(court, "周看板", NewId(), "(2024)粤0802执501号", today);
        var exiting = await ListAsync(court, "吴看板", NewId(), "(2024)粤0802执502号", today);
        await ListAsync(court, "郑看板", NewId(), "(2024)粤0802执503号", today);
        (await court.PostAsJsonAsync("/api/v1/entries/" + exiting + "/exit", new { kind = "shield", reason = "fully-performed", effectiveOn = Iso(today) })).EnsureSuccessStatusCode();

        // A complaint gives the unit a duty to answer (open, due in the future).
        await server.OrganizationAsync("unit", "unit-travelsky", "110000", null, "unit.checker");
        (await server.Admin.PostAsJsonAsync("/api/v1/complaints", new { againstOrganization = "unit-travelsky", description = "未限制乘机", contact = "13800000000" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        var admin = await browser.PageAsync(server.BaseAddress);
        await SignInAsync(admin, "admin");
        await admin.GotoAsync("/hub");
        await Assertions.Expect(admin.Locator("svg#chart-months rect").First).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("svg#chart-status")).ToBeVisibleAsync();
        (await admin.Locator("svg#chart-status rect").CountAsync()).ShouldBeGreaterThan(1);
        await Assertions.Expect(admin.Locator("svg#chart-months rect title", new() { HasTextString = "纳入: 3" })).ToHaveCountAsync(1);
        await Assertions.Expect(admin.Locator("svg#chart-months rect title", new() { HasTextString = "退出: 1" })).ToHaveCountAsync(1);
        // Duties met on time vs overdue, per organization: a stacked bar each, the table and its CSV.
        await Assertions.Expect(admin.Locator("svg#chart-compliance")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("svg#chart-compliance rect title", new() { HasTextString = "unit-travelsky 名称 办理中: 1" })).ToHaveCountAsync(1);
        await Assertions.Expect(admin.Locator("table#compliance")).ToContainTextAsync("zj-chikan");
        await Assertions.Expect(admin.Locator("table#compliance")).ToContainTextAsync("unit-travelsky");
        await Browser.ShotAsync(admin, "09-hub-dashboard");
        var compliance = await admin.APIRequest.GetAsync("/hub?handler=csv&table=compliance");
        compliance.Status.ShouldBe(200);
        (await compliance.TextAsync()).ShouldContain("organization,name,kind,duties,met_on_time");
        (await compliance.TextAsync()).ShouldContain("unit-travelsky,unit-travelsky 名称,unit,1,0,0,1,0,");
        var csv = await admin.APIRequest.GetAsync("/hub?handler=csv&table=status");
        csv.Status.ShouldBe(200);
        (await csv.TextAsync()).ShouldContain("listed,2");
        (await csv.TextAsync()).ShouldContain("shielded,1");

        // The hub creates an account on its page.
        await admin.GotoAsync("/hub/users");
        await admin.GetByLabel("所属单位").SelectOptionAsync("zj-chikan");
        await admin.GetByLabel("用户名").FillAsync("clerk.new");
        await admin.GetByLabel("初始密码（至少10位）").FillAsync(Password);
        await admin.GetByLabel("书记员 (court.clerk)").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "创建账户" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".success")).ToContainTextAsync("clerk.new");
        await Browser.ShotAsync(admin, "10-hub-users");

        // Five wrong passwords lock the account, even against the right one afterwards.
        var intruder = await browser.PageAsync(server.BaseAddress);
        for (var i = 0; i < 5; i++)
        {
            await intruder.GotoAsync("/signin");
            await intruder.GetByLabel("用户名").FillAsync("clerk.new");
            await intruder.GetByLabel("密码").FillAsync("wrong-password-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await intruder.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        }

        await intruder.GotoAsync("/signin");
        await intruder.GetByLabel("用户名").FillAsync("clerk.new");
        await intruder.GetByLabel("密码").FillAsync(Password);
        await intruder.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(intruder.Locator(".errors")).ToContainTextAsync("锁定");
        await Browser.ShotAsync(intruder, "11-signin-locked");

        // A page of the consoles without a session sends the reader to sign in.
        var anonymous = await browser.PageAsync(server.BaseAddress);
        await anonymous.GotoAsync("/court");
        anonymous.Url.ShouldContain("/signin");
    }

    [Fact]
    public async Task A_person_files_a_complaint_and_follows_it_by_tracking_code()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, Settings);
        await server.OrganizationAsync("unit", "unit-travelsky", "110000", null, "unit.checker");

        var page = await browser.PageAsync(server.BaseAddress);
        await page.GotoAsync("/");
        await page.Locator("header").GetByRole(AriaRole.Link, new() { Name = "投诉" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("投诉联合惩戒单位");
        await page.GetByLabel("被投诉单位").SelectOptionAsync("unit-travelsky");
        await page.GetByLabel("相关执行案号（选填）").FillAsync("(2024)粤0802执601号");
        await page.GetByLabel("投诉内容").FillAsync("被执行人仍可购买机票，航空公司未采取限制措施。");
        await page.GetByLabel("联系方式").FillAsync("13800000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交投诉" }).ClickAsync();
        var code = (await page.Locator("#tracking-code").TextContentAsync())!.Trim();
        code.ShouldNotBeNullOrEmpty();
        await Browser.ShotAsync(page, "12-complaint-filed");

        // Anyone holding the code follows it, from a fresh browser, through the lookup form.
        var later = await browser.PageAsync(server.BaseAddress);
        await later.GotoAsync("/complaint");
        await later.GetByLabel("查询码").FillAsync(code);
        await later.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        later.Url.ShouldEndWith("/complaint/" + code);
        await Assertions.Expect(later.Locator("#complaint-status")).ToContainTextAsync(code);
        await Assertions.Expect(later.Locator("#complaint-status")).ToContainTextAsync("已受理，待答复");
        await Assertions.Expect(later.Locator("#complaint-status")).ToContainTextAsync("unit-travelsky");
        (await later.ContentAsync()).ShouldNotContain("13800000000");
        await Browser.ShotAsync(later, "13-complaint-follow");

        var unknown = await later.GotoAsync("/complaint/NO-SUCH-CODE");
        unknown!.Status.ShouldBe(404);
        await Assertions.Expect(later.Locator(".errors")).ToContainTextAsync("未找到");
    }

    [Fact]
    public async Task A_clerk_imports_a_csv_and_sees_the_bad_line()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, Settings);
        await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk");
        await UserAsync(server, "zj-chikan", "clerk.wang", "court.clerk");
        var good1 = NewId();
        var good2 = NewId();
        var bad = NewId();
        bad = bad[..17] + (bad[17] == '0' ? '1' : '0');
        static string Row(string caseNo, string name, string id) =>
            string.Join(',', caseNo, "2024-01-05", "(2023)粤0802民初1号", "湛江市赤坎区人民法院", "支付货款人民币5000元", "0", "5000", "capable-but-refuses", name, id, "", "", "", "", "");
        var csv = "caseNumber,filingDate,basisNumber,basisIssuer,obligation,performedAmount,unperformedAmount,circumstances,name,idNumber,creditCode,legalRepresentativeName,legalRepresentativeIdNumber,riskNoticeServedOn,decidedOn\r\n"
            + Row("(2024)粤0802执701号", "导入甲", good1) + "\r\n"
            + Row("(2024)粤0802执702号", "导入乙", bad) + "\r\n"
            + Row("(2024)粤0802执703号", "导入丙", good2) + "\r\n";

        var clerk = await browser.PageAsync(server.BaseAddress);
        await SignInAsync(clerk, "clerk.wang");
        await clerk.GotoAsync("/court");
        await clerk.GetByRole(AriaRole.Link, new() { Name = "CSV 批量导入" }).ClickAsync();
        await clerk.GetByLabel("CSV 文件").SetInputFilesAsync(new FilePayload
        {
            Name = "entries.csv", MimeType = "text/csv", Buffer = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(csv)],
        });
        await clerk.GetByRole(AriaRole.Button, new() { Name = "导入", Exact = true }).ClickAsync();
        await Assertions.Expect(clerk.Locator("#import-result")).ToContainTextAsync("已导入 2 条，退回 1 行");
        await Assertions.Expect(clerk.Locator("#rejected tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(clerk.Locator("#rejected tbody tr td").First).ToHaveTextAsync("3");
        await Browser.ShotAsync(clerk, "14-court-import");

        await clerk.GotoAsync("/court");
        await Assertions.Expect(clerk.Locator("tbody")).ToContainTextAsync("导入甲");
        await Assertions.Expect(clerk.Locator("tbody")).ToContainTextAsync("导入丙");
        await Assertions.Expect(clerk.Locator("tbody")).Not.ToContainTextAsync("导入乙");
    }

    internal static async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page.Locator("header .who")).ToContainTextAsync(user == "admin" ? "平台管理员" : user);
    }

    internal static async Task UserAsync(ShixinServer server, string org, string user, params string[] roles)
    {
        var r = await server.Admin.PostAsJsonAsync("/api/v1/organizations/" + org + "/users", new { userName = user, password = Password, roles });
        r.StatusCode.ShouldBe(HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
    }

    internal static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Drafts, notices and decides a person's entry through the API; the default circumstance is ground (一).</summary>
    internal static async Task<string> ListAsync(HttpClient court, string name, string id, string caseNo, DateOnly? decidedOn = null, params string[] circumstances)
    {
        var draft = await court.PostAsJsonAsync("/api/v1/entries", new
        {
            caseNumber = caseNo,
            filingDate = "2024-03-01",
            basisDocument = new { number = "(2023)粤0802民初99号", issuer = "湛江市赤坎区人民法院" },
            obligation = "支付货款人民币50000元及利息",
            performance = new { performedAmount = 0, unperformedAmount = 50000 },
            circumstances = circumstances.Length == 0 ? ["capable-but-refuses"] : circumstances,
            subject = new { kind = "person", name, idNumber = id },
        });
        var body = await draft.Content.ReadAsStringAsync();
        draft.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        var entry = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        (await court.PostAsJsonAsync("/api/v1/entries/" + entry + "/risk-notice", new { servedOn = "2024-03-05" })).EnsureSuccessStatusCode();
        var decided = await court.PostAsJsonAsync("/api/v1/entries/" + entry + "/decision", new { decidedOn = decidedOn is { } d ? Iso(d) : "2024-04-01" });
        decided.StatusCode.ShouldBe(HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        return entry;
    }
}
