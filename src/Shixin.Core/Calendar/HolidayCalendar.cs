using System.Collections.Frozen;

namespace Shixin.Core.Calendar;

/// <summary>One day named in a State Council holiday notice: a rest day, or a make-up working day (调休上班).</summary>
public readonly record struct ListedDay(DateOnly Date, string Name, bool IsOffDay);

/// <summary>Which days are rest days in mainland China: weekends and statutory holidays, with make-up working weekends, from holiday-cn data.</summary>
/// <remarks>
/// Immutable once built, so lookups are lock-free. A rest-day bitset covers every year the data
/// touches; outside it only the Saturday/Sunday rule applies. Load the data with
/// <see cref="FromJson(IEnumerable{string})"/> or <see cref="HolidayCalendarBuilder"/> (LEGAL.md §7.3).
/// </remarks>
public sealed class HolidayCalendar
{
    private readonly int _firstDayNumber;
    private readonly int _dayCount;
    private readonly ulong[] _restBits;
    private readonly FrozenDictionary<DateOnly, ListedDay> _listed;
    private readonly FrozenSet<int> _coveredYears;

    internal HolidayCalendar(IReadOnlyDictionary<DateOnly, ListedDay> listed, IEnumerable<int> coveredYears, IEnumerable<int> emptyYears)
    {
        _listed = listed.ToFrozenDictionary();
        var covered = coveredYears.Distinct().Order().ToArray();
        _coveredYears = covered.ToFrozenSet();
        CoveredYears = covered;
        // A year is "without data" only if no file for it had any day (several files per year merge).
        YearsWithoutData = emptyYears.Distinct().Where(y => !_coveredYears.Contains(y)).Order().ToArray();

        if (_listed.Count == 0 && covered.Length == 0)
        {
            _restBits = [];
            return;
        }

        var first = int.MaxValue;
        var last = int.MinValue;
        foreach (var date in _listed.Keys)
        {
            first = Math.Min(first, date.DayNumber);
            last = Math.Max(last, date.DayNumber);
        }
        foreach (var year in covered)
        {
            first = Math.Min(first, new DateOnly(year, 1, 1).DayNumber);
            last = Math.Max(last, new DateOnly(year, 12, 31).DayNumber);
        }

        _firstDayNumber = first;
        _dayCount = last - first + 1;
        _restBits = new ulong[(_dayCount + 63) / 64];
        for (var i = 0; i < _dayCount; i++)
        {
            var date = DateOnly.FromDayNumber(first + i);
            var rest = _listed.TryGetValue(date, out var day) ? day.IsOffDay : IsWeekend(date);
            if (rest)
            {
                _restBits[i >> 6] |= 1UL << (i & 63);
            }
        }
    }

    /// <summary>A calendar with no holiday data: only Saturdays and Sundays are rest days.</summary>
    public static HolidayCalendar WeekendsOnly { get; } = new(new Dictionary<DateOnly, ListedDay>(), [], []);

    /// <summary>Years (by notice title year) whose data named at least one day, ascending.</summary>
    public IReadOnlyList<int> CoveredYears { get; }

    /// <summary>Years for which a file was loaded but it lists no days (e.g. <c>2027.json</c> before the notice is out); warn about these.</summary>
    public IReadOnlyList<int> YearsWithoutData { get; }

    /// <summary>Builds a calendar from holiday-cn JSON texts (one per <c>YYYY.json</c>); later texts override earlier ones for the same date.</summary>
    public static HolidayCalendar FromJson(IEnumerable<string> jsonTexts)
    {
        var builder = new HolidayCalendarBuilder();
        foreach (var text in jsonTexts)
        {
            builder.AddJson(text);
        }
        return builder.Build();
    }

    /// <summary>Whether the notice for <paramref name="year"/> is loaded and names at least one day.</summary>
    public bool HasDataFor(int year) => _coveredYears.Contains(year);

    /// <summary>Whether holiday data can be trusted for <paramref name="date"/>.</summary>
    /// <remarks>
    /// The notice for year Y+1 may move days at the end of December of year Y (2019.json lists
    /// 2018-12-29..31; holiday-cn README: "应检查两个文件"), so a December date also needs the next year's data.
    /// </remarks>
    public bool Covers(DateOnly date) =>
        _coveredYears.Contains(date.Year) && (date.Month < 12 || _coveredYears.Contains(date.Year + 1));

    /// <summary>Whether every date in [<paramref name="from"/>, <paramref name="to"/>] is covered (see <see cref="Covers"/>).</summary>
    public bool CoversRange(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            (from, to) = (to, from);
        }
        for (var year = from.Year; year <= to.Year; year++)
        {
            if (!_coveredYears.Contains(year))
            {
                return false;
            }
        }
        return to.Month < 12 || _coveredYears.Contains(to.Year + 1);
    }

    /// <summary>True for a listed off-day, or a Saturday/Sunday not listed as a make-up working day.</summary>
    public bool IsRestDay(DateOnly date)
    {
        var i = date.DayNumber - _firstDayNumber;
        if ((uint)i < (uint)_dayCount)
        {
            return (_restBits[i >> 6] & (1UL << (i & 63))) != 0;
        }
        return IsWeekend(date);
    }

    /// <summary>True for Monday–Friday not listed as off, and for listed make-up working weekends.</summary>
    public bool IsWorkingDay(DateOnly date) => !IsRestDay(date);

    /// <summary>The notice entry for <paramref name="date"/>, if the data names it (for display: "春节", make-up day…).</summary>
    public bool TryGetListedDay(DateOnly date, out ListedDay day) => _listed.TryGetValue(date, out day);

    private static bool IsWeekend(DateOnly date) =>
        date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
}
