using Shixin.Data;
using Shixin.Server.Auth;

namespace Shixin.Server.Ops;

/// <summary>The audit trail: every write and every staff read of personal data.</summary>
public sealed class Audit(ShixinDatabase database, TimeProvider time)
{
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

    /// <summary>Records a read of personal data.</summary>
    public async Task ReadAsync(Caller caller, string action, string target, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        Stage(db, caller, action, target, null, time);
        await db.SaveChangesAsync(ct);
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
