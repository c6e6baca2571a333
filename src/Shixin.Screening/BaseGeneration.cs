using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Shixin.Screening;

/// <summary>
/// An immutable generation: the entry table (sorted by external id, so ordinal = rank) and
/// one <see cref="KeyTable{T}"/> per identifier kind. Holds active entries only.
/// </summary>
internal sealed class BaseGeneration
{
    // Entry flags: bit 0 organization, bit 1 has exemptions, bits 2..7 row count (63 = see LargeRowCounts).
    public const byte OrganizationFlag = 1;
    public const byte ExemptionsFlag = 2;
    public const int RowCountShift = 2;
    public const int RowCountSaturated = 63;

    public BaseGeneration(
        long number,
        long[] externalIds,
        byte[] flags,
        Dictionary<int, int> largeRowCounts,
        KeyTable<ulong> residentIds,
        KeyTable<UInt128> creditCodes,
        KeyTable<ulong> organizationCodes,
        KeyTable<UInt128> passports,
        int[] exemptionOrdinals,
        int[] exemptionStarts,
        Exemption[] exemptions)
    {
        Number = number;
        ExternalIds = externalIds;
        Flags = flags;
        LargeRowCounts = largeRowCounts;
        ResidentIds = residentIds;
        CreditCodes = creditCodes;
        OrganizationCodes = organizationCodes;
        Passports = passports;
        ExemptionOrdinals = exemptionOrdinals;
        ExemptionStarts = exemptionStarts;
        Exemptions = exemptions;
        RowCount = residentIds.Count + creditCodes.Count + organizationCodes.Count + passports.Count;
        _sample = new long[(externalIds.Length + SampleStep - 1) / SampleStep];
        for (int i = 0; i < _sample.Length; i++)
        {
            _sample[i] = externalIds[i * SampleStep];
        }
    }

    // Every 64th external id: a cache-resident first level for FindOrdinal.
    private const int SampleStep = 64;
    private readonly long[] _sample;

    public static BaseGeneration Empty { get; } = new GenerationWriter().Finish(0);

    public long Number { get; }

    public long[] ExternalIds { get; }

    public byte[] Flags { get; }

    public Dictionary<int, int> LargeRowCounts { get; }

    public KeyTable<ulong> ResidentIds { get; }

    public KeyTable<UInt128> CreditCodes { get; }

    public KeyTable<ulong> OrganizationCodes { get; }

    public KeyTable<UInt128> Passports { get; }

    public int[] ExemptionOrdinals { get; }

    public int[] ExemptionStarts { get; }

    public Exemption[] Exemptions { get; }

    public int EntryCount => ExternalIds.Length;

    public int RowCount { get; }

    public long Bytes =>
        (ExternalIds.Length * 9L) + (_sample.Length * 8L) + ResidentIds.Bytes + CreditCodes.Bytes + OrganizationCodes.Bytes + Passports.Bytes
        + (ExemptionOrdinals.Length * 8L) + (Exemptions.Length * (long)Unsafe.SizeOf<Exemption>()) + (LargeRowCounts.Count * 24L);

    /// <summary>Ordinal of an external id, or -1 (binary search: the table is sorted).</summary>
    public int FindOrdinal(long externalId)
    {
        // Last sample <= id, then the id inside that sample's block of 64 (both branch-free).
        int s = LastAtMost(_sample, 0, _sample.Length, externalId);
        if (s < 0)
        {
            return -1;
        }

        int from = s * SampleStep;
        int i = LastAtMost(ExternalIds, from, Math.Min(SampleStep, ExternalIds.Length - from), externalId);
        return i >= 0 && ExternalIds[i] == externalId ? i : -1;
    }

    /// <summary>
    /// <see cref="FindOrdinal"/> of many ids: 16 searches advance in lockstep so that their
    /// cache misses overlap instead of following one another.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FindOrdinals(ReadOnlySpan<long> ids, Span<int> ordinals)
    {
        const int Group = 16;
        Span<int> at = stackalloc int[Group];
        Span<int> last = stackalloc int[Group];
        long[] sample = _sample;
        long[] all = ExternalIds;
        if (sample.Length == 0)
        {
            ordinals[..ids.Length].Fill(-1);
            return;
        }

        ref long s0 = ref MemoryMarshal.GetArrayDataReference(sample);
        ref long e0 = ref MemoryMarshal.GetArrayDataReference(all);
        for (int g0 = 0; g0 < ids.Length; g0 += Group)
        {
            int m = Math.Min(Group, ids.Length - g0);
            ReadOnlySpan<long> x = ids.Slice(g0, m);
            at[..m].Clear();
            for (int n = sample.Length; n > 1;)
            {
                int half = n >> 1;
                for (int g = 0; g < m; g++)
                {
                    int j = at[g] + half;
                    at[g] = Unsafe.Add(ref s0, j) <= x[g] ? j : at[g];
                }

                n -= half;
            }

            for (int g = 0; g < m; g++)
            {
                // The block of the sample; -1 when the id is below every id.
                int from = at[g] * SampleStep;
                last[g] = Unsafe.Add(ref s0, at[g]) <= x[g] ? Math.Min(from + SampleStep, all.Length) - 1 : -1;
                at[g] = from;
            }

            for (int n = SampleStep; n > 1;)
            {
                int half = n >> 1;
                for (int g = 0; g < m; g++)
                {
                    // Clamped to the block's last id: if that one is <= the id it is the answer.
                    int j = Math.Min(at[g] + half, Math.Max(last[g], at[g]));
                    at[g] = Unsafe.Add(ref e0, j) <= x[g] ? j : at[g];
                }

                n -= half;
            }

            for (int g = 0; g < m; g++)
            {
                ordinals[g0 + g] = last[g] >= 0 && Unsafe.Add(ref e0, at[g]) == x[g] ? at[g] : -1;
            }
        }
    }

    /// <summary>The last index in [from, from + length) whose value is at most <paramref name="value"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LastAtMost(long[] values, int from, int length, long value)
    {
        if (length <= 0)
        {
            return -1;
        }

        ref long first = ref MemoryMarshal.GetArrayDataReference(values);
        int at = from;
        int n = length;
        while (n > 1)
        {
            int half = n >> 1;
            at = Unsafe.Add(ref first, at + half) <= value ? at + half : at;
            n -= half;
        }

        return Unsafe.Add(ref first, at) <= value ? at : -1;
    }

    public int RowCountOf(int ordinal)
    {
        int n = Flags[ordinal] >> RowCountShift;
        return n == RowCountSaturated ? LargeRowCounts[ordinal] : n;
    }

    public ReadOnlySpan<Exemption> ExemptionsOf(int ordinal)
    {
        if ((Flags[ordinal] & ExemptionsFlag) == 0)
        {
            return [];
        }

        int i = Array.BinarySearch(ExemptionOrdinals, ordinal);
        return i < 0 ? [] : Exemptions.AsSpan(ExemptionStarts[i], ExemptionStarts[i + 1] - ExemptionStarts[i]);
    }
}
