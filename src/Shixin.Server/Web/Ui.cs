using System.Collections.Frozen;
using System.Globalization;

namespace Shixin.Server.Web;

/// <summary>
/// The web pages' words in Simplified Chinese (the default) and English, in one place. The language is
/// chosen by <c>?lang=en|zh</c> (remembered in a cookie) or the cookie alone.
/// </summary>
public sealed partial class Ui
{
    public const string CookieName = "shixin.lang";
    private static readonly Ui Zh = new(english: false);
    private static readonly Ui En = new(english: true);

    private Ui(bool english) => English = english;

    public bool English { get; }

    public string HtmlLang => English ? "en" : "zh-CN";

    /// <summary>The other language's code, for the switch link.</summary>
    public string OtherLang => English ? "zh" : "en";

    public string this[string key] => Texts.TryGetValue(key, out var t) || OversightTexts.TryGetValue(key, out t) ? (English ? t.En : t.Zh) : key;

    public string Format(string key, params object[] args) => string.Format(CultureInfo.InvariantCulture, this[key], args);

    /// <summary>The language of this request (set by <see cref="LanguageMiddleware"/>).</summary>
    public static Ui For(HttpContext http)
    {
        if (http.Items[typeof(Ui)] is Ui ui)
        {
            return ui;
        }

        var q = http.Request.Query["lang"].ToString();
        var lang = q.Length > 0 ? q : http.Request.Cookies[CookieName];
        ui = string.Equals(lang, "en", StringComparison.Ordinal) ? En : Zh;
        http.Items[typeof(Ui)] = ui;
        return ui;
    }

    /// <summary>A status, outcome or other code in words; the code itself when unknown.</summary>
    public string Code(string prefix, string? code) => code is null ? "" : Texts.ContainsKey(prefix + "." + code) || OversightTexts.ContainsKey(prefix + "." + code) ? this[prefix + "." + code] : code;

