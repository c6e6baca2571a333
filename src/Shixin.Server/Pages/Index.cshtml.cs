using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Shixin.Server.Public;
using Shixin.Server.Web;

namespace Shixin.Server.Pages;

/// <summary>The public portal: search the list by name with an optional ID number or credit code.</summary>
[EnableRateLimiting(PublicApi.RatePolicy)]
public sealed class IndexModel(PublicQuery query) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Name { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? IdNumber { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? CreditCode { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public PublicPage? Results { get; private set; }

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    public Ui T => Ui.For(HttpContext);

    public bool Searched { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Name is null && IdNumber is null && CreditCode is null)
        {
            return;
        }

        Searched = true;
        var search = new PublicSearch(Name, IdNumber, CreditCode, Cursor);
        var (page, errors) = await query.SearchAsync(search, ct);
        if (page is not null)
        {
            await HttpContext.RequestServices.GetRequiredService<Ops.Audit>().PublicSearchAsync(HttpContext, search, page, ct);
        }

        if (errors is not null)
        {
            foreach (var (field, messages) in errors.ToDictionary())
            {
                FieldErrors[field] = string.Join(" ", messages.Select(m => m.In(T.English)));
            }
        }

        Results = page;
    }

    /// <summary>Messages carry "English / 中文"; show the reader's half.</summary>
    public string LocalPart(string message)
    {
        var i = message.IndexOf(" / ", StringComparison.Ordinal);
        return i < 0 ? message : T.English ? message[..i] : message[(i + 3)..];
    }

    public string NextUrl(string next) =>
        "/?name=" + Uri.EscapeDataString(Name ?? "") + "&idNumber=" + Uri.EscapeDataString(IdNumber ?? "") + "&creditCode=" + Uri.EscapeDataString(CreditCode ?? "") + "&cursor=" + next;
}
