using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Shixin.Server.Http;

/// <summary>
/// The Chinese label of each request field, as the forms show it, keyed by the stable field path the API's
/// <c>errors</c> use. Chinese messages name fields by these labels, never by the path (issue 15 item 1).
/// </summary>
public static partial class FieldLabels
{
    private static readonly FrozenDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Entries (court console, API.md "List entries")
        ["caseNumber"] = "案号",
        ["filingDate"] = "立案日期",
        ["basisDocument"] = "执行依据",
        ["basisDocument.number"] = "执行依据文号",
        ["basisDocument.issuer"] = "做出执行依据单位",
        ["obligation"] = "生效法律文书确定的义务",
        ["performance"] = "履行情况",
        ["performance.performedAmount"] = "已履行金额",
        ["performance.unperformedAmount"] = "未履行金额",
        ["performedAmount"] = "已履行金额",
        ["unperformedAmount"] = "未履行金额",
        ["performedOn"] = "履行日期",
        ["circumstances"] = "失信情形",
        ["subject"] = "被执行人",
        ["subject.kind"] = "被执行人类型",
        ["subject.name"] = "姓名/名称",
        ["subject.idNumber"] = "身份证号码",
        ["subject.gender"] = "性别",
        ["subject.creditCode"] = "统一社会信用代码",
        ["subject.organizationCode"] = "组织机构代码",
        ["subject.documents"] = "其他身份证件",
        ["subject.legalRepresentative"] = "法定代表人",
        ["subject.legalRepresentative.name"] = "法定代表人姓名",
        ["subject.legalRepresentative.idNumber"] = "法定代表人身份证号码",
        ["relatedPersons"] = "相关人员",
        ["publicity"] = "公开方式",
        ["specialStatus"] = "特殊身份",
        ["initiatedBy"] = "纳入发起方",
        ["severity"] = "情节",
        ["servedOn"] = "送达日期",
        ["riskNoticeServedOn"] = "风险提示送达日期",
        ["decidedOn"] = "决定日期",
        ["publishOn"] = "公布日期",
        ["termYears"] = "纳入期限",
        ["kind"] = "类型",
        ["reason"] = "理由",
        ["reasons"] = "理由",
        ["effectiveOn"] = "生效日期",
        ["note"] = "备注",
        ["years"] = "延长年限",
        ["changes"] = "更正内容",
        ["receivedOn"] = "收到决定日期",
        ["filedOn"] = "申请日期",
        ["grounds"] = "申请理由",
        ["outcome"] = "审查结论",
        ["ruledOn"] = "裁决日期",
        ["rejectionReceivedOn"] = "收到驳回决定日期",
        ["correctionId"] = "纠正申请编号",
        ["entryId"] = "名单条目",
        ["validFrom"] = "有效期自",
        ["validUntil"] = "有效期至",
        ["scenarios"] = "适用场景",
        ["scenario"] = "业务场景",
        ["basis"] = "依据",
        ["idNumber"] = "身份证号码",
        ["creditCode"] = "统一社会信用代码",
        ["organizationCode"] = "组织机构代码",
        ["name"] = "姓名/名称",
        ["id"] = "编号",

        // Units: checks, feedback, objections, subscriptions
        ["measureCode"] = "惩戒措施",
        ["measureApplied"] = "是否已采取措施",
        ["appliedOn"] = "采取措施日期",
        ["occurredAt"] = "发生时间",
        ["deliveredOn"] = "送达日期",
        ["answeredOn"] = "答复日期",
        ["answer"] = "答复内容",
        ["verifiedOn"] = "核实日期",
        ["finding"] = "核实结论",
        ["description"] = "情况说明",
        ["contact"] = "联系方式",
        ["url"] = "推送地址",
        ["secret"] = "签名密钥",
        ["types"] = "订阅类型",
        ["context"] = "业务情形",
        ["subjects"] = "核查对象",
        ["file"] = "文件",
        ["lines"] = "文件内容",

        // Hub: organizations, users, oversight
        ["code"] = "单位代码",
        ["displayName"] = "显示名称",
        ["region"] = "行政区划",
        ["roles"] = "角色",
        ["organization"] = "所属单位",
        ["userName"] = "用户名",
        ["password"] = "密码",
        ["againstOrganization"] = "被投诉单位",
        ["addressee"] = "收件单位",
        ["action"] = "处理方式",
        ["legalBasis"] = "法律依据",
        ["issuedOn"] = "发出日期",
        ["keepUntil"] = "保存期限",
        ["at"] = "时间",
        ["cursor"] = "翻页位置",
        ["year"] = "年度",
        ["quarter"] = "季度",
        ["from"] = "起始日期",
        ["to"] = "截止日期",
        ["limit"] = "条数",
        ["status"] = "状态",
        ["body"] = "请求内容",
        ["q"] = "查询内容",

        // Investigations and controls (查询、控制)
        ["kinds"] = "查询事项",
        ["units"] = "协助单位",
        ["unit"] = "协助单位",
        ["findings"] = "查询结果",
        ["noneFound"] = "是否查到",
        ["answeredAt"] = "答复时间",
        ["executedAt"] = "执行时间",
        ["requestedAt"] = "请求时间",
        ["controlId"] = "原控制措施",
        ["propertyKind"] = "财产类型",
        ["until"] = "期限截止日期",
        ["amount"] = "金额",
        ["currency"] = "币种",
        ["asOf"] = "截至日期",
        ["details"] = "详细情况",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The label of a field path: "subject.idNumber" → 身份证号码; "relatedPersons[1].idNumber" → 第2位相关人员的身份证号码;
    /// "changes.filingDate" → 更正内容中的立案日期. A path it does not know reads "该项", never the path itself.
    /// </summary>
    public static string Zh(string field)
    {
        if (Labels.TryGetValue(field, out var label))
        {
            return label;
        }

        if (field.StartsWith("changes.", StringComparison.Ordinal))
        {
            return Shixin.Core.Entries.EntryDecider.AmendableFieldZh(field["changes.".Length..]);
        }

        var indexed = Indexed().Match(field);
        if (indexed.Success)
        {
            var n = int.Parse(indexed.Groups["i"].Value, CultureInfo.InvariantCulture) + 1;
            var list = Labels.GetValueOrDefault(indexed.Groups["list"].Value, "列表");
            var rest = indexed.Groups["rest"].Value;
            var inner = rest.Length == 0 ? "" : "的" + (Labels.TryGetValue(rest, out var r) ? r : Zh(rest));
            return "第" + n.ToString(CultureInfo.InvariantCulture) + "项" + list + inner;
        }

        if (field.StartsWith("context.", StringComparison.Ordinal))
        {
            return "业务情形";
        }

        var dot = field.LastIndexOf('.');
        return dot > 0 && Labels.TryGetValue(field[(dot + 1)..], out var leaf) ? leaf : "该项";
    }

    [GeneratedRegex(@"^(?<list>[A-Za-z.]+)\[(?<i>\d+)\]\.?(?<rest>.*)$")]
    private static partial Regex Indexed();
}