    private static readonly FrozenDictionary<string, (string Zh, string En)> Texts = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["site.title"] = ("失信被执行人名单平台", "Dishonest Judgment Debtor List"),
        ["site.skip"] = ("跳到主要内容", "Skip to main content"),
        ["nav.public"] = ("公开查询", "Public search"),
        ["nav.court"] = ("法院工作台", "Court console"),
        ["nav.unit"] = ("联合惩戒单位", "Unit console"),
        ["nav.hub"] = ("监管看板", "Hub dashboard"),
        ["nav.users"] = ("账户管理", "Accounts"),
        ["nav.signin"] = ("工作人员登录", "Staff sign-in"),
        ["nav.signout"] = ("退出登录", "Sign out"),
        ["nav.lang"] = ("English", "中文"),
        ["nav.signedin"] = ("已登录：", "Signed in: "),
        ["nav.complaint"] = ("投诉", "Complaints"),
        ["unit.fb.title"] = ("反馈惩戒措施落实情况", "Record feedback"),
        ["unit.fb.entry"] = ("条目编号", "Entry id"),
        ["unit.fb.entry.hint"] = ("核查结果中的条目编号", "The entry id from the check outcome"),
        ["unit.fb.badentry"] = ("不是有效的条目编号", "not a valid entry id"),
        ["unit.fb.measure"] = ("措施代码", "Measure code"),
        ["unit.fb.action"] = ("采取的行动", "Action"),
        ["unit.fb.note"] = ("备注（选填）", "Note (optional)"),
        ["unit.fb.submit"] = ("提交反馈", "Record"),
        ["unit.fb.done"] = ("已记录：{0}（{1}）", "Recorded: {0} ({1})"),
        ["fbaction.applied"] = ("已采取", "Applied"),
        ["fbaction.lifted"] = ("已解除", "Lifted"),
        ["fbaction.suspended"] = ("已暂停", "Suspended"),
        ["fbaction.resumed"] = ("已恢复", "Resumed"),
        ["fbaction.kept"] = ("退出后保留", "Kept after exit"),
        ["unit.subs"] = ("订阅推送状态", "Subscriptions"),
        ["unit.subs.none"] = ("本单位暂无订阅。", "This unit has no subscriptions."),
        ["unit.subs.url"] = ("推送地址", "URL"),
        ["unit.subs.cursor"] = ("已推送至序号", "Cursor"),
        ["unit.subs.lag"] = ("积压", "Lag"),
        ["unit.subs.error"] = ("最近错误", "Last error"),
        ["unit.subs.delivered"] = ("最近送达", "Last delivered"),
        ["sub.active"] = ("正常", "Active"),
        ["sub.paused"] = ("已暂停", "Paused"),
        ["sub.failing"] = ("推送失败", "Failing"),
        ["hub.compliance"] = ("各单位履职情况：按期完成与逾期", "Duties met on time vs overdue by organization"),
        ["hub.flag.notices"] = ("一年内两次以上通报：取消评优评先资格并扣减绩效考核分", "Notified twice or more this year: no honours, performance points lost"),
        ["hub.flag.talk"] = ("约谈后仍未整改：移送纪律处理", "Still overdue after a talk: referred for discipline"),
        ["col.org"] = ("单位", "Organization"),
        ["col.duties"] = ("职责总数", "Duties"),
        ["col.ontime"] = ("按期完成", "Met on time"),
        ["col.late"] = ("逾期完成", "Met late"),
        ["col.overdue"] = ("已逾期未完成", "Overdue"),
        ["col.open"] = ("办理中", "Open"),
        ["col.rate"] = ("按期率", "On-time rate"),
        ["col.notices"] = ("本年通报/约谈", "Notices / talks"),
        ["col.flag"] = ("提示", "Flag"),
        ["import.title"] = ("批量导入（CSV）", "Import entries (CSV)"),
        ["import.link"] = ("CSV 批量导入", "Import CSV"),
        ["import.intro"] = ("上传 UTF-8 编码的 CSV 文件，首行为列名（中文或英文列名均可）。每行一条，逐行校验。",
            "Upload a UTF-8 CSV file whose first line names the columns (Chinese or English). One entry a line, each checked."),
        ["import.file"] = ("CSV 文件", "CSV file"),
        ["import.file.hint"] = ("Excel 请另存为“CSV UTF-8”", "From Excel, save as 'CSV UTF-8'"),
        ["import.nofile"] = ("请选择文件", "choose a file"),
        ["import.encoding"] = ("文件不是有效的 UTF-8 编码；Excel 请另存为“CSV UTF-8”。", "The file is not valid UTF-8; from Excel, save as 'CSV UTF-8'."),
        ["import.atomic"] = ("全部校验通过才导入（任一行有错则整个文件不导入）", "All or nothing (any bad line rejects the whole file)"),
        ["import.submit"] = ("导入", "Import"),
        ["import.result"] = ("导入结果", "Result"),
        ["import.summary"] = ("已导入 {0} 条，退回 {1} 行。", "{0} accepted, {1} lines rejected."),
        ["import.notcommitted"] = ("本次未写入任何条目。", "Nothing was written."),
        ["import.line"] = ("行号", "Line"),
        ["import.code"] = ("错误代码", "Code"),
        ["import.detail"] = ("说明", "Detail"),
        ["import.more"] = ("另有 {0} 行错误未列出。", "{0} more rejected lines not shown."),
        ["footer.complaint"] = ("联合惩戒单位未依法采取惩戒措施？提出投诉", "A unit did not apply a measure? File a complaint"),
        ["complaint.title"] = ("投诉联合惩戒单位", "Complain about a unit"),
        ["complaint.intro"] = ("联合惩戒单位未对失信被执行人依法采取惩戒措施的，可在此投诉。提交后请保存查询码，凭码查看处理进度。",
            "If a unit did not apply a measure to a listed debtor, tell us here. Keep the tracking code to follow the complaint."),
        ["complaint.against"] = ("被投诉单位", "Unit complained about"),
        ["complaint.choose"] = ("请选择单位", "Choose a unit"),
        ["complaint.case"] = ("相关执行案号（选填）", "Case number (optional)"),
        ["complaint.description"] = ("投诉内容", "What happened"),
        ["complaint.contact"] = ("联系方式", "How to reach you"),
        ["complaint.contact.hint"] = ("电话或电子邮箱，仅用于处理本投诉，不公开", "Phone or e-mail, used only for this complaint, never shown"),
        ["complaint.submit"] = ("提交投诉", "File the complaint"),
        ["complaint.filed"] = ("投诉已受理", "Complaint received"),
        ["complaint.code"] = ("查询码", "Tracking code"),
        ["complaint.keep"] = ("请妥善保存查询码。", "Keep this code."),
        ["complaint.follow"] = ("查询投诉进度", "Follow a complaint"),
        ["complaint.lookup"] = ("查询", "Look up"),
        ["complaint.received"] = ("受理日期", "Received on"),
        ["complaint.due"] = ("答复期限", "Answer due on"),
        ["complaint.answer"] = ("答复", "Answer"),
        ["complaint.noanswer"] = ("尚未答复", "Not answered yet"),
        ["complaint.answered"] = ("答复日期", "Answered on"),
        ["complaint.notfound"] = ("未找到该查询码对应的投诉。", "No complaint has this tracking code."),
        ["complaint.status.received"] = ("已受理，待答复", "Received, awaiting an answer"),
        ["complaint.status.answered"] = ("已答复", "Answered"),

