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

    /// <summary>A unit that answers courts' investigation and control tasks (执行查控, issue 14).</summary>
    public const string UnitAssist = "unit.assist";
    public const string HubAdmin = "hub.admin";
    public const string HubAuditor = "hub.auditor";

    public static readonly ImmutableArray<string> All = [CourtClerk, CourtJudge, UnitChecker, UnitFeedback, UnitSubscriber, UnitAssist, HubAdmin, HubAuditor];

    /// <summary>A role fits an organization of its own kind only.</summary>
    public static bool FitsKind(string role, string kind) => role.StartsWith(kind + ".", StringComparison.Ordinal);
}

/// <summary>
/// Issues, resolves and revokes API keys. Only a SHA-256 hash of a key is stored. Resolved keys are cached; every node
/// compares the number of revoked keys in the database with the one its cache was built under at most once a second,
/// and drops the cache when it changed, so a key revoked on any node answers 401 on every node within about a second
/// (API.md "Bootstrap and organizations"). The node that revokes drops the key at once.
/// </summary>
public sealed class ApiKeys(ShixinDatabase database, TimeProvider time)
{
    /// <summary>How stale a node's view of revocations may get.</summary>
    public static readonly TimeSpan RevocationCheckInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Caller> _cache = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _revokedCount = -1;
    private long _checkedAt = long.MinValue / 4; // far enough in the past, without overflow in the subtraction
    private Task? _sync;
    private long _generation;

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
        await SyncRevocationsAsync(ct);
        var hash = Hash(key);
        if (_cache.TryGetValue(hash, out var cached))
        {
            return cached;
        }

        // A cache cleared while this read ran may have been cleared for this very key: then answer, but do not cache.
        var generation = Interlocked.Read(ref _generation);
        await using var db = database.CreateContext();
        var row = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash && k.RevokedAt == null, ct);
        if (row is null)
        {
            return null;
        }

        var org = await db.Organizations.AsNoTracking().FirstAsync(o => o.Code == row.OrganizationCode, ct);
        var caller = new Caller(row.Id, org.Code, org.Kind, org.Region, org.ParentCode,
            row.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries).ToImmutableHashSet(StringComparer.Ordinal));
        if (Interlocked.Read(ref _generation) == generation)
        {
            _cache[hash] = caller;
        }

        return caller;
    }

    /// <summary>Drops a revoked key from this node's cache at once (other nodes notice within a second).</summary>
    public void Forget(string keyId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (hash, caller) in _cache)
        {
            if (string.Equals(caller.KeyId, keyId, StringComparison.Ordinal))
            {
                _cache.TryRemove(hash, out _);
            }
        }
    }

    /// <summary>At most once per interval, one request reads the revocation count; requests arriving meanwhile wait for it.</summary>
    private Task SyncRevocationsAsync(CancellationToken ct)
    {
        if (Environment.TickCount64 - Interlocked.Read(ref _checkedAt) < (long)RevocationCheckInterval.TotalMilliseconds)
        {
            return Task.CompletedTask;
        }

        Task sync;
        lock (_gate)
        {
            // A finished sync is replaced; on SQLite the provider's "async" calls complete synchronously, so the task
            // may already be done when it is stored.
            if (_sync is null || _sync.IsCompleted)
            {
                _sync = SyncCoreAsync();
            }

            sync = _sync;
        }

        return sync.WaitAsync(ct);
    }

    private async Task SyncCoreAsync()
    {
        await using var db = database.CreateContext();
        var revoked = await db.ApiKeys.AsNoTracking().LongCountAsync(k => k.RevokedAt != null);
        if (revoked != Interlocked.Read(ref _revokedCount))
        {
            Interlocked.Increment(ref _generation);
            _cache.Clear();
            Interlocked.Exchange(ref _revokedCount, revoked);
        }

        Interlocked.Exchange(ref _checkedAt, Environment.TickCount64);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
