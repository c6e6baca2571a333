using Microsoft.AspNetCore.Mvc;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Court;

/// <summary>The court's entries, filtered by status and searched by name, case number or identifier, cursor-paged (the same query as GET /api/v1/entries).</summary>
public sealed class IndexModel(EntryActions actions) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.CourtClerk, Roles.CourtJudge];

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    /// <summary>Name, case number or identifier.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public Page<EntrySummary>? Entries { get; private set; }

    public static readonly string[] Statuses = ["draft", "noticed", "listed", "shielded", "revoked", "deleted", "expired"];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var status = string.IsNullOrEmpty(Status) ? null : Status;
        Entries = Read(await actions.ListAsync(Caller, status, Cursor, 50, null, string.IsNullOrWhiteSpace(Q) ? null : Q, ct));
    }
}
