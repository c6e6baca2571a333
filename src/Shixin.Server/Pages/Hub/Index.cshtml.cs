using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Hub;

/// <summary>
/// The hub's view of the mechanism: list size by status and over time, listings and exits per month by court, checks and
/// hits by unit and scenario, duties by organization; CSV for each table; a name filter narrows the per-organization views.
/// </summary>
public sealed class IndexModel(ShixinDatabase database, TimeProvider time, Shixin.Server.Courts.EntryService entries, Shixin.Core.Catalogs.MeasureCatalogs catalogs) : StaffPage
{
    public const int Months = 12;

    protected override string[] RequiredRoles => [Roles.HubAdmin, Roles.HubAuditor];

    public List<(string Status, int Count)> ByStatus { get; private set; } = [];

    public List<(string Month, int Listings, int Exits)> PerMonth { get; private set; } = [];

    public List<(string Unit, string UnitName, string Scenario, long Checks, long Hits)> Checks { get; private set; } = [];

    /// <summary>A scenario by its title in the reader's language (the code when the catalog does not know it).</summary>
    public string ScenarioTitle(string id) => catalogs.TryGetScenario(id, out var s) ? (T.English ? s.TitleEn : s.TitleZh) : id;

    /// <summary>Entries listed now (the status table's "listed" line), for the summary at the top.</summary>
    public int ListedNow => ByStatus.Where(s => s.Status == "listed").Sum(s => s.Count);

    public List<Shixin.Server.Hub.ComplianceRow> Compliance { get; private set; } = [];

    /// <summary>Listed entries at each month end (the current month: today), replayed from the ledger.</summary>
    public List<(string Month, DateOnly Day, int Size)> SizeOverTime { get; private set; } = [];

    /// <summary>Listings and exits per court and month (every month of the window, courts with any activity).</summary>
    public List<(string Court, string CourtName, string Month, int Listings, int Exits)> ByCourt { get; private set; } = [];

    /// <summary>Courts with their totals over the window, for the page's table.</summary>
    public List<(string Court, string CourtName, int Listings, int Exits)> CourtTotals =>
        [.. ByCourt.GroupBy(r => (r.Court, r.CourtName)).Select(g => (g.Key.Court, g.Key.CourtName, g.Sum(r => r.Listings), g.Sum(r => r.Exits)))];

    /// <summary>Part of an organization's name or code: narrows the per-court and per-unit tables and charts.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Org { get; set; }

    public bool Filtered => !string.IsNullOrWhiteSpace(Org);

    /// <summary>The filter as a query-string suffix for links (CSV downloads keep it).</summary>
    public string OrgQuery => Filtered ? "&org=" + Uri.EscapeDataString(Org!.Trim()) : "";

