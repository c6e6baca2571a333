using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Http;

namespace Shixin.Server.Auth;

/// <summary>How a sign-in attempt ended.</summary>
public enum SignInOutcome
{
    SignedIn,
    Invalid,
    Locked,
}

/// <summary>The result of a sign-in attempt; the user on success, the lock's end when locked.</summary>
public sealed record SignInAttempt(SignInOutcome Outcome, UserRow? User, DateTimeOffset? LockedUntil);

/// <summary>
/// Personal staff accounts for the web consoles: user name and a password hashed with ASP.NET Core's
/// <see cref="PasswordHasher{TUser}"/>, bound to one organization and its roles (the same role names as
/// API keys). Five failures in a row lock the account for 15 minutes.
/// </summary>
public sealed class StaffAccounts(ShixinDatabase database, TimeProvider time)
{
    public const int MaxFailures = 5;
    public const int MinPasswordLength = 10;
    public const string UserIdClaim = "shixin:uid";
    public const string SessionIdClaim = "shixin:sid";
    public static readonly TimeSpan LockoutPeriod = TimeSpan.FromMinutes(15);
    private readonly PasswordHasher<UserRow> _hasher = new();

    /// <summary>Validates and creates an account; field errors when the request is not acceptable, a conflict when the name is taken.</summary>
    public async Task<(UserRow? User, IResult? Problem)> CreateAsync(Caller? by, string organizationCode, string? userName, string? displayName, string? password, string[]? roles, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Code == organizationCode, ct);
        if (org is null)
        {
            return (null, Problems.NotFound(new("单位“" + organizationCode + "”", "organization '" + organizationCode + "'")));
        }

