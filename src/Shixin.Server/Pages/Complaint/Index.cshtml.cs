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

/// <summary>
/// The public complaint form (no sign-in): a unit did not apply a measure; answers with a tracking code. The unit is found
/// by part of its name (?unit=, and as the reader types through ?handler=units), never picked from a list of every unit's
/// code (issue 15: a dropdown of codes does not scale past a city).
/// </summary>
[EnableRateLimiting(PublicApi.ComplaintPolicy)]
public sealed class IndexModel(ShixinDatabase database, FileComplaintService complaints) : PageModel
{
    [BindProperty] public string? AgainstOrganization { get; set; }
    [BindProperty] public string? CaseNumber { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string? Contact { get; set; }

    public Ui T => Ui.For(HttpContext);

    /// <summary>Part of a unit's name (or its code) to find it by.</summary>
    [BindProperty(Name = "unit", SupportsGet = true)] public string? UnitQuery { get; set; }

    /// <summary>The units that match <see cref="UnitQuery"/> (at most <see cref="MaxMatches"/>), and the chosen one.</summary>
    public List<(string Code, string Name)> Units { get; private set; } = [];

    public const int MaxMatches = 20;

    public List<string> Errors { get; } = [];

    public ComplaintStatus? Filed { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadUnitsAsync(ct);

    /// <summary>GET ?handler=units&amp;unit=…: the matching units as JSON [{code, name}], for search as you type (pages.js).</summary>
    public async Task<IActionResult> OnGetUnitsAsync(CancellationToken ct) =>
        new JsonResult((await FindAsync(UnitQuery, ct)).Select(u => new { code = u.Code, name = u.Name }));

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await complaints.RunAsync(
            new ComplaintRequest(AgainstOrganization, string.IsNullOrWhiteSpace(CaseNumber) ? null : CaseNumber.Trim(), Description, Contact), ct);
        if (result.Value is { } status)
        {
            Filed = status;
        }
        else
        {
            Errors.AddRange(ApiResults.Messages(result.Problem!, T));
        }

        await LoadUnitsAsync(ct);
        return Page();
    }

    private async Task LoadUnitsAsync(CancellationToken ct)
    {
        Units = await FindAsync(UnitQuery, ct);
        if (!string.IsNullOrWhiteSpace(AgainstOrganization) && !Units.Any(u => u.Code == AgainstOrganization))
        {
            // The unit already chosen stays on the form after a refused post.
            await using var db = database.CreateContext();
            if (await db.Organizations.AsNoTracking().Where(o => o.Kind == "unit" && o.Code == AgainstOrganization).Select(o => o.Name).FirstOrDefaultAsync(ct) is { } name)
            {
                Units.Insert(0, (AgainstOrganization, name));
            }
        }
    }

    /// <summary>Units whose name or code contains the text; none for an empty text (the form asks for a few characters first).</summary>
    private async Task<List<(string Code, string Name)>> FindAsync(string? text, CancellationToken ct)
    {
        var q = text?.Trim() ?? "";
        if (q.Length == 0 || q.Length > 100)
        {
            return [];
        }

        await using var db = database.CreateContext();
        return [.. (await db.Organizations.AsNoTracking().Where(o => o.Kind == "unit" && (o.Name.Contains(q) || o.Code.Contains(q)))
                .OrderBy(o => o.Name).Take(MaxMatches).Select(o => new { o.Code, o.Name }).ToListAsync(ct))
            .Select(o => (o.Code, o.Name))];
    }
}
