using System.Diagnostics.CodeAnalysis;
using static Shixin.Core.IdentifierError;

namespace Shixin.Core.Identifiers;

/// <summary>Organization code (组织机构代码, GB 11714-1997): 8 body characters and a MOD 11 check, canonical without hyphen.</summary>
/// <remarks>
/// Accepts <c>XXXXXXXX-X</c> and <c>XXXXXXXXX</c>, trims, upper-cases (LEGAL.md §6.2). The check detects every
/// single substitution among digits, but not between characters whose values differ by a multiple of 11
/// (e.g. <c>0</c> and <c>B</c>): letters run to 35.
/// </remarks>
public readonly struct OrganizationCode : IEquatable<OrganizationCode>, ISpanFormattable
{
    /// <summary>Characters in the canonical form.</summary>
    public const int Length = 9;

    // GB 11714-1997 weights for body positions 1..8; LEGAL.md §6.2.
    private static ReadOnlySpan<byte> Weights => [3, 7, 9, 10, 5, 8, 4, 2];

    private const ulong PackedLimit = 2_821_109_907_456UL; // 36^8

    private readonly string? _value;

    private OrganizationCode(string value) => _value = value;

    /// <summary>The canonical 9 characters, e.g. <c>600037341</c>; empty for <c>default</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The customary written form <c>XXXXXXXX-X</c>.</summary>
    public string Hyphenated
    {
        get
        {
            string v = V;
            return string.Concat(v.AsSpan(0, 8), "-", v.AsSpan(8, 1));
        }
    }

    private string V => _value ?? throw new InvalidOperationException("default(OrganizationCode) holds no code.");

    /// <summary>The 8 body characters as a base-36 number; the check character is derivable.</summary>
    public ulong ToPackedUInt64() => Pack(V);

    /// <summary>Validates like <see cref="TryParse(string?, out OrganizationCode, out IdentifierError?)"/> and packs like <see cref="ToPackedUInt64"/> without allocating.</summary>
    public static bool TryPack(ReadOnlySpan<char> text, out ulong packed, [NotNullWhen(false)] out IdentifierError? error)
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

    private static ulong Pack(ReadOnlySpan<char> canonical)
    {
        ulong n = 0;
        foreach (char c in canonical[..8])
        {
            n = (n * 36) + (uint)ValueOf(c);
        }

        return n;
    }

    /// <summary>Rebuilds a code from <see cref="ToPackedUInt64"/>; throws <see cref="ArgumentOutOfRangeException"/> past 36^8.</summary>
    public static OrganizationCode FromPacked(ulong packed)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(packed, PackedLimit);
        Span<char> buf = stackalloc char[Length];
        for (int i = 7; i >= 0; i--)
        {
            int v = (int)(packed % 36);
            buf[i] = (char)(v < 10 ? '0' + v : 'A' + v - 10);
            packed /= 36;
        }

        buf[8] = Check(buf[..8]);
        return new OrganizationCode(new string(buf));
    }

    /// <summary>The GB 11714 check character (<c>0</c>–<c>9</c> or <c>X</c>) for 8 body characters <c>[0-9A-Z]</c>.</summary>
    public static char ComputeCheck(ReadOnlySpan<char> body8)
    {
        if (body8.Length != 8 || body8.ContainsAnyExcept(BodyChars))
        {
            throw new ArgumentException("Expected exactly 8 characters 0-9 or A-Z.", nameof(body8));
        }

        return Check(body8);
    }

    /// <summary>Parses; throws <see cref="FormatException"/>.</summary>
    public static OrganizationCode Parse(string? text) =>
        TryParse(text, out OrganizationCode value, out IdentifierError? error) ? value : throw error.ToException();

    /// <summary>Parses; the shape ASP.NET parameter binding looks for.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out OrganizationCode value) => TryParse(text, out value, out _);

    /// <summary>Parses <c>XXXXXXXX-X</c> or <c>XXXXXXXXX</c>, case-insensitively.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out OrganizationCode value, [NotNullWhen(false)] out IdentifierError? error)
    {
        value = default;
        if (text is null)
        {
            error = Fail("no organization code given", "未提供组织机构代码");
            return false;
        }

        Span<char> buf = stackalloc char[Length];
        if (!TryCanonical(text, buf, out error))
        {
            return false;
        }

        value = new OrganizationCode(text.AsSpan().SequenceEqual(buf) ? text : new string(buf));
        return true;
    }

    // Trims, drops the hyphen, upper-cases, validates and writes the canonical 9 characters into buf.
    private static bool TryCanonical(ReadOnlySpan<char> text, Span<char> buf, [NotNullWhen(false)] out IdentifierError? error)
    {
        ReadOnlySpan<char> s = text.Trim();
        if (s.Length == Length + 1 && s[8] == '-')
        {
            s[..8].CopyTo(buf);
            buf[8] = s[9];
        }
        else if (s.Length == Length)
        {
            s.CopyTo(buf);
        }
        else
        {
            error = Fail(
                $"an organization code has 9 characters (XXXXXXXX-X), got {Num(s.Length)}",
                $"组织机构代码应为9位（XXXXXXXX-X），实际为{Num(s.Length)}位");
            return false;
        }

        for (int i = 0; i < Length; i++)
        {
            char c = Ascii.ToUpper(buf[i]);
            buf[i] = c;
            bool ok = i < 8 ? ValueOf(c) >= 0 : Ascii.IsDigit(c) || c == 'X';
            if (!ok)
            {
                error = i < 8
                    ? Fail(
                        $"character '{Ascii.Show(c)}' at position {Num(i + 1)} is not a digit or letter",
                        $"第{Num(i + 1)}位字符'{Ascii.Show(c)}'不是数字或字母")
                    : Fail($"check character '{Ascii.Show(c)}' must be a digit or X", $"校验码'{Ascii.Show(c)}'应为数字或X");
                return false;
            }
        }

        char expected = Check(buf[..8]);
        if (expected != buf[8])
        {
            error = Fail($"check character should be {expected}", $"校验码应为{expected}");
            return false;
        }

        error = null;
        return true;
    }

    internal static OrganizationCode FromCanonical(string value) => new(value);

    /// <summary>True when 9 characters (already upper-case, no hyphen) form a valid code.</summary>
    internal static bool IsValid(ReadOnlySpan<char> nine) =>
        nine.Length == Length && !nine[..8].ContainsAnyExcept(BodyChars) && Check(nine[..8]) == nine[8];

    internal static char Check(ReadOnlySpan<char> body8)
    {
        int sum = 0;
        for (int i = 0; i < 8; i++)
        {
            sum += ValueOf(body8[i]) * Weights[i];
        }

        // C9 = 11 − (Σ mod 11); 10 → X, 11 → 0. GB 11714-1997; LEGAL.md §6.2.
        int c9 = 11 - (sum % 11);
        return c9 switch
        {
            10 => 'X',
            11 => '0',
            _ => (char)('0' + c9),
        };
    }

    /// <summary>0–9 for digits, A=10 … Z=35, −1 otherwise (GB 11714-1997).</summary>
    internal static int ValueOf(char c) =>
        Ascii.IsDigit(c) ? c - '0' : Ascii.IsUpper(c) ? c - 'A' + 10 : -1;

    private static readonly System.Buffers.SearchValues<char> BodyChars =
        System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private static IdentifierError Fail(string message, string messageZh) =>
        new(IdentifierErrorCodes.InvalidOrganizationCode, message, messageZh);

    /// <inheritdoc/>
    public bool Equals(OrganizationCode other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is OrganizationCode other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : _value.GetHashCode(StringComparison.Ordinal);

    /// <summary>The canonical form, <see cref="Value"/> (organization codes are shown in full, LEGAL.md §4.2).</summary>
    public override string ToString() => Value;

    /// <summary>Format <c>G</c> (or none) gives <see cref="Value"/>; <c>H</c> gives <see cref="Hyphenated"/>.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => format switch
    {
        null or "" or "G" => Value,
        "H" => Hyphenated,
        _ => throw new FormatException("OrganizationCode formats are G and H."),
    };

    /// <summary>Writes the form selected by <paramref name="format"/> (<c>G</c> or <c>H</c>) without allocating.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        string v = Value;
        bool hyphen = format is "H";
        if (!hyphen && !(format.IsEmpty || format is "G"))
        {
            throw new FormatException("OrganizationCode formats are G and H.");
        }

        int needed = hyphen && v.Length == Length ? Length + 1 : v.Length;
        if (destination.Length < needed)
        {
            charsWritten = 0;
            return false;
        }

        if (needed == Length + 1)
        {
            v.AsSpan(0, 8).CopyTo(destination);
            destination[8] = '-';
            destination[9] = v[8];
        }
        else
        {
            v.CopyTo(destination);
        }

        charsWritten = needed;
        return true;
    }

    /// <summary>Ordinal equality.</summary>
    public static bool operator ==(OrganizationCode left, OrganizationCode right) => left.Equals(right);

    /// <summary>Ordinal inequality.</summary>
    public static bool operator !=(OrganizationCode left, OrganizationCode right) => !left.Equals(right);
}
