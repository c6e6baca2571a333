using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shixin.Core.Catalogs;
using Shixin.Data;
using Shixin.Server.Courts;
using Shixin.Server.Web;

namespace Shixin.Server.Hub;

/// <summary>A unit's confirmation of a quarter's report (003 §四(四)).</summary>
public sealed record QuarterConfirmation(string Organization, DateOnly ConfirmedOn, string? Note);

/// <summary>
/// One quarter's joint-punishment report for one unit or the whole platform (003 §四(四)): the rows of
/// <see cref="OversightApi.QuarterlyAsync"/>, the units' confirmations and the names of the measures.
/// </summary>
public sealed record QuarterlyReport(int Year, int Quarter, string? Organization, string? OrganizationName, DateOnly GeneratedOn,
    IReadOnlyList<QuarterlyRow> Rows, IReadOnlyList<QuarterConfirmation> Confirmations, IReadOnlyDictionary<string, string> MeasureTitles,
    string Issuer = "失信被执行人名单平台")
{
    /// <summary>统计期间: the quarter's first and last day in Chinese.</summary>
    public string Period => QuarterlyReports.PeriodZh(Year, Quarter);

    /// <summary>The per-unit total lines (measure null).</summary>
    public IEnumerable<QuarterlyRow> Totals => Rows.Where(r => r.MeasureCode is null);

    /// <summary>Applied, lifted and suspended per measure across the report's units.</summary>
    public IReadOnlyList<(string Measure, int Applied, int Lifted, int Suspended)> PerMeasure =>
        [.. Rows.Where(r => r.MeasureCode is not null).GroupBy(r => r.MeasureCode!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(r => r.Applied), g.Sum(r => r.Lifted), g.Sum(r => r.Suspended)))];

    public string Title => (OrganizationName ?? "全平台") + Year.ToString(CultureInfo.InvariantCulture) + "年第" + QuarterlyReports.Chinese(Quarter) + "季度联合惩戒工作情况报告";

    /// <summary>File name stem: quarterly-2024-Q2[-unit-code].</summary>
    public string FileStem => "quarterly-" + Year.ToString(CultureInfo.InvariantCulture) + "-Q" + Quarter.ToString(CultureInfo.InvariantCulture)
        + (Organization is null ? "" : "-" + Organization);
}

/// <summary>
/// The quarterly report as a print-ready Chinese document with server-drawn SVG charts. The web pages embed
/// <see cref="Fragment"/>; the API serves <see cref="Document"/> as HTML or, through <see cref="PdfRenderer"/>, as PDF.
/// </summary>
public static class QuarterlyReports
{
    /// <summary>Whether a year and quarter name a reportable quarter (the API and the pages use this one rule).</summary>
    public static bool Valid(int? year, int? quarter) => year is >= 2000 and <= 2100 && quarter is >= 1 and <= 4;

    public static int QuarterOf(DateOnly d) => ((d.Month - 1) / 3) + 1;

    /// <summary>The quarter's last day (31 March, 30 June, 30 September or 31 December).</summary>
    public static DateOnly LastDay(int year, int quarter) => new DateOnly(year, quarter * 3, 1).AddMonths(1).AddDays(-1);

    public static string Chinese(int quarter) => quarter switch { 1 => "一", 2 => "二", 3 => "三", _ => "四" };

    /// <summary>"2025年4月1日至2025年6月30日".</summary>
    public static string PeriodZh(int year, int quarter)
    {
        var last = LastDay(year, quarter);
        return string.Create(CultureInfo.InvariantCulture, $"{year}年{(quarter - 1) * 3 + 1}月1日至{year}年{last.Month}月{last.Day}日");
    }

    public static async Task<QuarterlyReport> LoadAsync(ShixinDatabase database, EntryService entries, MeasureCatalogs catalogs, int year, int quarter,
        string? organization, CancellationToken ct)
    {
        var rows = await OversightApi.QuarterlyAsync(database, entries, year, quarter, organization, ct);
        await using var db = database.CreateContext();
        var name = organization is null ? null
            : await db.Organizations.AsNoTracking().Where(o => o.Code == organization).Select(o => o.Name).FirstOrDefaultAsync(ct);
        // The issuing authority: a unit reports its own figures (003 §四(四)); the platform-wide report is the hub's.
        var hub = await db.Organizations.AsNoTracking().Where(o => o.Kind == "hub").OrderBy(o => o.Code).Select(o => o.Name).FirstOrDefaultAsync(ct);
        var issuer = name ?? hub ?? "失信被执行人名单平台";
        var confirmations = await db.ReportConfirmations.AsNoTracking()
            .Where(r => r.Year == year && r.Quarter == quarter && (organization == null || r.OrganizationCode == organization))
            .Select(r => new QuarterConfirmation(r.OrganizationCode, r.ConfirmedOn, r.Note)).ToListAsync(ct);
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var code in rows.Where(r => r.MeasureCode is not null).Select(r => r.MeasureCode!).Distinct(StringComparer.Ordinal))
        {
            titles[code] = catalogs.TryGetMeasure(code, out var m) ? m.Title : code;
        }

