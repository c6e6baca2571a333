using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using static Shixin.Core.IdentifierError;

namespace Shixin.Core.Identifiers;

/// <summary>Court case number (案号), e.g. <c>(2019)粤0802执1234号</c>: year, court code, case-type characters, serial.</summary>
/// <remarks>
/// Tolerant input: full-width <c>（）</c> or <c>〔〕</c> brackets, full-width digits, any whitespace, a missing
/// trailing <c>号</c>, leading zeros in the serial. The canonical form uses ASCII parentheses and ends in <c>号</c>.
/// A court code is a province abbreviation plus 0–6 digits (a high court has none, e.g. <c>(2020)京民终1号</c>), or
/// <c>最高法</c> for the Supreme People's Court. Equality is ordinal on the canonical form.
/// </remarks>
public readonly struct CaseNumber : IEquatable<CaseNumber>
{
    /// <summary>Earliest year accepted.</summary>
    public const int MinYear = 1990;

    /// <summary>Latest year accepted.</summary>
    public const int MaxYear = 2100;

    /// <summary>Court code of the Supreme People's Court.</summary>
    public const string SupremeCourt = "最高法";

    /// <summary>Province-level abbreviations that open a court code; 兵 is the Xinjiang Production and Construction Corps.</summary>
    public const string ProvinceAbbreviations = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵黔云滇藏陕甘青宁新兵";

    private const int MaxCourtDigits = 6;
    private const int MaxKindLength = 6;
    private const int MaxSerialDigits = 9;
    private const int MaxInput = 64;

    private readonly string? _value;
    private readonly string? _courtCode;
    private readonly string? _kind;

    private CaseNumber(string value, int year, string courtCode, string kind, int serial)
    {
        _value = value;
        Year = year;
        _courtCode = courtCode;
        _kind = kind;
        Serial = serial;
    }

    /// <summary>The canonical form, e.g. <c>(2019)粤0802执1234号</c>; empty for <c>default</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The year in parentheses (收案年度).</summary>
    public int Year { get; }

    /// <summary>The court code (法院代字), e.g. <c>粤0802</c>, <c>宁01</c>, <c>京</c>, <c>最高法</c>.</summary>
    public string CourtCode => _courtCode ?? string.Empty;

    /// <summary>The case-type characters (类型代字), e.g. <c>执</c>, <c>执恢</c>, <c>执保</c>, <c>民初</c>.</summary>
    public string Kind => _kind ?? string.Empty;

    /// <summary>The serial number (案件编号) within year, court and kind.</summary>
    public int Serial { get; }

    /// <summary>Parses; throws <see cref="FormatException"/>.</summary>
    public static CaseNumber Parse(string? text) =>
        TryParse(text, out CaseNumber value, out IdentifierError? error) ? value : throw error.ToException();

    /// <summary>Parses; the shape ASP.NET parameter binding looks for.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out CaseNumber value) => TryParse(text, out value, out _);

    /// <summary>Parses a case number tolerantly (see remarks on the type).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out CaseNumber value, [NotNullWhen(false)] out IdentifierError? error)
    {
        value = default;
        if (text is null)
        {
            error = Fail("no case number given", "未提供案号");
            return false;
        }

        Span<char> buf = stackalloc char[MaxInput];
        int n = 0;
        foreach (char raw in text)
        {
            if (char.IsWhiteSpace(raw))
            {
                continue;
            }

            if (n == MaxInput)
            {
                error = Fail("case number is too long", "案号过长");
                return false;
            }

            buf[n++] = raw switch
            {
                '（' or '〔' => '(',
                '）' or '〕' => ')',
                >= '０' and <= '９' => (char)('0' + (raw - '０')),
                _ => raw,
            };
        }

        ReadOnlySpan<char> s = buf[..n];
        if (s.Length < 6 || s[0] != '(' || s[5] != ')' || s.Slice(1, 4).ContainsAnyExceptInRange('0', '9'))
        {
            error = Fail("a case number starts with the year in parentheses, e.g. (2019)", "案号应以括号内的年份开头，如(2019)");
            return false;
        }

        int year = Ascii.Digits(s.Slice(1, 4));
        if (year is < MinYear or > MaxYear)
        {
            error = Fail($"year {s.Slice(1, 4)} is outside 1990–2100", $"年份{s.Slice(1, 4)}不在1990至2100之间");
            return false;
        }

        s = s[6..];
        int courtLength;
        if (s.IsEmpty)
        {
            error = Fail("the court code is missing after the year", "年份后缺少法院代字");
            return false;
        }

        if (s.StartsWith(SupremeCourt, StringComparison.Ordinal))
        {
            courtLength = SupremeCourt.Length;
        }
        else if (ProvinceAbbreviations.Contains(s[0], StringComparison.Ordinal))
        {
            int digits = CountDigits(s[1..]);
            if (digits > MaxCourtDigits)
            {
                error = Fail("court code has more than 6 digits", "法院代字中的数字超过6位");
                return false;
            }

            courtLength = 1 + digits;
        }
        else
        {
            string shown = Ascii.Show(s[0]);
            error = Fail($"unknown court abbreviation '{shown}'", $"未知的法院代字'{shown}'");
            return false;
        }

        ReadOnlySpan<char> court = s[..courtLength];
        s = s[courtLength..];

        int kindLength = 0;
        while (kindLength < s.Length && IsHan(s[kindLength]) && s[kindLength] != '号')
        {
            kindLength++;
        }

        if (kindLength == 0)
        {
            error = Fail("case-type characters (e.g. 执) are missing after the court code", "法院代字后缺少案件类型代字（如“执”）");
            return false;
        }

        if (kindLength > MaxKindLength)
        {
            error = Fail("case-type characters are longer than 6", "案件类型代字超过6个字");
            return false;
        }

        ReadOnlySpan<char> kind = s[..kindLength];
        s = s[kindLength..];

        int serialDigits = CountDigits(s);
        if (serialDigits == 0)
        {
            error = Fail("the serial number is missing", "缺少案件编号");
            return false;
        }

        ReadOnlySpan<char> serialText = s[..serialDigits].TrimStart('0');
        if (serialText.IsEmpty || serialText.Length > MaxSerialDigits)
        {
            error = Fail("the serial number must be between 1 and 999999999", "案件编号应在1至999999999之间");
            return false;
        }

        int serial = Ascii.Digits(serialText);
        s = s[serialDigits..];
        if (!s.IsEmpty && s[0] == '号')
        {
            s = s[1..];
        }

        if (!s.IsEmpty)
        {
            error = Fail($"unexpected text '{s}' after the serial number", $"案件编号后有多余内容'{s}'");
            return false;
        }

        string courtCode = court.ToString();
        string kindText = kind.ToString();
        string canonical = string.Create(CultureInfo.InvariantCulture, $"({year}){courtCode}{kindText}{serial}号");
        error = null;
        value = new CaseNumber(
            string.Equals(canonical, text, StringComparison.Ordinal) ? text : canonical,
            year,
            courtCode,
            kindText,
            serial);
        return true;
    }

    private static int CountDigits(ReadOnlySpan<char> s)
    {
        int i = s.IndexOfAnyExceptInRange('0', '9');
        return i < 0 ? s.Length : i;
    }

    // CJK Unified Ideographs: case-type characters are Chinese (法〔2015〕137号 案号规定 uses 类型代字).
    private static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF';

    private static IdentifierError Fail(string message, string messageZh) =>
        new(IdentifierErrorCodes.InvalidCaseNumber, message, messageZh);

    /// <inheritdoc/>
    public bool Equals(CaseNumber other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CaseNumber other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : _value.GetHashCode(StringComparison.Ordinal);

    /// <summary>The canonical form, <see cref="Value"/>.</summary>
    public override string ToString() => Value;

    /// <summary>Ordinal equality.</summary>
    public static bool operator ==(CaseNumber left, CaseNumber right) => left.Equals(right);

    /// <summary>Ordinal inequality.</summary>
    public static bool operator !=(CaseNumber left, CaseNumber right) => !left.Equals(right);
}
