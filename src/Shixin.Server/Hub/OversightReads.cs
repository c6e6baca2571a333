using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;

namespace Shixin.Server.Hub;

/// <summary>
/// The oversight lists as each caller may read them: a unit its own complaints, repairs and notices; the hub all.
/// The API and the consoles read through here, so one scope rule holds on every path.
/// </summary>
public sealed class OversightReads(ShixinDatabase database)
{
    private static bool IsHub(Caller caller) => caller.HasAny(Roles.HubAdmin, Roles.HubAuditor);

    public async Task<List<ComplaintRow>> ComplaintsAsync(Caller caller, CancellationToken ct)
    {
        var hub = IsHub(caller);
        await using var db = database.CreateContext();
        return await db.Complaints.AsNoTracking().Where(c => hub || c.AgainstOrganization == caller.OrganizationCode).OrderByDescending(c => c.Id).Take(500).ToListAsync(ct);
    }

    public async Task<List<CreditRepairRow>> RepairsAsync(Caller caller, CancellationToken ct)
    {
        var hub = IsHub(caller);
        await using var db = database.CreateContext();
        return await db.CreditRepairs.AsNoTracking().Where(r => hub || r.OrganizationCode == caller.OrganizationCode).OrderByDescending(r => r.Id).Take(500).ToListAsync(ct);
    }

    public async Task<List<NoticeRow>> NoticesAsync(Caller caller, CancellationToken ct)
    {
        var hub = IsHub(caller);
        await using var db = database.CreateContext();
        return await db.Notices.AsNoTracking().Where(n => hub || n.OrganizationCode == caller.OrganizationCode).OrderByDescending(n => n.Id).Take(500).ToListAsync(ct);
    }
}
