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
        await query.GetAsync(id, ct) is { } e ? TypedResults.Ok(e) : Problems.NotFound("public entry " + id.ToString());

    /// <summary>A fixed window per client address; SHIXIN_PUBLIC_RATE_PER_MINUTE sets the allowance.</summary>
    public static IServiceCollection AddPublicRateLimiting(this IServiceCollection services, IConfiguration config)
    {
        var perMinute = int.TryParse(config["SHIXIN_PUBLIC_RATE_PER_MINUTE"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : DefaultPerMinute;
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(RatePolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true }));
            o.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 60;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            await Problems.Of("rate-limited", "too many public queries from this address; retry after " + seconds.ToString(CultureInfo.InvariantCulture) + " s")
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
