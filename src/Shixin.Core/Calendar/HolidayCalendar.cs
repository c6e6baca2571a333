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

    /// <summary>From this day of December on, a date also needs the next year's notice (see <see cref="Covers"/>).</summary>
    public const int LateDecemberFrom = 20;

    /// <summary>Whether holiday data can be trusted for <paramref name="date"/>.</summary>
    /// <remarks>
    /// The notice for year Y+1 may move days at the end of December of year Y (holiday-cn README: "应检查两个文件").
    /// In the data since 2007 it never reached earlier than 12-29 (2007.json: 2006-12-30..31; 2008.json: 2007-12-29..31;
    /// 2012.json: 2011-12-31; 2019.json: 2018-12-29..31; 2023.json: 2022-12-31), so a date from December
    /// <see cref="LateDecemberFrom"/> on also needs the next year's data — a margin of nine days, while earlier December
    /// dates, which no notice has ever moved, are not flagged for every deadline of the month.
    /// </remarks>
    public bool Covers(DateOnly date) =>
        _coveredYears.Contains(date.Year)
        && (date.Month < 12 || date.Day < LateDecemberFrom || _coveredYears.Contains(date.Year + 1));

    /// <summary>
    /// The last day the holiday data covers without a gap from the first covered year on (see <see cref="Covers"/>),
    /// or null with no data; what <c>shixin_calendar_covered_until</c> reports.
    /// </summary>
    public DateOnly? CoveredUntil
    {
        get
        {
            if (CoveredYears.Count == 0)
            {
                return null;
            }

            var year = CoveredYears[0];
            while (_coveredYears.Contains(year + 1))
            {
                year++;
            }

            return new DateOnly(year, 12, LateDecemberFrom - 1);
        }
    }

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
        return Covers(to);
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
