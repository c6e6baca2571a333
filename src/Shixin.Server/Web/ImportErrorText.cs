using System.Text.RegularExpressions;
using Shixin.Server.Courts;

namespace Shixin.Server.Web;

/// <summary>
/// An import line's errors as the court console shows them: one row per field at fault, the field by its Chinese column
/// name and the message in Chinese (issue 15: "填写有误：caseNumber: caseNumber is required" helped no clerk). The API keeps
/// its bilingual text; this reads it: the Chinese half of a "English / 中文" message, else the Chinese for a known
/// English message, else the code's Chinese title. English readers get the English half.
/// </summary>
public static partial class ImportErrorText
{
    /// <summary>Field paths of the import (CSV column names and the API's paths) by their Chinese column names.</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["caseNumber"] = "案号", ["filingDate"] = "立案时间", ["basisDocument.number"] = "执行依据文号", ["basisNumber"] = "执行依据文号",
        ["basisDocument.issuer"] = "做出执行依据单位", ["basisIssuer"] = "做出执行依据单位", ["obligation"] = "生效法律文书确定的义务",
        ["performance"] = "已履行部分 / 未履行部分", ["performedAmount"] = "已履行部分", ["unperformedAmount"] = "未履行部分",
        ["performance.performedAmount"] = "已履行部分", ["performance.unperformedAmount"] = "未履行部分",
        ["circumstances"] = "失信情形", ["subject"] = "被执行人", ["subject.kind"] = "主体类型", ["subjectKind"] = "主体类型",
        ["subject.name"] = "被执行人姓名/名称", ["name"] = "被执行人姓名/名称", ["subject.idNumber"] = "身份证号码", ["idNumber"] = "身份证号码",
        ["subject.gender"] = "性别", ["gender"] = "性别", ["passport"] = "护照号码", ["subject.creditCode"] = "统一社会信用代码", ["creditCode"] = "统一社会信用代码",
        ["subject.organizationCode"] = "组织机构代码", ["organizationCode"] = "组织机构代码", ["subject.legalRepresentative"] = "法定代表人",
        ["subject.legalRepresentative.name"] = "法定代表人", ["legalRepresentativeName"] = "法定代表人",
        ["subject.legalRepresentative.idNumber"] = "法定代表人身份证号码", ["legalRepresentativeIdNumber"] = "法定代表人身份证号码",
        ["relatedPersons"] = "关联人员", ["publicity"] = "公开", ["specialStatus"] = "特殊身份", ["initiatedBy"] = "发起方式", ["severity"] = "情节",
        ["riskNoticeServedOn"] = "风险提示送达日期", ["decidedOn"] = "决定日期", ["publishOn"] = "发布日期", ["termYears"] = "期限年数",
    };

    /// <summary>One shown error: the field (Chinese column name, or empty for the whole line) and the message.</summary>
    public readonly record struct Shown(string Field, string Message);

    public static IEnumerable<Shown> For(ImportRejection r, Ui t)
    {
        if (r.Errors is { Count: > 0 } errors)
        {
            foreach (var (field, messages) in errors)
            {
                foreach (var m in messages)
                {
                    yield return new Shown(FieldName(field, t), Message(field, m, r.Code, t));
                }
            }

            yield break;
        }

        yield return new Shown("", Message(null, r.Detail, r.Code, t));
    }

    public static string FieldName(string field, Ui t)
    {
        if (t.English)
        {
            return field;
        }

        if (FieldNames.TryGetValue(field, out var zh))
        {
            return zh;
        }

        // relatedPersons[0].idNumber → 关联人员第1人 身份证号码; subject.documents[0].number → 护照号码.
        var m = Indexed().Match(field);
        if (m.Success)
        {
            var n = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) + 1;
            var rest = m.Groups[3].Value.TrimStart('.');
            return m.Groups[1].Value switch
            {
                "relatedPersons" => "关联人员第" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "人" + (rest switch { "name" => "姓名", "idNumber" => "身份证号码", "role" => "身份", _ => "" }),
                "subject.documents" => "护照号码",
                _ => "第" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "项",
            };
        }

        return "填写内容";
    }

    public static string Message(string? field, string message, string code, Ui t)
    {
        var slash = message.IndexOf(" / ", StringComparison.Ordinal);
        if (slash >= 0)
        {
            return t.English ? message[..slash] : message[(slash + 3)..];
        }

        if (t.English)
        {
            return message;
        }

        if (Known(field, message, code) is { } zh)
        {
            return zh;
        }

        // A code the page knows in Chinese; the English detail is not shown to a Chinese reader.
        var title = t.Code("error", code);
        return string.Equals(title, code, StringComparison.Ordinal) ? "填写有误，请对照本页的列说明检查该列" : title;
    }

    private static string? Known(string? field, string m, string code)
    {
        if (m.EndsWith(" is required (YYYY-MM-DD)", StringComparison.Ordinal))
        {
            return "必填，日期格式为 YYYY-MM-DD（如 2024-01-05）";
        }

        if (m.EndsWith(" is required", StringComparison.Ordinal))
        {
            return "必填，不能为空";
        }

        if (DateNot().Match(m) is { Success: true } d)
        {
            return "「" + d.Groups[1].Value + "」不是日期，请按 YYYY-MM-DD 填写（如 2024-01-05）";
        }

        if (LongerThan().Match(m) is { Success: true } l)
        {
            return "超过 " + l.Groups[1].Value + " 个字符";
        }

        if (UnknownCircumstance().Match(m) is { Success: true } c)
        {
            return "无法识别的失信情形「" + c.Groups[1].Value + "」，请填写本页列出的情形之一（多项用分号隔开）";
        }

        if (m.StartsWith("at least one circumstance is required", StringComparison.Ordinal))
        {
            return "至少填写一项失信情形";
        }

        if (Contradicts().IsMatch(m))
        {
            return "性别与身份证号码不符";
        }

        return m switch
        {
            "amounts must not be negative" => "金额不能为负数",
            "publicity must be 'public' or 'restricted'" => "应填「公开」或「不公开」",
            "initiatedBy must be 'court' or 'applicant'" => "应填 court（法院依职权）或 applicant（依申请执行人申请）",
            "severity must be 'ordinary' or 'serious'" => "应填「一般」或「严重」",
            "subject.kind must be 'person' or 'organization'" => "应填「自然人」或「法人或其他组织」",
            "related persons belong to an organization debtor" => "关联人员只适用于法人或其他组织",
            "an organization needs creditCode (or organizationCode)" => "法人或其他组织须填写统一社会信用代码（或组织机构代码）",
            "the legal representative or principal is required (SPC Art. 6)" => "须填写法定代表人或主要负责人（《最高人民法院关于公布失信被执行人名单信息的若干规定》第六条）",
            "document type must be 'passport'" => "证件类型只能是护照",
            "subject is required" => "缺少被执行人信息",
            "a line must hold one JSON object" => "每行须为一个 JSON 对象",
            _ when m.StartsWith("specialStatus must be one of", StringComparison.Ordinal) => "应填以下之一：公职人员、中共党员、国有企业、国家机关、人大代表、政协委员",
            _ when m.StartsWith("role must be one of", StringComparison.Ordinal) => "应填：法定代表人、主要负责人、实际控制人、直接责任人员、董事、监事或高级管理人员",
            _ when m.StartsWith("a decided entry needs the date its risk notice was served", StringComparison.Ordinal) => "填写了决定日期的行须同时填写风险提示送达日期",
            _ when code == "invalid-csv-header" => "首行须为列名，且须包含「案号」列；请下载本页的模板",
            _ when code == "invalid-csv-row" && RowFields().Match(m) is { Success: true } r => "该行有 " + r.Groups[1].Value + " 列，首行列名有 " + r.Groups[2].Value + " 列；请检查是否缺少或多了逗号（含逗号的内容请加英文双引号）",
            _ when code == "invalid-json" => "不是有效的 JSON",
            _ => null,
        };
    }

    [GeneratedRegex(@"^(relatedPersons|subject\.documents)\[(\d+)\](.*)$")]
    private static partial Regex Indexed();

    [GeneratedRegex(@"must be a date YYYY-MM-DD, not '(.*)'$")]
    private static partial Regex DateNot();

    [GeneratedRegex(@"is longer than (\d+) characters$")]
    private static partial Regex LongerThan();

    [GeneratedRegex(@"^unknown circumstance '(.*)'; known:")]
    private static partial Regex UnknownCircumstance();

    [GeneratedRegex(@"^gender '.*' contradicts the ID number")]
    private static partial Regex Contradicts();

    [GeneratedRegex(@"^the row has (\d+) fields; the header has (\d+)$")]
    private static partial Regex RowFields();
}
