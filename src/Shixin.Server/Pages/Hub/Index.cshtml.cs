using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Hub;

/// <summary>The hub's view of the mechanism: list size, listings and exits per month, checks by unit and scenario; CSV for each table.</summary>
public sealed class IndexModel(ShixinDatabase database, TimeProvider time, Shixin.Server.Courts.EntryService entries) : StaffPage
{
    public const int Months = 12;

    protected override string[] RequiredRoles => [Roles.HubAdmin, Roles.HubAuditor];

    public List<(string Status, int Count)> ByStatus { get; private set; } = [];

    public List<(string Month, int Listings, int Exits)> PerMonth { get; private set; } = [];

    public List<(string Unit, string UnitName, string Scenario, int Checks, int Hits)> Checks { get; private set; } = [];

    public List<Shixin.Server.Hub.ComplianceRow> Compliance { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>GET ?handler=csv&amp;table=status|months|checks: one table as CSV (UTF-8 with BOM, opens in Excel).</summary>
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
                    sb.Append(CultureInfo.InvariantCulture, $"{Csv(s)},{c}\r\n");
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
                    sb.Append(CultureInfo.InvariantCulture, $"{Csv(u)},{Csv(n)},{Csv(s)},{c},{h}\r\n");
                }

                break;
            case "compliance":
                sb.Append("organization,name,kind,duties,met_on_time,met_late,open,overdue,on_time_rate,notices_this_year,talks,flagged,flag\r\n");
                foreach (var r in Compliance)
                {
                    sb.Append(CultureInfo.InvariantCulture,
                        $"{Csv(r.Organization)},{Csv(r.Name)},{r.Kind},{r.Duties},{r.MetOnTime},{r.MetLate},{r.Open},{r.Overdue},{r.OnTimeRate:0.####},{r.NoticesThisYear},{r.Talks},{(r.Flagged ? "true" : "false")},{Csv(r.Flag ?? "")}\r\n");
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
        [[.. PerMonth.Select(m => m.Listings)], [.. PerMonth.Select(m => m.Exits)]], "chart-months");

    public string StatusChart() => SvgChart.Bars(T["hub.size"], [.. ByStatus.Select(s => T.Code("status", s.Status))],
        [new(T["col.count"], "#0b4f9c")], [[.. ByStatus.Select(s => s.Count)]], "chart-status");

    /// <summary>Duties per organization: met on time, met late, overdue, still open — stacked, one bar each.</summary>
    public string ComplianceChart() => SvgChart.StackedBars(T["hub.compliance"], [.. Compliance.Select(c => c.Name)],
        [new(T["col.ontime"], "#1c6b3a"), new(T["col.late"], "#c27c0e"), new(T["col.overdue"], "#a61b1b"), new(T["col.open"], "#9aa5b4")],
        [[.. Compliance.Select(c => c.MetOnTime)], [.. Compliance.Select(c => c.MetLate)], [.. Compliance.Select(c => c.Overdue)], [.. Compliance.Select(c => c.Open)]],
        "chart-compliance");

    /// <summary>The flag in the reader's language (the API words it in Chinese).</summary>
    public string FlagText(Shixin.Server.Hub.ComplianceRow r) => r.Flag is null ? "" :
        r.NoticesThisYear >= 2 ? T["hub.flag.notices"] : T["hub.flag.talk"];

    private async Task LoadAsync(CancellationToken ct)
    {
        Compliance = await Shixin.Server.Hub.OversightApi.ComplianceAsync(database, entries, ct);
        await using var db = database.CreateContext();
        ByStatus = [.. (await db.Entries.AsNoTracking().GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .OrderBy(x => Array.IndexOf(Court.IndexModel.Statuses, x.Key)).Select(x => (x.Key, x.Count))];

        // The last twelve months (China time), oldest first.
        var today = Shixin.Core.ChinaTime.Today(time);
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-(Months - 1));
        var published = await db.Entries.AsNoTracking().Where(e => e.PublishedOn >= first).Select(e => e.PublishedOn!.Value).ToListAsync(ct);
        var exited = await db.Entries.AsNoTracking().Where(e => e.ExitedOn >= first).Select(e => e.ExitedOn!.Value).ToListAsync(ct);
        PerMonth = [.. Enumerable.Range(0, Months).Select(i =>
        {
            var m = first.AddMonths(i);
            return (m.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                published.Count(d => d.Year == m.Year && d.Month == m.Month && d <= today),
                exited.Count(d => d.Year == m.Year && d.Month == m.Month));
        })];

        var checks = await db.CheckRecords.AsNoTracking().GroupBy(c => new { c.OrganizationCode, c.Scenario })
            .Select(g => new { g.Key.OrganizationCode, g.Key.Scenario, Count = g.Count(), Hits = g.Count(c => c.Outcome != "clear") })
            .ToListAsync(ct);
        var names = await db.Organizations.AsNoTracking().Where(o => o.Kind == "unit").ToDictionaryAsync(o => o.Code, o => o.Name, ct);
        Checks = [.. checks.OrderBy(c => c.OrganizationCode, StringComparer.Ordinal).ThenBy(c => c.Scenario, StringComparer.Ordinal)
            .Select(c => (c.OrganizationCode, names.GetValueOrDefault(c.OrganizationCode, c.OrganizationCode), c.Scenario, c.Count, c.Hits))];
    }

    private static string Csv(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
