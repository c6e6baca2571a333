using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Hub;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Court;

/// <summary>The court's duties with due dates (corrections, reconsiderations, exits, objections); overdue in red.</summary>
public sealed class QueueModel(ShixinDatabase database, EntryService entries) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.CourtClerk, Roles.CourtJudge];

    public List<ObligationView> Duties { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var all = await ObligationsApi.ForOrganizationAsync(database, entries, Caller.OrganizationCode, Caller.OrganizationKind, ct);
        Duties = [.. all.OrderBy(d => d.Status == "met").ThenBy(d => d.DueOn)];
    }
}
