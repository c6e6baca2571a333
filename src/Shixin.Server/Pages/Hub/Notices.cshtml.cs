using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shixin.Core.Oversight;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Hub;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Hub;

/// <summary>The hub notifies (通报) organizations that miss duties or records a talk (约谈); the compliance ranking flags repeat cases (002 §四(四)).</summary>
public sealed class NoticesModel(ShixinDatabase database, EntryService entries, IssueNoticeService issue, OversightReads reads) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.HubAdmin, Roles.HubAuditor];

    [BindProperty] public string? Kind { get; set; } = "notice";
    [BindProperty] public string? Organization { get; set; }
    [BindProperty] public string? IssuedOn { get; set; }
    [BindProperty] public string? Subject { get; set; }
    [BindProperty] public string? Detail { get; set; }

    public List<NoticeRow> Notices { get; private set; } = [];

    public List<ComplianceRow> Compliance { get; private set; } = [];

    public List<OrganizationRow> Organizations { get; private set; } = [];

    public Dictionary<string, string> Names { get; private set; } = new(StringComparer.Ordinal);

    public bool CanIssue => Caller.Has(Roles.HubAdmin);

    public string? Message { get; private set; }

    public async Task OnGetAsync(string? done, string? organization, CancellationToken ct)
    {
        Organization ??= organization;
        Message = done is null ? null : T.Format("ntc.created", T.Code("notice", done));
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanIssue)
        {
            Errors.Add(T.Format("ov.role", Roles.HubAdmin));
        }
        else
        {
            var result = await issue.RunAsync(new NoticeRequest(Kind, Organization, Unit.ComplaintsModel.Blank(IssuedOn), Subject, Unit.ComplaintsModel.Blank(Detail)), Caller, ct);
            if (result.Value is { } row)
            {
                return Redirect("/hub/notices?done=" + Uri.EscapeDataString(row.Kind.ToApi()) + "#ranking");
            }

            Errors.AddRange(T.Messages(result.Problem!));
        }

        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The flag in the reader's language (the API words it in Chinese; the rule that sets it is <see cref="Shixin.Core.Oversight.NoticeDecider.Flag"/>).</summary>
    public string FlagText(ComplianceRow r) => r.Flag is null ? "" : !T.English ? r.Flag : r.NoticesThisYear >= 2 ? T["hub.flag.notices"] : T["hub.flag.talk"];

    private async Task LoadAsync(CancellationToken ct)
    {
        Notices = await reads.NoticesAsync(Caller, ct);
        Compliance = await OversightApi.ComplianceAsync(database, entries, ct);
        await using var db = database.CreateContext();
        Organizations = await db.Organizations.AsNoTracking().Where(o => o.Kind != "hub").OrderBy(o => o.Kind).ThenBy(o => o.Code).ToListAsync(ct);
        Names = Organizations.ToDictionary(o => o.Code, o => o.Name, StringComparer.Ordinal);
    }
}
