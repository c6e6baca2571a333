using Microsoft.AspNetCore.Mvc;
using Shixin.Server.Auth;
using Shixin.Server.Investigations;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Hub;

/// <summary>
/// The investigation routing table: which units answer each kind of search in which region. Hub auditors read it; the
/// hub administrator replaces it, through the same rule as PUT /api/v1/investigation-routes.
/// </summary>
public sealed class RoutesModel(InvestigationService investigations) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.HubAdmin, Roles.HubAuditor];

    public bool CanEdit => Caller.Has(Roles.HubAdmin);

    public RoutingTable? Table { get; private set; }

    public bool Saved { get; private set; }

    /// <summary>One route a line: region,kind,unitCode.</summary>
    [BindProperty] public string? Lines { get; set; }

    public async Task OnGetAsync(bool saved, CancellationToken ct)
    {
        Saved = saved;
        Table = await investigations.RoutesAsync(ct);
        Lines = string.Join("\n", Table.Routes.Select(r => r.Region + "," + r.Kind + "," + r.UnitCode));
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanEdit)
        {
            // The page repeats the API's rule for a hub auditor who posts anyway.
            Errors.Add(T.English ? "Only the hub administrator edits the routing table." : "只有平台管理员可以修改路由表。");
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        else
        {
            var routes = (Lines ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => !l.StartsWith('#'))
                .Select(l => l.Split([',', '，'], StringSplitOptions.TrimEntries))
                .Select(p => new RouteBody(p.ElementAtOrDefault(0), p.ElementAtOrDefault(1), p.ElementAtOrDefault(2)))
                .ToArray();
            if (Read(await investigations.PutRoutesAsync(Caller, new RoutesBody(routes), ct)) is not null)
            {
                return Redirect("/hub/routes?saved=true");
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Table = await investigations.RoutesAsync(ct);
        return Page();
    }
}