        var errors = new FieldErrors();
        var name = userName?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length is < 3 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add("userName", new("用户名须为3至64个英文字母、数字或“-”“_”“.”", "userName is required: 3–64 ASCII letters, digits, '-', '_' or '.'"));
        }

        if (password is null || password.Length < MinPasswordLength || password.Length > 200)
        {
            errors.Add("password", new("密码长度应为" + MinPasswordLength.ToString(System.Globalization.CultureInfo.InvariantCulture) + "至200个字符",
                "password must have " + MinPasswordLength.ToString(System.Globalization.CultureInfo.InvariantCulture) + " to 200 characters"));
        }

        roles ??= [];
        if (roles.Length == 0)
        {
            errors.Add("roles", new("请至少选择一个角色", "at least one role is required: " + string.Join(", ", Roles.All)));
        }

        foreach (var r in roles)
        {
            if (!Roles.All.Contains(r, StringComparer.Ordinal))
            {
                errors.Add("roles", new("所选角色无法识别", "unknown role '" + r + "'"));
            }
            else if (!Roles.FitsKind(r, org.Kind))
            {
                errors.Add("roles", new("“" + Web.ZhNames.Role(r) + "”角色不适用于" + Web.ZhNames.OrganizationKind(org.Kind), "role '" + r + "' does not fit a " + org.Kind));
            }
        }

        if (displayName is { Length: > 100 })
        {
            errors.Add("displayName", new("显示名称不能超过100个字", "displayName has at most 100 characters"));
        }

        if (errors.Any)
        {
            return (null, errors.ToProblem());
        }

        if (await db.Users.AnyAsync(u => u.UserName == name, ct))
        {
            return (null, Problems.Of("conflict", new("用户名“" + name + "”已被使用", "user '" + name + "' exists already")));
        }

        var row = new UserRow
        {
            Id = "usr_" + Guid.CreateVersion7().ToString("N"), // the whole UUIDv7: a prefix collides within a millisecond
            UserName = name!,
            OrganizationCode = org.Code,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? name! : displayName.Trim(),
            PasswordHash = "",
            Roles = string.Join(',', roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        row.PasswordHash = _hasher.HashPassword(row, password!);
        db.Users.Add(row);
        if (by is not null)
        {
            Ops.Audit.Stage(db, by, "user.create", "user:" + row.UserName, org.Code + ":" + row.Roles, time);
        }

        await db.SaveChangesAsync(ct);
        return (row, null);
    }

    /// <summary>What the hub administrator can do to a staff account (issue 15 item 7).</summary>
    public static readonly IReadOnlyList<string> AccountActions = ["disable", "enable", "unlock", "reset-password"];

    /// <summary>
    /// Disables, enables, unlocks or resets the password of an account, recording who did it in the audit trail.
    /// Disabling ends every open session of the account at once (its cookies sign no one in on any node); so does a
    /// password reset, since a reset usually means the old password may be known to someone else. Unlocking clears the
    /// lock after <see cref="MaxFailures"/> failures. An administrator cannot disable their own account (the hub would be
    /// left without one by mistake). The password is never written to the audit trail.
    /// </summary>
    public async Task<(UserRow? User, IResult? Problem)> ChangeAsync(Caller by, string organizationCode, string userName, string action, string? password, CancellationToken ct)
    {
        if (!AccountActions.Contains(action, StringComparer.Ordinal))
        {
            return (null, Problems.NotFound(new("操作“" + action + "”", "action '" + action + "'")));
        }

        await using var db = database.CreateContext();
        var user = userName.Length <= 64 ? await db.Users.FirstOrDefaultAsync(u => u.UserName == userName && u.OrganizationCode == organizationCode, ct) : null;
        if (user is null)
        {
            return (null, Problems.NotFound(new("单位“" + organizationCode + "”的用户“" + (userName.Length <= 64 ? userName : userName[..64] + "…") + "”", "user '" + (userName.Length <= 64 ? userName : userName[..64] + "…") + "' of organization '" + organizationCode + "'")));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var endSessions = false;
        switch (action)
        {
            case "disable":
                if (string.Equals(by.KeyId, "user:" + user.UserName, StringComparison.Ordinal))
                {
                    return (null, Problems.Of("conflict", new("不能停用自己的账户", "you cannot disable your own account")));
                }

                user.DisabledAt ??= now;
                endSessions = true;
                break;
            case "enable":
                user.DisabledAt = null;
                user.FailedCount = 0;
                break;
            case "unlock":
                user.LockedUntil = null;
                user.FailedCount = 0;
                break;
            default:
                if (password is null || password.Length < MinPasswordLength || password.Length > 200)
                {
                    var errors = new FieldErrors();
                    errors.Add("password", new("密码应为" + MinPasswordLength.ToString(System.Globalization.CultureInfo.InvariantCulture) + "至200个字符", "password must have " + MinPasswordLength.ToString(System.Globalization.CultureInfo.InvariantCulture) + " to 200 characters"));
                    return (null, errors.ToProblem());
                }

                user.PasswordHash = _hasher.HashPassword(user, password);
                user.LockedUntil = null;
                user.FailedCount = 0;
                endSessions = true;
                break;
        }

        var ended = 0;
        if (endSessions)
        {
            foreach (var session in await db.StaffSessions.Where(x => x.UserId == user.Id && x.EndedAt == null).ToListAsync(ct))
            {
                session.EndedAt = now;
                ended++;
            }
        }

        Ops.Audit.Stage(db, by, "user." + action, "user:" + user.UserName, user.OrganizationCode
            + (endSessions ? "; sessions ended: " + ended.ToString(System.Globalization.CultureInfo.InvariantCulture) : ""), time);
        await db.SaveChangesAsync(ct);
        return (user, null);
    }

    /// <summary>Checks a password, counting failures and locking after <see cref="MaxFailures"/> in a row.</summary>
    public async Task<SignInAttempt> SignInAsync(string? userName, string? password, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return new SignInAttempt(SignInOutcome.Invalid, null, null);
        }

        var name = userName.Trim();
        await using var db = database.CreateContext();
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == name && u.DisabledAt == null, ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (user is null)
        {
            // Spend the same effort as a real check, so that timing does not tell which names exist.
            _hasher.VerifyHashedPassword(new UserRow { Id = "", UserName = "", OrganizationCode = "", DisplayName = "", PasswordHash = "", Roles = "" }, DummyHash, password);
            return new SignInAttempt(SignInOutcome.Invalid, null, null);
        }

        if (user.LockedUntil is { } until && until > now)
        {
            return new SignInAttempt(SignInOutcome.Locked, null, new DateTimeOffset(until, TimeSpan.Zero));
        }

        var verdict = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            user.FailedCount++;
            if (user.FailedCount >= MaxFailures)
            {
                user.LockedUntil = now + LockoutPeriod;
                user.FailedCount = 0;
            }

            await db.SaveChangesAsync(ct);
            return user.LockedUntil is { } locked && locked > now
                ? new SignInAttempt(SignInOutcome.Locked, null, new DateTimeOffset(locked, TimeSpan.Zero))
                : new SignInAttempt(SignInOutcome.Invalid, null, null);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = _hasher.HashPassword(user, password);
        }

        user.FailedCount = 0;
        user.LockedUntil = null;
        user.LastSignInAt = now;
        await db.SaveChangesAsync(ct);
        return new SignInAttempt(SignInOutcome.SignedIn, user, null);
    }

    /// <summary>Opens a server-side session for a user who just signed in; the cookie carries its id.</summary>
    public async Task<string> StartSessionAsync(string userId, CancellationToken ct)
    {
        var id = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        await using var db = database.CreateContext();
        db.StaffSessions.Add(new StaffSessionRow { Id = id, UserId = userId, CreatedAt = time.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(ct);
        return id;
    }

    /// <summary>Ends a session: its cookie, even a copy kept elsewhere, no longer signs anyone in on any node.</summary>
    public async Task EndSessionAsync(string sessionId, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var row = await db.StaffSessions.FirstOrDefaultAsync(x => x.Id == sessionId, ct);
        if (row is { EndedAt: null })
        {
            row.EndedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>
    /// The caller a signed-in user acts as: the same record API keys produce, so every rule applies alike. Null when the
    /// account is disabled or the session was ended (signed out), checked on every request (issue 11 finding 8).
    /// </summary>
    public async Task<Caller?> CallerForAsync(string userId, string sessionId, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var found = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.DisabledAt == null
                && db.StaffSessions.Any(x => x.Id == sessionId && x.UserId == userId && x.EndedAt == null))
            .Join(db.Organizations.AsNoTracking(), u => u.OrganizationCode, o => o.Code, (u, o) => new { u.UserName, u.Roles, o.Code, o.Kind, o.Region, o.ParentCode })
            .FirstOrDefaultAsync(ct);
        return found is null ? null : new Caller("user:" + found.UserName, found.Code, found.Kind, found.Region, found.ParentCode,
            found.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries).ToImmutableHashSet(StringComparer.Ordinal));
    }

    public async Task<List<UserRow>> ListAsync(string? organizationCode, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var q = db.Users.AsNoTracking();
        if (organizationCode is not null)
        {
            q = q.Where(u => u.OrganizationCode == organizationCode);
        }

        return await q.OrderBy(u => u.OrganizationCode).ThenBy(u => u.UserName).ToListAsync(ct);
    }

    /// <summary>The cookie's identity for a user who just signed in.</summary>
    public static ClaimsPrincipal Principal(UserRow user, string sessionId) => new(new ClaimsIdentity(
        [
            new Claim(UserIdClaim, user.Id),
            new Claim(SessionIdClaim, sessionId),
            new Claim(ClaimTypes.Name, user.UserName),
            new Claim("shixin:display", user.DisplayName),
            new Claim("shixin:org", user.OrganizationCode),
        ], CookieAuthenticationDefaults.AuthenticationScheme));

    private static readonly string DummyHash = new PasswordHasher<UserRow>().HashPassword(
        new UserRow { Id = "", UserName = "", OrganizationCode = "", DisplayName = "", PasswordHash = "", Roles = "" }, "not-a-password-" + Guid.NewGuid().ToString("N"));
}

/// <summary>
/// Where the staff cookie counts, and what it leaves for the layout; <see cref="StaffSessionAuthenticationHandler"/>
/// turns a valid cookie into the same <see cref="Caller"/> record API keys produce. A bearer key, when sent, takes precedence.
/// </summary>
public static class StaffSession
{
    public const string DisplayNameItem = "shixin.display-name";

    /// <summary>
    /// The cookie is for the consoles (issue 11 finding 11). The API takes keys for every write: a cookie never
    /// authenticates a POST, PUT, PATCH or DELETE under /api/, so no other site can make a signed-in browser write
    /// through the API, whatever SameSite a browser honours. Safe reads under /api/ still take it, because the consoles
    /// link to the API's downloads (quarterly report CSV/HTML/PDF, special-subject notifications); the pages' own forms
    /// carry antiforgery tokens (Razor Pages validates them on every POST).
    /// </summary>
    public static bool CookieMayAuthenticate(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
}

/// <summary>The staff cookie's settings.</summary>
public static class StaffCookie
{
    public const string Name = "shixin.staff";

    public static IServiceCollection AddStaffSignIn(this IServiceCollection services)
    {
        services.AddSingleton<StaffAccounts>();
        services.AddAuthentication().AddCookie(o =>
        {
            o.Cookie.Name = Name;
            o.Cookie.HttpOnly = true;
            // Strict: the cookie never rides on a request another site starts, so it cannot be used for cross-site writes.
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/signin";
        });
        return services;
    }
}
