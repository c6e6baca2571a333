using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Hub;

/// <summary>
/// The hub administrator creates personal staff accounts for organizations, and disables, enables, unlocks them or
/// resets their passwords (issue 15 item 7) through the same <see cref="StaffAccounts"/> rule the API uses.
/// </summary>
public sealed class UsersModel(StaffAccounts accounts, ShixinDatabase database, TimeProvider time) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.HubAdmin];

    [BindProperty] public string? Organization { get; set; }
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public List<string> SelectedRoles { get; set; } = [];

    public List<OrganizationRow> Organizations { get; private set; } = [];

    public List<UserRow> Users { get; private set; } = [];

    public string? Created { get; private set; }

    /// <summary>Now, from the platform's clock (a lock shows only while it lasts).</summary>
    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    /// <summary>The message after an account action ("users.done.disable" and its user name).</summary>
    public (string Key, string User)? Done { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (user, problem) = await accounts.CreateAsync(Caller, Organization ?? "", UserName, DisplayName, Password, [.. SelectedRoles], ct);
        if (problem is not null)
        {
            Errors.AddRange(ApiResults.Messages(problem, T));
        }
        else
        {
            Created = user!.UserName;
            UserName = DisplayName = null;
            SelectedRoles = [];
        }

        Password = null;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostChangeAsync(string? org, string? user, string? act, string? newPassword, CancellationToken ct)
    {
        var (changed, problem) = await accounts.ChangeAsync(Caller, org ?? "", user ?? "", act ?? "", newPassword, ct);
        if (problem is not null)
        {
            Errors.AddRange(ApiResults.Messages(problem, T));
        }
        else
        {
            Done = ("users.done." + act, changed!.UserName);
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await using var db = database.CreateContext();
        Organizations = await db.Organizations.AsNoTracking().OrderBy(o => o.Kind).ThenBy(o => o.Code).ToListAsync(ct);
        Users = await accounts.ListAsync(null, ct);
    }
}
