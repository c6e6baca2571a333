using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Data;

namespace Shixin.Server.Hub;

/// <summary>
/// The size of the list over time, replayed from the ledger's list events (each with its sequence): an entry counts from
/// its <c>entry.listed</c> event's publication date until the effective date of its shield, revocation, deletion or expiry.
/// Events are taken in sequence order, so an exit counts only for an entry that was on the list (e.g. not for one that
/// left during its grace period, before publication).
/// </summary>
public static class ListSizeHistory
{
    private static readonly string[] Types =
        [EntryEventTypes.Listed, EntryEventTypes.Shielded, EntryEventTypes.Revoked, EntryEventTypes.Deleted, EntryEventTypes.Expired];

    /// <summary>One list event: which entry, what happened, and the day it took legal effect.</summary>
    public readonly record struct ListEvent(Guid EntryId, string Type, DateOnly On);

    /// <summary>The number of listed entries at the end of each given day (ascending days).</summary>
    public static int[] SizesAt(IEnumerable<ListEvent> eventsInSequence, IReadOnlyList<DateOnly> days)
    {
        var onList = new HashSet<Guid>();
        var deltas = new SortedDictionary<DateOnly, int>();
        foreach (var e in eventsInSequence)
        {
            var listed = string.Equals(e.Type, EntryEventTypes.Listed, StringComparison.Ordinal);
            if (listed ? onList.Add(e.EntryId) : onList.Remove(e.EntryId))
            {
                deltas[e.On] = deltas.GetValueOrDefault(e.On) + (listed ? 1 : -1);
            }
        }

        var sizes = new int[days.Count];
        var running = 0;
        using var d = deltas.GetEnumerator();
        var more = d.MoveNext();
        for (var i = 0; i < days.Count; i++)
        {
            while (more && d.Current.Key <= days[i])
            {
                running += d.Current.Value;
                more = d.MoveNext();
            }

            sizes[i] = running;
        }

        return sizes;
    }

    /// <summary>Month ends of the last <paramref name="months"/> months, the current month ending today.</summary>
    public static DateOnly[] MonthEnds(DateOnly today, int months)
    {
        var first = new DateOnly(today.Year, today.Month, 1);
        return [.. Enumerable.Range(0, months).Select(i => i == months - 1 ? today : first.AddMonths(i - months + 2).AddDays(-1))];
    }

    /// <summary>Reads the ledger's list events in sequence order and counts the list at each day.</summary>
    public static async Task<int[]> LoadAsync(ShixinDatabase database, IReadOnlyList<DateOnly> days, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var rows = db.LedgerEvents.AsNoTracking().Where(e => e.Seq != null && Types.Contains(e.Type)).OrderBy(e => e.Seq)
            .Select(e => new { e.EntryId, e.Type, e.DataJson, e.OccurredAt }).AsAsyncEnumerable();
        var events = new List<ListEvent>();
        await foreach (var r in rows.WithCancellation(ct))
        {
            var field = string.Equals(r.Type, EntryEventTypes.Listed, StringComparison.Ordinal) ? "publishedOn"
                : string.Equals(r.Type, EntryEventTypes.Expired, StringComparison.Ordinal) ? "expiredOn" : "effectiveOn";
            events.Add(new ListEvent(r.EntryId, r.Type, DateIn(r.DataJson, field) ?? ChinaTime.DateOf(new DateTimeOffset(r.OccurredAt, TimeSpan.Zero))));
        }

        return SizesAt(events, days);
    }

    private static DateOnly? DateIn(string json, string field)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(v.GetString(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
            ? d : null;
    }
}
