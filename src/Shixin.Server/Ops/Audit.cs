using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;

namespace Shixin.Server.Ops;

/// <summary>
/// The audit trail (issue 11 F9): one append-only, hash-chained record of who read or checked whom, with the answer.
/// Checks are recorded by the check paths through <see cref="CheckRecordWriter"/>; staff reads, public searches and
/// refused reads through here, by the same group commit; writes are staged in their own transaction (<see cref="Stage"/>)
/// and copied into the trail in order by <see cref="CatchUpAsync"/>. Identifiers are kept only as keyed hashes and masks.
/// </summary>
public sealed class Audit(ShixinDatabase database, CheckRecordWriter trail, LedgerSignal signal, TimeProvider time)
{
    private readonly SemaphoreSlim _copying = new(1, 1);
    private long _copied = -1;

    /// <summary>Adds an audit row to a write's own transaction, so the two commit together.</summary>
    public static void Stage(ShixinDbContext db, Caller caller, string action, string target, string? detail, TimeProvider time) =>
        db.Audit.Add(new AuditRow
        {
            At = time.GetUtcNow().UtcDateTime,
            OrganizationCode = caller.OrganizationCode,
            KeyId = caller.KeyId,
            Action = action,
            Target = target,
            Detail = detail,
        });

    /// <summary>Records a read of personal data; completes once it is durable.</summary>
    public Task ReadAsync(Caller caller, string action, string target, CancellationToken ct) =>
        RecordAsync(caller.OrganizationCode, caller.KeyId, action, target, null, null, null, null, ct);

    /// <summary>
    /// Records a read with what was answered: the subject (hashed and masked here, never stored in clear), the outcome and
    /// the list sequence the answer reflected.
    /// </summary>
    public Task RecordAsync(string organization, string? keyId, string action, string? target, string? subjectKey, string? outcome, long? listSeq,
        string? detail, CancellationToken ct) =>
        trail.AppendAsync([new AuditTrailRow
        {
            At = AuditChain.Truncate(time.GetUtcNow().UtcDateTime),
            OrganizationCode = organization,
            KeyId = keyId,
            Action = action,
            Target = target,
            Subject = subjectKey is null ? null : trail.Hasher.Hash(subjectKey),
            SubjectMask = subjectKey is null ? null : SubjectHasher.Mask(subjectKey),
            Outcome = outcome,
            // The list as this node knew it when it answered, unless the caller says which sequence its answer reflected.
            ListSeq = listSeq ?? signal.Head,
            Detail = detail is { Length: > 4000 } ? detail[..4000] : detail,
        }], ct);

    /// <summary>
    /// Records a public search (API or portal) that was answered: the identifier searched as its keyed hash, how many listed
    /// entries were shown, and the requesting address only as a keyed hash (enough to see one address sweeping many numbers).
    /// </summary>
    public Task PublicSearchAsync(HttpContext http, Public.PublicSearch q, Public.PublicPage page, CancellationToken ct)
    {
        string? subject = null;
        if (Shixin.Core.Identifiers.ResidentId.TryParse(q.IdNumber?.Trim(), out var id))
        {
            subject = "id:" + id.Value;
        }
        else if (Shixin.Core.Identifiers.CreditCode.TryParse(q.CreditCode?.Trim(), out var cc))
        {
            subject = "uscc:" + cc.Value;
        }

        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RecordAsync("public", null, "public.search", "address:" + trail.Hasher.Hash("address:" + address)[..16], subject,
            page.Items.Length == 0 ? "none" : "found", null,
            (q.Name is null ? "" : "name given; ") + page.Items.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " shown: "
                + string.Join(",", page.Items.Select(e => e.Id.ToString())), ct);
    }

    /// <summary>Records a refused request for personal data (401 or 403): who asked, for what, and the status answered.</summary>
    public Task RefusedAsync(HttpContext http, Caller? caller, CancellationToken ct)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RecordAsync(caller?.OrganizationCode ?? "anonymous", caller?.KeyId, "read.refused",
            http.Request.Method + " " + http.Request.Path.Value, null, http.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), null,
            "address:" + trail.Hasher.Hash("address:" + address)[..16], ct);
    }

    /// <summary>Copies the writes' audit rows committed since the last copy into the trail, in id order.</summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        await _copying.WaitAsync(ct);
        try
        {
            if (_copied < 0)
            {
                await using var records = database.Records.CreateContext();
                _copied = await records.Trail.Where(r => r.SourceId != null).MaxAsync(r => (long?)r.SourceId, ct) ?? 0;
            }

            while (true)
            {
                await using var db = database.CreateContext();
                var after = _copied;
                var rows = await db.Audit.AsNoTracking().Where(a => a.Id > after).OrderBy(a => a.Id).Take(2000).ToListAsync(ct);
                if (rows.Count == 0)
                {
                    return;
                }

                await trail.AppendAsync([.. rows.Select(a => new AuditTrailRow
                {
                    At = AuditChain.Truncate(a.At), OrganizationCode = a.OrganizationCode, KeyId = a.KeyId, Action = a.Action, Target = a.Target,
                    Detail = a.Detail, SourceId = a.Id,
                })], ct);
                _copied = rows[^1].Id;
            }
        }
        finally
        {
            _copying.Release();
        }
    }
}

/// <summary>
/// Puts every refused request for personal data (401 or 403 under /api/v1, except the public and catalog reads) in the
/// audit trail, whether the key middleware refused it or the endpoint did (another court's entry, say).
/// </summary>
public sealed class RefusalAuditMiddleware(RequestDelegate next)
{
    private static readonly string[] NotPersonal = ["/api/v1/public", "/api/v1/scenarios", "/api/v1/measures", "/api/v1/catalogs", "/api/v1/context-fields"];

    public async Task InvokeAsync(HttpContext context, Audit audit)
    {
        await next(context);
        if (context.Response.StatusCode is 401 or 403 && context.Request.Path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase)
            && !NotPersonal.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            await audit.RefusedAsync(context, context.Items[typeof(Caller)] as Caller, CancellationToken.None);
        }
    }
}

/// <summary>Copies writes' audit rows into the trail every half second (GET /audit also catches up before it reads).</summary>
public sealed class AuditCopier(Audit audit, Readiness readiness, ILogger<AuditCopier> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!readiness.IsReady)
            {
                continue;
            }

            try
            {
                await audit.CatchUpAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Copying write audit rows into the trail failed; retrying");
            }
        }
    }
}

/// <summary>Wakes whoever follows the ledger (index follower, long-polls) when a write commits.</summary>
public sealed class LedgerSignal
{
    private TaskCompletionSource<long> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _head;

    public long Head => Interlocked.Read(ref _head);

    public void Notify(long head)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _head);
            if (head <= seen)
            {
                break;
            }
        }
        while (Interlocked.CompareExchange(ref _head, head, seen) != seen);

        Interlocked.Exchange(ref _next, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(head);
    }

    /// <summary>Completes at the next commit (or never, if none comes; callers add their own timeout).</summary>
    public Task<long> NextAsync() => Volatile.Read(ref _next).Task;
}
