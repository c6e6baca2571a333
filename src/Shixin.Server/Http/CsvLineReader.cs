using System.Text;

namespace Shixin.Server.Http;

/// <summary>
/// Streams RFC 4180 CSV records (quoted fields, doubled quotes, line breaks inside quotes) as exported
/// by Excel and WPS, reading asynchronously in blocks so a request body is never loaded whole.
/// A UTF-8 BOM is skipped by the reader's encoding detection.
/// </summary>
public sealed class CsvLineReader(TextReader reader)
{
    private readonly StringBuilder _field = new();
    private readonly char[] _buffer = new char[16384];
    private int _pos;
    private int _len;
    private long _physicalLine = 1;

    /// <summary>The physical line on which the last record started (1-based).</summary>
    public long LineNumber { get; private set; }

    private async ValueTask<int> NextAsync(CancellationToken ct)
    {
        if (_pos == _len)
        {
            _len = await reader.ReadAsync(_buffer.AsMemory(), ct);
            _pos = 0;
            if (_len == 0)
            {
                return -1;
            }
        }

        return _buffer[_pos++];
    }

    private async ValueTask<int> PeekAsync(CancellationToken ct)
    {
        if (_pos == _len)
        {
            _len = await reader.ReadAsync(_buffer.AsMemory(), ct);
            _pos = 0;
            if (_len == 0)
            {
                return -1;
            }
        }

        return _buffer[_pos];
    }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end. Blank lines are skipped.</summary>
    public async ValueTask<bool> ReadAsync(List<string> fields, CancellationToken ct)
    {
        fields.Clear();
        _field.Clear();
        LineNumber = _physicalLine;
        var inQuotes = false;
        var any = false;
        while (true)
        {
            var c = await NextAsync(ct);
            if (c < 0)
            {
                if (!any)
                {
                    return false;
                }

                fields.Add(_field.ToString());
                return true;
            }

            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (await PeekAsync(ct) == '"')
                    {
                        _pos++;
                        _field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        _physicalLine++;
                    }

                    _field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when _field.Length == 0:
                    inQuotes = true;
                    any = true;
                    break;
                case ',':
                    any = true;
                    fields.Add(_field.ToString());
                    _field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    _physicalLine++;
                    if (!any)
                    {
                        LineNumber = _physicalLine;
                        continue;
                    }

                    fields.Add(_field.ToString());
                    return true;
                default:
                    any = true;
                    _field.Append(ch);
                    break;
            }
        }
    }
}
