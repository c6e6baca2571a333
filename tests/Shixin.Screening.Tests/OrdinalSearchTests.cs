using Shixin.Screening;

public class OrdinalSearchTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(10_007)]
    public void LockstepSearch_AgreesWithTheScalarOne(int entries)
    {
        var writer = new GenerationWriter();
        for (int i = 0; i < entries; i++)
        {
            writer.AddEntry((3L * i) + 1, DebtorKind.Person, [K.Debtor(K.Id((ulong)i))], []);
        }

        BaseGeneration b = writer.Finish(1);
        var rng = new Random(entries);
        long[] ids = [long.MinValue, -1, 0, 1, 2, (3L * entries) - 2, (3L * entries) + 1, long.MaxValue, .. Enumerable.Range(0, 1000).Select(_ => rng.NextInt64(-5, (3L * entries) + 5))];
        int[] ordinals = new int[ids.Length];
        b.FindOrdinals(ids, ordinals);
        for (int i = 0; i < ids.Length; i++)
        {
            int expected = ids[i] > 0 && ids[i] % 3 == 1 && ids[i] < 3L * entries ? (int)(ids[i] / 3) : -1;
            b.FindOrdinal(ids[i]).ShouldBe(expected, $"id {ids[i]}");
            ordinals[i].ShouldBe(expected, $"id {ids[i]}");
        }
    }
}
