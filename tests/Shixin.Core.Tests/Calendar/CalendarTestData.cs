using System.Globalization;
using Shixin.Core.Calendar;

namespace Shixin.Core.Tests.Calendar;

/// <summary>The real holiday and rule data files, copied to the test output under <c>data/</c>.</summary>
internal static class CalendarTestData
{
    public static string HolidayDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "data", "holidays");

    public static string RuleSetsPath { get; } = Path.Combine(AppContext.BaseDirectory, "data", "rules", "rule-sets.json");

    private static readonly Lazy<HolidayCalendar> AllYears = new(() => Load(AllHolidayFiles()));

    private static readonly Lazy<RuleSetCatalog> Catalog = new(() => RuleSetCatalog.FromJson(File.ReadAllText(RuleSetsPath)));

    /// <summary>Every <c>YYYY.json</c> (2007–2026; 2027's notice is not published), loaded in year order as the server would.</summary>
    public static HolidayCalendar Holidays => AllYears.Value;

    public static LegalCalendar Legal { get; } = new(Holidays);

    public static RuleSetCatalog RuleSets => Catalog.Value;

    public static string[] AllHolidayFiles() =>
        Directory.GetFiles(HolidayDirectory, "*.json").Order(StringComparer.Ordinal).ToArray();

    public static string HolidayFile(int year) => Path.Combine(HolidayDirectory, $"{year}.json");

    public static HolidayCalendar Load(IEnumerable<string> paths) =>
        HolidayCalendar.FromJson(paths.Select(File.ReadAllText));

    public static HolidayCalendar LoadYears(params int[] years) => Load(years.Select(HolidayFile));

    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
