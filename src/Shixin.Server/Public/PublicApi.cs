using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Shixin.Server.Http;
using Shixin.Server.Web;

namespace Shixin.Server.Public;

/// <summary>The public query API (API.md "Public query"): no key, rate-limited per client address.</summary>
public static class PublicApi
{
    /// <summary>The rate-limiter policy shared by the public API and the public pages.</summary>
    public const string RatePolicy = "public";

    public const int DefaultPerMinute = 30;

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
    /// (SHIXIN_PUBLIC_RATE_PER_MINUTE, default 30); for searches that give an ID number, a further window per name
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

            // Complaints write a row each and reach a unit's desk: a tighter allowance for filing (issue 11 F14);
            // reading the form or a complaint's status shares the public allowance.
            o.AddPolicy(ComplaintPolicy, http => HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
                ? PerAddress(http, "public", perMinute, TimeSpan.FromMinutes(1))
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

        var id = http.Request.Query["idNumber"].ToString().Trim().ToUpperInvariant();
        if (id.Length == 0)
        {
            return null;
        }

        var masked = id.Length == 18 ? string.Concat(id.AsSpan(0, 10), "****", id.AsSpan(14, 4)) : id;
        return "id:" + http.Request.Query["name"].ToString().Trim() + "|" + masked;
    }

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
            + "<p><a href=\"/\">" + Enc(t["rate.back"]) + "</a></p></main></body></html>";
        await http.Response.WriteAsync(html, ct);
    }

    private static string Enc(string s) => System.Net.WebUtility.HtmlEncode(s);
}
