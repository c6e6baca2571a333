using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shixin.Server.Auth;

namespace Shixin.Server.Pages;

/// <summary>Ends the staff session.</summary>
public sealed class SignOutModel(StaffAccounts accounts) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // Server-side first: a copy of the cookie kept anywhere stops working on every node (issue 11 finding 8).
        if (User.FindFirst(StaffAccounts.SessionIdClaim)?.Value is { } session)
        {
            await accounts.EndSessionAsync(session, ct);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/");
    }
}