        ["search.title"] = ("失信被执行人查询", "Search the list of dishonest judgment debtors"),
        ["search.intro"] = ("仅显示当前公开公布的失信被执行人。自然人身份证号码已部分隐藏。", "Only entries currently published are shown. Natural persons' ID numbers are partly hidden."),
        ["search.name"] = ("被执行人姓名/名称", "Name of the debtor"),
        ["search.name.hint"] = ("必填（输入完整身份证号码或统一社会信用代码时可不填）", "Required unless a full ID number or credit code is given"),
        ["search.id"] = ("身份证号码（选填）", "ID number (optional)"),
        ["search.code"] = ("统一社会信用代码/组织机构代码（选填）", "Credit code / organization code (optional)"),
        ["search.submit"] = ("查询", "Search"),
        ["search.none"] = ("没有找到符合条件的公开失信记录。", "No published entry matches."),
        ["search.count"] = ("本页 {0} 条结果", "{0} results on this page"),
        ["search.more"] = ("下一页", "Next page"),
        ["search.results"] = ("查询结果", "Results"),

        ["col.name"] = ("姓名/名称", "Name"),
        ["col.identifier"] = ("身份证号码/组织机构代码", "ID number / organization code"),
        ["col.court"] = ("执行法院", "Executing court"),
        ["col.case"] = ("案号", "Case number"),
        ["col.published"] = ("发布时间", "Published on"),
        ["col.circumstances"] = ("失信被执行人行为具体情形", "Dishonest conduct"),
        ["col.detail"] = ("详情", "Details"),
        ["col.status"] = ("状态", "Status"),
        ["col.decided"] = ("决定日期", "Decided on"),
        ["col.due"] = ("期限", "Due on"),
        ["col.duty"] = ("事项", "Duty"),
        ["col.rule"] = ("依据", "Rule"),
        ["col.count"] = ("数量", "Count"),
        ["col.hits"] = ("命中", "Hits"),
        ["col.unit"] = ("单位", "Unit"),
        ["col.scenario"] = ("业务场景", "Scenario"),
        ["col.month"] = ("月份", "Month"),
        ["col.listings"] = ("纳入", "Listings"),
        ["col.exits"] = ("退出", "Exits"),
        ["col.when"] = ("时间", "When"),
        ["col.event"] = ("事件", "Event"),
        ["col.actor"] = ("操作单位", "By"),

        ["detail.title"] = ("失信被执行人详情", "Entry details"),
        ["detail.legalrep"] = ("法定代表人或者负责人姓名", "Legal representative or principal"),
        ["detail.region"] = ("省份/地区代码", "Region code"),
        ["detail.filing"] = ("立案时间", "Filed on"),
        ["detail.basis"] = ("执行依据文号", "Basis document"),
        ["detail.issuer"] = ("做出执行依据单位", "Issued by"),
        ["detail.obligation"] = ("生效法律文书确定的义务", "Obligation under the effective document"),
        ["detail.performance"] = ("被执行人的履行情况", "Performance"),
        ["detail.performed"] = ("已履行金额（元）", "Performed (yuan)"),
        ["detail.unperformed"] = ("未履行金额（元）", "Unperformed (yuan)"),
        ["detail.back"] = ("返回查询", "Back to search"),
        ["detail.notfound"] = ("该记录不存在或未公开公布。", "This entry does not exist or is not published."),

