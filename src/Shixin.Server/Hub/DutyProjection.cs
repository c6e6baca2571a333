using System.Collections.Immutable;
using Shixin.Core.Calendar;
using Shixin.Core.Entries;
using Shixin.Core.Oversight;
using Shixin.Data;

namespace Shixin.Server.Hub;

/// <summary>One duty read from the ledger: an entry duty (<see cref="EntryDuties"/>) or the verification of an objection on the entry.</summary>
public sealed record ProjectedDuty(long EntryNo, Guid EntryId, string? CaseNumber, string Code, string Owner, string TitleZh, string TitleEn,
    Deadline Due, DateOnly? MetOn, Guid? SubjectId, string? MeasureCode, bool IsObjection)
{
    public DutyStatus StatusOn(DateOnly today) => Duties.StatusOn(Due, MetOn, today);
}

/// <summary>
/// Issue 12 item 3: the duties the ledger implies (courts' entry duties and objection verifications), kept as a
/// projection with its own cursor over the ledger instead of deserializing every state of a court on every request
/// (the obligations list, the court's queue, the hub's compliance figures and dashboard read it). Each read first takes
/// in the events after the cursor (<see cref="LedgerChanges"/>), so it is as fresh as the database on every node; only
/// the entries those events touched are derived again. Due dates and met dates are stored; the status is the one rule
/// (<see cref="Duties.StatusOn(Deadline, DateOnly?, DateOnly)"/>) applied to the reader's today.
/// </summary>
public sealed class DutyProjection(ShixinDatabase database, LegalEntryRules rules)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<Guid, ImmutableArray<ProjectedDuty>> _byEntry = [];
    private readonly Dictionary<string, HashSet<Guid>> _entriesByOwner = new(StringComparer.Ordinal);
    private long _cursor;

    /// <summary>The last ledger event id taken in.</summary>
    public long Cursor => Volatile.Read(ref _cursor);

    /// <summary>Every duty an organization owes on entries, as of the ledger now: entry duties by entry number, then objections.</summary>
    public async Task<List<ProjectedDuty>> ForOwnerAsync(string owner, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await CatchUpLockedAsync(ct);
            if (!_entriesByOwner.TryGetValue(owner, out var ids))
            {
                return [];
            }

            var mine = ids.SelectMany(id => _byEntry[id]).Where(d => string.Equals(d.Owner, owner, StringComparison.Ordinal)).ToList();
            return [.. mine.Where(d => !d.IsObjection).OrderBy(d => d.EntryNo), .. mine.Where(d => d.IsObjection).OrderBy(d => d.SubjectId)];
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CatchUpLockedAsync(CancellationToken ct)
    {
        var (last, changed) = await LedgerChanges.SinceAsync(database, _cursor, ct);
        foreach (var e in changed)
        {
            Replace(e.Id, Derive(e.No, LedgerJson.ReadState(e.StateJson)));
        }

        Volatile.Write(ref _cursor, last);
    }

    private ImmutableArray<ProjectedDuty> Derive(long no, EntryState s)
    {
        var duties = ImmutableArray.CreateBuilder<ProjectedDuty>();
        foreach (var d in EntryDuties.For(s, rules))
        {
            duties.Add(new ProjectedDuty(no, s.Id, s.CaseNumber, d.Code, d.OwnerCode, d.TitleZh, d.TitleEn, d.Due, d.MetOn, d.SubjectId, null, false));
        }

        // 002 §四(二)3: the executing court verifies each objection to a unit's measure on the entry.
        foreach (var o in s.Objections)
        {
            var d = OversightDuties.ForObjection(o, rules);
            duties.Add(new ProjectedDuty(no, s.Id, null, d.Code, s.CourtCode, d.TitleZh, d.TitleEn, d.Due, d.MetOn, o.Id, o.MeasureId, true));
        }

        return duties.ToImmutable();
    }

    private void Replace(Guid entryId, ImmutableArray<ProjectedDuty> duties)
    {
        if (_byEntry.TryGetValue(entryId, out var old))
        {
            foreach (var owner in old.Select(d => d.Owner).Distinct())
            {
                _entriesByOwner[owner].Remove(entryId);
            }
        }

        if (duties.IsEmpty)
        {
            _byEntry.Remove(entryId);
            return;
        }

        _byEntry[entryId] = duties;
        foreach (var owner in duties.Select(d => d.Owner).Distinct(StringComparer.Ordinal))
        {
            if (!_entriesByOwner.TryGetValue(owner, out var set))
            {
                _entriesByOwner[owner] = set = [];
            }

            set.Add(entryId);
        }
    }
}
