using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace Shixin.Server.Auth;

/// <summary>
/// Who is calling, in ASP.NET Core's own terms: one policy scheme picks between the API key (a bearer header) and the
/// staff cookie (pages, and the safe API reads the consoles link to), and both produce the same <see cref="Caller"/>,
/// whose roles become role claims. Roles are then checked in one place, the authorization middleware, against the
/// policy each endpoint declares with <see cref="CallerAccess.RequireRoles{TBuilder}"/> (API.md "Auth").
/// </summary>
public static class ShixinAuthentication
{
    /// <summary>The default scheme: forwards to <see cref="ApiKeyScheme"/> or <see cref="StaffScheme"/>.</summary>
    public const string Scheme = "shixin";

    public const string ApiKeyScheme = "api-key";

    public const string StaffScheme = "staff-session";

    public static IServiceCollection AddShixinAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or staff session", o =>
            {
                // A sent Authorization header always decides (a key takes precedence over the cookie, even a bad key);
                // the cookie counts only where StaffSession.CookieMayAuthenticate allows it.
                o.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.Count == 0 && context.Request.Cookies.ContainsKey(StaffCookie.Name)
                    && StaffSession.CookieMayAuthenticate(context.Request)
                        ? StaffScheme
                        : ApiKeyScheme;
                o.ForwardSignIn = CookieAuthenticationDefaults.AuthenticationScheme;
                o.ForwardSignOut = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, null)
            .AddScheme<AuthenticationSchemeOptions, StaffSessionAuthenticationHandler>(StaffScheme, null);
        services.AddAuthorization();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }

    /// <summary>The policy of an endpoint or page: a signed-in caller holding any of <paramref name="roles"/>.</summary>
    public static AuthorizationPolicy RolePolicy(params string[] roles) =>
        new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().RequireRole(roles).Build();

    /// <summary>The principal of a caller: its organization and key (or user) as claims, its roles as role claims.</summary>
    public static ClaimsPrincipal Principal(Caller caller, string authenticationType, IEnumerable<Claim>? more = null)
    {
        var claims = new List<Claim>
        {
            new("shixin:org", caller.OrganizationCode),
            new("shixin:key", caller.KeyId),
        };
        claims.AddRange(caller.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (more is not null)
        {
            claims.AddRange(more.Where(c => c.Type is not ClaimTypes.Role and not "shixin:org"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }
}

/// <summary>
/// "Authorization: Bearer &lt;key&gt;": resolves the key (hash lookup, cached; revocations seen within a second) to its
/// caller. No header or another scheme is no result (a public endpoint still answers); an unknown or revoked key fails.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var key = header["Bearer ".Length..].Trim();
        if (key.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (await keys.ResolveAsync(key, Context.RequestAborted) is not { } caller)
        {
            return AuthenticateResult.Fail("unknown or revoked key");
        }

        Context.Items[typeof(Caller)] = caller;
        return AuthenticateResult.Success(new AuthenticationTicket(ShixinAuthentication.Principal(caller, Scheme.Name), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Http.Problems.Unauthorized().ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Http.Problems.Forbidden(new("无权办理该事项", "this key may not do this")).ExecuteAsync(Context);
}

/// <summary>
/// The staff sign-in cookie, valid only while its session is (signed out, disabled or reset accounts end at once):
/// the same <see cref="Caller"/> record API keys produce, so every service and role check applies alike.
/// </summary>
public sealed class StaffSessionAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, StaffAccounts accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var auth = await Context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!auth.Succeeded || auth.Principal.FindFirst(StaffAccounts.UserIdClaim)?.Value is not { } uid
            || auth.Principal.FindFirst(StaffAccounts.SessionIdClaim)?.Value is not { } sid)
        {
            return AuthenticateResult.NoResult();
        }

        if (await accounts.CallerForAsync(uid, sid, Context.RequestAborted) is not { } caller)
        {
            return AuthenticateResult.Fail("the staff session has ended");
        }

        Context.Items[typeof(Caller)] = caller;
        Context.Items[StaffSession.DisplayNameItem] = auth.Principal.FindFirst("shixin:display")?.Value ?? auth.Principal.Identity?.Name;
        // The cookie's own claims (name, user and session ids) stay: antiforgery tokens are bound to the name.
        return AuthenticateResult.Success(new AuthenticationTicket(ShixinAuthentication.Principal(caller, Scheme.Name, auth.Principal.Claims), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Http.Problems.Unauthorized().ExecuteAsync(Context);
}

/// <summary>
/// Answers a refused API request as a problem: 401 <c>unauthorized</c> without a valid caller, 403 <c>forbidden</c>
/// naming the roles the endpoint needs (API.md "Auth"), before the endpoint reads its body.
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            return Http.Problems.Unauthorized().ExecuteAsync(context);
        }

        if (authorizeResult.Forbidden)
        {
            var roles = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<RolesAuthorizationRequirement>().FirstOrDefault()?.AllowedRoles
                ?? policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles);
            return Http.Problems.Forbidden(CallerAccess.LacksRole(roles)).ExecuteAsync(context);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
