using Microsoft.AspNetCore.Mvc;
using Shixin.Core;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Hub;
using Shixin.Server.Pages.Hub;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Unit;

/// <summary>Complaints about this unit: investigate, apply the missed measure where the complaint holds, answer the complainant (002 §四(二)8).</summary>
public sealed class ComplaintsModel(ShixinDatabase database, EntryService entries, Units.AnswerComplaintService answer, OversightReads reads) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.UnitFeedback, Roles.UnitChecker];

    [BindProperty] public string? Finding { get; set; }
    [BindProperty] public string? MeasureApplied { get; set; }
    [BindProperty] public string? Answer { get; set; }
    [BindProperty] public string? AnsweredOn { get; set; }

    public List<ComplaintRow> Complaints { get; private set; } = [];

    public ComplaintRow? Selected { get; private set; }

    public Dictionary<string, string> Names { get; private set; } = new(StringComparer.Ordinal);

    public DateOnly Today => entries.Today;

    public bool CanAnswer => Caller.Has(Roles.UnitFeedback);

    public bool Done { get; private set; }

    public async Task OnGetAsync(Guid? id, bool done, CancellationToken ct)
    {
        Done = done;
        await LoadAsync(id, ct);
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!CanAnswer)
        {
            Errors.Add(T.Format("ov.role", Roles.UnitFeedback));
        }
        else
        {
            var result = await answer.RunAsync(id, new Units.ComplaintResolution(Finding, Blank(MeasureApplied), Answer, Blank(AnsweredOn) ?? Iso(entries.Today)), Caller, ct);
            if (!result.Failed)
            {
                return Redirect("/unit/complaints/" + id.ToString() + "?done=true");
            }

            Errors.AddRange(T.Messages(result.Problem!));
        }

        await LoadAsync(id, ct);
        return Page();
    }

    private async Task LoadAsync(Guid? id, CancellationToken ct)
    {
        Complaints = await reads.ComplaintsAsync(Caller, ct);
        Names = await OrganizationNames.LoadAsync(database, ct);
        AnsweredOn ??= Iso(entries.Today);
        if (id is { } i)
        {
            Selected = Complaints.FirstOrDefault(c => c.Id == i);
            if (Selected is null)
            {
                Response.StatusCode = StatusCodes.Status404NotFound;
                Errors.Add(T["ov.notfound"]);
            }
        }
    }

    internal static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    internal static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
