using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Shixin.Server.Http;
using Shixin.Server.Web;

namespace Shixin.Server.Public;

/// <summary>The public query API (API.md "Public query"): no key, rate-limited per client address.</summary>
public static class PublicApi
{
    /// <summary>The rate-limiter policy of the public query API (search, entry, removals) and the tracking-code lookup.</summary>
    public const string RatePolicy = "public";

    /// <summary>
    /// The policy of the public pages: only a request that runs a search or shows a result counts against the address
    /// (the search form posted, or a search in the query string, and an entry's detail page); the home page, the
    /// complaint form, the removals page and static files never do, so an office behind one address is never locked out of
    /// them, and the 429 page's links lead somewhere that answers (issue 15).
    /// </summary>
    public const string PagePolicy = "public-pages";

    /// <summary>
    /// Public queries per client address and minute. An office of a few dozen people behind one NAT address sharing
    /// 120 a minute can still work (two a second, sustained), while walking the list by names stays slow; searches by ID
    /// number are further limited per name and masked number whatever the address (IdQueryPartition).
    /// </summary>
    public const int DefaultPerMinute = 120;

    /// <summary>Searches with an ID number allowed per name and masked number in each window, from all addresses together.</summary>
    public const int DefaultIdQueriesPerName = 5;

    /// <summary>Complaints one address may file per hour.</summary>
    public const int DefaultComplaintsPerHour = 10;

    /// <summary>The rate-limiter policy for the complaint API and page.</summary>
    public const string ComplaintPolicy = "complaints";

