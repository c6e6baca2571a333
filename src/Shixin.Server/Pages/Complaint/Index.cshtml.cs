using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Courts;
using Shixin.Server.Hub;
using Shixin.Server.Public;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Complaint;

/// <summary>The public complaint form (no sign-in): a unit did not apply a measure; answers with a tracking code.</summary>
[EnableRateLimiting(PublicApi.ComplaintPolicy)]
public sealed class IndexModel(ShixinDatabase database, EntryService entries, TimeProvider time) : PageModel
{
    [BindProperty] public string? AgainstOrganization { get; set; }
    [BindProperty] public string? CaseNumber { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string? Contact { get; set; }

    public Ui T => Ui.For(HttpContext);

    public List<(string Code, string Name)> Units { get; private set; } = [];

    public List<string> Errors { get; } = [];

    public ComplaintStatus? Filed { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadUnitsAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await OversightApi.FileComplaint(
            new ComplaintRequest(AgainstOrganization, string.IsNullOrWhiteSpace(CaseNumber) ? null : CaseNumber.Trim(), Description, Contact),
            database, entries, time, ct);
        if (result is IValueHttpResult<ComplaintStatus> { Value: { } status })
        {
            Filed = status;
        }
        else
        {
            Errors.AddRange(ApiResults.Messages(result, T));
        }

        await LoadUnitsAsync(ct);
        return Page();
    }

    private async Task LoadUnitsAsync(CancellationToken ct)
    {
        await using var db = database.CreateContext();
        Units = [.. (await db.Organizations.AsNoTracking().Where(o => o.Kind == "unit").Select(o => new { o.Code, o.Name }).ToListAsync(ct))
            .OrderBy(o => o.Code, StringComparer.Ordinal).Select(o => (o.Code, o.Name))];
    }
}
