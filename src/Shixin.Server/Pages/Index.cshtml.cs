using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Shixin.Server.Public;
using Shixin.Server.Web;

namespace Shixin.Server.Pages;

/// <summary>
/// The public portal: search the list by name with an optional ID number or credit code. The form is posted so that an
/// ID number never sits in the address bar, the browser history or a proxy's log (issue 15); a search in the query string
/// (old links, GET /?name=…) still works. Only a search counts against the address's allowance (PublicApi.PagePolicy).
/// </summary>
[EnableRateLimiting(PublicApi.PagePolicy)]
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

    /// <summary>Whether the search gave an ID number (its paging is posted too, so the number stays out of links).</summary>
    public bool HasIdNumber => !string.IsNullOrWhiteSpace(IdNumber);

    public Task OnGetAsync(CancellationToken ct) => SearchAsync(ct);

    public Task OnPostAsync(CancellationToken ct) => SearchAsync(ct);

    private async Task SearchAsync(CancellationToken ct)
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

    /// <summary>The next page's address for a search without an ID number (a search with one pages by a posted form).</summary>
    public string NextUrl(string next) =>
        "/?name=" + Uri.EscapeDataString(Name ?? "") + "&creditCode=" + Uri.EscapeDataString(CreditCode ?? "") + "&cursor=" + next;
}
