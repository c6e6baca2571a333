using System.Globalization;
using System.Net;
using System.Text;

namespace Shixin.Server.Web;

/// <summary>Bar and line charts as inline SVG, rendered on the server (no script, no external library).</summary>
public static class SvgChart
{
    /// <summary>One bar series: a name and a colour.</summary>
    public sealed record Series(string Name, string Colour);

    public static string Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<Series> series, IReadOnlyList<int[]> values, string id)
    {
        const int width = 760, height = 300, left = 48, right = 12, top = 34, bottom = 56;
        var max = Math.Max(1, values.SelectMany(v => v).DefaultIfEmpty(0).Max());
        var step = NiceStep(max);
        var scaleMax = (int)Math.Ceiling(max / (double)step) * step;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        var groupW = labels.Count == 0 ? plotW : plotW / (double)labels.Count;
        var barW = Math.Clamp((groupW * 0.8) / Math.Max(1, series.Count), 2, 48);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg class=\"chart\" id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-t\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append(inv, $"<title id=\"{id}-t\">{Enc(title)}</title>");
        // Legend.
        for (var s = 0; s < series.Count; s++)
        {
            var x = left + s * 120;
            sb.Append(inv, $"<rect x=\"{x}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{series[s].Colour}\"/><text x=\"{x + 16}\" y=\"19\" font-size=\"13\">{Enc(series[s].Name)}</text>");
        }

        // Grid and axis labels.
        for (var v = 0; v <= scaleMax; v += step)
        {
            var y = top + plotH - (v / (double)scaleMax * plotH);
            sb.Append(inv, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#e3e7ed\"/>");
            sb.Append(inv, $"<text x=\"{left - 6}\" y=\"{y + 4:0.#}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6676\">{v}</text>");
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

        sb.Append(inv, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{top + plotH}\" y2=\"{top + plotH}\" stroke=\"#1d2430\"/>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>
    /// Horizontal stacked bars, one row per label (organization names stay readable); each segment carries a title
    /// "label series: value" for assistive technology and hover.
    /// </summary>
    public static string StackedBars(string title, IReadOnlyList<string> labels, IReadOnlyList<Series> series, IReadOnlyList<int[]> values, string id)
    {
        const int width = 760, left = 190, right = 16, top = 34, rowH = 26, bottom = 28;
        var height = top + Math.Max(1, labels.Count) * rowH + bottom;
        var totals = Enumerable.Range(0, labels.Count).Select(i => series.Select((_, s) => values[s][i]).Sum()).ToArray();
        var max = Math.Max(1, totals.DefaultIfEmpty(0).Max());
        var step = NiceStep(max);
        var scaleMax = (int)Math.Ceiling(max / (double)step) * step;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg class=\"chart\" id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-t\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append(inv, $"<title id=\"{id}-t\">{Enc(title)}</title>");
        for (var s = 0; s < series.Count; s++)
        {
            var x = left + s * 130;
            sb.Append(inv, $"<rect x=\"{x}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{series[s].Colour}\"/><text x=\"{x + 16}\" y=\"19\" font-size=\"13\">{Enc(series[s].Name)}</text>");
        }

        for (var v = 0; v <= scaleMax; v += step)
        {
            var x = left + (v / (double)scaleMax * plotW);
            sb.Append(inv, $"<line x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{top}\" y2=\"{top + plotH}\" stroke=\"#e3e7ed\"/>");
            sb.Append(inv, $"<text x=\"{x:0.#}\" y=\"{top + plotH + 16}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6676\">{v}</text>");
        }

        for (var i = 0; i < labels.Count; i++)
        {
            var y = top + i * rowH;
            var x = (double)left;
            sb.Append(inv, $"<text x=\"{left - 6}\" y=\"{y + rowH / 2 + 4}\" font-size=\"12\" text-anchor=\"end\">{Enc(Shorten(labels[i], 16))}</text>");
            for (var s = 0; s < series.Count; s++)
            {
                var value = values[s][i];
                if (value == 0)
                {
                    continue;
                }

                var w = value / (double)scaleMax * plotW;
                sb.Append(inv, $"<rect x=\"{x:0.#}\" y=\"{y + 4}\" width=\"{w:0.#}\" height=\"{rowH - 8}\" fill=\"{series[s].Colour}\"><title>{Enc(labels[i])} {Enc(series[s].Name)}: {value}</title></rect>");
                x += w;
            }
        }

        sb.Append(inv, $"<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{top + plotH}\" stroke=\"#1d2430\"/>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>One series as a line with a marked point per label (e.g. list size at each month end); each point carries a title "label: value".</summary>
    public static string Line(string title, IReadOnlyList<string> labels, string seriesName, string colour, IReadOnlyList<int> values, string id)
    {
        const int width = 760, height = 300, left = 56, right = 16, top = 34, bottom = 56;
        var max = Math.Max(1, values.DefaultIfEmpty(0).Max());
        var step = NiceStep(max);
        var scaleMax = (int)Math.Ceiling(max / (double)step) * step;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        var dx = labels.Count <= 1 ? 0 : plotW / (double)(labels.Count - 1);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg class=\"chart\" id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-t\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append(inv, $"<title id=\"{id}-t\">{Enc(title)}</title>");
        sb.Append(inv, $"<line x1=\"{left}\" x2=\"{left + 24}\" y1=\"14\" y2=\"14\" stroke=\"{colour}\" stroke-width=\"3\"/><text x=\"{left + 30}\" y=\"19\" font-size=\"13\">{Enc(seriesName)}</text>");
        for (var v = 0; v <= scaleMax; v += step)
        {
            var y = top + plotH - (v / (double)scaleMax * plotH);
            sb.Append(inv, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#e3e7ed\"/>");
            sb.Append(inv, $"<text x=\"{left - 6}\" y=\"{y + 4:0.#}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6676\">{v}</text>");
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

        sb.Append(inv, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{top + plotH}\" y2=\"{top + plotH}\" stroke=\"#1d2430\"/>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private static int NiceStep(int max)
    {
        var raw = max / 5.0;
        var mag = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(1, raw))));
        var norm = raw / mag;
        var nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
        return Math.Max(1, (int)(nice * mag));
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
