using System.Collections.Concurrent;
using System.Collections.Frozen;
using Shixin.Core;
using Shixin.Data;
using Shixin.Screening;

namespace Shixin.Server.Units;

/// <summary>What a check needs to know about a court exemption the index holds by number: its id and its scenarios.</summary>
public sealed record CourtExemptionRef(Guid Id, string Kind, FrozenSet<string> Scenarios, DateOnly ValidUntil);

/// <summary>
/// The court exemptions this node's screening index holds, by the number the index refers to them with
/// (<c>court_exemptions.no</c>). The follower fills it before it applies the index change that introduces a number,
/// so a check never finds a number it cannot resolve.
/// </summary>
public sealed class CourtExemptionBook
{
    private readonly ConcurrentDictionary<int, CourtExemptionRef> _byNo = new();

    public bool TryGet(int no, out CourtExemptionRef exemption) => _byNo.TryGetValue(no, out exemption!);

    public int Count => _byNo.Count;

    /// <summary>
    /// The index form of a stored exemption; false when its key does not parse or its number does not fit.
    /// The window runs from the start of ValidFrom to the end of ValidUntil, China time: it lapses by itself.
    /// </summary>
    public bool TryProject(CourtExemptionRow row, out Exemption exemption)
    {
        exemption = default;
        if (row.No > int.MaxValue || !ScreeningKeys.TryPack(row.SubjectKey, out var key))
        {
            return false;
        }

        _byNo[(int)row.No] = new CourtExemptionRef(row.Id, row.Kind,
            row.Scenarios.Split(',', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal), row.ValidUntil);
        exemption = new Exemption(key, (int)row.No, ExemptionKind.CourtPermission, StartOf(row.ValidFrom), StartOf(row.ValidUntil.AddDays(1)));
        return true;
    }

    /// <summary>The UTC ticks of 00:00 China time on the day.</summary>
    public static long StartOf(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).UtcTicks;
}
