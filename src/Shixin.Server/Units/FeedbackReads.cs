using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;

namespace Shixin.Server.Units;

/// <summary>Feedback and objections as each caller may read them.</summary>
public sealed class FeedbackReads(ShixinDatabase database)
{
    /// <summary>The caller's feedback (all, for the hub), newest first.</summary>
    public async Task<FeedbackView[]> FeedbackAsync(Caller caller, int? limit, CancellationToken ct)
    {
        var hub = caller.HasAny(Roles.HubAdmin, Roles.HubAuditor);
        await using var db = database.CreateContext();
        var rows = await db.Feedback.AsNoTracking().Where(f => hub || f.OrganizationCode == caller.OrganizationCode)
            .OrderByDescending(f => f.Id).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(ct);
        return [.. rows.Select(FeedbackView.Of)];
    }

    /// <summary>One objection, for the hub, the objecting unit and the executing court.</summary>
    public async Task<Outcome<ObjectionView>> ObjectionAsync(Guid id, Caller caller, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var row = await db.Objections.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        if (row is null)
        {
            return Problems.NotFound(new("该异议", "objection " + id.ToString()));
        }

        return caller.HasAny(Roles.HubAdmin, Roles.HubAuditor) || caller.OrganizationCode == row.OrganizationCode || caller.OrganizationCode == row.CourtCode
            ? ObjectionView.Of(row)
            : Problems.Forbidden(new("该异议涉及其他单位", "the objection concerns other organizations"));
    }
}
