using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Hub;
using Shixin.Server.Pages.Hub;
using Shixin.Server.Units;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Unit;

/// <summary>The unit takes in credit repair applications (after the entry left the list) and decides them (002 §四(二)6).</summary>
public sealed class RepairsModel(ShixinDatabase database, EntryService entries, ApplyForRepairService apply, DecideRepairService decide, OversightReads reads) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.UnitFeedback];

    [BindProperty] public string? EntryId { get; set; }
    [BindProperty] public string? Grounds { get; set; }
    [BindProperty] public string? AppliedOn { get; set; }
    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public string? DecidedOn { get; set; }
    [BindProperty] public string? Reasons { get; set; }

    public List<RepairView> Repairs { get; private set; } = [];

    public RepairView? Selected { get; private set; }

    /// <summary>Entries this unit applied a measure to that have since left the list: the usual subjects of an application.</summary>
    public List<(Guid Id, string CaseNumber, string Name)> Exited { get; private set; } = [];

    public string? Message { get; private set; }

    public async Task OnGetAsync(Guid? id, string? done, CancellationToken ct)
    {
        Message = done switch { "created" => T["rep.created"], "decided" => T["rep.decided"], _ => null };
        await LoadAsync(id, ct);
    }

    public async Task<IActionResult> OnPostApplyAsync(CancellationToken ct)
    {
        Guid? entry = null;
        if (!string.IsNullOrWhiteSpace(EntryId))
        {
            if (Guid.TryParse(EntryId.Trim(), out var g))
            {
                entry = g;
            }
            else
            {
                Errors.Add(T["rep.entry"] + "：" + T["unit.fb.badentry"]);
            }
        }

        if (Errors.Count == 0)
        {
            var result = await apply.RunAsync(new CreditRepairRequest(entry, null, Grounds, ComplaintsModel.Blank(AppliedOn)), Caller, ct);
            if (result.Value is { } row)
            {
                return Redirect("/unit/repairs/" + row.Id.ToString() + "?done=created");
            }

            Errors.AddRange(T.Messages(result.Problem!));
        }

        await LoadAsync(null, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDecideAsync(Guid id, CancellationToken ct)
    {
        var result = await decide.RunAsync(id, new CreditRepairDecision(Outcome, ComplaintsModel.Blank(DecidedOn) ?? ComplaintsModel.Iso(entries.Today), ComplaintsModel.Blank(Reasons)),
            Caller, ct);
        if (!result.Failed)
        {
            return Redirect("/unit/repairs/" + id.ToString() + "?done=decided");
        }

        Errors.AddRange(T.Messages(result.Problem!));
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task LoadAsync(Guid? id, CancellationToken ct)
    {
        Repairs = await RepairViews.LoadAsync(database, await reads.RepairsAsync(Caller, ct), ct);
        AppliedOn ??= ComplaintsModel.Iso(entries.Today);
        DecidedOn ??= ComplaintsModel.Iso(entries.Today);
        await using (var db = database.CreateContext())
        {
            var mine = db.Feedback.AsNoTracking().Where(f => f.OrganizationCode == Caller.OrganizationCode).Select(f => f.EntryId).Distinct();
            Exited = [.. (await db.Entries.AsNoTracking().Where(e => mine.Contains(e.Id) && e.ExitedOn != null).OrderByDescending(e => e.ExitedOn).Take(200)
                .Select(e => new { e.Id, e.CaseNumber, e.SubjectName }).ToListAsync(ct)).Select(e => (e.Id, e.CaseNumber, e.SubjectName))];
        }

        if (id is { } i)
        {
            Selected = Repairs.FirstOrDefault(r => r.Row.Id == i);
            if (Selected is null)
            {
                Response.StatusCode = StatusCodes.Status404NotFound;
                Errors.Add(T["ov.notfound"]);
            }
        }
    }
}
