using Shixin.Core.Identifiers;
using Shixin.Screening;

namespace Shixin.Bench;

/// <summary>Subjects to check: listed keys (hits) mixed with valid identifiers that are not listed (misses).</summary>
public static class Probes
{
    /// <summary>
    /// <paramref name="count"/> subjects, a share <paramref name="hitShare"/> of them listed keys drawn at random, the rest
    /// fresh valid identifiers (mostly resident IDs) proven absent with <paramref name="index"/>. <paramref name="isHit"/> tells which.
    /// </summary>
    public static SubjectKey[] Make(SyntheticList list, ScreeningSnapshot index, int count, double hitShare, int seed, out bool[] isHit)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(index);
        var rng = new Random(seed);
        var ids = new IdentifierGenerator(seed ^ 0x5bd1e995);
        var from = new DateOnly(1950, 1, 1);
        var to = new DateOnly(2004, 12, 31);
        var result = new SubjectKey[count];
        isHit = new bool[count];
        for (int i = 0; i < count; i++)
        {
            if (list.KeyCount > 0 && rng.NextDouble() < hitShare)
            {
                result[i] = list.KeyAt(rng.Next(list.KeyCount));
                isHit[i] = true;
                continue;
            }

            SubjectKey key;
            do
            {
                double r = rng.NextDouble();
                key = r < 0.85 ? SubjectKey.ForResidentId(ids.NextResidentId(from, to).ToPackedUInt64())
                    : r < 0.97 ? SubjectKey.ForCreditCode(ids.NextCreditCode().ToPackedUInt128())
                    : r < 0.98 ? SubjectKey.ForOrganizationCode(ids.NextOrganizationCode().ToPackedUInt64())
                    : SubjectKey.ForPassport(ids.NextPassport().ToPackedUInt128());
            }
            while (index.Contains(key));

            result[i] = key;
        }

        return result;
    }
}
