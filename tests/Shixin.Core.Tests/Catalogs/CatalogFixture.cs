using Shixin.Core.Catalogs;

namespace Shixin.Core.Tests.Catalogs;

/// <summary>Loads the shipped catalogs once, as the server would (it opens the files, Core parses them).</summary>
internal static class CatalogFixture
{
    public static readonly string[] CatalogIds = ["national-2016", "zhanjiang-2019", "ningxia-2017", "jiangsu-2017", "zhaoling-2018"];

    private static readonly Lazy<MeasureCatalogs> Loaded = new(() =>
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "data", "catalogs");
        var catalogs = Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
        var scenarios = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "scenarios.json"));
        var context = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "context-fields.json"));
        return MeasureCatalogs.FromJson(catalogs, scenarios, context);
    });

    public static MeasureCatalogs Catalogs => Loaded.Value;

    public static MeasureCatalog Catalog(string id) => Catalogs.Catalogs.Single(c => c.Id == id);

    /// <summary>
    /// The seed text as measure texts are stored: page furniture (page numbers, scanner footer), list bullets and
    /// markdown bold removed, then all whitespace removed (Chinese text has no word spaces; the seeds' spaces and
    /// line breaks are layout from PDF extraction).
    /// </summary>
    public static string NormalizedSeed(string seed)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Catalogs", "Seeds", seed + ".txt"));
        var kept = lines
            .Where(l => !System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*(?:[—\-]\s*\d+\s*\**\s*[—\-]\**|扫描全能王\s*创建)\s*$"))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"^\s*-\s+", ""));
        var text = string.Concat(kept).Replace("**", "", StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.Replace(text, @"\s+", "");
    }
}
