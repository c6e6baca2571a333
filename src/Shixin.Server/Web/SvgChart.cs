using System.Globalization;
using System.Net;
using System.Text;

namespace Shixin.Server.Web;

/// <summary>
/// Bar and line charts as inline SVG, rendered on the server (no script, no external library). Every chart names the
/// unit of its value axis, says "暂无数据" (or the caller's words) when it has nothing to draw rather than drawing empty
/// axes, and never clips a label: long category names (organization names) are drawn as horizontal bars with the name
/// wrapped over as many lines as it needs (issue 15).
/// </summary>
public static class SvgChart
{
    /// <summary>One bar series: a name and a colour.</summary>
    public sealed record Series(string Name, string Colour);

    public const string NoDataZh = "暂无数据";

    private const int Width = 760;

    /// <summary>Category labels longer than this (in CJK-width characters) make <see cref="Bars"/> draw horizontally.</summary>
    private const double RotatedLabelMax = 9;

    /// <summary>
    /// Grouped bars, one group per label. Short labels (months, statuses) stand under vertical bars; when any label is
    /// long the same data is drawn as horizontal grouped bars with wrapped labels.
    /// </summary>
    public static string Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<Series> series, IReadOnlyList<long[]> values, string id,
        string? unit = null, string noData = NoDataZh)
    {
        if (labels.Any(l => TextWidth(l, 1) > RotatedLabelMax))
        {
            return GroupedHorizontal(title, labels, series, values, id, unit, noData);
        }

        const int height = 300, left = 56, right = 12, top = 40, bottom = 64;
        var max = Math.Max(1, values.SelectMany(v => v).DefaultIfEmpty(0).Max());
        var (step, scaleMax) = Scale(max);
        var plotW = Width - left - right;
        var plotH = height - top - bottom;
        var groupW = labels.Count == 0 ? plotW : plotW / (double)labels.Count;
        var barW = Math.Clamp((groupW * 0.8) / Math.Max(1, series.Count), 2, 48);
        var inv = CultureInfo.InvariantCulture;
        var sb = Open(title, id, height);
        Legend(sb, series, left);
        if (IsEmpty(labels, values))
        {
            return NoData(sb, height, noData);
        }

        for (var v = 0L; v <= scaleMax; v += step)
        {
            var y = top + plotH - (v / (double)scaleMax * plotH);
            sb.Append(inv, $"<line x1=\"{left}\" x2=\"{Width - right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#e3e7ed\"/>");
            sb.Append(inv, $"<text x=\"{left - 6}\" y=\"{y + 4:0.#}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6676\">{v}</text>");
        }

        if (unit is not null)
        {
            sb.Append(inv, $"<text class=\"axis-unit\" x=\"{left - 6}\" y=\"{top - 8}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6676\">{Enc(unit)}</text>");
        }

        for (var i = 0; i < labels.Count; i++)
        {
            var gx = left + i * groupW + (groupW - barW * series.Count) / 2;
            for (var s = 0; s < series.Count; s++)
            {
                var value = values[s][i];
                var h = value / (double)scaleMax * plotH;
                var x = gx + s * barW;
                sb.Append(inv, $"<rect x=\"{x:0.#}\" y=\"{top + plotH - h:0.#}\" width=\"{barW - 1:0.#}\" height=\"{h:0.#}\" fill=\"{series[s].Colour}\"><title>{Enc(labels[i])} {Enc(series[s].Name)}: {value}</title></rect>");
            }

            var lx = left + i * groupW + groupW / 2;
            sb.Append(inv, $"<text x=\"{lx:0.#}\" y=\"{height - bottom + 16}\" font-size=\"11\" text-anchor=\"end\" transform=\"rotate(-40 {lx:0.#} {height - bottom + 16})\">{Enc(labels[i])}</text>");
        }

        sb.Append(inv, $"<line x1=\"{left}\" x2=\"{Width - right}\" y1=\"{top + plotH}\" y2=\"{top + plotH}\" stroke=\"#1d2430\"/>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>
    /// Horizontal stacked bars, one row per label, the label wrapped beside its bar; each segment carries a title
    /// "label series: value" for assistive technology and hover.
    /// </summary>
    public static string StackedBars(string title, IReadOnlyList<string> labels, IReadOnlyList<Series> series, IReadOnlyList<long[]> values, string id,
        string? unit = null, string noData = NoDataZh)
    {
        var totals = Enumerable.Range(0, labels.Count).Select(i => series.Select((_, s) => values[s][i]).Sum()).ToArray();
        return Horizontal(title, labels, series, values, id, unit, noData, stacked: true, Math.Max(1, totals.DefaultIfEmpty(0).Max()));
    }

    private static string GroupedHorizontal(string title, IReadOnlyList<string> labels, IReadOnlyList<Series> series, IReadOnlyList<long[]> values, string id,
        string? unit, string noData) =>
        Horizontal(title, labels, series, values, id, unit, noData, stacked: false, Math.Max(1, values.SelectMany(v => v).DefaultIfEmpty(0).Max()));

    private static string Horizontal(string title, IReadOnlyList<string> labels, IReadOnlyList<Series> series, IReadOnlyList<long[]> values, string id,
        string? unit, string noData, bool stacked, long max)
    {
        const int left = 210, right = 24, top = 40, bottom = 40, fontSize = 12, lineH = 15, barH = 14;
        var wrapped = labels.Select(l => Wrap(l, left - 14, fontSize)).ToArray();
        var rowHeights = wrapped.Select(w => Math.Max(w.Count * lineH, stacked ? barH : series.Count * barH) + 12).ToArray();
        var plotH = Math.Max(40, rowHeights.Sum());
        var height = top + plotH + bottom;
        var (step, scaleMax) = Scale(max);
        var plotW = Width - left - right;
        var inv = CultureInfo.InvariantCulture;
        var sb = Open(title, id, height);
        Legend(sb, series, left);
        if (IsEmpty(labels, values))
        {
            return NoData(sb, height, noData);
        }

        for (var v = 0L; v <= scaleMax; v += step)
        {
            var x = left + (v / (double)scaleMax * plotW);
            sb.Append(inv, $"<line x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{top}\" y2=\"{top + plotH}\" stroke=\"#e3e7ed\"/>");
            sb.Append(inv, $"<text x=\"{x:0.#}\" y=\"{top + plotH + 16}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6676\">{v}</text>");
        }

        if (unit is not null)
        {
            sb.Append(inv, $"<text class=\"axis-unit\" x=\"{Width - right}\" y=\"{top + plotH + 32}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6676\">{Enc(unit)}</text>");
        }

        var y = (double)top;
        for (var i = 0; i < labels.Count; i++)
        {
            var rowH = rowHeights[i];
            var lines = wrapped[i];
            var textTop = y + (rowH - lines.Count * lineH) / 2.0 + lineH - 3;
            sb.Append(inv, $"<text class=\"label\" x=\"{left - 8}\" y=\"{textTop:0.#}\" font-size=\"{fontSize}\" text-anchor=\"end\">");
            for (var k = 0; k < lines.Count; k++)
            {
                sb.Append(inv, $"<tspan x=\"{left - 8}\" dy=\"{(k == 0 ? 0 : lineH)}\">{Enc(lines[k])}</tspan>");
            }

            sb.Append("</text>");
            var x = (double)left;
            var barsH = stacked ? barH : series.Count * barH;
            var by = y + (rowH - barsH) / 2.0;
            for (var s = 0; s < series.Count; s++)
            {
                var value = values[s][i];
                var w = value / (double)scaleMax * plotW;
                if (value != 0)
                {
                    var rx = stacked ? x : left;
                    var ry = stacked ? by : by + s * barH;
                    sb.Append(inv, $"<rect x=\"{rx:0.#}\" y=\"{ry:0.#}\" width=\"{w:0.#}\" height=\"{barH - 2}\" fill=\"{series[s].Colour}\"><title>{Enc(labels[i])} {Enc(series[s].Name)}: {value}</title></rect>");
                }

                x += stacked ? w : 0;
            }

            y += rowH;
        }

        sb.Append(inv, $"<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{top + plotH}\" stroke=\"#1d2430\"/>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>One series as a line with a marked point per label (e.g. list size at each month end); each point carries a title "label: value".</summary>
    public static string Line(string title, IReadOnlyList<string> labels, string seriesName, string colour, IReadOnlyList<long> values, string id,
        string? unit = null, string noData = NoDataZh)
    {
        const int height = 300, left = 56, right = 16, top = 40, bottom = 56;
        var max = Math.Max(1, values.DefaultIfEmpty(0).Max());
        var (step, scaleMax) = Scale(max);
        var plotW = Width - left - right;
        var plotH = height - top - bottom;
        var dx = labels.Count <= 1 ? 0 : plotW / (double)(labels.Count - 1);
        var inv = CultureInfo.InvariantCulture;
        var sb = Open(title, id, height);
        sb.Append(inv, $"<line x1=\"{left}\" x2=\"{left + 24}\" y1=\"14\" y2=\"14\" stroke=\"{colour}\" stroke-width=\"3\"/><text x=\"{left + 30}\" y=\"19\" font-size=\"13\">{Enc(seriesName)}</text>");
        if (labels.Count == 0)
        {
            return NoData(sb, height, noData);
        }

        for (var v = 0L; v <= scaleMax; v += step)
        {
            var y = top + plotH - (v / (double)scaleMax * plotH);
            sb.Append(inv, $"<line x1=\"{left}\" x2=\"{Width - right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#e3e7ed\"/>");
            sb.Append(inv, $"<text x=\"{left - 6}\" y=\"{y + 4:0.#}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6676\">{v}</text>");
        }

        if (unit is not null)
        {
            sb.Append(inv, $"<text class=\"axis-unit\" x=\"{left - 6}\" y=\"{top - 8}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6676\">{Enc(unit)}</text>");
        }

        var points = new StringBuilder();
        for (var i = 0; i < labels.Count; i++)
        {
            var x = left + (labels.Count == 1 ? plotW / 2.0 : i * dx);
            var y = top + plotH - (values[i] / (double)scaleMax * plotH);
            points.Append(inv, $"{x:0.#},{y:0.#} ");
            sb.Append(inv, $"<text x=\"{x:0.#}\" y=\"{height - bottom + 16}\" font-size=\"11\" text-anchor=\"end\" transform=\"rotate(-40 {x:0.#} {height - bottom + 16})\">{Enc(labels[i])}</text>");
        }

        sb.Append(inv, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\" points=\"{points.ToString().TrimEnd()}\"/>");
        for (var i = 0; i < labels.Count; i++)
        {
            var x = left + (labels.Count == 1 ? plotW / 2.0 : i * dx);
            var y = top + plotH - (values[i] / (double)scaleMax * plotH);
            sb.Append(inv, $"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"4\" fill=\"{colour}\"><title>{Enc(labels[i])}: {values[i]}</title></circle>");
        }

        sb.Append(inv, $"<line x1=\"{left}\" x2=\"{Width - right}\" y1=\"{top + plotH}\" y2=\"{top + plotH}\" stroke=\"#1d2430\"/>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>
    /// Splits a label into lines no wider than <paramref name="maxWidth"/> pixels at <paramref name="fontSize"/>, breaking
    /// between CJK characters or at spaces and punctuation; nothing is dropped.
    /// </summary>
    public static IReadOnlyList<string> Wrap(string label, double maxWidth, int fontSize)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        var width = 0.0;
        foreach (var ch in label)
        {
            var w = CharWidth(ch) * fontSize;
            if (width + w > maxWidth && line.Length > 0)
            {
                lines.Add(line.ToString().TrimEnd());
                line.Clear();
                width = 0;
                if (ch == ' ')
                {
                    continue;
                }
            }

            line.Append(ch);
            width += w;
        }

        if (line.Length > 0 || lines.Count == 0)
        {
            lines.Add(line.ToString());
        }

        return lines;
    }

    /// <summary>Approximate rendered width in em: CJK and full-width forms one em, other characters about 0.6.</summary>
    public static double TextWidth(string s, int fontSize) => s.Sum(CharWidth) * fontSize;

    private static double CharWidth(char c) => c >= 0x2E80 ? 1.0 : 0.62;

    private static StringBuilder Open(string title, string id, int height)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-t\" viewBox=\"0 0 {Width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-t\">{Enc(title)}</title>");
        return sb;
    }

    private static void Legend(StringBuilder sb, IReadOnlyList<Series> series, int left)
    {
        var x = (double)left;
        foreach (var s in series)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{s.Colour}\"/><text x=\"{x + 16:0.#}\" y=\"19\" font-size=\"13\">{Enc(s.Name)}</text>");
            x += 16 + TextWidth(s.Name, 13) + 24;
        }
    }

    private static bool IsEmpty(IReadOnlyList<string> labels, IReadOnlyList<long[]> values) =>
        labels.Count == 0 || values.All(v => v.All(x => x == 0));

    /// <summary>A chart with nothing to draw says so instead of drawing empty axes.</summary>
    private static string NoData(StringBuilder sb, int height, string noData)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"no-data\" x=\"{Width / 2}\" y=\"{height / 2 + 8}\" font-size=\"18\" text-anchor=\"middle\" fill=\"#5b6676\">{Enc(noData)}</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static (long Step, long ScaleMax) Scale(long max)
    {
        var raw = max / 5.0;
        var mag = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(1, raw))));
        var norm = raw / mag;
        var nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
        var step = Math.Max(1, (long)(nice * mag));
        return (step, (long)Math.Ceiling(max / (double)step) * step);
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
