using Shixin.Core.Catalogs;

namespace Shixin.Server.Hosting;

/// <summary>Loads the measure catalogs, scenarios and context fields from data/ at start-up.</summary>
public static class CatalogSetup
{
    public static MeasureCatalogs Load(ShixinOptions options)
    {
        var dir = Path.Combine(options.DataFilesDirectory, "catalogs");
        var catalogs = Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        return MeasureCatalogs.FromJson(catalogs, File.ReadAllText(Path.Combine(options.DataFilesDirectory, "scenarios.json")),
            File.ReadAllText(Path.Combine(options.DataFilesDirectory, "context-fields.json")));
    }
}