        ["rate.title"] = ("查询过于频繁", "Too many searches"),
        ["rate.body"] = ("为保护名单数据，每个地址每分钟的查询次数有限。请在 {0} 秒后再试。", "To protect the list, searches per address are limited each minute. Please try again in {0} seconds."),
        ["rate.back"] = ("返回首页", "Back to the start page"),

        ["signin.title"] = ("工作人员登录", "Staff sign-in"),
        ["signin.user"] = ("用户名", "User name"),
        ["signin.password"] = ("密码", "Password"),
        ["signin.submit"] = ("登录", "Sign in"),
        ["signin.invalid"] = ("用户名或密码错误。", "Wrong user name or password."),
        ["signin.locked"] = ("连续登录失败次数过多，账户已锁定至 {0}。", "Too many failed attempts: the account is locked until {0}."),
        ["signin.intro"] = ("法院、联合惩戒单位和信用信息中心的工作人员请使用个人账户登录。", "Staff of courts, units and the credit hub sign in with their personal account."),
        ["forbidden"] = ("您的账户没有此页面所需的角色。", "Your account lacks the role this page needs."),

        ["court.title"] = ("名单条目", "Entries"),
        ["court.filter"] = ("按状态筛选", "Filter by status"),
        ["court.all"] = ("全部", "All"),
        ["court.apply"] = ("筛选", "Filter"),
        ["court.draft"] = ("新建草稿", "New draft"),
        ["court.queue"] = ("待办事项（纠正、复议、退出）", "Duties (corrections, reconsiderations, exits)"),
        ["court.none"] = ("暂无条目。", "No entries."),
        ["court.overdue"] = ("已逾期", "Overdue"),
        ["court.timeline"] = ("时间线", "Timeline"),
        ["court.actions"] = ("办理", "Actions"),
        ["court.risk"] = ("送达风险提示", "Serve the risk notice"),
        ["court.risk.on"] = ("送达日期", "Served on"),
        ["court.decide"] = ("作出纳入决定（法官）", "Decide to list (judge)"),
        ["court.decide.on"] = ("决定日期", "Decided on"),
        ["court.decide.publish"] = ("公布日期（选填，宽限期最长3个月）", "Publish on (optional, grace period up to 3 months)"),
        ["court.exit"] = ("退出名单（法官）", "Exit (judge)"),
        ["court.exit.kind"] = ("退出方式", "Kind"),
        ["court.exit.reason"] = ("退出事由", "Reason"),
        ["court.exit.on"] = ("生效日期", "Effective on"),
        ["court.exit.note"] = ("备注（选填）", "Note (optional)"),
        ["court.done"] = ("已办理。", "Done."),
        ["court.judgeonly"] = ("仅法官可作出决定。", "Only a judge decides."),

        ["draft.title"] = ("新建失信被执行人草稿", "Draft an entry"),
        ["draft.case"] = ("案号", "Case number"),
        ["draft.filing"] = ("立案日期", "Filing date"),
        ["draft.basis"] = ("执行依据文号", "Basis document number"),
        ["draft.issuer"] = ("做出执行依据单位", "Issuer of the basis document"),
        ["draft.obligation"] = ("生效法律文书确定的义务", "Obligation"),
        ["draft.performed"] = ("已履行金额（元）", "Performed amount (yuan)"),
        ["draft.unperformed"] = ("未履行金额（元）", "Unperformed amount (yuan)"),
        ["draft.circumstances"] = ("失信情形（至少一项）", "Circumstances (at least one)"),
        ["draft.kind"] = ("被执行人类型", "Kind of debtor"),
        ["draft.kind.person"] = ("自然人", "Natural person"),
        ["draft.kind.organization"] = ("法人或其他组织", "Organization"),
        ["draft.name"] = ("姓名/名称", "Name"),
        ["draft.id"] = ("身份证号码（自然人）", "ID number (person)"),
        ["draft.code"] = ("统一社会信用代码（组织）", "Unified social credit code (organization)"),
        ["draft.rep"] = ("法定代表人姓名（组织）", "Legal representative's name (organization)"),
        ["draft.repid"] = ("法定代表人身份证号码（组织）", "Legal representative's ID number (organization)"),
        ["draft.publicity"] = ("公开方式", "Publicity"),
        ["draft.publicity.public"] = ("公开", "Public"),
        ["draft.publicity.restricted"] = ("不公开（仅推送联合惩戒单位）", "Restricted (units only)"),
        ["draft.submit"] = ("保存草稿", "Save draft"),
        ["draft.errors"] = ("请更正以下问题：", "Please correct the following:"),
        ["draft.created"] = ("草稿已保存。", "Draft saved."),
        ["check.valid"] = ("校验通过", "Check digit is valid"),
        ["check.invalid"] = ("校验码错误或格式不符", "Wrong check character or format"),

