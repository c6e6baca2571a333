using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.HttpOverrides;

namespace Shixin.Server.Http;

/// <summary>
/// Browser-facing hardening on every response (issue 11 finding 11): a Content-Security-Policy, no framing, no MIME
/// sniffing, no referrer. The consoles load scripts and styles from this server only (no inline script); the one inline
/// style block the pages carry (the quarterly report's print rules) is allowed by its hash. The API's HTML documents
/// (report, special-subject notification) carry their own styles and run no script. Swagger UI at /docs keeps inline
/// script and style, which its page needs; it shows no personal data.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    private static readonly string PagesPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' '" + StyleHash(Hub.QuarterlyReports.PrintStyle) + "'; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private const string ApiPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string DocsPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var policy = context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) ? ApiPolicy
            : context.Request.Path.StartsWithSegments("/docs", StringComparison.OrdinalIgnoreCase) ? DocsPolicy
            : PagesPolicy;

        // Set when the response starts: the exception handler clears headers before it writes its problem.
        context.Response.OnStarting(() =>
        {
            var h = context.Response.Headers;
            h.ContentSecurityPolicy = policy;
            h.XFrameOptions = "DENY";
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>The CSP source for an inline style block: 'sha256-…' of the text between the tags.</summary>
    internal static string StyleHash(string styleElement)
    {
        var css = styleElement["<style>".Length..^"</style>".Length];
        return "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(css)));
    }
}

/// <summary>
/// Behind a TLS-terminating proxy the request reaches Kestrel as http, so the staff cookie would lack its Secure flag.
/// SHIXIN_TRUSTED_PROXIES (comma-separated addresses or CIDR networks) names the proxies whose X-Forwarded-Proto and
/// X-Forwarded-For are believed; without it, those headers are ignored (anyone could send them).
/// </summary>
public static class TrustedProxies
{
    public const string Setting = "SHIXIN_TRUSTED_PROXIES";

    /// <summary>Forwarded-header options for the configured proxies, or null when none are configured.</summary>
    public static ForwardedHeadersOptions? From(IConfiguration config)
    {
        if (config[Setting] is not { Length: > 0 } list)
        {
            return null;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var item in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(item, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(item, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                throw new InvalidOperationException(Setting + ": '" + item + "' is neither an IP address nor a CIDR network");
            }
        }

        return options;
    }
}
