using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Hub;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Hub;

/// <summary>A credit repair application with what it concerns.</summary>
public sealed record RepairView(CreditRepairRow Row, string? CaseNumber, string? SubjectName, string? EntryStatus, string UnitName);

/// <summary>The hub follows credit repair applications and the units' decisions (002 §四(二)6).</summary>
public sealed class RepairsModel(ShixinDatabase database, OversightReads reads) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.HubAdmin, Roles.HubAuditor];

    public List<RepairView> Repairs { get; private set; } = [];

    public RepairView? Selected { get; private set; }

    public async Task OnGetAsync(Guid? id, CancellationToken ct)
    {
        Repairs = await RepairViews.LoadAsync(database, await reads.RepairsAsync(Caller, ct), ct);
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

/// <summary>Joins repair applications with their entries and units for display.</summary>
public static class RepairViews
{
    public static async Task<List<RepairView>> LoadAsync(ShixinDatabase database, List<CreditRepairRow> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.EntryId).Distinct().ToList();
        await using var db = database.CreateContext();
        var entries = await db.Entries.AsNoTracking().Where(e => ids.Contains(e.Id))
            .Select(e => new { e.Id, e.CaseNumber, e.SubjectName, e.Status }).ToDictionaryAsync(e => e.Id, ct);
        var names = await OrganizationNames.LoadAsync(database, ct);
        return [.. rows.Select(r =>
        {
            var e = entries.GetValueOrDefault(r.EntryId);
            return new RepairView(r, e?.CaseNumber, e?.SubjectName, e?.Status, names.GetValueOrDefault(r.OrganizationCode, r.OrganizationCode));
        })];
    }
}
