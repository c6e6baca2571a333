using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;

namespace Shixin.Server.Units;

/// <summary>What a check tells about a matched entry.</summary>
public sealed record EntryDetail(long No, Guid Id, string CaseNumber, string Court, string CourtName, DateOnly? ListedOn, string Publicity);

/// <summary>
/// Details of matched entries for explanations, cached by entry number. Only hits need them, so the
/// lookup path itself stays free of strings; the follower forgets an entry when it changes.
/// </summary>
public sealed class EntryDetails(ShixinDatabase database, EntryCards cards)
{
    private const int Capacity = 200_000;
    private readonly ConcurrentDictionary<long, EntryDetail> _cache = new();

    public void Forget(long no) => _cache.TryRemove(no, out _);

    public async Task<IReadOnlyDictionary<long, EntryDetail>> GetAsync(IReadOnlyCollection<long> nos, CancellationToken ct)
    {
        var result = new Dictionary<long, EntryDetail>(nos.Count);
        List<long>? missing = null;
        foreach (var no in nos)
        {
            // Every screened entry has a card in memory; the database is asked only for the rest.
            if (cards.Get(no) is { } card)
            {
                result[no] = card;
            }
            else if (_cache.TryGetValue(no, out var d))
            {
                result[no] = d;
            }
            else
            {
                (missing ??= []).Add(no);
            }
        }

        if (missing is null)
        {
            return result;
        }

        await using var db = database.CreateContext();
        var rows = await db.Entries.AsNoTracking().Where(e => missing.Contains(e.No))
            .Join(db.Organizations.AsNoTracking(), e => e.CourtCode, o => o.Code,
                (e, o) => new EntryDetail(e.No, e.Id, e.CaseNumber, e.CourtCode, o.Name, e.PublishedOn, e.Publicity))
            .ToListAsync(ct);
        if (_cache.Count > Capacity)
        {
            // Drop an arbitrary tenth rather than everything, so a large batch does not thrash the cache.
            foreach (var key in _cache.Keys.Take(Capacity / 10))
            {
                _cache.TryRemove(key, out _);
            }
        }

        foreach (var r in rows)
        {
            _cache[r.No] = r;
            result[r.No] = r;
        }

        return result;
    }
}