        ["unit.title"] = ("核查主体", "Check a subject"),
        ["unit.scenario"] = ("业务场景", "Business scenario"),
        ["unit.idkind"] = ("证件类型", "Identifier type"),
        ["unit.idkind.id"] = ("身份证号码", "ID number"),
        ["unit.idkind.credit"] = ("统一社会信用代码", "Credit code"),
        ["unit.value"] = ("证件号码", "Identifier"),
        ["unit.name"] = ("姓名/名称（选填）", "Name (optional)"),
        ["unit.reference"] = ("业务编号（选填）", "Your reference (optional)"),
        ["unit.submit"] = ("核查", "Check"),
        ["unit.outcome"] = ("核查结论", "Outcome"),
        ["unit.seq"] = ("名单序号", "List sequence"),
        ["unit.matches"] = ("命中条目", "Matched entries"),
        ["unit.via"] = ("命中身份", "Matched as"),
        ["unit.measures"] = ("适用的惩戒措施", "Measures that apply"),
        ["unit.basis"] = ("依据", "Legal basis"),
        ["unit.cleared"] = ("命中但本场景不适用", "Hits without a measure here"),
        ["unit.duties"] = ("本单位待办事项", "This unit's duties"),
        ["unit.noduties"] = ("暂无待办事项。", "No duties."),
        ["outcome.clear"] = ("未命中（通过）", "Clear"),
        ["outcome.reference"] = ("审慎参考", "For reference"),
        ["outcome.review"] = ("从严审核", "Strict review"),
        ["outcome.block"] = ("阻断（禁止办理）", "Block (not allowed)"),
        ["via.debtor"] = ("被执行人本人", "the debtor"),
        ["via.legal-representative"] = ("法定代表人", "legal representative"),

        ["hub.title"] = ("监管看板", "Hub dashboard"),
        ["hub.size"] = ("名单规模（按状态）", "List size by status"),
        ["hub.months"] = ("每月纳入与退出", "Listings and exits per month"),
        ["hub.checks"] = ("核查量（按单位与场景）", "Checks by unit and scenario"),
        ["hub.csv"] = ("导出 CSV", "Export CSV"),
        ["hub.chart.listings"] = ("纳入", "Listings"),
        ["hub.chart.exits"] = ("退出", "Exits"),

        ["users.title"] = ("账户管理", "Staff accounts"),
        ["users.org"] = ("所属单位", "Organization"),
        ["users.user"] = ("用户名", "User name"),
        ["users.display"] = ("姓名", "Full name"),
        ["users.password"] = ("初始密码（至少10位）", "Initial password (10 characters at least)"),
        ["users.roles"] = ("角色", "Roles"),
        ["users.submit"] = ("创建账户", "Create account"),
        ["users.created"] = ("账户已创建：{0}", "Account created: {0}"),
        ["users.locked"] = ("锁定至", "Locked until"),

