using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shixin.Core;
using Shixin.Server.Auth;
using Shixin.Server.Web;

namespace Shixin.Server.Pages;

/// <summary>Staff sign-in with a personal account; five failures lock the account for 15 minutes.</summary>
public sealed class SignInModel(StaffAccounts accounts) : PageModel
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Denied { get; set; }

    public string? Error { get; private set; }

    public Ui T => Ui.For(HttpContext);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var attempt = await accounts.SignInAsync(UserName, Password, ct);
        switch (attempt.Outcome)
        {
            case SignInOutcome.SignedIn:
                var session = await accounts.StartSessionAsync(attempt.User!.Id, ct);
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffAccounts.Principal(attempt.User!, session));
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : HomeFor(attempt.User!.Roles));
            case SignInOutcome.Locked:
                Error = T.Format("signin.locked", ChinaTime.ToChina(attempt.LockedUntil!.Value.UtcDateTime).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
                break;
            default:
                Error = T["signin.invalid"];
                break;
        }

        Password = null;
        return Page();
    }

    private static string HomeFor(string roles) =>
        roles.Contains("court.", StringComparison.Ordinal) ? "/court"
        : roles.Contains("unit.", StringComparison.Ordinal) ? "/unit"
        : roles.Contains("hub.", StringComparison.Ordinal) ? "/hub" : "/";
}
