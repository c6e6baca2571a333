using System.Text;
using Microsoft.AspNetCore.Mvc;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Court;

/// <summary>
/// CSV import from the browser: the uploaded file runs through <see cref="EntryImport.RunAsync"/>; accepted count and
/// rejected lines shown by line and column in Chinese. The page lists the columns with their accepted values and offers a
/// template (issue 15); pages.js shows the upload's progress and keeps the button disabled while the server works.
/// </summary>
[RequestFormLimits(MultipartBodyLengthLimit = MaxBytes)]
[RequestSizeLimit(MaxBytes + 64 * 1024)]
public sealed class ImportModel(EntryImport import) : StaffPage
{
    public const long MaxBytes = 64L * 1024 * 1024;

    protected override string[] RequiredRoles => [Roles.CourtClerk, Roles.CourtJudge];

    [BindProperty(Name = "file")] public IFormFile? Upload { get; set; }

    /// <summary>All or nothing: a bad line rejects the whole file.</summary>
    [BindProperty] public bool Atomic { get; set; }

    public ImportResult? Result { get; private set; }

    /// <summary>One column of the import: Chinese header, API name, meaning, accepted values, required or not.</summary>
    public sealed record Column(string Zh, string Api, string Meaning, string Values, bool Required);

    /// <summary>The columns as the page lists them (EntryImport.HeaderAliases and ImportLabels are what the import reads).</summary>
    public static readonly IReadOnlyList<Column> Columns =
    [
        new("案号", "caseNumber", "执行案件案号", "如 (2024)粤0802执701号", true),
        new("立案时间", "filingDate", "执行案件立案日期", "YYYY-MM-DD，如 2024-01-05", true),
        new("执行依据文号", "basisNumber", "执行依据的文书编号", "如 (2023)粤0802民初1号", true),
        new("做出执行依据单位", "basisIssuer", "作出执行依据的法院或机构", "如 湛江市赤坎区人民法院", true),
        new("生效法律文书确定的义务", "obligation", "生效法律文书确定的义务", "文字", true),
        new("已履行部分", "performedAmount", "已履行金额（元）", "阿拉伯数字，如 0、20000 或 20000.50，可带“元”；空白按 0 计；“五万元”等无法识别，该行不导入", false),
        new("未履行部分", "unperformedAmount", "未履行金额（元）", "同上", false),
        new("失信情形", "circumstances", "失信被执行人的具体情形", string.Join("；", Shixin.Core.Entries.Circumstances.All.Select(Shixin.Core.Entries.Circumstances.TitleZh)) + "（多项用分号隔开；也可填英文代码）", true),
        new("主体类型", "subjectKind", "被执行人是自然人还是单位", "自然人、法人或其他组织（person、organization）；空白时按是否填写统一社会信用代码判断", false),
        new("被执行人姓名/名称", "name", "姓名或单位全称", "文字", true),
        new("身份证号码", "idNumber", "自然人的居民身份证号码", "18 位，自然人必填", false),
        new("性别", "gender", "自然人的性别", "男、女（须与身份证号码一致）", false),
        new("护照号码", "passport", "无居民身份证的自然人的护照号码", "护照号码", false),
        new("统一社会信用代码", "creditCode", "单位的统一社会信用代码", "18 位，单位必填（或填组织机构代码）", false),
        new("组织机构代码", "organizationCode", "无统一社会信用代码的单位", "9 位，如 MA4W3K1P-5", false),
        new("法定代表人", "legalRepresentativeName", "单位的法定代表人或主要负责人姓名", "单位必填", false),
        new("法定代表人身份证号码", "legalRepresentativeIdNumber", "法定代表人的身份证号码", "18 位", false),
        new("关联人员", "relatedPersons", "单位的关联人员", "身份:姓名:身份证号码，多人用分号隔开；身份为法定代表人、主要负责人、实际控制人、直接责任人员、董事、监事、高级管理人员", false),
        new("公开", "publicity", "是否向社会公布", "公开、不公开（空白为公开）", false),
        new("特殊身份", "specialStatus", "被执行人的特殊身份（须通报其所在单位）", "公职人员、中共党员、国有企业、国家机关、人大代表、政协委员", false),
        new("发起方式", "initiatedBy", "纳入的发起方式", "法院依职权、依申请（空白为法院依职权）", false),
        new("情节", "severity", "失信情节", "一般、严重（空白为一般）", false),
        new("风险提示送达日期", "riskNoticeServedOn", "已送达风险提示的日期", "YYYY-MM-DD", false),
        new("决定日期", "decidedOn", "纳入决定日期（仅法官导入）", "YYYY-MM-DD；须同时填写风险提示送达日期", false),
        new("发布日期", "publishOn", "公布日期", "YYYY-MM-DD", false),
        new("期限年数", "termYears", "纳入期限（年）", "1 至 5 的数字，可带“年”", false),
    ];

    public void OnGet()
    {
    }

    /// <summary>
    /// GET ?handler=template: a CSV template (UTF-8 with BOM so Excel reads the Chinese, Chinese headers) with one example row
    /// per subject kind. The example identifiers carry valid check digits but are samples; replace every row before importing.
    /// </summary>
    public IActionResult OnGetTemplate()
    {
        string[] header = ["案号", "立案时间", "执行依据文号", "做出执行依据单位", "生效法律文书确定的义务", "已履行部分", "未履行部分", "失信情形", "主体类型",
            "被执行人姓名/名称", "身份证号码", "性别", "统一社会信用代码", "法定代表人", "法定代表人身份证号码", "公开", "特殊身份", "情节", "风险提示送达日期"];
        string[] person = ["(2024)粤0802执1号", "2024-01-05", "(2023)粤0802民初1号", "湛江市赤坎区人民法院", "支付货款人民币50000元及利息", "0", "50000",
            "有履行能力而拒不履行生效法律文书确定义务", "自然人", "张示例", "440802198503150014", "男", "", "", "", "公开", "", "一般", ""];
        string[] organization = ["(2024)粤0802执2号", "2024-01-05", "(2023)粤0802民初2号", "湛江市赤坎区人民法院", "支付工程款人民币200000元", "20000", "180000",
            "有履行能力而拒不履行生效法律文书确定义务；违反财产报告制度", "法人或其他组织", "湛江市示例贸易有限公司", "", "", "91440802MA4W3K1P5N", "李示例",
            "440802197806200029", "公开", "", "一般", ""];
        var csv = new StringBuilder();
        foreach (var row in new[] { header, person, organization })
        {
            csv.Append(string.Join(',', row.Select(Http.CsvText.Cell))).Append("\r\n");
        }

        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", "shixin-import-template.csv");
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!string.Equals(Caller.OrganizationKind, "court", StringComparison.Ordinal))
        {
            Errors.Add(T["forbidden"]);
        }
        else if (Upload is null || Upload.Length == 0)
        {
            Errors.Add(T["import.file"] + "：" + T["import.nofile"]);
        }
        else
        {
            try
            {
                await using var stream = Upload.OpenReadStream();
                Result = await import.RunAsync(Caller, stream, "text/csv", Atomic, ct);
            }
            catch (DecoderFallbackException)
            {
                Errors.Add(T["import.encoding"]);
            }
        }

        return Page();
    }
}
