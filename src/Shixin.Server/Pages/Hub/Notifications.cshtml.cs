using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Hub;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Hub;

/// <summary>Special-subject notifications the courts owe (SPC Art. 8) with their delivery status; each notice as HTML or PDF.</summary>
public sealed class NotificationsModel(ShixinDatabase database, EntryService entries) : StaffPage
{
    public static readonly string[] Statuses = ["open", "overdue", "met"];

    protected override string[] RequiredRoles => [Roles.HubAdmin, Roles.HubAuditor];

    public List<SpecialSubjectNotice> Notices { get; private set; } = [];

    public Dictionary<string, string> Names { get; private set; } = new(StringComparer.Ordinal);

    public string? Status { get; private set; }

    public async Task OnGetAsync(string? status, CancellationToken ct)
    {
        Status = Statuses.Contains(status, StringComparer.Ordinal) ? status : null;
        var all = await ObligationsApi.SpecialSubjectNoticesAsync(database, entries, null, ct);
        Notices = [.. all.Where(n => Status is null || string.Equals(n.Status, Status, StringComparison.Ordinal))
            .OrderBy(n => Array.IndexOf(["overdue", "open", "met"], n.Status)).ThenBy(n => n.DueOn)];
        Names = await OrganizationNames.LoadAsync(database, ct);
    }
}
