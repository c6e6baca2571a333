using System.Globalization;
using System.Text.Json;

namespace Shixin.Core.Catalogs;

/// <summary>One value of a closed context field, with its titles.</summary>
public sealed record ContextValue(string Id, string TitleZh, string TitleEn);

/// <summary>A business-context field a check may carry (data/context-fields.json).</summary>
public sealed record ContextField(string Id, string TitleZh, string TitleEn, string? Basis, bool IsNumber, IReadOnlyList<ContextValue> Values)
{
    /// <summary>Whether <paramref name="value"/> is one of the field's values (a non-negative number for numeric fields).</summary>
    public bool Accepts(string value) => IsNumber
        ? decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && d >= 0
        : Values.Any(v => string.Equals(v.Id, value, StringComparison.Ordinal));
}

/// <summary>The context fields every clause condition and every check may use.</summary>
public sealed class ContextVocabulary
{
    private readonly Dictionary<string, ContextField> _byId;

    private ContextVocabulary(IReadOnlyList<ContextField> fields)
    {
        Fields = fields;
        _byId = fields.ToDictionary(f => f.Id, StringComparer.Ordinal);
    }

    /// <summary>A vocabulary without fields: catalogs loaded with it may use no context.</summary>
    public static ContextVocabulary Empty { get; } = new([]);

    /// <summary>Every field, in file order.</summary>
    public IReadOnlyList<ContextField> Fields { get; }

    /// <summary>Finds a field by id.</summary>
    public bool TryGet(string id, out ContextField field) => _byId.TryGetValue(id, out field!);

    /// <summary>Parses data/context-fields.json; throws <see cref="FormatException"/> naming the first problem.</summary>
    public static ContextVocabulary FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonDocument.Parse(json);
        var fields = new List<ContextField>();
        if (!doc.RootElement.TryGetProperty("fields", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("context fields: missing array 'fields'.");
        }
        foreach (var f in array.EnumerateArray())
        {
            var id = Text(f, "id") ?? throw new FormatException("context field without id.");
            var isNumber = string.Equals(Text(f, "type"), "number", StringComparison.Ordinal);
            var values = new List<ContextValue>();
            if (f.TryGetProperty("values", out var vs) && vs.ValueKind == JsonValueKind.Array)
            {
                foreach (var v in vs.EnumerateArray())
                {
                    var vid = Text(v, "id") ?? throw new FormatException($"context field '{id}': value without id.");
                    if (values.Exists(x => string.Equals(x.Id, vid, StringComparison.Ordinal)))
                    {
                        throw new FormatException($"context field '{id}': duplicate value '{vid}'.");
                    }
                    values.Add(new ContextValue(vid, Text(v, "titleZh") ?? vid, Text(v, "titleEn") ?? vid));
                }
            }
            if (isNumber == values.Count > 0)
            {
                throw new FormatException($"context field '{id}': give either type 'number' or a list of values.");
            }
            if (fields.Exists(x => string.Equals(x.Id, id, StringComparison.Ordinal)))
            {
                throw new FormatException($"Duplicate context field '{id}'.");
            }
            fields.Add(new ContextField(id, Text(f, "titleZh") ?? id, Text(f, "titleEn") ?? id, Text(f, "basis"), isNumber, values));
        }
        return new ContextVocabulary(fields);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>Why a check's context was refused: the field and a message in English and Chinese.</summary>
public sealed record ContextError(string Field, string Message, string MessageZh);

/// <summary>
/// The business context one check gave (train type, seat class, hotel rating…), already validated against its
/// scenario's fields. Immutable; <see cref="Empty"/> is shared, so lines without context allocate nothing.
/// </summary>
public sealed class CheckContext
{
    private readonly KeyValuePair<string, string>[] _values;

    private CheckContext(KeyValuePair<string, string>[] values) => _values = values;

    /// <summary>No context given.</summary>
    public static CheckContext Empty { get; } = new([]);

    /// <summary>True when no field was given.</summary>
    public bool IsEmpty => _values.Length == 0;

    /// <summary>The given fields and values, in the order given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Values => _values;

    /// <summary>The value given for <paramref name="field"/>, if any.</summary>
    public bool TryGetValue(string field, out string value)
    {
        // A handful of fields at most: a scan beats hashing.
        foreach (var (k, v) in _values)
        {
            if (string.Equals(k, field, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }
        value = string.Empty;
        return false;
    }

    /// <summary>
    /// Validates context pairs for a scenario: each field must be one the scenario lists and each value one of the
    /// field's values. Pairs with an empty value count as not given (a blank CSV cell).
    /// </summary>
    public static bool TryParse(Scenario scenario, ContextVocabulary vocabulary, IEnumerable<KeyValuePair<string, string?>> pairs,
        out CheckContext context, out ContextError? error)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(pairs);
        context = Empty;
        error = null;
        List<KeyValuePair<string, string>>? kept = null;
        foreach (var (field, raw) in pairs)
        {
            if (!scenario.Context.Contains(field, StringComparer.Ordinal) || !vocabulary.TryGet(field, out var f))
            {
                var allowed = scenario.Context.Count == 0 ? "none" : string.Join(", ", scenario.Context);
                error = new ContextError(field, $"scenario '{scenario.Id}' takes no context field '{field}' (it takes: {allowed})",
                    $"场景“{scenario.TitleZh}”不接受业务情形字段“{field}”（可用字段：{(scenario.Context.Count == 0 ? "无" : string.Join("、", scenario.Context))}）");
                return false;
            }
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }
            var value = raw.Trim();
            if (!f.Accepts(value))
            {
                var allowed = f.IsNumber ? "a non-negative number" : string.Join(", ", f.Values.Select(v => v.Id));
                error = new ContextError(field, $"'{value}' is not a value of {field} (use {allowed})",
                    $"“{value}”不是“{f.TitleZh}”的有效取值（可用：{(f.IsNumber ? "不小于 0 的数字" : string.Join("、", f.Values.Select(v => v.Id + " " + v.TitleZh)))}）");
                return false;
            }
            kept ??= [];
            if (kept.Exists(p => string.Equals(p.Key, field, StringComparison.Ordinal)))
            {
                error = new ContextError(field, $"{field} is given twice", $"字段“{f.TitleZh}”重复");
                return false;
            }
            kept.Add(new(field, value));
        }
        if (kept is not null)
        {
            context = new CheckContext([.. kept]);
        }
        return true;
    }
}

/// <summary>Raised when a check's context does not fit its scenario.</summary>
public sealed class InvalidContextException : ArgumentException
{
    /// <summary>Creates the exception for a refused context.</summary>
    public InvalidContextException(ContextError error) : base(error?.Message) => Error = error!;

    /// <summary>Creates the exception without details.</summary>
    public InvalidContextException() : base("Invalid context.") => Error = new ContextError("", "Invalid context.", "业务情形无效");

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public InvalidContextException(string message, Exception innerException) : base(message, innerException) => Error = new ContextError("", message, message);

    /// <summary>What was wrong.</summary>
    public ContextError Error { get; }
}
