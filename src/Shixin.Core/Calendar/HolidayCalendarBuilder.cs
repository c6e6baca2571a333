using System.Globalization;
using System.Text.Json;

namespace Shixin.Core.Calendar;

/// <summary>Accumulates holiday-cn <c>YYYY.json</c> documents (text, UTF-8 bytes or a stream the caller opened) into a <see cref="HolidayCalendar"/>.</summary>
/// <remarks>
/// Files merge: several files may describe the same year, and a later document overrides an
/// earlier one for the same date (an ad-hoc notice such as 2020's COVID extension is loaded after
/// the annual one). <c>$schema</c>, <c>$id</c>, <c>papers</c> and unknown members are ignored.
/// Not thread-safe; the built calendar is.
/// </remarks>
public sealed class HolidayCalendarBuilder
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    private readonly Dictionary<DateOnly, ListedDay> _listed = [];
    private readonly HashSet<int> _coveredYears = [];
    private readonly HashSet<int> _emptyYears = [];

    /// <summary>Adds one document given as text; <paramref name="sourceName"/> (e.g. a file name) only labels errors.</summary>
    public HolidayCalendarBuilder AddJson(string json, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Add(() => JsonDocument.Parse(json, Options), sourceName);
    }

    /// <summary>Adds one document given as UTF-8 bytes.</summary>
    public HolidayCalendarBuilder AddJson(ReadOnlySpan<byte> utf8Json, string? sourceName = null)
    {
        var copy = utf8Json.ToArray();
        return Add(() => JsonDocument.Parse(copy, Options), sourceName);
    }

    /// <summary>Adds one document read from <paramref name="utf8Json"/>; the caller owns (and disposes) the stream.</summary>
    public HolidayCalendarBuilder AddJson(Stream utf8Json, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return Add(() => JsonDocument.Parse(utf8Json, Options), sourceName);
    }

    /// <summary>Freezes what was added into an immutable calendar.</summary>
    public HolidayCalendar Build() => new(_listed, _coveredYears, _emptyYears);

    private HolidayCalendarBuilder Add(Func<JsonDocument> parse, string? sourceName)
    {
        var label = sourceName ?? "holiday document";
        JsonDocument document;
        try
        {
            document = parse();
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{label}: not valid JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{label}: the root must be an object with 'year' and 'days'.");
            }
            if (!root.TryGetProperty("year", out var yearElement) || !yearElement.TryGetInt32(out var year) || year is < 1 or > 9998)
            {
                throw new FormatException($"{label}: 'year' is missing or not a valid year.");
            }
            if (!root.TryGetProperty("days", out var days) || days.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{label}: 'days' is missing or not an array.");
            }

            // Parse the whole document before touching state, so a bad file adds nothing.
            var parsed = new List<ListedDay>(days.GetArrayLength());
            var index = 0;
            foreach (var day in days.EnumerateArray())
            {
                parsed.Add(ParseDay(day, label, index++));
            }

            foreach (var day in parsed)
            {
                _listed[day.Date] = day;
            }
            if (parsed.Count > 0)
            {
                _coveredYears.Add(year);
            }
            else
            {
                _emptyYears.Add(year);
            }
        }
        return this;
    }

    private static ListedDay ParseDay(JsonElement day, string label, int index)
    {
        if (day.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{label}: days[{index}] is not an object.");
        }
        if (!day.TryGetProperty("date", out var dateElement) || dateElement.ValueKind != JsonValueKind.String
            || !DateOnly.TryParseExact(dateElement.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new FormatException($"{label}: days[{index}].date is missing or not a yyyy-MM-dd date.");
        }
        if (!day.TryGetProperty("isOffDay", out var offElement) || offElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new FormatException($"{label}: days[{index}].isOffDay is missing or not a boolean.");
        }
        var name = day.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String
            ? nameElement.GetString() ?? string.Empty
            : string.Empty;
        return new ListedDay(date, name, offElement.GetBoolean());
    }
}
