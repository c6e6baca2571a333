using System.Runtime.CompilerServices;

namespace Shixin.Screening;

/// <summary>A row's payload packed into 32 bits: ordinal (27) | role (4) | via-document (1).</summary>
internal static class Posting
{
    public const int OrdinalBits = 27;
    public const int MaxOrdinal = (1 << OrdinalBits) - 1;
    private const uint OrdinalMask = MaxOrdinal;
    private const uint ViaBit = 1u << 31;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Make(int ordinal, SubjectRole role, bool viaDocument)
    {
        if ((uint)ordinal > MaxOrdinal)
        {
            throw new InvalidOperationException("The index holds at most 2^27 entries.");
        }

        return (uint)ordinal | ((uint)role << OrdinalBits) | (viaDocument ? ViaBit : 0u);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Ordinal(uint posting) => (int)(posting & OrdinalMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SubjectRole Role(uint posting) => (SubjectRole)((posting >> OrdinalBits) & 0xF);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Via(uint posting) => (posting & ViaBit) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint WithOrdinal(uint posting, int ordinal) => (posting & ~OrdinalMask) | (uint)ordinal;
}
