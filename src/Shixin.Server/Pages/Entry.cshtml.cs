using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Shixin.Server.Public;
using Shixin.Server.Web;

namespace Shixin.Server.Pages;

/// <summary>One public entry, with the national platform's fields.</summary>
[EnableRateLimiting(PublicApi.PagePolicy)]
public sealed class EntryModel(PublicQuery query) : PageModel
{
    public PublicEntry? Entry { get; private set; }

    public Ui T => Ui.For(HttpContext);

    public async Task OnGetAsync(Guid id, CancellationToken ct)
    {
        Entry = await query.GetAsync(id, ct);
        if (Entry is null)
        {
            Response.StatusCode = 404;
        }
    }
}
