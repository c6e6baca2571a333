using System.Collections.Frozen;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Shixin.Server.Web;

/// <summary>The oversight pages' words (complaints, credit repair, notices and talks, special-subject notifications, quarterly reports).</summary>
public sealed partial class Ui
{
    private static readonly FrozenDictionary<string, (string Zh, string En)> OversightTexts = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["nav.oversight"] = ("监督管理", "Oversight"),
        ["nav.unit.oversight"] = ("投诉与报告", "Complaints & reports"),
        ["ov.complaints"] = ("投诉处理", "Complaints"),
        ["ov.repairs"] = ("信用修复", "Credit repair"),
        ["ov.notices"] = ("通报与约谈", "Notices and talks"),
        ["ov.notifications"] = ("特殊主体通知", "Special-subject notifications"),
        ["ov.reports"] = ("季度报告", "Quarterly reports"),
        ["ov.none"] = ("暂无记录。", "Nothing yet."),
        ["ov.back"] = ("返回列表", "Back to the list"),
        ["ov.view"] = ("查看", "View"),
        ["ov.overdue"] = ("已逾期", "Overdue"),
        ["ov.subnav"] = ("监督管理导航", "Oversight pages"),
        ["ov.filter"] = ("筛选", "Filter"),
        ["ov.all"] = ("全部", "All"),
        ["ov.saved"] = ("已保存。", "Saved."),
        ["ov.notfound"] = ("未找到该记录。", "Not found."),
        ["ov.role"] = ("此操作需要角色 {0}。", "This needs the role {0}."),

        ["cmp.intro.hub"] = ("公众对联合惩戒单位的投诉，由被投诉单位调查处理并答复（002 §四(二)8）。逾期未答复的以红色标出。",
            "Public complaints about units; the unit investigates and answers (002 §四(二)8). Overdue ones are in red."),
        ["cmp.intro.unit"] = ("对本单位的投诉：调查核实，投诉属实的补充实施惩戒措施，并答复投诉人。",
            "Complaints about this unit: investigate, apply the missed measure where the complaint holds, answer the complainant."),
        ["cmp.description"] = ("投诉内容", "Complaint"),
        ["cmp.contact"] = ("投诉人联系方式", "Complainant's contact"),
        ["cmp.finding"] = ("调查结论", "Finding"),
        ["cmp.finding.upheld"] = ("投诉属实（应采取而未采取惩戒措施）", "Upheld (the measure was missed)"),
        ["cmp.finding.unfounded"] = ("投诉不属实", "Unfounded"),
        ["cmp.measure"] = ("已补充实施的惩戒措施（投诉属实时必填）", "Measure now applied (required when upheld)"),
        ["cmp.measure.hint"] = ("措施代码或名称，如 high-consumption.flight", "Measure code or name"),
        ["cmp.answer"] = ("给投诉人的答复", "Answer to the complainant"),
        ["cmp.answeredon"] = ("答复日期", "Answered on"),
        ["cmp.submit"] = ("提交调查处理结果", "Record the resolution"),
        ["cmp.resolved"] = ("已答复投诉人。", "The complainant has been answered."),
        ["cmp.status"] = ("状态", "Status"),

        ["rep.intro.hub"] = ("名单退出（屏蔽、撤销、删除、期限届满）后，信用主体可向联合惩戒单位申请信用修复，由单位决定并共享至平台（002 §四(二)6）。",
            "After an entry left the list, the subject may apply to a unit for credit repair; the unit decides and shares it (002 §四(二)6)."),
        ["rep.intro.unit"] = ("受理信用修复申请（条目须已退出名单），并作出准予或不予修复的决定。",
            "Take in credit repair applications (the entry must have left the list) and decide them."),
        ["rep.new"] = ("受理信用修复申请", "Take in an application"),
        ["rep.entry"] = ("条目编号", "Entry id"),
        ["rep.entry.hint"] = ("已退出名单的条目编号（UUID）", "Id (UUID) of an entry that left the list"),
        ["rep.grounds"] = ("申请理由", "Grounds"),
        ["rep.appliedon"] = ("申请日期", "Applied on"),
        ["rep.submit"] = ("受理", "Take in"),
        ["rep.created"] = ("申请已受理。", "Application recorded."),
        ["rep.unit"] = ("受理单位", "Unit"),
        ["rep.case"] = ("案号 / 主体", "Case / subject"),
        ["rep.decide"] = ("作出决定", "Decide"),
        ["rep.outcome"] = ("决定", "Decision"),
        ["rep.outcome.granted"] = ("准予修复", "Granted"),
        ["rep.outcome.refused"] = ("不予修复", "Refused"),
        ["rep.decidedon"] = ("决定日期", "Decided on"),
        ["rep.reasons"] = ("理由", "Reasons"),
        ["rep.decided"] = ("已作出决定。", "Decided."),
        ["repair.pending"] = ("待决定", "Pending"),
        ["repair.granted"] = ("准予修复", "Granted"),
        ["repair.refused"] = ("不予修复", "Refused"),