    private bool Matches(string code, string name) => !Filtered
        || name.Contains(Org!.Trim(), StringComparison.OrdinalIgnoreCase) || code.Contains(Org!.Trim(), StringComparison.OrdinalIgnoreCase);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>GET ?handler=csv&amp;table=status|size|months|courts|checks|compliance (&amp;org=): one table as CSV (UTF-8 with BOM, opens in Excel).</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? table, CancellationToken ct)
    {
        await LoadAsync(ct);
        var sb = new StringBuilder();
        switch (table)
        {
            case "status":
                sb.Append("status,count\r\n");
                foreach (var (s, c) in ByStatus)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{CsvText.Cell(s)},{c}\r\n");
                }

                break;
            case "months":
                sb.Append("month,listings,exits\r\n");
                foreach (var (m, l, x) in PerMonth)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{m},{l},{x}\r\n");
                }

                break;
            case "checks":
                sb.Append("unit,unit_name,scenario,checks,hits\r\n");
                foreach (var (u, n, s, c, h) in Checks)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{CsvText.Cell(u)},{CsvText.Cell(n)},{CsvText.Cell(s)},{c},{h}\r\n");
                }

                break;
            case "size":
                sb.Append("month,month_end,listed\r\n");
                foreach (var (m, d, n) in SizeOverTime)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{m},{d:yyyy-MM-dd},{n}\r\n");
                }

                break;
            case "courts":
                sb.Append("court,court_name,month,listings,exits\r\n");
                foreach (var (c, n, m, l, x) in ByCourt)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{CsvText.Cell(c)},{CsvText.Cell(n)},{m},{l},{x}\r\n");
                }

                break;
            case "compliance":
                sb.Append("organization,name,kind,duties,met_on_time,met_late,open,overdue,on_time_rate,notices_this_year,talks,flagged,flag\r\n");
                foreach (var r in Compliance)
                {
                    sb.Append(CultureInfo.InvariantCulture,
                        $"{CsvText.Cell(r.Organization)},{CsvText.Cell(r.Name)},{r.Kind},{r.Duties},{r.MetOnTime},{r.MetLate},{r.Open},{r.Overdue},{(r.OnTimeRate is { } rate ? rate.ToString("0.####", CultureInfo.InvariantCulture) : "")},{r.NoticesThisYear},{r.Talks},{(r.Flagged ? "true" : "false")},{CsvText.Cell(r.Flag ?? "")}\r\n");
                }

                break;
            default:
                return NotFound();
        }

        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(sb.ToString())).ToArray();
        return File(bytes, "text/csv; charset=utf-8", "shixin-" + table + ".csv");
    }

    public string MonthsChart() => SvgChart.Bars(T["hub.months"], [.. PerMonth.Select(m => m.Month)],
        [new(T["hub.chart.listings"], "#a61b1b"), new(T["hub.chart.exits"], "#1c6b3a")],
        [[.. PerMonth.Select(m => m.Listings)], [.. PerMonth.Select(m => m.Exits)]], "chart-months", T["axis.entries"], T["chart.nodata"]);

    public string SizeChart() => SvgChart.Line(T["hub.sizetime"], [.. SizeOverTime.Select(x => x.Month)], T["hub.chart.listed"], "#0b4f9c",
        [.. SizeOverTime.Select(x => (long)x.Size)], "chart-size-time", T["axis.entries"], T["chart.nodata"]);

    /// <summary>Checks per unit and scenario: hits and the rest, stacked, so each bar is the number of checks.</summary>
    public string ChecksChart() => SvgChart.StackedBars(T["hub.checks"], [.. Checks.Select(c => c.UnitName + " · " + ScenarioTitle(c.Scenario))],
        [new(T["col.hits"], "#a61b1b"), new(T["hub.chart.nohit"], "#9aa5b4")],
        [[.. Checks.Select(c => c.Hits)], [.. Checks.Select(c => c.Checks - c.Hits)]], "chart-checks", T["axis.checks"], T["chart.nodata"]);

    public string StatusChart() => SvgChart.Bars(T["hub.size"], [.. ByStatus.Select(s => T.Code("status", s.Status))],
        [new(T["col.count"], "#0b4f9c")], [[.. ByStatus.Select(s => s.Count)]], "chart-status", T["axis.entries"], T["chart.nodata"]);

    /// <summary>Duties per organization: met on time, met late, overdue, still open — stacked, one bar each.</summary>
    public string ComplianceChart() => SvgChart.StackedBars(T["hub.compliance"], [.. Compliance.Select(c => c.Name)],
        [new(T["col.ontime"], "#1c6b3a"), new(T["col.late"], "#c27c0e"), new(T["col.overdue"], "#a61b1b"), new(T["col.open"], "#9aa5b4")],
        [[.. Compliance.Select(c => c.MetOnTime)], [.. Compliance.Select(c => c.MetLate)], [.. Compliance.Select(c => c.Overdue)], [.. Compliance.Select(c => c.Open)]],
        "chart-compliance", T["axis.duties"], T["chart.nodata"]);

    /// <summary>The flag in the reader's language (the API words it in Chinese).</summary>
    public string FlagText(Shixin.Server.Hub.ComplianceRow r) => r.Flag is null ? "" :
        r.NoticesThisYear >= 2 ? T["hub.flag.notices"] : T["hub.flag.talk"];

    private async Task LoadAsync(CancellationToken ct)
    {
        Compliance = [.. (await Shixin.Server.Hub.OversightApi.ComplianceAsync(database, entries, ct)).Where(r => Matches(r.Organization, r.Name))];
        await using var db = database.CreateContext();
        var today = Shixin.Core.ChinaTime.Today(time);
        var ends = Shixin.Server.Hub.ListSizeHistory.MonthEnds(today, Months);
        var sizes = await Shixin.Server.Hub.ListSizeHistory.LoadAsync(database, ends, ct);
        SizeOverTime = [.. ends.Select((d, i) => (d.ToString("yyyy-MM", CultureInfo.InvariantCulture), d, sizes[i]))];
        ByStatus = [.. (await db.Entries.AsNoTracking().GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .OrderBy(x => Array.IndexOf(Court.IndexModel.Statuses, x.Key)).Select(x => (x.Key, x.Count))];

        // The last twelve months (China time), oldest first; per court, then summed over the courts the filter keeps.
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-(Months - 1));
        var courtNames = await db.Organizations.AsNoTracking().Where(o => o.Kind == "court").ToDictionaryAsync(o => o.Code, o => o.Name, ct);
        var published = (await db.Entries.AsNoTracking().Where(e => e.PublishedOn >= first).Select(e => new { e.CourtCode, On = e.PublishedOn!.Value }).ToListAsync(ct))
            .Where(e => e.On <= today).ToList();
        var exited = await db.Entries.AsNoTracking().Where(e => e.ExitedOn >= first).Select(e => new { e.CourtCode, On = e.ExitedOn!.Value }).ToListAsync(ct);
        var months = Enumerable.Range(0, Months).Select(i => first.AddMonths(i)).ToArray();
        static bool In(DateOnly d, DateOnly m) => d.Year == m.Year && d.Month == m.Month;
        var courts = published.Select(e => e.CourtCode).Concat(exited.Select(e => e.CourtCode)).Distinct()
            .Select(c => (Code: c, Name: courtNames.GetValueOrDefault(c, c))).Where(c => Matches(c.Code, c.Name))
            .OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        ByCourt = [.. courts.SelectMany(c => months.Select(m => (c.Code, c.Name, m.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            published.Count(e => e.CourtCode == c.Code && In(e.On, m)), exited.Count(e => e.CourtCode == c.Code && In(e.On, m)))))];
        PerMonth = [.. months.Select(m =>
        {
            var label = m.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var rows = ByCourt.Where(r => r.Month == label).ToList();
            return (label, rows.Sum(r => r.Listings), rows.Sum(r => r.Exits));
        })];

        // Subjects checked, single and batch lines alike: the same count as the quarterly report's 比对次数 (CheckCounts).
        var checks = (await Shixin.Server.Hub.CheckCounts.LoadAsync(database, null, null, null, ct))
            .Select(c => new { OrganizationCode = c.Organization, c.Scenario, Count = c.Checks, c.Hits }).ToList();
        var names = await db.Organizations.AsNoTracking().Where(o => o.Kind == "unit").ToDictionaryAsync(o => o.Code, o => o.Name, ct);
        Checks = [.. checks.OrderBy(c => c.OrganizationCode, StringComparer.Ordinal).ThenBy(c => c.Scenario, StringComparer.Ordinal)
            .Select(c => (c.OrganizationCode, names.GetValueOrDefault(c.OrganizationCode, c.OrganizationCode), c.Scenario ?? "", c.Count, c.Hits))
            .Where(c => Matches(c.OrganizationCode, c.Item2))];
    }
}
