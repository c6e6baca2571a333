using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shixin.Core.Catalogs;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Hub;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Hub;

/// <summary>The quarterly report, hub-wide or for one unit: charts, tables, CSV and PDF (003 §四(四)).</summary>
public sealed class ReportsModel(ShixinDatabase database, EntryService entries, MeasureCatalogs catalogs) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.HubAdmin, Roles.HubAuditor];

    public QuarterlyReport? Report { get; private set; }

    public int Year { get; private set; }

    public int Quarter { get; private set; }

    public string? Organization { get; private set; }

    public List<(string Code, string Name)> Units { get; private set; } = [];

    public async Task OnGetAsync(int? year, int? quarter, string? organization, CancellationToken ct)
    {
        await using (var db = database.CreateContext())
        {
            Units = [.. (await db.Organizations.AsNoTracking().Where(o => o.Kind == "unit").Select(o => new { o.Code, o.Name }).ToListAsync(ct))
                .OrderBy(o => o.Code, StringComparer.Ordinal).Select(o => (o.Code, o.Name))];
        }

        Year = year ?? entries.Today.Year;
        Quarter = quarter ?? QuarterlyReports.QuarterOf(entries.Today);
        Organization = string.IsNullOrWhiteSpace(organization) ? null : organization;
        if (!QuarterlyReports.Valid(Year, Quarter))
        {
            Errors.Add(T["qr.badquarter"]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (Organization is not null && !Units.Any(u => string.Equals(u.Code, Organization, StringComparison.Ordinal)))
        {
            Errors.Add(T["ov.notfound"]);
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        Report = await QuarterlyReports.LoadAsync(database, entries, catalogs, Year, Quarter, Organization, ct);
    }

    /// <summary>The API address of this report in a format (csv, html, pdf).</summary>
    public string ApiUrl(string format) => ReportLinks.Url(Year, Quarter, Organization, format);
}

/// <summary>Addresses of the quarterly report API, for the pages' download links.</summary>
public static class ReportLinks
{
    public static string Url(int year, int quarter, string? organization, string format) =>
        "/api/v1/reports/quarterly?year=" + year.ToString(CultureInfo.InvariantCulture) + "&quarter=" + quarter.ToString(CultureInfo.InvariantCulture)
        + (organization is null ? "" : "&organization=" + Uri.EscapeDataString(organization)) + "&format=" + format;
}
