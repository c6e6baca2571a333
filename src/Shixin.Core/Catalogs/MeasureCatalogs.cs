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
    private readonly Dictionary<string, Clause> _clauses;
    private readonly ConcurrentDictionary<(string Region, string Scenario), Clause[]> _applicable = new();

    private MeasureCatalogs(IReadOnlyList<MeasureCatalog> catalogs, IReadOnlyList<Scenario> scenarios,
        Dictionary<string, Measure> measures, Dictionary<string, Scenario> scenarioIndex, Dictionary<string, Clause> clauses,
        ContextVocabulary context)
    {
        Catalogs = catalogs;
        Scenarios = scenarios;
        _measures = measures;
        _scenarios = scenarioIndex;
        _clauses = clauses;
        Context = context;
    }

    /// <summary>Every catalog, in load order.</summary>
    public IReadOnlyList<MeasureCatalog> Catalogs { get; }

    /// <summary>Every scenario, in file order.</summary>
    public IReadOnlyList<Scenario> Scenarios { get; }

    /// <summary>The context fields clauses and checks may use.</summary>
    public ContextVocabulary Context { get; }

    /// <summary>Parses catalogs and scenarios that use no context fields (tests with inline catalogs).</summary>
    public static MeasureCatalogs FromJson(IEnumerable<string> catalogJson, string scenariosJson) =>
        FromJson(catalogJson, scenariosJson, ContextVocabulary.Empty);

    /// <summary>Parses catalogs, scenarios and the context vocabulary (data/context-fields.json).</summary>
    public static MeasureCatalogs FromJson(IEnumerable<string> catalogJson, string scenariosJson, string contextFieldsJson) =>
        FromJson(catalogJson, scenariosJson, ContextVocabulary.FromJson(contextFieldsJson));

    /// <summary>
    /// Parses and validates catalogs (one JSON document each) and the scenarios document.
    /// Throws <see cref="FormatException"/> naming the first problem: unknown codes, duplicate ids,
    /// a measure outside its catalog's region, a scenario citing a measure that does not exist, a clause whose id
    /// is not below its measure's or whose text is not the measure's words, a measure whose action is not its
    /// strictest clause's, or a context field or value the vocabulary does not define.
    /// </summary>
    public static MeasureCatalogs FromJson(IEnumerable<string> catalogJson, string scenariosJson, ContextVocabulary context)
    {
        ArgumentNullException.ThrowIfNull(catalogJson);
        ArgumentNullException.ThrowIfNull(scenariosJson);
        ArgumentNullException.ThrowIfNull(context);
        var catalogs = new List<MeasureCatalog>();
        var measures = new Dictionary<string, Measure>(StringComparer.Ordinal);
        var clauses = new Dictionary<string, Clause>(StringComparer.Ordinal);
        foreach (var json in catalogJson)
        {
            var catalog = ParseCatalog(json, context);
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
                foreach (var c in m.Clauses)
                {
                    if (!clauses.TryAdd(c.Id, c))
                    {
                        throw new FormatException($"Duplicate clause id '{c.Id}'.");
                    }
                }
            }
            catalogs.Add(catalog);
        }

        var parsed = ParseScenarios(scenariosJson);
        var scenarioIndex = new Dictionary<string, Scenario>(StringComparer.Ordinal);
        foreach (var (s, _) in parsed)
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

        // Transition rule (CLAUSES-SCHEMA.md): a clause with `scenarios` is in exactly those; one without inherits
        // the scenarios whose `measures` list its measure.
        var members = parsed.ToDictionary(p => p.Scenario.Id, _ => new List<Clause>(), StringComparer.Ordinal);
        foreach (var c in clauses.Values)
        {
            if (c.DeclaredScenarios is { } declared)
            {
                foreach (var sid in declared)
                {
                    if (!members.TryGetValue(sid, out var list))
                    {
                        throw new FormatException($"Clause '{c.Id}' names unknown scenario '{sid}'.");
                    }
                    list.Add(c);
                }
                continue;
            }
            foreach (var (s, _) in parsed)
            {
                if (s.MeasureIds.Contains(c.Measure.Id, StringComparer.Ordinal))
                {
                    members[s.Id].Add(c);
                }
            }
        }

        var scenarios = new List<Scenario>(parsed.Count);
        foreach (var (s, declaredContext) in parsed)
        {
            foreach (var field in declaredContext)
            {
                if (!context.TryGet(field, out _))
                {
                    throw new FormatException($"Scenario '{s.Id}': unknown context field '{field}'.");
                }
            }
            // The counter must be able to give every field its clauses test, so those are always listed.
            var used = members[s.Id].SelectMany(c => c.When).Select(w => w.Field);
            var fields = declaredContext.Concat(used).Distinct(StringComparer.Ordinal).ToArray();
            // Measures in the file's order first, then any a clause joined explicitly.
            var clauseMeasures = members[s.Id].Select(c => c.Measure.Id).ToHashSet(StringComparer.Ordinal);
            var measureIds = s.MeasureIds.Where(clauseMeasures.Contains)
                .Concat(members[s.Id].Select(c => c.Measure.Id).Where(id => !s.MeasureIds.Contains(id, StringComparer.Ordinal)))
                .Distinct(StringComparer.Ordinal).ToArray();
            var full = s with { MeasureIds = measureIds, Context = fields, Clauses = [.. members[s.Id]] };
            scenarios.Add(full);
            scenarioIndex[s.Id] = full;
        }
        return new MeasureCatalogs(catalogs, scenarios, measures, scenarioIndex, clauses, context);
    }

    /// <summary>Finds a clause by id.</summary>
    public bool TryGetClause(string id, out Clause clause) => _clauses.TryGetValue(id, out clause!);

    /// <summary>
    /// Validates a check's context for a scenario (API.md "Screening additions"); throws
    /// <see cref="InvalidContextException"/> for a field the scenario does not take or a value the field does not have.
    /// </summary>
    /// <exception cref="UnknownScenarioException">The scenario id is not defined.</exception>
    public CheckContext ParseContext(string scenarioId, IEnumerable<KeyValuePair<string, string?>> pairs) =>
        TryParseContext(scenarioId, pairs, out var context, out var error) ? context : throw new InvalidContextException(error!);

    /// <summary>Validates a check's context for a scenario; false with the first problem when it does not fit.</summary>
    /// <exception cref="UnknownScenarioException">The scenario id is not defined.</exception>
    public bool TryParseContext(string scenarioId, IEnumerable<KeyValuePair<string, string?>> pairs, out CheckContext context, out ContextError? error)
    {
        ArgumentNullException.ThrowIfNull(scenarioId);
        if (!_scenarios.TryGetValue(scenarioId, out var scenario))
        {
            throw new UnknownScenarioException(scenarioId);
        }
        return CheckContext.TryParse(scenario, Context, pairs, out context, out error);
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
    /// The scenario's measures that are in force for a caller in <paramref name="regionCode"/>: those with at least one
    /// clause that a check can apply (assist clauses excluded).
    /// </summary>
    /// <exception cref="UnknownScenarioException">The scenario id is not defined.</exception>
    public IReadOnlyList<Measure> ApplicableMeasures(string scenarioId, string regionCode) =>
        ApplicableArray(scenarioId, regionCode).Select(c => c.Measure).Distinct().ToArray();

    /// <summary>
    /// The scenario's clauses in force for a caller in <paramref name="regionCode"/> that can count towards a check's
    /// outcome (assist clauses are requests from courts, never outcomes: DOMAIN.md §3), computed once per
    /// (region, scenario) and cached, because every check asks the same question. Broadest catalog first.
    /// </summary>
    /// <exception cref="UnknownScenarioException">The scenario id is not defined.</exception>
    public IReadOnlyList<Clause> ApplicableClauses(string scenarioId, string regionCode) => ApplicableArray(scenarioId, regionCode);

    internal Clause[] ApplicableArray(string scenarioId, string regionCode)
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
        return _applicable.GetOrAdd((regionCode, scenarioId), _ => scenario.Clauses
            .Where(c => !c.IsAssist)
            .Select(c => (Clause: c, Order: IndexOfCatalog(regions, c.Measure.CatalogId)))
            .Where(x => x.Order >= 0)
            .OrderBy(x => x.Order)
            .Select(x => x.Clause)
            .ToArray());
    }

    private static int IndexOfCatalog(IReadOnlyList<MeasureCatalog> catalogs, string id)
    {
        for (var i = 0; i < catalogs.Count; i++)
        {
            if (string.Equals(catalogs[i].Id, id, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    private static MeasureCatalog ParseCatalog(string json, ContextVocabulary context)
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
            var measure = new Measure(
                mid, id,
                Parse<MeasureCategory>(Str(m, "category"), mid, "category"),
                Str(m, "categoryZh"), Str(m, "title"), Str(m, "titleEn"), Str(m, "text"),
                Parse<MeasureAction>(Str(m, "action"), mid, "action"),
                Enums<SubjectKind>(m, "subjectKinds", mid),
                roles, reach,
                Arr(m, "responsibleUnits").Select(e => e.GetString() ?? string.Empty).ToArray(),
                mregion, Str(m, "source"));
            measure.Clauses = ParseClauses(m, measure, context);
            measures.Add(measure);
        }
        string? number = root.TryGetProperty("documentNumber", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new MeasureCatalog(id, Str(root, "title"), number, Str(root, "issuer"), issuedOn, region, Str(root, "regionName"), measures);
    }

    private static Clause[] ParseClauses(JsonElement m, Measure measure, ContextVocabulary context)
    {
        var mid = measure.Id;
        if (!m.TryGetProperty("clauses", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            // Not split yet: the whole measure is one clause, so checks answer as before the split.
            return [new Clause(mid + "#1", measure, measure.Text, measure.Action, measure.SubjectKinds, measure.RelatedRoles,
                measure.RelatedReach, [], null, null, isImplicit: true)];
        }
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            throw new FormatException($"Measure '{mid}': 'clauses' must be a non-empty array.");
        }
        var clauses = new List<Clause>();
        foreach (var c in array.EnumerateArray())
        {
            var cid = Str(c, "id");
            if (!cid.StartsWith(mid + "#", StringComparison.Ordinal) || cid.Length == mid.Length + 1)
            {
                throw new FormatException($"Clause '{cid}' is not below its measure '{mid}#'.");
            }
            var text = Str(c, "text");
            if (text.Length == 0 || !measure.Text.Contains(text, StringComparison.Ordinal))
            {
                throw new FormatException($"Clause '{cid}': text is not a part of the measure's text: '{text}'.");
            }
            var action = Parse<MeasureAction>(Str(c, "action"), cid, "action");
            // Absent keys inherit the measure's; present ones are the clause's own.
            IReadOnlyList<SubjectKind> kinds = c.TryGetProperty("subjectKinds", out _) ? Enums<SubjectKind>(c, "subjectKinds", cid) : measure.SubjectKinds;
            var hasRoles = c.TryGetProperty("relatedRoles", out _);
            IReadOnlyList<RelatedRole> roles = hasRoles ? Enums<RelatedRole>(c, "relatedRoles", cid) : measure.RelatedRoles;
            RelatedReach? reach = c.TryGetProperty("relatedReach", out var r) && r.ValueKind == JsonValueKind.String
                ? Parse<RelatedReach>(r.GetString(), cid, "relatedReach")
                : hasRoles ? null : measure.RelatedReach;
            if (roles.Contains(RelatedRole.Debtor))
            {
                throw new FormatException($"Clause '{cid}': 'debtor' is implied by subjectKinds, not a related role.");
            }
            if (roles.Count > 0 && reach is null)
            {
                throw new FormatException($"Clause '{cid}': relatedRoles need a relatedReach.");
            }
            var when = new List<ContextRequirement>();
            if (c.TryGetProperty("when", out var w) && w.ValueKind != JsonValueKind.Null)
            {
                if (w.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"Clause '{cid}': 'when' must be an object.");
                }
                foreach (var p in w.EnumerateObject())
                {
                    if (!context.TryGet(p.Name, out var field))
                    {
                        throw new FormatException($"Clause '{cid}': unknown context field '{p.Name}'.");
                    }
                    if (field.IsNumber || p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() == 0)
                    {
                        throw new FormatException($"Clause '{cid}': 'when.{p.Name}' must list values of a closed field.");
                    }
                    var values = p.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()).ToArray();
                    foreach (var v in values)
                    {
                        if (!field.Accepts(v))
                        {
                            throw new FormatException($"Clause '{cid}': '{v}' is not a value of context field '{p.Name}'.");
                        }
                    }
                    when.Add(new ContextRequirement(p.Name, values));
                }
            }
            string[]? scenarios = c.TryGetProperty("scenarios", out var sc) && sc.ValueKind != JsonValueKind.Null
                ? [.. Arr(c, "scenarios").Select(e => e.GetString() ?? string.Empty)]
                : null;
            string? note = c.TryGetProperty("note", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            clauses.Add(new Clause(cid, measure, text, action, kinds, roles, reach, when, scenarios, note, isImplicit: false));
        }

        // The measure's action is its strictest non-assist clause's (CLAUSES-SCHEMA.md); several actions share an
        // outcome (block/revoke-honour; strict-review/quota/enhanced-supervision), so any of the strictest ones will do.
        var counted = clauses.Where(x => !x.IsAssist).ToList();
        var valid = counted.Count == 0
            ? measure.Action == MeasureAction.Assist
            : counted.Any(x => x.Action == measure.Action
                && ScreeningDecision.OutcomeOf(x.Action) == counted.Max(y => ScreeningDecision.OutcomeOf(y.Action)));
        if (!valid)
        {
            throw new FormatException($"Measure '{mid}': action '{measure.Action.ToApiName()}' is not its strictest clause's action.");
        }
        return [.. clauses];
    }

    private static List<(Scenario Scenario, string[] Context)> ParseScenarios(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var list = new List<(Scenario, string[])>();
        foreach (var s in Arr(doc.RootElement, "scenarios"))
        {
            var id = Str(s, "id");
            string[] context = s.TryGetProperty("context", out var cx) && cx.ValueKind == JsonValueKind.Array
                ? [.. cx.EnumerateArray().Select(e => e.GetString() ?? string.Empty)]
                : [];
            list.Add((new Scenario(id, Str(s, "titleZh"), Str(s, "titleEn"),
                Parse<MeasureCategory>(Str(s, "category"), id, "category"),
                Enums<SubjectKind>(s, "subjectKinds", id),
                Arr(s, "measures").Select(e => e.GetString() ?? string.Empty).ToArray()), context));
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