        ["ntc.intro"] = ("对未按期履行联合惩戒职责的单位予以通报或约谈；一年内两次以上通报的，取消评优评先资格并扣减绩效考核分（002 §四(四)）。",
            "Notify (通报) or talk to (约谈) organizations that miss their duties; notified twice or more in a year: no honours, points lost (002 §四(四))."),
        ["ntc.new"] = ("发出通报或记录约谈", "Issue a notice or record a talk"),
        ["ntc.kind"] = ("类型", "Kind"),
        ["ntc.org"] = ("对象单位", "Organization"),
        ["ntc.org.choose"] = ("请选择单位", "Choose an organization"),
        ["ntc.issuedon"] = ("日期（默认今天）", "Date (today if empty)"),
        ["ntc.subject"] = ("事由", "Subject"),
        ["ntc.detail"] = ("详细情况（选填）", "Details (optional)"),
        ["ntc.submit"] = ("提交", "Submit"),
        ["ntc.created"] = ("已记录：{0}", "Recorded: {0}"),
        ["ntc.ranking"] = ("履职排名", "Compliance ranking"),
        ["ntc.list"] = ("通报与约谈记录", "Notices and talks"),
        ["ntc.by"] = ("发出单位", "Issued by"),
        ["notice.notice"] = ("通报", "Notice"),
        ["notice.talk"] = ("约谈", "Talk"),

        ["sn.intro"] = ("被执行人为公职人员、党员、人大代表、政协委员、国有企业等特殊主体（或条目限制公开）的，执行法院应通知其所在单位或主管部门（最高法规定第八条）。",
            "When the debtor is a special subject (or the entry is restricted), the executing court notifies its organization (SPC Art. 8)."),
        ["sn.subject"] = ("被执行人", "Debtor"),
        ["sn.special"] = ("特殊身份", "Special status"),
        ["sn.delivery"] = ("送达情况", "Delivery"),
        ["sn.document"] = ("通知书", "Notice"),
        ["sn.delivered"] = ("已于 {0} 送达 {1}（{2}）", "Delivered {0} to {1} ({2})"),
        ["sn.restricted"] = ("限制公开", "Restricted"),
        ["special.civil-servant"] = ("公职人员", "Civil servant"),
        ["special.party-member"] = ("党员", "Party member"),
        ["special.state-owned"] = ("国有企业", "State-owned enterprise"),
        ["special.state-organ"] = ("国家机关", "State organ"),
        ["special.npc-deputy"] = ("人大代表", "NPC deputy"),
        ["special.cppcc-member"] = ("政协委员", "CPPCC member"),

        ["qr.intro"] = ("按季度统计各联合惩戒单位的比对（核查主体数）、命中与惩戒措施落实情况；单位应在季度结束后30日内确认报送（江苏省《关于建立对失信被执行人联合惩戒机制的实施意见》第四部分第（四）项）。",
            "Per quarter: subjects checked, hits and measures applied, lifted, suspended; units confirm within 30 days after the quarter (Jiangsu implementing opinions, part IV (4))."),
        ["qr.year"] = ("年度", "Year"),
        ["qr.quarter"] = ("季度", "Quarter"),
        ["qr.unit"] = ("单位（留空为全平台）", "Unit (empty: the whole platform)"),
        ["qr.show"] = ("生成报告", "Show the report"),
        ["qr.print"] = ("打印", "Print"),
        ["qr.csv"] = ("下载 CSV", "Download CSV"),
        ["qr.pdf"] = ("下载 PDF", "Download PDF"),
        ["qr.html"] = ("打印版 HTML", "Print-ready HTML"),
        ["qr.confirm"] = ("确认报送本季度报告", "Confirm this quarter's report"),
        ["qr.note"] = ("说明（选填）", "Note (optional)"),
        ["qr.confirmed"] = ("本季度报告已于 {0} 确认报送。", "This quarter's report was confirmed on {0}."),
        ["qr.notconfirmed"] = ("本季度报告尚未确认报送。", "This quarter's report is not confirmed yet."),
        ["qr.notended"] = ("本季度尚未结束，季度结束后方可确认报送。", "This quarter has not ended; its report is confirmed after its last day."),
        ["qr.badquarter"] = ("请选择有效的年度（2000–2100）和季度（1–4）。", "Choose a valid year (2000–2100) and quarter (1–4)."),

