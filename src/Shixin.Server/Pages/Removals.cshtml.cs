using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shixin.Data;
using Shixin.Server.Courts;
using Shixin.Server.Units;
using Shixin.Server.Web;

namespace Shixin.Server.Pages;

/// <summary>
/// The public notice of removals (屏蔽、撤销、删除 and expiry): the data of GET /api/v1/public/removals as a page, so that
/// the public and whoever republished the list see what is no longer published and by when a copy must drop it
/// (002 §四(二)7). No search and no personal data beyond what the list showed while published (ID numbers masked).
/// </summary>
public sealed class RemovalsModel(ShixinDatabase database, EntryService entries) : PageModel
{
    /// <summary>How far back the page looks by default.</summary>
    public const int DefaultDays = 90;

    public Ui T => Ui.For(HttpContext);

    public string Since { get; private set; } = "";

    public string? Cursor { get; private set; }

    public Page<PublicRemoval>? Result { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(string? since, string? cursor, CancellationToken ct)
    {
        Since = string.IsNullOrWhiteSpace(since)
            ? entries.Today.AddDays(-DefaultDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : since.Trim();
        Cursor = cursor;
        if (!DateOnly.TryParseExact(Since, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            Error = T["removals.badsince"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (await DistributionApi.Removals(database, entries, Since, cursor, 100, ct) is Ok<Page<PublicRemoval>> { Value: { } page })
        {
            Result = page;
        }
    }

    public string KindText(string kind) => T.Code("removed", kind);
}