        return new QuarterlyReport(year, quarter, organization, name, entries.Today, rows, confirmations, titles, issuer);
    }

    /// <summary>The report as a whole HTML document (for the API's format=html and the PDF).</summary>
    public static string Document(QuarterlyReport report) =>
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + Enc(report.Title) + "</title>"
        + "<style>body{font-family:\"WenQuanYi Micro Hei\",\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"SimSun\",sans-serif;color:#1d2430;margin:0 auto;max-width:800px;padding:16px}"
        + "svg.chart{width:100%;height:auto;border:1px solid #d5dbe3}table{border-collapse:collapse;width:100%}</style></head><body>"
        + Fragment(report) + "</body></html>";

    /// <summary>The report body: heading, summary, three charts, tables; carries its own print rules (A4, page breaks, no navigation).</summary>
    public static string Fragment(QuarterlyReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var totals = r.Totals.ToList();
        var sb = new StringBuilder();
        sb.Append("<article class=\"report\" id=\"quarterly-report\" lang=\"zh-CN\">");
        sb.Append(PrintStyle);
        sb.Append("<header class=\"report-head\"><h1>").Append(Enc(r.Title)).Append("</h1>");
        sb.Append("<p class=\"report-meta\" id=\"report-issuer\">报送单位：").Append(Enc(r.Issuer)).Append("</p>");
        sb.Append(inv, $"<p class=\"report-meta\" id=\"report-period\">统计期间：{Enc(r.Period)}　生成日期：{r.GeneratedOn:yyyy年M月d日}</p>");
        sb.Append("<p class=\"report-meta\">依据：江苏省《关于建立对失信被执行人联合惩戒机制的实施意见》第四部分第（四）项（每季度结束后30日内报送惩戒情况）；比对次数为本季度核查的主体数（单项核查与批量核查各行合计）。</p></header>");

        // Summary.
        sb.Append("<section class=\"report-summary\"><h2>一、总体情况</h2><table><tbody>");
        Row(sb, "统计单位数", totals.Count.ToString(inv));
        Row(sb, "比对次数", totals.Sum(t => t.Checks).ToString(inv));
        Row(sb, "命中次数", totals.Sum(t => t.Hits).ToString(inv));
        Row(sb, "实施惩戒措施", totals.Sum(t => t.Applied).ToString(inv));
        Row(sb, "解除惩戒措施", totals.Sum(t => t.Lifted).ToString(inv));
        Row(sb, "暂停惩戒措施", totals.Sum(t => t.Suspended).ToString(inv));
        Row(sb, "逾期未履行义务", totals.Sum(t => t.OverdueDuties).ToString(inv));
        var confirmed = r.Confirmations.Count;
        Row(sb, "已确认报送单位", r.Organization is null
            ? confirmed.ToString(inv) + " / " + totals.Count.ToString(inv)
            : r.Confirmations.FirstOrDefault() is { } c ? "已于" + c.ConfirmedOn.ToString("yyyy年M月d日", inv) + "确认" : "尚未确认");
        sb.Append("</tbody></table></section>");

        // Charts.
        var names = totals.Select(t => t.Name).ToArray();
        sb.Append("<section class=\"report-charts\"><h2>二、统计图</h2>");
        sb.Append("<figure>").Append(SvgChart.Bars("比对与命中（按单位）", names,
            [new("比对次数", "#0b4f9c"), new("命中次数", "#a61b1b")],
            [[.. totals.Select(t => t.Checks)], [.. totals.Select(t => t.Hits)]], "chart-checks", "单位：次")).Append("<figcaption>图1　比对与命中（按单位）</figcaption></figure>");
        sb.Append("<figure>").Append(SvgChart.Bars("惩戒措施实施、解除、暂停与逾期义务（按单位）", names,
            [new("已实施", "#1c6b3a"), new("已解除", "#0b4f9c"), new("已暂停", "#c27c0e"), new("逾期义务", "#a61b1b")],
            [[.. totals.Select(t => t.Applied)], [.. totals.Select(t => t.Lifted)], [.. totals.Select(t => t.Suspended)], [.. totals.Select(t => t.OverdueDuties)]],
            "chart-feedback", "单位：项")).Append("<figcaption>图2　惩戒措施实施、解除、暂停与逾期义务（按单位）</figcaption></figure>");
        var perMeasure = r.PerMeasure;
        sb.Append("<figure class=\"page-break\">").Append(SvgChart.StackedBars("惩戒措施落实情况（按措施）", [.. perMeasure.Select(m => r.MeasureTitles.GetValueOrDefault(m.Measure, m.Measure))],
            [new("已实施", "#1c6b3a"), new("已解除", "#0b4f9c"), new("已暂停", "#c27c0e")],
            [[.. perMeasure.Select(m => m.Applied)], [.. perMeasure.Select(m => m.Lifted)], [.. perMeasure.Select(m => m.Suspended)]], "chart-measures", "单位：项"))
            .Append("<figcaption>图3　惩戒措施落实情况（按措施）</figcaption></figure></section>");

        // Tables.
        sb.Append("<section class=\"report-table\"><h2>三、分单位统计</h2><table id=\"report-units\"><thead><tr><th scope=\"col\">单位</th><th scope=\"col\">比对</th><th scope=\"col\">命中</th><th scope=\"col\">实施</th><th scope=\"col\">解除</th><th scope=\"col\">暂停</th><th scope=\"col\">逾期义务</th><th scope=\"col\">确认报送</th></tr></thead><tbody>");
        foreach (var t in totals)
        {
            var conf = r.Confirmations.FirstOrDefault(c => string.Equals(c.Organization, t.Organization, StringComparison.Ordinal));
            sb.Append(inv, $"<tr><td>{Enc(t.Name)}（{Enc(t.Organization)}）</td><td class=\"num\">{t.Checks}</td><td class=\"num\">{t.Hits}</td><td class=\"num\">{t.Applied}</td><td class=\"num\">{t.Lifted}</td><td class=\"num\">{t.Suspended}</td><td class=\"num{(t.OverdueDuties > 0 ? " overdue" : "")}\">{t.OverdueDuties}</td><td>{(conf is null ? "未确认" : conf.ConfirmedOn.ToString("yyyy-MM-dd", inv))}</td></tr>");
        }

        sb.Append("</tbody></table></section>");
        sb.Append("<section class=\"report-table\"><h2>四、分措施统计</h2>");
        if (perMeasure.Count == 0)
        {
            sb.Append("<p>本季度无惩戒措施反馈记录。</p>");
        }
        else
        {
            sb.Append("<table id=\"report-measures\"><thead><tr><th scope=\"col\">措施</th><th scope=\"col\">代码</th><th scope=\"col\">实施</th><th scope=\"col\">解除</th><th scope=\"col\">暂停</th></tr></thead><tbody>");
            foreach (var m in perMeasure)
            {
                sb.Append(inv, $"<tr><td>{Enc(r.MeasureTitles.GetValueOrDefault(m.Measure, m.Measure))}</td><td>{Enc(m.Measure)}</td><td class=\"num\">{m.Applied}</td><td class=\"num\">{m.Lifted}</td><td class=\"num\">{m.Suspended}</td></tr>");
            }

            sb.Append("</tbody></table>");
        }

        sb.Append("</section></article>");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string label, string value) =>
        sb.Append("<tr><th scope=\"row\">").Append(Enc(label)).Append("</th><td class=\"num\">").Append(Enc(value)).Append("</td></tr>");

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    // Screen and print rules of the report, with it wherever it goes (page, HTML file, PDF).
    internal const string PrintStyle = "<style>"
        + ".report h1{font-size:1.5rem;text-align:center;margin:.4em 0}.report h2{font-size:1.15rem;border-bottom:2px solid #a61b1b;padding-bottom:2px}"
        + ".report .report-meta{text-align:center;color:#5b6676;font-size:.9rem}.report table{border-collapse:collapse;width:100%;margin:6px 0}"
        + ".report th,.report td{border:1px solid #d5dbe3;padding:4px 6px;text-align:left}.report td.num{text-align:right;font-variant-numeric:tabular-nums}"
        + ".report .overdue{color:#a61b1b;font-weight:700}.report figure{margin:10px 0}.report figcaption{text-align:center;font-size:.9rem;color:#44505f}"
        // Every printed page carries the page number and total at its foot (Chromium draws @page margin boxes in --print-to-pdf).
        + "@page{size:A4;margin:15mm 14mm 18mm;@bottom-center{content:\"第 \" counter(page) \" 页，共 \" counter(pages) \" 页\";font-size:9pt;color:#44505f}}"
        + "@media print{header.site,footer.site,nav,.no-print,.skip{display:none!important}body{background:#fff;font-size:11pt}main.page{max-width:none;padding:0;margin:0}"
        + ".card{border:0;padding:0;margin:0}.report figure,.report table,.report tr{break-inside:avoid}.report h2{break-after:avoid}"
        + ".report .page-break{break-before:page}.report svg.chart{max-width:100%;border:0}}"
        + "</style>";
}
