using System.Text.Json;
using Shixin.Core.Catalogs;

namespace Shixin.Server.Hosting;

/// <summary>
/// A start-up file the platform cannot run without failed to load or validate: the server refuses to start and says which
/// and why (a check answered without its catalogs would be a 500 at best, a wrong outcome at worst).
/// </summary>
public sealed class StartupRefusedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Loads the measure catalogs, scenarios and context fields from data/ at start-up.</summary>
public static class CatalogSetup
{
    /// <summary>
    /// Loads and validates the catalogs before the server is built, so a broken file stops the start with its name and the
    /// reason instead of a server that answers every check with 500 (issue 10).
    /// </summary>
    public static MeasureCatalogs LoadOrRefuse(ShixinOptions options)
    {
        var dir = Path.Combine(options.DataFilesDirectory, "catalogs");
        string? file = null;
        try
        {
            // Each file is read and parsed alone first, so a syntax error names the file it is in.
            var texts = new List<string>();
            foreach (var path in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
            {
                file = path;
                var text = File.ReadAllText(path);
                using (JsonDocument.Parse(text))
                {
                }

                texts.Add(text);
            }

            if (texts.Count == 0)
            {
                throw new FormatException("no catalog file (*.json) in " + dir);
            }

            file = Path.Combine(options.DataFilesDirectory, "scenarios.json");
            var scenarios = File.ReadAllText(file);
            file = Path.Combine(options.DataFilesDirectory, "context-fields.json");
            var fields = File.ReadAllText(file);
            file = null;
            return MeasureCatalogs.FromJson(texts, scenarios, fields);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or FormatException or ArgumentException
            or InvalidOperationException or KeyNotFoundException)
        {
            throw new StartupRefusedException("The measure catalogs could not be loaded" + (file is null ? " (" + dir + ", scenarios.json, context-fields.json)" : " from " + file)
                + ": " + ex.Message + " — the server does not start, since no check can be answered lawfully without them (联合惩戒措施目录无法加载或校验未通过，服务器不予启动). "
                + "Fix the file, or point SHIXIN_CONTENT_ROOT at a directory whose data/ holds valid catalogs, and start again.", ex);
        }
    }
}
