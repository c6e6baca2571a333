using System.Diagnostics.CodeAnalysis;
using static Shixin.Core.IdentifierError;

namespace Shixin.Core.Identifiers;

/// <summary>Resident ID number (公民身份号码, GB 11643-1999), held in its canonical 18-character form.</summary>
/// <remarks>
/// Parsing trims whitespace, upper-cases the check character <c>x</c>, converts legacy 15-digit numbers
/// and checks the province code, the birth date and the ISO 7064 MOD 11-2 check (LEGAL.md §6.1).
/// Equality is ordinal on <see cref="Value"/>. <c>default</c> is an empty value whose date members throw.
/// </remarks>
public readonly struct ResidentId : IEquatable<ResidentId>, ISpanFormattable
{
    /// <summary>Characters in the canonical form.</summary>
    public const int Length = 18;

    // W_i = 2^(18-i) mod 11 for positions 1..17; GB 11643-1999, ISO 7064 MOD 11-2; LEGAL.md §6.1.
    private static ReadOnlySpan<byte> Weights => [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    // S mod 11 = 0..10 maps to these check characters; LEGAL.md §6.1.
    private const string CheckMap = "10X98765432";

    private const ulong PackedLimit = 100_000_000_000_000_000UL; // 10^17: 17 decimal digits

    private readonly string? _value;

    private ResidentId(string value) => _value = value;

    /// <summary>The canonical 18 characters, e.g. <c>11010519491231002X</c>; empty for <c>default</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Digits 1–6: the address code (GB/T 2260 administrative division) of the registered residence.</summary>
    public string RegionCode => V[..6];

    /// <summary>Digits 7–14: the birth date.</summary>
    public DateOnly BirthDate
    {
        get
        {
            string v = V;
            return new DateOnly(Ascii.Digits(v.AsSpan(6, 4)), Ascii.Digits(v.AsSpan(10, 2)), Ascii.Digits(v.AsSpan(12, 2)));
        }
    }

    /// <summary>Digit 17 (last of the sequence code): odd male, even female.</summary>
    public Sex Sex => ((V[16] - '0') & 1) == 1 ? Sex.Male : Sex.Female;

    /// <summary>Public display form: birth month and day hidden, e.g. <c>3423011964****3224</c> (LEGAL.md §4.2).</summary>
    public string Masked
    {
        get
        {
            string v = V;
            return string.Concat(v.AsSpan(0, 10), "****", v.AsSpan(14, 4));
        }
    }

    private string V => _value ?? throw new InvalidOperationException("default(ResidentId) holds no number.");

    /// <summary>Completed years of age on <paramref name="on"/>.</summary>
    /// <remarks>
    /// A 29 February birthday falls on 28 February in common years, as 民法典 Art. 202 ends a year period on the
    /// month's last day when the corresponding day does not exist (applied here by analogy).
    /// </remarks>
    public int AgeOn(DateOnly on)
    {
        DateOnly birth = BirthDate;
        ArgumentOutOfRangeException.ThrowIfLessThan(on, birth);
        int age = on.Year - birth.Year;
        return birth.AddYears(age) > on ? age - 1 : age;
    }

    /// <summary>Under 18 on <paramref name="on"/>: a minor may never be listed (SPC listing provisions Art. 4; 民法典 Art. 17).</summary>
    public bool IsMinorOn(DateOnly on) => on < BirthDate.AddYears(18);

    /// <summary>The first 17 digits as a number; the check character is derivable from it.</summary>
    public ulong ToPackedUInt64() => Pack(V);

    /// <summary>
    /// Validates like <see cref="TryParse(string?, DateOnly?, out ResidentId, out IdentifierError?)"/> and packs like
    /// <see cref="ToPackedUInt64"/> without allocating: the path of bulk screening.
    /// </summary>
    public static bool TryPack(ReadOnlySpan<char> text, out ulong packed, [NotNullWhen(false)] out IdentifierError? error)
    {
        Span<char> buf = stackalloc char[Length];
        packed = 0;
        if (!TryCanonical(text, today: null, buf, out error))
        {
            return false;
        }

        packed = Pack(buf);
        return true;
    }

    private static ulong Pack(ReadOnlySpan<char> canonical)
    {
        ulong n = 0;
        foreach (char c in canonical[..17])
        {
            n = (n * 10) + (uint)(c - '0');
        }

        return n;
    }

    /// <summary>Rebuilds an ID from <see cref="ToPackedUInt64"/>; throws <see cref="ArgumentOutOfRangeException"/> if it is not a valid number.</summary>
    public static ResidentId FromPacked(ulong packed)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(packed, PackedLimit);
        Span<char> buf = stackalloc char[Length];
        for (int i = 16; i >= 0; i--)
        {
            buf[i] = (char)('0' + (int)(packed % 10));
            packed /= 10;
        }

        if (ValidateBody(buf[..17], today: null) is { } error)
        {
            throw new ArgumentOutOfRangeException(nameof(packed), error.Message);
        }

        buf[17] = Check(buf[..17]);
        return new ResidentId(new string(buf));
    }

    /// <summary>
    /// Writes the 18 characters of a number packed by <see cref="ToPackedUInt64"/> into <paramref name="destination"/>
    /// without allocating; unlike <see cref="FromPacked"/> it trusts the value (it came from a validated ID).
    /// </summary>
    public static void FormatPacked(ulong packed, Span<char> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(packed, PackedLimit);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length);
        for (int i = 16; i >= 0; i--)
        {
            destination[i] = (char)('0' + (int)(packed % 10));
            packed /= 10;
        }

        destination[17] = Check(destination[..17]);
    }

    /// <summary>The MOD 11-2 check character (<c>0</c>–<c>9</c> or <c>X</c>) for 17 digits.</summary>
    public static char ComputeCheck(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17 || first17.ContainsAnyExceptInRange('0', '9'))
        {
            throw new ArgumentException("Expected exactly 17 ASCII digits.", nameof(first17));
        }

        return Check(first17);
    }

    /// <summary>Parses an 18- or legacy 15-digit number without a future-birth check; throws <see cref="FormatException"/>.</summary>
    public static ResidentId Parse(string? text) => Parse(text, today: null);

    /// <summary>Parses; a birth date after <paramref name="today"/> (when given) is rejected. Throws <see cref="FormatException"/>.</summary>
    public static ResidentId Parse(string? text, DateOnly? today) =>
        TryParse(text, today, out ResidentId value, out IdentifierError? error) ? value : throw error.ToException();

    /// <summary>Parses without a future-birth check; the shape ASP.NET parameter binding looks for.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ResidentId value) =>
        TryParse(text, today: null, out value, out _);

    /// <summary>Parses without a future-birth check.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ResidentId value, [NotNullWhen(false)] out IdentifierError? error) =>
        TryParse(text, today: null, out value, out error);

    /// <summary>Parses an 18- or legacy 15-digit number; a birth date after <paramref name="today"/> (when given) is rejected.</summary>
    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        DateOnly? today,
        out ResidentId value,
        [NotNullWhen(false)] out IdentifierError? error)
    {
        value = default;
        if (text is null)
        {
            error = Fail("no ID number given", "未提供身份证号码");
            return false;
        }

        Span<char> buf = stackalloc char[Length];
        if (!TryCanonical(text, today, buf, out error))
        {
            return false;
        }

        value = new ResidentId(text.AsSpan().SequenceEqual(buf) ? text : new string(buf));
        return true;
    }

    // Trims, converts a legacy number, validates and writes the canonical 18 characters into buf.
    private static bool TryCanonical(ReadOnlySpan<char> text, DateOnly? today, Span<char> buf, [NotNullWhen(false)] out IdentifierError? error)
    {
        ReadOnlySpan<char> s = text.Trim();
        if (s.Length == Length)
        {
            if (FirstNonDigit(s[..17], out error))
            {
                return false;
            }

            char check = s[17] == 'x' ? 'X' : s[17];
            if (!Ascii.IsDigit(check) && check != 'X')
            {
                error = Fail(
                    $"check character '{Ascii.Show(s[17])}' must be a digit or X",
                    $"校验码'{Ascii.Show(s[17])}'应为数字或X");
                return false;
            }

            s[..17].CopyTo(buf);
            if ((error = ValidateBody(buf[..17], today)) is not null)
            {
                return false;
            }

            char expected = Check(buf[..17]);
            if (expected != check)
            {
                error = Fail($"check character should be {expected}", $"校验码应为{expected}");
                return false;
            }

            buf[17] = check;
            return true;
        }

        if (s.Length == 15)
        {
            if (FirstNonDigit(s, out error))
            {
                return false;
            }

            // First-generation numbers: YYMMDD, no check. Insert "19", or "18" for sequence 996–999
            // (reserved for centenarians), and compute the check; LEGAL.md §6.1.
            bool centenarian = Ascii.Digits(s[12..15]) >= 996;
            s[..6].CopyTo(buf);
            buf[6] = '1';
            buf[7] = centenarian ? '8' : '9';
            s[6..15].CopyTo(buf[8..]);
            if ((error = ValidateBody(buf[..17], today)) is not null)
            {
                return false;
            }

            buf[17] = Check(buf[..17]);
            return true;
        }

        error = Fail(
            $"an ID number has 18 characters (or 15 digits if legacy), got {Num(s.Length)}",
            $"身份证号码应为18位（旧号码15位），实际为{Num(s.Length)}位");
        return false;
    }

    internal static ResidentId FromCanonical(string value) => new(value);

    internal static char Check(ReadOnlySpan<char> first17)
    {
        int sum = 0;
        for (int i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckMap[sum % 11];
    }

    /// <summary>Province prefixes accepted (LEGAL.md §6.1): 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82, 91.</summary>
    internal static bool IsKnownProvince(int code) => code switch
    {
        >= 11 and <= 15 or >= 21 and <= 23 or >= 31 and <= 37 or >= 41 and <= 46
            or >= 50 and <= 54 or >= 61 and <= 65 or 71 or 81 or 82 or 91 => true,
        _ => false,
    };

    /// <summary>True when <paramref name="code"/> is six ASCII digits with a known province prefix.</summary>
    internal static bool IsRegionCode(ReadOnlySpan<char> code) =>
        code.Length == 6 && !code.ContainsAnyExceptInRange('0', '9') && IsKnownProvince(Ascii.Digits(code[..2]));

    // Province, then a real calendar date (GB 11643-1999 digits 7–14), then the optional future check.
    private static IdentifierError? ValidateBody(ReadOnlySpan<char> d, DateOnly? today)
    {
        if (!IsKnownProvince(Ascii.Digits(d[..2])))
        {
            return Fail($"unknown province code {d[..2]}", $"未知的省级行政区划代码{d[..2]}");
        }

        int year = Ascii.Digits(d.Slice(6, 4));
        int month = Ascii.Digits(d.Slice(10, 2));
        int day = Ascii.Digits(d.Slice(12, 2));
        if (year < 1800)
        {
            // Nobody alive was born before 1800 (the 15-digit conversion yields 18xx at the earliest).
            return Fail($"birth date {Shown(d)} is before 1800", $"出生日期{Shown(d)}早于1800年");
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return Fail($"birth date {Shown(d)} does not exist", $"出生日期{Shown(d)}不存在");
        }

        if (today is { } t && new DateOnly(year, month, day) > t)
        {
            return Fail($"birth date {Shown(d)} is in the future", $"出生日期{Shown(d)}晚于当前日期");
        }

        return null;

        // Formatted only on failure: the valid path allocates nothing.
        static string Shown(ReadOnlySpan<char> d) => $"{d.Slice(6, 4)}-{d.Slice(10, 2)}-{d.Slice(12, 2)}";
    }

    private static bool FirstNonDigit(ReadOnlySpan<char> s, [NotNullWhen(true)] out IdentifierError? error)
    {
        int i = s.IndexOfAnyExceptInRange('0', '9');
        if (i < 0)
        {
            error = null;
            return false;
        }

        error = Fail(
            $"character '{Ascii.Show(s[i])}' at position {Num(i + 1)} is not a digit",
            $"第{Num(i + 1)}位字符'{Ascii.Show(s[i])}'不是数字");
        return true;
    }

    private static IdentifierError Fail(string message, string messageZh) =>
        new(IdentifierErrorCodes.InvalidIdNumber, message, messageZh);

    /// <inheritdoc/>
    public bool Equals(ResidentId other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ResidentId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : _value.GetHashCode(StringComparison.Ordinal);

    /// <summary>The canonical form, <see cref="Value"/>.</summary>
    public override string ToString() => Value;

    /// <summary>Format <c>G</c> (or none) gives <see cref="Value"/>; <c>M</c> gives <see cref="Masked"/>.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => format switch
    {
        null or "" or "G" => Value,
        "M" => Masked,
        _ => throw new FormatException("ResidentId formats are G and M."),
    };

    /// <summary>Writes the form selected by <paramref name="format"/> (<c>G</c> or <c>M</c>) without allocating.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        string v = Value;
        bool masked = format is "M";
        if (!masked && !(format.IsEmpty || format is "G"))
        {
            throw new FormatException("ResidentId formats are G and M.");
        }

        if (destination.Length < v.Length)
        {
            charsWritten = 0;
            return false;
        }

        v.CopyTo(destination);
        if (masked && v.Length == Length)
        {
            destination.Slice(10, 4).Fill('*');
        }

        charsWritten = v.Length;
        return true;
    }

    /// <summary>Ordinal equality.</summary>
    public static bool operator ==(ResidentId left, ResidentId right) => left.Equals(right);

    /// <summary>Ordinal inequality.</summary>
    public static bool operator !=(ResidentId left, ResidentId right) => !left.Equals(right);
}
