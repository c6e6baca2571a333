using System.Globalization;
using System.Text.RegularExpressions;

namespace Shixin.Server.Tests.Ops;

/// <summary>One sample of the Prometheus text exposition format: its metric name, labels and value.</summary>
public sealed record PromSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4 (what /metrics answers a plain GET): every line is a
/// HELP or TYPE comment or a sample; names and label names match the format's patterns; label values are quoted with only
/// \\, \" and \n escaped; a family's TYPE comes before its samples and each family is one contiguous block; a histogram's
/// buckets are cumulative and its +Inf bucket equals its count. Tests find samples by name and the labels they care
/// about, whatever other labels (the exporter's otel_scope_name) or label order a series has.
/// </summary>
public static partial class PromText
{
    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    /// <summary>Parses the whole text, throwing with the line number at the first violation.</summary>
    public static List<PromSample> Parse(string text)
    {
        var samples = new List<PromSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var lines = text.Split('\n');
        if (lines[^1].Length != 0)
        {
            throw new FormatException("the exposition does not end with a line feed");
        }

        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            var at = "line " + (i + 1).ToString(CultureInfo.InvariantCulture) + ": " + line;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[1] is "HELP" or "TYPE")
                {
                    var family = parts[2];
                    Require(MetricName().IsMatch(family), at, "bad metric name");
                    Require(!finished.Contains(family) && !types.ContainsKey(family) || parts[1] == "HELP" && family == current, at, "family repeated");
                    if (parts[1] == "TYPE")
                    {
                        Require(parts.Length == 4 && Types.Contains(parts[3]), at, "unknown type");
                        types[family] = parts[3];
                    }

                    if (current is not null && current != family)
                    {
                        finished.Add(current);
                    }

                    current = family;
                }

                continue;
            }

            var sample = ParseSample(line, at);
            var owner = FamilyOf(sample.Name, types);
            Require(owner is not null, at, "sample before its TYPE");
            Require(owner == current, at, "family not contiguous");
            samples.Add(sample);
        }

        CheckHistograms(samples, types);
        return samples;
    }

    /// <summary>The value of the one series named <paramref name="name"/> carrying these labels (others may be there too).</summary>
    public static double Value(string text, string name, params (string Label, string Value)[] labels)
    {
        var matches = Find(Parse(text), name, labels);
        if (matches.Count != 1)
        {
            throw new InvalidOperationException(matches.Count + " series " + name + " with " + string.Join(",", labels) + " in:\n" + text);
        }

        return matches[0].Value;
    }

    public static bool Has(string text, string name, params (string Label, string Value)[] labels) => Find(Parse(text), name, labels).Count > 0;

    public static List<PromSample> Find(IEnumerable<PromSample> samples, string name, params (string Label, string Value)[] labels) =>
        samples.Where(s => string.Equals(s.Name, name, StringComparison.Ordinal)
            && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && string.Equals(v, l.Value, StringComparison.Ordinal))).ToList();

    private static string? FamilyOf(string sample, Dictionary<string, string> types)
    {
        if (types.ContainsKey(sample))
        {
            return sample;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(sample[..^suffix.Length], out var t) && t is "histogram" or "summary")
            {
                return sample[..^suffix.Length];
            }
        }

        return null;
    }

    private static PromSample ParseSample(string line, string at)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = line[..i];
        Require(MetricName().IsMatch(name), at, "bad metric name");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var start = i;
                while (line[i] != '=')
                {
                    i++;
                }

                var label = line[start..i];
                Require(LabelName().IsMatch(label) && !label.StartsWith("__", StringComparison.Ordinal), at, "bad label name " + label);
                Require(line[++i] == '"', at, "label value not quoted");
                i++;
                var value = new System.Text.StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException(at + ": bad escape"),
                        });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                i++;
                Require(labels.TryAdd(label, value.ToString()), at, "label repeated");
                if (line[i] == ',')
                {
                    i++;
                }
                else
                {
                    Require(line[i] == '}', at, "labels not closed");
                }
            }

            i++;
        }

        Require(i < line.Length && line[i] == ' ', at, "no space before the value");
        var rest = line[(i + 1)..].Split(' ');
        Require(rest.Length is 1 or 2, at, "value and at most a timestamp");
        var number = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new FormatException(at + ": bad value"),
        };
        Require(rest.Length == 1 || long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _), at, "bad timestamp");
        return new PromSample(name, labels, number);
    }

    private static void CheckHistograms(List<PromSample> samples, Dictionary<string, string> types)
    {
        foreach (var family in types.Where(t => t.Value == "histogram").Select(t => t.Key))
        {
            static string Key(PromSample s) => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
            foreach (var series in samples.Where(s => s.Name == family + "_bucket").GroupBy(Key))
            {
                var buckets = series.Select(s => (Le: double.Parse(s.Labels["le"].Replace("+Inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture), s.Value)).ToList();
                Require(buckets.Zip(buckets.Skip(1)).All(p => p.First.Le < p.Second.Le && p.First.Value <= p.Second.Value), family, "buckets not cumulative");
                Require(double.IsPositiveInfinity(buckets[^1].Le), family, "no +Inf bucket");
                var count = samples.Single(s => s.Name == family + "_count" && Key(s) == series.Key);
                Require(count.Value == buckets[^1].Value, family, "+Inf bucket differs from the count");
            }
        }
    }

    private static void Require(bool ok, string at, string what)
    {
        if (!ok)
        {
            throw new FormatException(at + ": " + what);
        }
    }
}
