using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Shixin.Data;
using Shixin.Server.Hub;
using Shixin.Server.Public;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Complaint;

/// <summary>Follow a complaint by its tracking code (no sign-in; no contact data shown).</summary>
[EnableRateLimiting(PublicApi.RatePolicy)]
public sealed class FollowModel(FileComplaintService complaints) : PageModel
{
    public Ui T => Ui.For(HttpContext);

    public string? Code { get; private set; }

    public ComplaintStatus? Status { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? trackingCode, [FromQuery] string? code, CancellationToken ct)
    {
        // The lookup form sends ?code= to /complaint/follow; a clean address follows.
        if (!string.IsNullOrWhiteSpace(code))
        {
            return Redirect("/complaint/" + Uri.EscapeDataString(code.Trim()));
        }

        Code = trackingCode?.Trim();
        if (string.IsNullOrEmpty(Code) || string.Equals(Code, "follow", StringComparison.Ordinal))
        {
            return Redirect("/complaint");
        }

        if (Code.Length <= 64 && await complaints.FollowAsync(Code, ct) is { } s)
        {
            Status = s;
        }
        else
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }
}
