using System.Diagnostics.CodeAnalysis;
using static Shixin.Core.IdentifierError;

namespace Shixin.Core.Identifiers;

/// <summary>Passport number with its issuing country: 5–20 upper-case <c>[A-Z0-9]</c>, country ISO 3166 alpha-3 (default <c>CHN</c>).</summary>
/// <remarks>
/// Travel documents bound to a person screen like the ID itself (DOMAIN.md "Identifiers"). Equality is ordinal on
/// both number and country. The country is checked for shape only (three letters), not against the ISO list:
/// ICAO also issues codes outside ISO 3166 (e.g. <c>UNO</c>, <c>XXA</c>).
/// </remarks>
public readonly struct PassportNumber : IEquatable<PassportNumber>, ISpanFormattable
{
    /// <summary>Fewest characters accepted in a number.</summary>
    public const int MinLength = 5;

    /// <summary>Most characters accepted in a number.</summary>
    public const int MaxLength = 20;

    /// <summary>The issuing country assumed when none is given.</summary>
    public const string DefaultCountry = "CHN";

    private readonly string? _number;
    private readonly string? _country;

    private PassportNumber(string number, string country)
    {
        _number = number;
        _country = country;
    }

    /// <summary>The canonical upper-case number, e.g. <c>E12345678</c>; empty for <c>default</c>.</summary>
    public string Number => _number ?? string.Empty;

    /// <summary>The ISO 3166 alpha-3 issuing country, upper-case; <c>CHN</c> unless given.</summary>
    public string IssuingCountry => _country ?? DefaultCountry;

    /// <summary>Whether this matches a Chinese ordinary passport: <c>E</c>+8 digits, <c>E</c>+letter+7 digits, or <c>G</c>+8 digits.</summary>
    public bool LooksLikeChineseOrdinaryPassport
    {
        get
        {
            ReadOnlySpan<char> n = Number;
            if (n.Length != 9 || !string.Equals(IssuingCountry, DefaultCountry, StringComparison.Ordinal) || n[2..].ContainsAnyExceptInRange('0', '9'))
            {
                return false;
            }

            // Letters I and O are not used after the E, being confusable with 1 and 0.
            return n[0] == 'G' ? Ascii.IsDigit(n[1])
                : n[0] == 'E' && (Ascii.IsDigit(n[1]) || (Ascii.IsUpper(n[1]) && n[1] is not ('I' or 'O')));
        }
    }

    /// <summary>
    /// Number and country in 120 bits, reversibly: the number as base-37 digits (<c>0</c>–<c>9</c> → 1–10,
    /// <c>A</c>–<c>Z</c> → 11–36, 0 = end; at most 37^20 &lt; 2^105) shifted over 15 bits of country (3 × base 26).
    /// </summary>
    public UInt128 ToPackedUInt128()
    {
        UInt128 n = 0;
        ReadOnlySpan<char> number = Number;
        for (int i = number.Length - 1; i >= 0; i--)
        {
            n = (n * 37) + (uint)Code(number[i]);
        }

        string country = IssuingCountry;
        uint c = (uint)(((country[0] - 'A') * 26 * 26) + ((country[1] - 'A') * 26) + (country[2] - 'A'));
        return (n << 15) | c;
    }

    /// <summary>Rebuilds a passport number from <see cref="ToPackedUInt128"/>; throws <see cref="ArgumentOutOfRangeException"/> if it is not one.</summary>
    public static PassportNumber FromPacked(UInt128 packed)
    {
        uint c = (uint)(packed & 0x7FFF);
        if (c >= 26 * 26 * 26)
        {
            throw new ArgumentOutOfRangeException(nameof(packed), "Country part out of range.");
        }

        Span<char> country = [(char)('A' + (c / 676)), (char)('A' + (c / 26 % 26)), (char)('A' + (c % 26))];
        UInt128 n = packed >> 15;
        Span<char> number = stackalloc char[MaxLength];
        int length = 0;
        while (n != 0)
        {
            int code = (int)(n % 37);
            if (code == 0 || length == MaxLength)
            {
                throw new ArgumentOutOfRangeException(nameof(packed), "Number part is not a packed passport number.");
            }

            number[length++] = code <= 10 ? (char)('0' + code - 1) : (char)('A' + code - 11);
            n /= 37;
        }

        if (length < MinLength)
        {
            throw new ArgumentOutOfRangeException(nameof(packed), "Number part is too short.");
        }

        return new PassportNumber(new string(number[..length]), Intern(country));
    }

    /// <summary>Parses a number issued by <c>CHN</c>; throws <see cref="FormatException"/>.</summary>
    public static PassportNumber Parse(string? text) => Parse(text, null);

    /// <summary>Parses a number issued by <paramref name="issuingCountry"/> (null means <c>CHN</c>); throws <see cref="FormatException"/>.</summary>
    public static PassportNumber Parse(string? text, string? issuingCountry) =>
        TryParse(text, issuingCountry, out PassportNumber value, out IdentifierError? error) ? value : throw error.ToException();

    /// <summary>Parses a number issued by <c>CHN</c>; the shape ASP.NET parameter binding looks for.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out PassportNumber value) => TryParse(text, null, out value, out _);

    /// <summary>Parses a number issued by <c>CHN</c>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out PassportNumber value, [NotNullWhen(false)] out IdentifierError? error) =>
        TryParse(text, null, out value, out error);

    /// <summary>Parses a number (trimmed, upper-cased) issued by <paramref name="issuingCountry"/> (null means <c>CHN</c>).</summary>
    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        string? issuingCountry,
        out PassportNumber value,
        [NotNullWhen(false)] out IdentifierError? error)
    {
        value = default;
        Span<char> country = stackalloc char[3];
        ReadOnlySpan<char> cs = (issuingCountry ?? DefaultCountry).AsSpan().Trim();
        if (cs.Length != 3 || !IsLetters(cs, country))
        {
            string shown = issuingCountry ?? string.Empty;
            error = Fail(
                $"issuing country '{shown}' is not a three-letter ISO 3166 alpha-3 code",
                $"签发国'{shown}'不是ISO 3166三位字母代码");
            return false;
        }

        if (text is null)
        {
            error = Fail("no passport number given", "未提供护照号码");
            return false;
        }

        ReadOnlySpan<char> s = text.AsSpan().Trim();
        if (s.Length is < MinLength or > MaxLength)
        {
            error = Fail(
                $"a passport number has 5 to 20 characters, got {Num(s.Length)}",
                $"护照号码应为5至20位，实际为{Num(s.Length)}位");
            return false;
        }

        Span<char> buf = stackalloc char[s.Length];
        bool changed = s.Length != text.Length;
        for (int i = 0; i < s.Length; i++)
        {
            char c = Ascii.ToUpper(s[i]);
            changed |= c != s[i];
            if (Code(c) == 0)
            {
                error = Fail(
                    $"character '{Ascii.Show(s[i])}' at position {Num(i + 1)} is not a letter or digit",
                    $"第{Num(i + 1)}位字符'{Ascii.Show(s[i])}'不是字母或数字");
                return false;
            }

            buf[i] = c;
        }

        error = null;
        value = new PassportNumber(changed ? new string(buf) : text, Intern(country));
        return true;
    }

    internal static PassportNumber FromCanonical(string number) => new(number, DefaultCountry);

    // 1–10 for digits, 11–36 for letters, 0 for anything else (0 terminates the packed form).
    private static int Code(char c) => Ascii.IsDigit(c) ? c - '0' + 1 : Ascii.IsUpper(c) ? c - 'A' + 11 : 0;

    private static bool IsLetters(ReadOnlySpan<char> s, Span<char> upper)
    {
        for (int i = 0; i < s.Length; i++)
        {
            upper[i] = Ascii.ToUpper(s[i]);
            if (!Ascii.IsUpper(upper[i]))
            {
                return false;
            }
        }

        return true;
    }

    // The default country is shared so CHN passports do not each carry their own copy.
    private static string Intern(ReadOnlySpan<char> country) =>
        country.SequenceEqual(DefaultCountry) ? DefaultCountry : new string(country);

    private static IdentifierError Fail(string message, string messageZh) =>
        new(IdentifierErrorCodes.InvalidPassport, message, messageZh);

    /// <inheritdoc/>
    public bool Equals(PassportNumber other) =>
        string.Equals(_number, other._number, StringComparison.Ordinal)
        && string.Equals(IssuingCountry, other.IssuingCountry, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PassportNumber other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(_number is null ? 0 : _number.GetHashCode(StringComparison.Ordinal), IssuingCountry.GetHashCode(StringComparison.Ordinal));

    /// <summary>The number alone, <see cref="Number"/>.</summary>
    public override string ToString() => Number;

    /// <summary>Format <c>G</c> (or none) gives the number; <c>C</c> gives <c>CHN:E12345678</c>.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => format switch
    {
        null or "" or "G" => Number,
        "C" => string.Concat(IssuingCountry, ":", Number),
        _ => throw new FormatException("PassportNumber formats are G and C."),
    };

    /// <summary>Writes the form selected by <paramref name="format"/> (<c>G</c> or <c>C</c>) without allocating.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        bool withCountry = format is "C";
        if (!withCountry && !(format.IsEmpty || format is "G"))
        {
            throw new FormatException("PassportNumber formats are G and C.");
        }

        int needed = Number.Length + (withCountry ? 4 : 0);
        if (destination.Length < needed)
        {
            charsWritten = 0;
            return false;
        }

        if (withCountry)
        {
            IssuingCountry.CopyTo(destination);
            destination[3] = ':';
            Number.CopyTo(destination[4..]);
        }
        else
        {
            Number.CopyTo(destination);
        }

        charsWritten = needed;
        return true;
    }

    /// <summary>Ordinal equality of number and country.</summary>
    public static bool operator ==(PassportNumber left, PassportNumber right) => left.Equals(right);

    /// <summary>Ordinal inequality.</summary>
    public static bool operator !=(PassportNumber left, PassportNumber right) => !left.Equals(right);
}
