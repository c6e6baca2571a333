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
        var nextYear = DateTime.UtcNow.Year + 1;
        if (!calendar.HasDataFor(nextYear))
        {
            logger.LogWarning("Holiday data for {Year} is missing: add the State Council notice to data/holidays/{Year}.json; until then only weekends count as rest days that year", nextYear, nextYear);
        }

        var rules = RuleSetCatalog.FromJson(File.ReadAllText(Path.Combine(options.DataFilesDirectory, "rules", "rule-sets.json")));
        return new LegalEntryRules(new LegalCalendar(calendar), rules.Get(options.RuleSet));
    }
}
