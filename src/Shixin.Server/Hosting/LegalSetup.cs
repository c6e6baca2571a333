using Shixin.Core.Calendar;
using Shixin.Core.Entries;

namespace Shixin.Server.Hosting;

/// <summary>Loads the holiday calendar and rule sets from the data files at start-up.</summary>
public static class LegalSetup
{
    public static LegalEntryRules Load(ShixinOptions options, ILogger logger)
    {
        var holidays = new HolidayCalendarBuilder();
        var dir = Path.Combine(options.DataFilesDirectory, "holidays");
        foreach (var file in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            holidays.AddJson(File.ReadAllText(file), Path.GetFileName(file));
        }

        var calendar = holidays.Build();
        foreach (var year in calendar.YearsWithoutData)
        {
            logger.LogWarning("data/holidays has a file for {Year} that names no day; it is treated as not covered", year);
        }

        var rules = RuleSetCatalog.FromJson(File.ReadAllText(Path.Combine(options.DataFilesDirectory, "rules", "rule-sets.json")));
        return new LegalEntryRules(new LegalCalendar(calendar), rules.Get(options.RuleSet));
    }

    /// <summary>
    /// DOMAIN.md "Time": warns when the current or the next year (China time) has no State Council notice in the data, since
    /// every date computed into it is provisional until the notice is added to data/holidays/YYYY.json.
    /// </summary>
    public static void WarnAboutUncoveredYears(LegalEntryRules rules, DateOnly today, ILogger logger)
    {
        foreach (var year in new[] { today.Year, today.Year + 1 })
        {
            if (!rules.Calendar.Holidays.HasDataFor(year))
            {
                logger.LogWarning(
                    "Holiday data for {Year} is missing (the State Council notice is not in data/holidays/{Year}.json): dates computed into {Year} count weekends only and are marked provisional until it is added",
                    year, year, year);
            }
        }
    }

    /// <summary>Unix seconds of the end (24:00 China time) of the last day the holiday data covers; 0 without data.</summary>
    public static double CoveredUntilUnixSeconds(LegalEntryRules rules) =>
        rules.Calendar.Holidays.CoveredUntil is { } until
            ? new DateTimeOffset(until.AddDays(1).ToDateTime(TimeOnly.MinValue), Shixin.Core.ChinaTime.Offset).ToUnixTimeSeconds()
            : 0;
}
