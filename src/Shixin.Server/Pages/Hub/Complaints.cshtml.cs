using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Hub;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Hub;

/// <summary>The hub follows every complaint: unit complained about, due date (overdue in red), answer; one complaint in detail.</summary>
public sealed class ComplaintsModel(ShixinDatabase database, EntryService entries, OversightReads reads) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.HubAdmin, Roles.HubAuditor];

    public List<ComplaintRow> Complaints { get; private set; } = [];

    public ComplaintRow? Selected { get; private set; }

    public Dictionary<string, string> Names { get; private set; } = new(StringComparer.Ordinal);

    public DateOnly Today => entries.Today;

    public async Task OnGetAsync(Guid? id, CancellationToken ct)
    {
        Complaints = await reads.ComplaintsAsync(Caller, ct);
        Names = await OrganizationNames.LoadAsync(database, ct);
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
}

/// <summary>Organization names by code, for the oversight pages.</summary>
public static class OrganizationNames
{
    public static async Task<Dictionary<string, string>> LoadAsync(ShixinDatabase database, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        return await db.Organizations.AsNoTracking().ToDictionaryAsync(o => o.Code, o => o.Name, StringComparer.Ordinal, ct);
    }
}
