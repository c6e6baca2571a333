using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Shixin.Core.Oversight;
using Shixin.Data;

namespace Shixin.Server.Units;

/// <summary>
/// Measures suspended by objections, by entry number and objecting unit, for the check path (002 §四(二)3, 003 §三(十二)).
/// The debtor objects to one unit's measure ("对各联合惩戒单位的联合惩戒措施有异议"; 003: "向实施惩戒的部门提出复核申请"), so
/// the suspension covers that unit's own application for that subject only (issue 11 finding 2).
/// <para>
/// A projection of the ledger: objections are entry events with list sequences (<c>entry.objection-filed</c>,
/// <c>entry.objection-verified</c>), and <see cref="IndexFollower"/> refreshes the entries they touch before its index
/// takes in their sequence, so a check that reports sequence N honours every objection up to N, on every node.
/// </para>
/// </summary>
public sealed class ObjectionSuspensions
{
    private volatile FrozenDictionary<(long EntryNo, string Organization), FrozenSet<string>> _byEntry =
        FrozenDictionary<(long, string), FrozenSet<string>>.Empty;

    /// <summary>The measures an objection suspends for this unit's checks of an entry's subject, or null.</summary>
    public IReadOnlySet<string>? For(long entryNo, string organization) =>
        _byEntry.Count != 0 && _byEntry.TryGetValue((entryNo, organization), out var s) ? s : null;

    /// <summary>Every standing suspension, from the projection the ledger writes (snapshot load).</summary>
    public async Task LoadAllAsync(ShixinDbContext db, CancellationToken ct) =>
        _byEntry = Group(await StandingAsync(db, null, ct));

    /// <summary>Replaces the suspensions of the given entries (catch-up after their list events).</summary>
    public async Task RefreshAsync(ShixinDbContext db, IReadOnlyCollection<long> entryNos, CancellationToken ct)
    {
        var fresh = await StandingAsync(db, entryNos, ct);
        var kept = _byEntry.Where(kv => !entryNos.Contains(kv.Key.EntryNo)).SelectMany(kv => kv.Value.Select(m => (kv.Key.EntryNo, kv.Key.Organization, Measure: m)));
        _byEntry = Group([.. kept, .. fresh]);
    }

    private static async Task<List<(long EntryNo, string Organization, string Measure)>> StandingAsync(ShixinDbContext db, IReadOnlyCollection<long>? entryNos, CancellationToken ct)
    {
        var q = db.Objections.AsNoTracking().Where(o => o.Status != ObjectionStatus.Rejected);
        if (entryNos is not null)
        {
            q = q.Where(o => entryNos.Contains(o.EntryNo));
        }

        var rows = await q.Select(o => new { o.EntryNo, o.OrganizationCode, o.MeasureCode }).ToListAsync(ct);
        return [.. rows.Select(r => (r.EntryNo, r.OrganizationCode, r.MeasureCode))];
    }

    private static FrozenDictionary<(long, string), FrozenSet<string>> Group(IEnumerable<(long EntryNo, string Organization, string Measure)> rows) =>
        rows.GroupBy(r => (r.EntryNo, r.Organization)).ToFrozenDictionary(g => g.Key, g => g.Select(r => r.Measure).ToFrozenSet(StringComparer.Ordinal));
}
