using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace Shixin.Core.Catalogs;

/// <summary>All loaded measure catalogs and scenarios, with cached per-region lookups for the screening hot path.</summary>
public sealed class MeasureCatalogs
{
    private readonly Dictionary<string, Measure> _measures;
    private readonly Dictionary<string, Scenario> _scenarios;
    private readonly ConcurrentDictionary<string, MeasureCatalog[]> _byRegion = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Region, string Scenario), Measure[]> _applicable = new();

    private MeasureCatalogs(IReadOnlyList<MeasureCatalog> catalogs, IReadOnlyList<Scenario> scenarios,
        Dictionary<string, Measure> measures, Dictionary<string, Scenario> scenarioIndex)
    {
        Catalogs = catalogs;
        Scenarios = scenarios;
        _measures = measures;
        _scenarios = scenarioIndex;
    }

    /// <summary>Every catalog, in load order.</summary>
    public IReadOnlyList<MeasureCatalog> Catalogs { get; }

    /// <summary>Every scenario, in file order.</summary>
    public IReadOnlyList<Scenario> Scenarios { get; }

    /// <summary>
    /// Parses and validates catalogs (one JSON document each) and the scenarios document.
    /// Throws <see cref="FormatException"/> naming the first problem: unknown codes, duplicate ids,
    /// a measure outside its catalog's region, or a scenario citing a measure that does not exist.
    /// </summary>
    public static MeasureCatalogs FromJson(IEnumerable<string> catalogJson, string scenariosJson)
    {
        ArgumentNullException.ThrowIfNull(catalogJson);
        ArgumentNullException.ThrowIfNull(scenariosJson);
        var catalogs = new List<MeasureCatalog>();
        var measures = new Dictionary<string, Measure>(StringComparer.Ordinal);
        foreach (var json in catalogJson)
        {
            var catalog = ParseCatalog(json);
            if (catalogs.Exists(c => string.Equals(c.Id, catalog.Id, StringComparison.Ordinal)))
            {
                throw new FormatException($"Duplicate catalog id '{catalog.Id}'.");
            }
            foreach (var m in catalog.Measures)
            {
                if (!measures.TryAdd(m.Id, m))
                {
                    throw new FormatException($"Duplicate measure id '{m.Id}'.");
                }
            }
            catalogs.Add(catalog);
        }

        var scenarios = ParseScenarios(scenariosJson);
        var scenarioIndex = new Dictionary<string, Scenario>(StringComparer.Ordinal);
        foreach (var s in scenarios)
        {
            if (!scenarioIndex.TryAdd(s.Id, s))
            {
                throw new FormatException($"Duplicate scenario id '{s.Id}'.");
            }
            foreach (var id in s.MeasureIds)
            {
                if (!measures.ContainsKey(id))
                {
                    throw new FormatException($"Scenario '{s.Id}' cites unknown measure '{id}'.");
                }
            }
        }
        return new MeasureCatalogs(catalogs, scenarios, measures, scenarioIndex);
    }

    /// <summary>Finds a measure by id.</summary>
    public bool TryGetMeasure(string id, out Measure measure) => _measures.TryGetValue(id, out measure!);

    /// <summary>Finds a scenario by id.</summary>
    public bool TryGetScenario(string id, out Scenario scenario) => _scenarios.TryGetValue(id, out scenario!);

    /// <summary>The catalogs that apply to a caller in <paramref name="regionCode"/>: national plus every enclosing region's.</summary>
    public IReadOnlyList<MeasureCatalog> ForRegion(string regionCode) =>
        _byRegion.GetOrAdd(regionCode, static (code, all) =>
        {
            var enclosing = RegionCodes.Enclosing(code);
            // Broadest first (national, province, city, district), so responses list measures in a stable order.
            return all.Where(c => enclosing.Contains(c.Region, StringComparer.Ordinal))
                .OrderBy(c => IndexOf(enclosing, c.Region)).ThenBy(c => c.Id, StringComparer.Ordinal).ToArray();
        }, Catalogs);

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// The scenario's measures that are in force for a caller in <paramref name="regionCode"/>, computed once per
    /// (region, scenario) and cached, because every check asks the same question.
    /// </summary>
    /// <exception cref="UnknownScenarioException">The scenario id is not defined.</exception>
    public IReadOnlyList<Measure> ApplicableMeasures(string scenarioId, string regionCode) => ApplicableArray(scenarioId, regionCode);

    internal Measure[] ApplicableArray(string scenarioId, string regionCode)
    {
        ArgumentNullException.ThrowIfNull(scenarioId);
        ArgumentNullException.ThrowIfNull(regionCode);
        if (_applicable.TryGetValue((regionCode, scenarioId), out var cached))
        {
            return cached;
        }
        // Validate before caching so unknown keys never grow the dictionary.
        if (!_scenarios.TryGetValue(scenarioId, out var scenario))
        {
            throw new UnknownScenarioException(scenarioId);
        }
        var regions = ForRegion(regionCode);
        return _applicable.GetOrAdd((regionCode, scenarioId), _ => scenario.MeasureIds
            .Select(id => _measures[id])
            .Where(m => regions.Any(c => string.Equals(c.Id, m.CatalogId, StringComparison.Ordinal)))
            .ToArray());
    }

    private static MeasureCatalog ParseCatalog(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var id = Str(root, "id");
        var region = Str(root, "region");
        if (!RegionCodes.IsValid(region))
        {
            throw new FormatException($"Catalog '{id}': region '{region}' is not a six-digit code.");
        }
        var issuedOn = DateOnly.ParseExact(Str(root, "issuedOn"), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var measures = new List<Measure>();
        foreach (var m in Arr(root, "measures"))
        {
            var mid = Str(m, "id");
            if (!mid.StartsWith(id + "/", StringComparison.Ordinal))
            {
                throw new FormatException($"Measure '{mid}' does not start with its catalog id '{id}/'.");
            }
            var mregion = Str(m, "region");
            if (!string.Equals(mregion, region, StringComparison.Ordinal))
            {
                throw new FormatException($"Measure '{mid}': region '{mregion}' differs from its catalog's '{region}'.");
            }
            var roles = Enums<RelatedRole>(m, "relatedRoles", mid);
            if (roles.Contains(RelatedRole.Debtor))
            {
                throw new FormatException($"Measure '{mid}': 'debtor' is implied by subjectKinds, not a related role.");
            }
            RelatedReach? reach = null;
            if (m.TryGetProperty("relatedReach", out var r) && r.ValueKind == JsonValueKind.String)
            {
                reach = Parse<RelatedReach>(r.GetString(), mid, "relatedReach");
            }
            if (roles.Count > 0 && reach is null)
            {
                throw new FormatException($"Measure '{mid}': relatedRoles need a relatedReach.");
            }
            measures.Add(new Measure(
                mid, id,
                Parse<MeasureCategory>(Str(m, "category"), mid, "category"),
                Str(m, "categoryZh"), Str(m, "title"), Str(m, "titleEn"), Str(m, "text"),
                Parse<MeasureAction>(Str(m, "action"), mid, "action"),
                Enums<SubjectKind>(m, "subjectKinds", mid),
                roles, reach,
                Arr(m, "responsibleUnits").Select(e => e.GetString() ?? string.Empty).ToArray(),
                mregion, Str(m, "source")));
        }
        string? number = root.TryGetProperty("documentNumber", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new MeasureCatalog(id, Str(root, "title"), number, Str(root, "issuer"), issuedOn, region, Str(root, "regionName"), measures);
    }

    private static List<Scenario> ParseScenarios(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var list = new List<Scenario>();
        foreach (var s in Arr(doc.RootElement, "scenarios"))
        {
            var id = Str(s, "id");
            list.Add(new Scenario(id, Str(s, "titleZh"), Str(s, "titleEn"),
                Parse<MeasureCategory>(Str(s, "category"), id, "category"),
                Enums<SubjectKind>(s, "subjectKinds", id),
                Arr(s, "measures").Select(e => e.GetString() ?? string.Empty).ToArray()));
        }
        return list;
    }

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new FormatException($"Missing string property '{name}'.");

    private static JsonElement.ArrayEnumerator Arr(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray()
            : throw new FormatException($"Missing array property '{name}'.");

    private static List<T> Enums<T>(JsonElement e, string name, string owner) where T : struct, Enum =>
        Arr(e, name).Select(x => Parse<T>(x.GetString(), owner, name)).ToList();

    private static T Parse<T>(string? value, string owner, string field) where T : struct, Enum
    {
        // A generic switch on T keeps one parser per vocabulary without reflection over names.
        object? parsed = typeof(T) == typeof(MeasureAction) ? (ApiNames.TryParse(value, out MeasureAction a1) ? a1 : null)
            : typeof(T) == typeof(MeasureCategory) ? (ApiNames.TryParse(value, out MeasureCategory c) ? c : null)
            : typeof(T) == typeof(SubjectKind) ? (ApiNames.TryParse(value, out SubjectKind k) ? k : null)
            : typeof(T) == typeof(RelatedRole) ? (ApiNames.TryParse(value, out RelatedRole r) ? r : null)
            : typeof(T) == typeof(RelatedReach) ? (ApiNames.TryParse(value, out RelatedReach h) ? h : null)
            : null;
        return parsed is T t ? t : throw new FormatException($"'{owner}': unknown {field} '{value}'.");
    }
}
