using System.Diagnostics.CodeAnalysis;
using static Shixin.Core.IdentifierError;

namespace Shixin.Core.Identifiers;

/// <summary>Unified social credit code (统一社会信用代码, GB 32100-2015), held in its canonical 18-character upper-case form.</summary>
/// <remarks>
/// Positions 1–2 and 9–18 come from the 31-character alphabet, 3–8 are digits, 18 is a MOD 31 check
/// (LEGAL.md §6.2). The embedded organization code (positions 9–17) is reported, not enforced: some registrars
/// issued codes whose embedded GB 11714 check fails.
/// </remarks>
public readonly struct CreditCode : IEquatable<CreditCode>, ISpanFormattable
{
    /// <summary>Characters in the canonical form.</summary>
    public const int Length = 18;

    /// <summary>The 31 code characters, valued 0–30 in order: digits and upper-case letters without I, O, S, V, Z.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    // W_i = 3^(i-1) mod 31; GB 32100-2015; LEGAL.md §6.2.
    private static ReadOnlySpan<byte> Weights => [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    private static readonly UInt128 PackedLimit = Pow31(17);

    // Value of each ASCII character in the alphabet, −1 if absent.
    private static readonly sbyte[] Values = BuildValues();

    private readonly string? _value;

    private CreditCode(string value) => _value = value;

    /// <summary>The canonical 18 characters, e.g. <c>91110000600037341L</c>; empty for <c>default</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Position 1: registration authority (登记管理部门代码), e.g. <c>9</c> market regulation, <c>5</c> civil affairs.</summary>
    public char RegistrationAuthority => V[0];

    /// <summary>Position 2: organization type under that authority (机构类别代码), e.g. <c>1</c> enterprise under <c>9</c>.</summary>
    public char OrganizationType => V[1];

    /// <summary>Positions 3–8: administrative division of the registration authority.</summary>
    public string RegionCode => V.Substring(2, 6);

    /// <summary>Positions 9–17: the entity identifier, i.e. the 9-character organization code (主体标识码).</summary>
    public string OrganizationCode => V.Substring(8, 9);

    /// <summary>Whether positions 9–17 pass their own GB 11714 check (informational; never a parse failure).</summary>
    public bool HasValidEmbeddedOrganizationCode => Identifiers.OrganizationCode.IsValid(V.AsSpan(8, 9));

    private string V => _value ?? throw new InvalidOperationException("default(CreditCode) holds no code.");

    /// <summary>The embedded organization code when its own check passes.</summary>
    public bool TryGetOrganizationCode(out OrganizationCode code)
    {
        bool ok = HasValidEmbeddedOrganizationCode;
        code = ok ? Identifiers.OrganizationCode.FromCanonical(OrganizationCode) : default;
        return ok;
    }

    /// <summary>Positions 1–17 as 17 base-31 digits; the check character is derivable.</summary>
    public UInt128 ToPackedUInt128() => Pack(V);

    /// <summary>Validates like <see cref="TryParse(string?, out CreditCode, out IdentifierError?)"/> and packs like <see cref="ToPackedUInt128"/> without allocating.</summary>
    public static bool TryPack(ReadOnlySpan<char> text, out UInt128 packed, [NotNullWhen(false)] out IdentifierError? error)
    {
        Span<char> buf = stackalloc char[Length];
        packed = 0;
        if (!TryCanonical(text, buf, out error))
        {
            return false;
        }

        packed = Pack(buf);
        return true;
    }

    private static UInt128 Pack(ReadOnlySpan<char> canonical)
    {
        // Two 64-bit halves of base-31 digits, joined once: UInt128 arithmetic per digit is slow.
        ulong high = 0, low = 0;
        for (int i = 0; i < 8; i++)
        {
            high = (high * 31) + (uint)Values[canonical[i]];
        }

        for (int i = 8; i < 17; i++)
        {
            low = (low * 31) + (uint)Values[canonical[i]];
        }

        return ((UInt128)high * Pow31To9) + low;
    }

    private const ulong Pow31To9 = 26_439_622_160_671UL; // 31^9

    /// <summary>Rebuilds a code from <see cref="ToPackedUInt128"/>; throws <see cref="ArgumentOutOfRangeException"/> if it is not one.</summary>
    public static CreditCode FromPacked(UInt128 packed)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(packed, PackedLimit);
        Span<char> buf = stackalloc char[Length];
        for (int i = 16; i >= 0; i--)
        {
            int v = (int)(packed % 31);
            if (i is >= 2 and <= 7 && v > 9)
            {
                throw new ArgumentOutOfRangeException(nameof(packed), "Positions 3–8 of a credit code must be digits.");
            }

            buf[i] = Alphabet[v];
            packed /= 31;
        }

        buf[17] = Check(buf[..17]);
        return new CreditCode(new string(buf));
    }

    /// <summary>The MOD 31 check character for positions 1–17 (alphabet characters, upper-case).</summary>
    public static char ComputeCheck(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("Expected exactly 17 characters.", nameof(first17));
        }

        foreach (char c in first17)
        {
            if (c >= 128 || Values[c] < 0)
            {
                throw new ArgumentException("Expected characters from the credit-code alphabet.", nameof(first17));
            }
        }

        return Check(first17);
    }

    /// <summary>Parses; throws <see cref="FormatException"/>.</summary>
    public static CreditCode Parse(string? text) =>
        TryParse(text, out CreditCode value, out IdentifierError? error) ? value : throw error.ToException();

    /// <summary>Parses; the shape ASP.NET parameter binding looks for.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out CreditCode value) => TryParse(text, out value, out _);

    /// <summary>Parses 18 characters case-insensitively, trimming whitespace.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out CreditCode value, [NotNullWhen(false)] out IdentifierError? error)
    {
        value = default;
        if (text is null)
        {
            error = Fail("no credit code given", "未提供统一社会信用代码");
            return false;
        }

        Span<char> buf = stackalloc char[Length];
        if (!TryCanonical(text, buf, out error))
        {
            return false;
        }

        value = new CreditCode(text.AsSpan().SequenceEqual(buf) ? text : new string(buf));
        return true;
    }

    // Trims, upper-cases, validates and writes the canonical 18 characters into buf.
    private static bool TryCanonical(ReadOnlySpan<char> text, Span<char> buf, [NotNullWhen(false)] out IdentifierError? error)
    {
        ReadOnlySpan<char> s = text.Trim();
        if (s.Length != Length)
        {
            error = Fail(
                $"a unified social credit code has 18 characters, got {Num(s.Length)}",
                $"统一社会信用代码应为18位，实际为{Num(s.Length)}位");
            return false;
        }

        for (int i = 0; i < Length; i++)
        {
            char c = Ascii.ToUpper(s[i]);
            buf[i] = c;
            if (i is >= 2 and <= 7)
            {
                if (!Ascii.IsDigit(c))
                {
                    error = Fail(
                        $"character '{Ascii.Show(c)}' at position {Num(i + 1)} must be a digit (region code)",
                        $"第{Num(i + 1)}位字符'{Ascii.Show(c)}'应为数字（行政区划码）");
                    return false;
                }
            }
            else if (c >= 128 || Values[c] < 0)
            {
                error = Fail(
                    $"character '{Ascii.Show(c)}' at position {Num(i + 1)} is not allowed (digits and letters except I, O, S, V, Z)",
                    $"第{Num(i + 1)}位字符'{Ascii.Show(c)}'不合法（仅限数字和除I、O、S、V、Z外的大写字母）");
                return false;
            }
        }

        char expected = Check(buf[..17]);
        if (expected != buf[17])
        {
            error = Fail($"check character should be {expected}", $"校验码应为{expected}");
            return false;
        }

        error = null;
        return true;
    }

    internal static CreditCode FromCanonical(string value) => new(value);

    internal static int ValueOf(char c) => c < 128 ? Values[c] : -1;

    internal static char Check(ReadOnlySpan<char> first17)
    {
        int sum = 0;
        for (int i = 0; i < 17; i++)
        {
            sum += Values[first17[i]] * Weights[i];
        }

        // C18 = 31 − (Σ mod 31), 31 → 0; GB 32100-2015; LEGAL.md §6.2.
        return Alphabet[(31 - (sum % 31)) % 31];
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (int i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }

        return values;
    }

    private static UInt128 Pow31(int n)
    {
        UInt128 p = 1;
        for (int i = 0; i < n; i++)
        {
            p *= 31;
        }

        return p;
    }

    private static IdentifierError Fail(string message, string messageZh) =>
        new(IdentifierErrorCodes.InvalidCreditCode, message, messageZh);

    /// <inheritdoc/>
    public bool Equals(CreditCode other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CreditCode other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : _value.GetHashCode(StringComparison.Ordinal);

    /// <summary>The canonical form, <see cref="Value"/> (shown in full in public, LEGAL.md §4.2).</summary>
    public override string ToString() => Value;

    /// <summary>Only the canonical form exists: format must be empty or <c>G</c>.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) =>
        format is null or "" or "G" ? Value : throw new FormatException("CreditCode has only the G format.");

    /// <summary>Writes <see cref="Value"/> without allocating.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        if (!(format.IsEmpty || format is "G"))
        {
            throw new FormatException("CreditCode has only the G format.");
        }

        bool ok = Value.TryCopyTo(destination);
        charsWritten = ok ? Value.Length : 0;
        return ok;
    }

    /// <summary>Ordinal equality.</summary>
    public static bool operator ==(CreditCode left, CreditCode right) => left.Equals(right);

    /// <summary>Ordinal inequality.</summary>
    public static bool operator !=(CreditCode left, CreditCode right) => !left.Equals(right);
}
