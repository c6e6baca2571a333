using Shixin.Core;
using Shixin.Core.Calendar;
using Shixin.Core.Catalogs;

namespace Shixin.Server.Web;

/// <summary>
/// Chinese names for the codes the platform shows: roles, organization kinds, related-person roles, special statuses,
/// duty rules (by the rule set's own title and source) and measures (by title and the provision spelled out).
/// Pages and messages use these instead of printing codes (issue 15 item 1).
/// </summary>
public static class ZhNames
{
    public static string Role(string role) => role switch
    {
        "court.clerk" => "法院书记员",
        "court.judge" => "法官",
        "unit.checker" => "核查人员",
        "unit.feedback" => "反馈人员",
        "unit.subscriber" => "订阅接收",
        "hub.admin" => "平台管理员",
        "hub.auditor" => "审计员",
        _ => "未知角色",
    };

    public static string OrganizationKind(string? kind) => kind switch
    {
        "court" => "人民法院",
        "unit" => "联合惩戒单位",
        "hub" => "信用信息共享平台（牵头单位）",
        _ => "未知类型的单位",
    };

    public static string RelatedRole(string role) => role switch
    {
        "debtor" => "被执行人",
        "legal-representative" => "法定代表人",
        "principal" => "主要负责人",
        "actual-controller" => "实际控制人",
        "responsible-person" => "直接责任人员",
        "director" => "董事",
        "supervisor" => "监事",
        "senior-manager" => "高级管理人员",
        _ => "相关人员",
    };

    public static string SpecialStatus(string status) => status switch
    {
        "civil-servant" => "公职人员",
        "party-member" => "党员",
        "state-owned" => "国有企业",
        "state-organ" => "国家机关",
        "npc-deputy" => "人大代表",
        "cppcc-member" => "政协委员",
        _ => "其他特殊身份",
    };

    public static string SubjectKind(string? kind) => kind switch
    {
        "person" => "自然人",
        "organization" => "法人或其他组织",
        _ => "未知类型",
    };

    /// <summary>A duty rule by its Chinese title (rule set data); the id itself only for a rule the set does not know.</summary>
    public static string Rule(RuleSet rules, string ruleId) =>
        rules.TryGet(ruleId, out var rule) ? rule.TitleZh : RuleFallback(ruleId);

    /// <summary>A duty rule's title with its legal source spelled out: 履行完毕后屏蔽或撤销（依据：《…》第四部分第（二）项第4点）.</summary>
    public static string RuleWithSource(RuleSet rules, string ruleId) =>
        rules.TryGet(ruleId, out var rule) ? rule.TitleZh + "（依据：" + LegalCitations.Zh(rule.Source) + "）" : RuleFallback(ruleId);

    private static string RuleFallback(string ruleId) => ruleId switch
    {
        "court.notify-special-subject" => "特殊身份失信被执行人的通报",
        "exit.after-performance" => "履行完毕后屏蔽或撤销",
        "unit.lift-measure" => "联合惩戒单位解除惩戒措施",
        "unit.verify-objection" => "惩戒措施异议的信息核实",
        "unit.answer-complaint" => "投诉举报的调查和反馈",
        "unit.quarterly-report" => "季度惩戒情况报送",
        _ => "其他义务",
    };

    /// <summary>A catalog's document by title: 《…》（中办发〔2016〕64号）, or region + 《…》 when it has no number.</summary>
    public static string Document(MeasureCatalog catalog) =>
        catalog.DocumentNumber is { Length: > 0 } number
            ? "《" + catalog.Title + "》（" + number + "）"
            : RegionPrefix(catalog) + "《" + catalog.Title + "》";

    /// <summary>The provision a measure id points at: 江苏省《关于建立对失信被执行人联合惩戒机制的实施意见》第三部分第（一）项.</summary>
    public static string Provision(MeasureCatalogs catalogs, string measureId)
    {
        var slash = measureId.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return "未知条款";
        }

        var catalog = catalogs.Catalogs.FirstOrDefault(c => string.Equals(c.Id, measureId[..slash], StringComparison.Ordinal));
        var path = measureId[(slash + 1)..];
        var hash = path.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            path = path[..hash];
        }

        return (catalog is null ? "" : Document(catalog)) + LegalCitations.SectionZh(path);
    }

    /// <summary>A measure (or clause) by title and provision: 设立金融类机构限制（江苏省《…》第三部分第（一）项）.</summary>
    public static string Measure(MeasureCatalogs catalogs, string measureId)
    {
        if (catalogs.TryGetMeasure(measureId, out var m))
        {
            return m.Title + "（" + Provision(catalogs, m.Id) + "）";
        }

        if (catalogs.TryGetClause(measureId, out var clause))
        {
            return clause.Measure.Title + "（" + Provision(catalogs, clause.Measure.Id) + "）";
        }

        return "未知惩戒措施";
    }

    private static string RegionPrefix(MeasureCatalog catalog) =>
        catalog.RegionName is { Length: > 0 } r && !string.Equals(r, "全国", StringComparison.Ordinal) && !catalog.Title.StartsWith(r, StringComparison.Ordinal) ? r : "";
}
