using Microsoft.AspNetCore.Mvc;
using Shixin.Core.Catalogs;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Hub;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Unit;

/// <summary>The unit's own quarterly report, print-ready, and its confirmation (due 30 days after the quarter, 003 §四(四)).</summary>
public sealed class ReportsModel(ShixinDatabase database, EntryService entries, MeasureCatalogs catalogs, Units.ConfirmQuarterService confirm) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.UnitFeedback];

    [BindProperty] public string? Note { get; set; }

    public QuarterlyReport? Report { get; private set; }

    public int Year { get; private set; }

    public int Quarter { get; private set; }

    public QuarterConfirmation? Confirmation => Report?.Confirmations.FirstOrDefault();

    /// <summary>A quarter is confirmed once it has ended (the API refuses earlier).</summary>
    public bool Ended => QuarterlyReports.Valid(Year, Quarter) && QuarterlyReports.LastDay(Year, Quarter) < entries.Today;

    public async Task OnGetAsync(int? year, int? quarter, CancellationToken ct) => await LoadAsync(year, quarter, ct);

    public async Task<IActionResult> OnPostAsync(int? year, int? quarter, CancellationToken ct)
    {
        var result = await confirm.RunAsync(year, quarter, ComplaintsModel.Blank(Note), Caller, ct);
        if (!result.Failed)
        {
            return Redirect(Request.Path + "?year=" + year?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + "&quarter=" + quarter?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Errors.AddRange(T.Messages(result.Problem!));
        await LoadAsync(year, quarter, ct);
        return Page();
    }

    private async Task LoadAsync(int? year, int? quarter, CancellationToken ct)
    {
        // By default the report the unit owes: the last quarter that has ended.
        var owed = entries.Today.AddMonths(-3);
        Year = year ?? owed.Year;
        Quarter = quarter ?? QuarterlyReports.QuarterOf(owed);
        if (!QuarterlyReports.Valid(Year, Quarter))
        {
            Errors.Add(T["qr.badquarter"]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        Report = await QuarterlyReports.LoadAsync(database, entries, catalogs, Year, Quarter, Caller.OrganizationCode, ct);
    }
}
