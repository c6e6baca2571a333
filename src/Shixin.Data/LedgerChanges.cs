using Microsoft.EntityFrameworkCore;

namespace Shixin.Data;

/// <summary>
/// What a projection with its own cursor reads from the ledger: the entries touched by events after the cursor, with
/// their current state. The cursor is the event row id, not the list sequence: procedural events (a correction filed, a
/// ruling) carry no sequence but change duties. Ids are handed out under the ledger lock, so they grow in commit order.
/// </summary>
public static class LedgerChanges
{
    /// <summary>An entry and its state as the ledger holds it now.</summary>
    public sealed record ChangedEntry(Guid Id, long No, string StateJson);

    /// <summary>
    /// The last event id, and every entry with an event after <paramref name="afterEventId"/> (all entries from 0). The
    /// last id is read first: a state read after it may already include later events, which the next call reads again.
    /// </summary>
    public static async Task<(long LastEventId, List<ChangedEntry> Entries)> SinceAsync(ShixinDatabase database, long afterEventId, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var last = await db.LedgerEvents.AsNoTracking().MaxAsync(e => (long?)e.Id, ct) ?? 0;
        if (last <= afterEventId)
        {
            return (afterEventId, []);
        }

        var entries = db.Entries.AsNoTracking();
        if (afterEventId > 0)
        {
            var touched = db.LedgerEvents.AsNoTracking().Where(e => e.Id > afterEventId && e.Id <= last).Select(e => e.EntryId);
            entries = entries.Where(e => touched.Contains(e.Id));
        }

        var rows = await entries.OrderBy(e => e.No).Select(e => new ChangedEntry(e.Id, e.No, e.StateJson)).ToListAsync(ct);
        return (last, rows);
    }
}
