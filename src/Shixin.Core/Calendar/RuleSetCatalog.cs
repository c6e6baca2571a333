using System.Collections.Frozen;
using System.Text.Json;

namespace Shixin.Core.Calendar;

/// <summary>The rule sets shipped in <c>data/rules/rule-sets.json</c>, with the default one.</summary>
/// <remarks>
/// Every set must define the same rule ids, so switching a deployment's set can never leave a
/// deadline without a rule.
/// </remarks>
public sealed class RuleSetCatalog
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    private readonly FrozenDictionary<string, RuleSet> _byName;

    /// <summary>Creates a catalog; names must be unique, <paramref name="defaultName"/> must be one of them and all sets must share the same rule ids.</summary>
    public RuleSetCatalog(string defaultName, IEnumerable<RuleSet> sets)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultName);
        ArgumentNullException.ThrowIfNull(sets);
        Sets = sets.ToArray();
        if (Sets.Count == 0)
        {
            throw new ArgumentException("A rule-set catalog needs at least one set.", nameof(sets));
        }
        var byName = new Dictionary<string, RuleSet>(StringComparer.Ordinal);
        foreach (var set in Sets)
        {
            if (!byName.TryAdd(set.Name, set))
            {
                throw new ArgumentException($"Rule set '{set.Name}' is defined twice.", nameof(sets));
            }
        }
        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        Default = _byName.TryGetValue(defaultName, out var d)
            ? d
            : throw new ArgumentException($"The default rule set '{defaultName}' is not defined.", nameof(defaultName));

        var reference = Sets[0];
        foreach (var set in Sets.Skip(1))
        {
            var missing = reference.Rules.Select(r => r.Id).Where(id => !set.Contains(id))
                .Select(id => $"'{id}' missing from '{set.Name}'")
                .Concat(set.Rules.Select(r => r.Id).Where(id => !reference.Contains(id))
                    .Select(id => $"'{id}' missing from '{reference.Name}'"))
                .ToArray();
            if (missing.Length > 0)
            {
                throw new ArgumentException($"Rule sets must define the same rules: {string.Join("; ", missing)}.", nameof(sets));
            }
        }
    }

    /// <summary>The set used when a deployment names none.</summary>
    public RuleSet Default { get; }

    /// <summary>All sets, in file order.</summary>
    public IReadOnlyList<RuleSet> Sets { get; }

    /// <summary>The set named <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> listing the known names when unknown.</summary>
    public RuleSet Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out var set)
            ? set
            : throw new KeyNotFoundException($"Rule set '{name}' is not defined (known: {string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal))}).");
    }

    /// <summary>Parses the catalog from the text of <c>rule-sets.json</c>; throws <see cref="FormatException"/> on any malformed rule.</summary>
    public static RuleSetCatalog FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(() => JsonDocument.Parse(json, Options));
    }

    /// <summary>Parses the catalog from UTF-8 bytes of <c>rule-sets.json</c>.</summary>
    public static RuleSetCatalog FromJson(ReadOnlySpan<byte> utf8Json)
    {
        var copy = utf8Json.ToArray();
        return Parse(() => JsonDocument.Parse(copy, Options));
    }

    private static RuleSetCatalog Parse(Func<JsonDocument> parse)
    {
        JsonDocument document;
        try
        {
            document = parse();
        }
        catch (JsonException ex)
        {
            throw new FormatException($"rule-sets.json is not valid JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            var defaultName = RequiredString(root, "default", "rule-sets.json");
            if (!root.TryGetProperty("ruleSets", out var setsElement) || setsElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("rule-sets.json: 'ruleSets' is missing or not an array.");
            }

            var sets = new List<RuleSet>();
            foreach (var setElement in setsElement.EnumerateArray())
            {
                var name = RequiredString(setElement, "name", "rule set");
                var description = OptionalString(setElement, "description") ?? string.Empty;
                if (!setElement.TryGetProperty("rules", out var rulesElement) || rulesElement.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException($"Rule set '{name}': 'rules' is missing or not an array.");
                }
                var rules = rulesElement.EnumerateArray().Select(r => ParseRule(r, name)).ToArray();
                try
                {
                    sets.Add(new RuleSet(name, description, rules));
                }
                catch (ArgumentException ex)
                {
                    throw new FormatException(ex.Message, ex);
                }
            }

            try
            {
                return new RuleSetCatalog(defaultName, sets);
            }
            catch (ArgumentException ex)
            {
                throw new FormatException(ex.Message, ex);
            }
        }
    }

    private static LegalRule ParseRule(JsonElement element, string setName)
    {
        var id = RequiredString(element, "id", $"a rule of '{setName}'");
        var where = $"Rule set '{setName}', rule '{id}'";
        var unitText = RequiredString(element, "unit", where);
        var unit = unitText switch
        {
            "days" => PeriodUnit.Days,
            "working-days" => PeriodUnit.WorkingDays,
            "months" => PeriodUnit.Months,
            "years" => PeriodUnit.Years,
            "none" => PeriodUnit.None,
            _ => throw new FormatException($"{where}: unknown unit '{unitText}' (days | working-days | months | years | none)."),
        };
        var length = 0;
        if (unit == PeriodUnit.None)
        {
            // A set that sets no period says so explicitly; a length beside it would be a contradiction.
            if (element.TryGetProperty("length", out _))
            {
                throw new FormatException($"{where}: unit 'none' takes no 'length'.");
            }
        }
        else if (!element.TryGetProperty("length", out var lengthElement) || !lengthElement.TryGetInt32(out length) || length < 1)
        {
            throw new FormatException($"{where}: 'length' must be a whole number of at least 1.");
        }
        var endText = OptionalString(element, "endOnRestDay") ?? "next-working-day";
        var end = endText switch
        {
            "next-working-day" => EndOnRestDay.MoveToNextWorkingDay,
            "keep" => EndOnRestDay.Keep,
            _ => throw new FormatException($"{where}: unknown endOnRestDay '{endText}' (next-working-day | keep)."),
        };
        return new LegalRule(
            id,
            length,
            unit,
            RequiredString(element, "titleZh", where),
            RequiredString(element, "titleEn", where),
            RequiredString(element, "source", where),
            end,
            OptionalString(element, "note"));
    }

    private static string RequiredString(JsonElement element, string property, string where)
    {
        var value = element.ValueKind == JsonValueKind.Object ? OptionalString(element, property) : null;
        return string.IsNullOrWhiteSpace(value)
            ? throw new FormatException($"{where}: '{property}' is missing or empty.")
            : value;
    }

    private static string? OptionalString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