    public static RouteGroupBuilder MapPublicApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/public").WithTags("Public");
        g.MapGet("/search", Search).RequireRateLimiting(RatePolicy)
            .WithSummary("Search public, currently listed entries by name (and optionally ID number or credit code); IDs masked")
            .Produces<PublicPage>().ProducesProblem(400).ProducesProblem(429);
        g.MapGet("/entries/{id:guid}", Get).RequireRateLimiting(RatePolicy)
            .WithSummary("One public, currently listed entry").Produces<PublicEntry>().ProducesProblem(404).ProducesProblem(429);
        return api;
    }

    internal static async Task<IResult> Search(string? name, string? idNumber, string? creditCode, string? cursor, PublicQuery query,
        HttpContext http, Ops.Audit audit, CancellationToken ct)
    {
        var search = new PublicSearch(name, idNumber, creditCode, cursor);
        var (page, errors) = await query.SearchAsync(search, ct);
        if (errors is not null)
        {
            return errors.ToProblem();
        }

        // Every answered public search is in the audit trail, the number searched only as its keyed hash (issue 11 F9).
        await audit.PublicSearchAsync(http, search, page!, ct);
        return TypedResults.Ok(page);
    }

    internal static async Task<IResult> Get(Guid id, PublicQuery query, CancellationToken ct) =>
        await query.GetAsync(id, ct) is { } e ? TypedResults.Ok(e) : Problems.NotFound(new("该公开的失信信息", "public entry " + id.ToString()));

    /// <summary>
    /// Public limits, all ASP.NET Core rate limiters: a fixed window per client address for every public read
    /// (SHIXIN_PUBLIC_RATE_PER_MINUTE, default 120; the portal's home page, complaint form and removals page are not counted); for searches that give an ID number, a further window per name
    /// and masked number shared by every address (SHIXIN_PUBLIC_ID_QUERIES_PER_NAME per
    /// SHIXIN_PUBLIC_ID_QUERY_WINDOW_HOURS, default 5 per 24 h); and for filing complaints a window per address
    /// (SHIXIN_COMPLAINTS_PER_HOUR, default 10).
    /// </summary>
    public static IServiceCollection AddPublicRateLimiting(this IServiceCollection services, IConfiguration config)
    {
        var perMinute = Setting(config, "SHIXIN_PUBLIC_RATE_PER_MINUTE", DefaultPerMinute);
        var perName = Setting(config, "SHIXIN_PUBLIC_ID_QUERIES_PER_NAME", DefaultIdQueriesPerName);
        var nameWindow = TimeSpan.FromHours(Setting(config, "SHIXIN_PUBLIC_ID_QUERY_WINDOW_HOURS", 24));
        var complaintsPerHour = Setting(config, "SHIXIN_COMPLAINTS_PER_HOUR", DefaultComplaintsPerHour);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(RatePolicy, http => PerAddress(http, "public", perMinute, TimeSpan.FromMinutes(1)));
            o.AddPolicy(PagePolicy, http => IsPageQuery(http)
                ? PerAddress(http, "public", perMinute, TimeSpan.FromMinutes(1))
                : RateLimitPartition.GetNoLimiter("page"));

            // Complaints write a row each and reach a unit's desk: a tighter allowance for filing (issue 11 F14). Reading
            // the form is never limited; a complaint's status by tracking code shares the public allowance.
            o.AddPolicy(ComplaintPolicy, http => HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
                ? http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
                    ? PerAddress(http, "public", perMinute, TimeSpan.FromMinutes(1))
                    : RateLimitPartition.GetNoLimiter("form")
                : PerAddress(http, "complaint", complaintsPerHour, TimeSpan.FromHours(1)));

            // The per-name limit runs before the endpoint's per-address policy, for the API and the portal alike.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => IdQueryPartition(http) is { } key
                ? RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perName, Window = nameWindow, QueueLimit = 0, AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    /// <summary>
    /// The partition of a public search that gives an ID number: the name and the number as the public sees it
    /// masked (birth month and day hidden). Every candidate of an enumeration over the hidden birth dates falls in
    /// the same partition, whatever address it comes from, so at most the allowance of dates can be tried per window
    /// (issue 11 F3). Keying by name and mask rather than by name alone keeps one caller from using up the allowance
    /// of everyone searching a common name such as 张伟 with their own counterparty's number. Null when the request
    /// is not an ID search.
    /// </summary>
    internal static string? IdQueryPartition(HttpContext http)
    {
        var path = http.Request.Path;
        if (!(path.Equals("/api/v1/public/search", StringComparison.OrdinalIgnoreCase) || path.Equals("/", StringComparison.Ordinal)
            || path.Equals("/Index", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        // The portal's search form is posted (the number stays out of the address bar); PreloadSearchForm has read it.
        var form = HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType && http.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form is { } f ? f : null;
        var id = (form is null ? http.Request.Query["idNumber"] : form["idNumber"]).ToString().Trim().ToUpperInvariant();
        if (id.Length == 0)
        {
            return null;
        }

        var masked = id.Length == 18 ? string.Concat(id.AsSpan(0, 10), "****", id.AsSpan(14, 4)) : id;
        return "id:" + (form is null ? http.Request.Query["name"] : form["name"]).ToString().Trim() + "|" + masked;
    }

    /// <summary>Whether a public page request runs a search or shows a result (see <see cref="PagePolicy"/>).</summary>
    internal static bool IsPageQuery(HttpContext http)
    {
        var path = http.Request.Path;
        if (path.StartsWithSegments("/entry", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!(path.Equals("/", StringComparison.Ordinal) || path.Equals("/Index", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var q = http.Request.Query;
        return HttpMethods.IsPost(http.Request.Method) || q.ContainsKey("name") || q.ContainsKey("idNumber") || q.ContainsKey("creditCode") || q.ContainsKey("cursor");
    }

    /// <summary>
    /// Reads the portal's posted search form before the rate limiter, so the per-name limit of ID searches sees the
    /// name and number (the limiter's partition callback cannot read a body). Only small urlencoded posts to the portal.
    /// </summary>
    public static IApplicationBuilder UsePublicSearchForm(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType
            && (http.Request.Path.Equals("/", StringComparison.Ordinal) || http.Request.Path.Equals("/Index", StringComparison.OrdinalIgnoreCase))
            && http.Request.ContentLength is null or <= 16 * 1024)
        {
            await http.Request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueCountLimit = 16, BufferBody = true }, http.RequestAborted);
        }

        await next(http);
    });

    private static RateLimitPartition<string> PerAddress(HttpContext http, string scope, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(
            scope + ":" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true });

    private static int Setting(IConfiguration config, string name, int fallback) =>
        int.TryParse(config[name], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 60;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            await Problems.Of("rate-limited", new("查询过于频繁，请" + seconds.ToString(CultureInfo.InvariantCulture) + "秒后再试",
                "too many public requests (from this address, or with this name and ID number); retry after " + seconds.ToString(CultureInfo.InvariantCulture) + " s"))
                .ExecuteAsync(http);
            return;
        }

        // The public pages: a friendly message in the reader's language instead of a bare status.
        var t = Ui.For(http);
        http.Response.ContentType = "text/html; charset=utf-8";
        var html = "<!doctype html><html lang=\"" + t.HtmlLang + "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<title>" + Enc(t["rate.title"]) + "</title><link rel=\"stylesheet\" href=\"/site.css\"></head><body><main class=\"page\">"
            + "<h1>" + Enc(t["rate.title"]) + "</h1><p class=\"notice\" role=\"alert\">" + Enc(t.Format("rate.body", seconds)) + "</p>"
            + "<p>" + Enc(t["rate.meanwhile"]) + "</p><ul><li><a href=\"/\">" + Enc(t["rate.back"]) + "</a></li>"
            + "<li><a href=\"/removals\">" + Enc(t["removals.title"]) + "</a></li><li><a href=\"/complaint\">" + Enc(t["complaint.title"]) + "</a></li></ul>"
            + "<p class=\"muted\">" + Enc(t["rate.office"]) + "</p></main></body></html>";
        await http.Response.WriteAsync(html, ct);
    }

    private static string Enc(string s) => System.Net.WebUtility.HtmlEncode(s);
}
