using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Shixin.Screening;

/// <summary>The kind of identifier a <see cref="SubjectKey"/> carries.</summary>
public enum SubjectKind : byte
{
    /// <summary>Not a key (the default value).</summary>
    None = 0,
    /// <summary>18-digit resident ID: first 17 digits as a number (fits 57 bits).</summary>
    ResidentId = 1,
    /// <summary>Unified social credit code: 17 base-31 digits (fits 85 bits).</summary>
    CreditCode = 2,
    /// <summary>Organization code: 8 base-36 characters (fits 42 bits).</summary>
    OrganizationCode = 3,
    /// <summary>Passport number packed by Core (must fit 120 bits).</summary>
    Passport = 4,
}

/// <summary>
/// A screening key: 16 bytes, the identifier kind in the top byte and the packed identifier
/// (as produced by Core's <c>ToPackedUInt64</c>/<c>ToPackedUInt128</c>) in the low 120 bits.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct SubjectKey : IEquatable<SubjectKey>, IComparable<SubjectKey>
{
    private const int KindShift = 56;
    private const ulong HighValueMask = (1UL << KindShift) - 1;

    /// <summary>The largest packed value a key can carry (120 bits).</summary>
    public static UInt128 MaxValue { get; } = (UInt128.One << 120) - 1;

    private readonly ulong _low;
    private readonly ulong _high;

    private SubjectKey(ulong low, ulong high)
    {
        _low = low;
        _high = high;
    }

    /// <summary>Makes a key from a kind and a packed value.</summary>
    public static SubjectKey Create(SubjectKind kind, UInt128 packed)
    {
        if (kind is < SubjectKind.ResidentId or > SubjectKind.Passport)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown subject kind.");
        }

        if (packed > MaxValue || (IsNarrow(kind) && packed > ulong.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(packed), "Packed value too wide for its kind.");
        }

        return new SubjectKey((ulong)packed, (ulong)(packed >> 64) | ((ulong)kind << KindShift));
    }

    /// <summary>Key of a resident ID packed by <c>ResidentId.ToPackedUInt64()</c>.</summary>
    public static SubjectKey ForResidentId(ulong packed) => new(packed, (ulong)SubjectKind.ResidentId << KindShift);

    /// <summary>Key of a credit code packed by <c>CreditCode.ToPackedUInt128()</c>.</summary>
    public static SubjectKey ForCreditCode(UInt128 packed) => Create(SubjectKind.CreditCode, packed);

    /// <summary>Key of an organization code packed by <c>OrganizationCode.ToPackedUInt64()</c>.</summary>
    public static SubjectKey ForOrganizationCode(ulong packed) => new(packed, (ulong)SubjectKind.OrganizationCode << KindShift);

    /// <summary>Key of a passport number packed by <c>PassportNumber.ToPackedUInt128()</c>.</summary>
    public static SubjectKey ForPassport(UInt128 packed) => Create(SubjectKind.Passport, packed);

    /// <summary>The identifier kind.</summary>
    public SubjectKind Kind => (SubjectKind)(_high >> KindShift);

    /// <summary>The packed identifier.</summary>
    public UInt128 Value => new(_high & HighValueMask, _low);

    /// <summary>True for the default (kind-less) value.</summary>
    public bool IsEmpty => Kind == SubjectKind.None;

    internal ulong Low => _low;

    internal ulong HighValue => _high & HighValueMask;

    internal static bool IsNarrow(SubjectKind kind) => kind is SubjectKind.ResidentId or SubjectKind.OrganizationCode;

    /// <inheritdoc />
    public bool Equals(SubjectKey other) => _low == other._low && _high == other._high;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SubjectKey other && Equals(other);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override int GetHashCode() => (int)KeyMixer.Mix64(_low ^ (_high * 0x9E3779B97F4A7C15UL));

    /// <inheritdoc />
    public int CompareTo(SubjectKey other)
    {
        int c = _high.CompareTo(other._high);
        return c != 0 ? c : _low.CompareTo(other._low);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Kind}:{Value}");

    /// <summary>Equality.</summary>
    public static bool operator ==(SubjectKey left, SubjectKey right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(SubjectKey left, SubjectKey right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(SubjectKey left, SubjectKey right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(SubjectKey left, SubjectKey right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(SubjectKey left, SubjectKey right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(SubjectKey left, SubjectKey right) => left.CompareTo(right) >= 0;
}
