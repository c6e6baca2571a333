using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;

namespace Shixin.Server.Auth;

/// <summary>The authenticated caller: one organization, one key, its roles (一单位、一账户).</summary>
public sealed record Caller(string KeyId, string OrganizationCode, string OrganizationKind, string Region, string? ParentCode, ImmutableHashSet<string> Roles)
{
    public bool Has(string role) => Roles.Contains(role);

    public bool HasAny(params ReadOnlySpan<string> roles)
    {
        foreach (var r in roles)
        {
            if (Roles.Contains(r))
            {
                return true;
            }
        }

        return false;
    }

    public Actor Actor => new(OrganizationCode, KeyId);
}

/// <summary>Role names (API.md "Bootstrap").</summary>
public static class Roles
{
    public const string CourtClerk = "court.clerk";
    public const string CourtJudge = "court.judge";
    public const string UnitChecker = "unit.checker";
    public const string UnitFeedback = "unit.feedback";
    public const string UnitSubscriber = "unit.subscriber";
    public const string HubAdmin = "hub.admin";
    public const string HubAuditor = "hub.auditor";

    public static readonly ImmutableArray<string> All = [CourtClerk, CourtJudge, UnitChecker, UnitFeedback, UnitSubscriber, HubAdmin, HubAuditor];

    /// <summary>A role fits an organization of its own kind only.</summary>
    public static bool FitsKind(string role, string kind) => role.StartsWith(kind + ".", StringComparison.Ordinal);
}

/// <summary>Issues and resolves API keys. Only a SHA-256 hash of a key is stored.</summary>
public sealed class ApiKeys(ShixinDatabase database, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Caller> _cache = new(StringComparer.Ordinal);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>
    /// A key id that cannot collide: the whole UUIDv7 (issue 15: the first 16 hex digits left about 12 random bits a
    /// millisecond, and keys issued together collided).
    /// </summary>
    public static string NewId() => "key_" + Guid.CreateVersion7().ToString("N");

    public static string NewKey() => "sx_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public async Task<(string Id, string Key)> IssueAsync(ShixinDbContext db, string organizationCode, IEnumerable<string> roles, string? key, CancellationToken ct)
    {
        key ??= NewKey();
        var id = NewId();
        db.ApiKeys.Add(new ApiKeyRow
        {
            Id = id,
            OrganizationCode = organizationCode,
            KeyHash = Hash(key),
            Roles = string.Join(',', roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        return (id, key);
    }

    public async Task<Caller?> ResolveAsync(string key, CancellationToken ct)
    {
        var hash = Hash(key);
        if (_cache.TryGetValue(hash, out var cached))
        {
            return cached;
        }

        await using var db = database.CreateContext();
        var row = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash && k.RevokedAt == null, ct);
        if (row is null)
        {
            return null;
        }

        var org = await db.Organizations.AsNoTracking().FirstAsync(o => o.Code == row.OrganizationCode, ct);
        var caller = new Caller(row.Id, org.Code, org.Kind, org.Region, org.ParentCode,
            row.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries).ToImmutableHashSet(StringComparer.Ordinal));
        _cache[hash] = caller;
        return caller;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