        // Field names of the oversight API, for messages.
        ["field.finding"] = ("调查结论", "Finding"),
        ["field.measureApplied"] = ("已补充实施的惩戒措施", "Measure applied"),
        ["field.answer"] = ("答复", "Answer"),
        ["field.answeredOn"] = ("答复日期", "Answered on"),
        ["field.entryId"] = ("条目编号", "Entry id"),
        ["field.organization"] = ("单位", "Organization"),
        ["field.grounds"] = ("申请理由", "Grounds"),
        ["field.appliedOn"] = ("申请日期", "Applied on"),
        ["field.outcome"] = ("决定", "Decision"),
        ["field.decidedOn"] = ("决定日期", "Decided on"),
        ["field.kind"] = ("类型", "Kind"),
        ["field.issuedOn"] = ("日期", "Date"),
        ["field.subject"] = ("事由", "Subject"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // The oversight API's English messages in Chinese, matched by how they start (the rule stays in the API).
    private static readonly (string Starts, string Zh)[] OversightMessages =
    [
        ("finding must be", "请选择调查结论：投诉属实或不属实"),
        ("an upheld complaint names", "投诉属实的，须填写已补充实施的惩戒措施"),
        ("answeredOn is in the future", "答复日期不能晚于今天"),
        ("answeredOn precedes", "答复日期不能早于投诉受理日期"),
        ("the complaint was already answered", "该投诉已答复，不能重复答复"),
        ("the complaint is about another unit", "该投诉针对其他单位"),
        ("outcome must be", "请选择决定：准予修复或不予修复"),
        ("decidedOn is in the future", "决定日期不能晚于今天"),
        ("decidedOn precedes", "决定日期不能早于申请日期"),
        ("already decided", "该申请已作出决定"),
        ("another unit decides", "该申请由其他单位决定"),
        ("entryId is required", "请填写条目编号"),
        ("credit repair is possible once", "条目仍在名单中（或尚未公布），退出名单后方可申请信用修复"),
        ("kind must be", "请选择通报或约谈"),
        ("this quarter is already confirmed", "本季度报告已确认，无需重复确认"),
        ("year and quarter", "请选择有效的年度和季度"),
    ];

    /// <summary>
    /// Messages of an API result for a page: in Chinese each field error reads "label：message" with the
    /// oversight API's messages translated; in English the API's own words.
    /// </summary>
    public IEnumerable<string> Messages(IResult result)
    {
        if (English || result is not ProblemHttpResult problem)
        {
            foreach (var m in ApiResults.Messages(result, this))
            {
                yield return m;
            }

            yield break;
        }

        var p = problem.ProblemDetails;
        var fields = p.Extensions.TryGetValue("errors", out var e) ? e as IDictionary<string, string[]> : null;
        if (fields is null || fields.Count == 0)
        {
            yield return Translate(p.Detail ?? "", null);
            yield break;
        }

        foreach (var (field, messages) in fields)
        {
            foreach (var m in messages)
            {
                yield return this["field." + field] + "：" + Translate(m, field);
            }
        }
    }

    private static string Translate(string message, string? field)
    {
        foreach (var (starts, zh) in OversightMessages)
        {
            if (message.StartsWith(starts, StringComparison.Ordinal))
            {
                return zh;
            }
        }

        if (field is not null)
        {
            if (message.StartsWith(field + " is required", StringComparison.Ordinal))
            {
                return "必填";
            }

            if (message.StartsWith(field + " must be a date", StringComparison.Ordinal))
            {
                return "日期格式应为 YYYY-MM-DD";
            }

            if (message.StartsWith(field + " is longer than", StringComparison.Ordinal))
            {
                return "内容过长";
            }
        }

        if (message.EndsWith(" was not found", StringComparison.Ordinal))
        {
            return "未找到：" + message[..^" was not found".Length];
        }

        return message;
    }
}