        ["event.entry.drafted"] = ("起草", "Drafted"),
        ["event.entry.risk-notice-served"] = ("送达风险提示", "Risk notice served"),
        ["event.entry.decided"] = ("作出纳入决定", "Decided to list"),
        ["event.entry.listed"] = ("纳入名单并公布", "Listed and published"),
        ["event.entry.updated"] = ("更正", "Corrected"),
        ["event.entry.extended"] = ("延长期限", "Term extended"),
        ["event.entry.shielded"] = ("屏蔽", "Shielded"),
        ["event.entry.revoked"] = ("撤销", "Revoked"),
        ["event.entry.deleted"] = ("删除", "Deleted"),
        ["event.entry.expired"] = ("期限届满", "Expired"),
        ["event.entry.performance-recorded"] = ("记录履行情况", "Performance recorded"),
        ["event.correction.filed"] = ("收到纠正申请", "Correction filed"),
        ["event.correction.ruled"] = ("纠正申请审查决定", "Correction ruled"),
        ["event.reconsideration.filed"] = ("申请复议", "Reconsideration filed"),
        ["event.reconsideration.ruled"] = ("复议决定", "Reconsideration ruled"),
        ["reason.fully-performed"] = ("已履行全部义务", "Fully performed"),
        ["reason.settlement-performed"] = ("执行和解协议已履行完毕", "Settlement performed"),
        ["reason.execution-terminated"] = ("执行终结", "Execution terminated"),
        ["reason.no-property-found"] = ("无财产可供执行", "No property found"),
        ["reason.correction-accepted"] = ("纠正申请成立", "Correction accepted"),
        ["reason.wrongly-listed"] = ("不应纳入", "Wrongly listed"),
        ["reason.guarantee-provided"] = ("提供有效担保", "Guarantee provided"),
        ["reason.applicant-request"] = ("申请执行人申请删除", "Applicant's request"),
        ["reason.enforcement-suspended"] = ("中止执行", "Enforcement suspended"),
        ["reason.non-enforcement"] = ("裁定不予执行", "Non-enforcement"),
        ["reason.term-expired"] = ("期限届满", "Term expired"),
        ["reason.early-deletion"] = ("提前删除", "Early deletion"),
        ["court.entry"] = ("条目", "Entry"),
        ["court.subject"] = ("被执行人", "Debtor"),
        ["court.expires"] = ("届满日期", "Expires on"),
        ["court.id"] = ("证件号码", "Identifier"),
        ["action.block"] = ("阻断", "Block"),
        ["action.strict-review"] = ("从严审核", "Strict review"),
        ["action.prudential-reference"] = ("审慎参考", "Prudential reference"),
        ["action.revoke-honour"] = ("撤销荣誉", "Revoke honour"),
        ["action.quota"] = ("限额", "Quota"),
        ["action.enhanced-supervision"] = ("重点监管", "Enhanced supervision"),
        ["action.notify"] = ("通报", "Notify"),
        ["action.assist"] = ("协助", "Assist"),
        ["status.draft"] = ("草稿", "Draft"),
        ["status.noticed"] = ("已送达风险提示", "Risk notice served"),
        ["status.listed"] = ("已纳入", "Listed"),
        ["status.shielded"] = ("已屏蔽", "Shielded"),
        ["status.revoked"] = ("已撤销", "Revoked"),
        ["status.deleted"] = ("已删除", "Deleted"),
        ["status.expired"] = ("期限届满", "Expired"),
        ["duty.open"] = ("待办", "Open"),
        ["duty.overdue"] = ("已逾期", "Overdue"),
        ["duty.met"] = ("已完成", "Met"),
        ["exit.shield"] = ("屏蔽", "Shield"),
        ["exit.revoke"] = ("撤销", "Revoke"),
        ["exit.delete"] = ("删除", "Delete"),
        ["role.court.clerk"] = ("书记员", "Clerk"),
        ["role.court.judge"] = ("法官", "Judge"),
        ["role.unit.checker"] = ("核查人员", "Checker"),
        ["role.unit.feedback"] = ("反馈人员", "Feedback"),
        ["role.unit.subscriber"] = ("订阅", "Subscriber"),
        ["role.hub.admin"] = ("管理员", "Administrator"),
        ["role.hub.auditor"] = ("审计员", "Auditor"),
    }.ToFrozenDictionary(StringComparer.Ordinal);
}

/// <summary>Remembers <c>?lang=</c> in a cookie so that the choice follows the reader.</summary>
public sealed class LanguageMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var q = context.Request.Query["lang"].ToString();
        if (q is "en" or "zh")
        {
            context.Response.Cookies.Append(Ui.CookieName, q, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
        }

        Ui.For(context);
        return next(context);
    }
}
