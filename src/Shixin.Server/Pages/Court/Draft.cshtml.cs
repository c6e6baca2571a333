using Microsoft.AspNetCore.Mvc;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Court;

/// <summary>A clerk drafts an entry: the same validation as POST /api/v1/entries, errors shown by field.</summary>
public sealed class DraftModel(EntryService entries, EntryActions actions) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.CourtClerk, Roles.CourtJudge];

    [BindProperty] public string? CaseNumber { get; set; }
    [BindProperty] public string? FilingDate { get; set; }
    [BindProperty] public string? BasisNumber { get; set; }
    [BindProperty] public string? BasisIssuer { get; set; }
    [BindProperty] public string? Obligation { get; set; }
    [BindProperty] public decimal? PerformedAmount { get; set; }
    [BindProperty] public decimal? UnperformedAmount { get; set; }
    [BindProperty] public List<string> Circumstances { get; set; } = [];
    [BindProperty] public string SubjectKind { get; set; } = "person";
    [BindProperty] public string? SubjectName { get; set; }
    [BindProperty] public string? IdNumber { get; set; }
    [BindProperty] public string? CreditCode { get; set; }
    [BindProperty] public string? RepName { get; set; }
    [BindProperty] public string? RepIdNumber { get; set; }
    [BindProperty] public string Publicity { get; set; } = "public";

    public void OnGet() => FilingDate ??= entries.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var person = SubjectKind == "person";
        var body = new DraftEntryRequest(
            CaseNumber, FilingDate, new BasisDocumentDto(BasisNumber, BasisIssuer), Obligation,
            new PerformanceDto(PerformedAmount ?? 0, UnperformedAmount), [.. Circumstances],
            new SubjectDto(SubjectKind, SubjectName, person ? IdNumber : null, null, null, person ? null : CreditCode, null,
                person || string.IsNullOrWhiteSpace(RepName) ? null : new PersonDto(RepName, RepIdNumber)),
            null, Publicity, null, null, null);
        var created = Read(await actions.DraftAsync(body, Caller, ct));
        return created is null ? Page() : Redirect("/court/entry/" + created.Id.ToString() + "?done=true");
    }
}
