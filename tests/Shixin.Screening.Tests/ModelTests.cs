using Shixin.Screening;

/// <summary>Randomized model-based tests against a plain dictionary of entries.</summary>
public class ModelTests
{
    private static readonly SubjectKey[] Pool =
    [
        .. Enumerable.Range(0, 80).Select(i => K.Id((ulong)i)),
        .. Enumerable.Range(0, 20).Select(i => K.Credit((ulong)i)),
        .. Enumerable.Range(0, 15).Select(i => K.Org((ulong)i)),
        .. Enumerable.Range(0, 15).Select(i => K.Passport((ulong)i)),
    ];

    private static EntryProjection RandomEntry(Random rng, long id)
    {
        int n = rng.Next(0, 5);
        var subjects = new EntrySubject[n];
        for (int i = 0; i < n; i++)
        {
            SubjectKey key = Pool[rng.Next(Pool.Length)];
            subjects[i] = new EntrySubject(key, (SubjectRole)rng.Next(0, 8), key.Kind == SubjectKind.Passport && rng.Next(2) == 0);
        }

        return new EntryProjection(id, rng.Next(4) != 0, rng.Next(2) == 0 ? DebtorKind.Person : DebtorKind.Organization, subjects);
    }

    private static List<(long, SubjectRole, bool)> Expected(Dictionary<long, EntryProjection> model, SubjectKey key) =>
        [.. model.Values.Where(e => e.Active).SelectMany(e => e.Subjects.Where(s => s.Key == key).Select(s => (e.ExternalId, s.Role, s.ViaDocument))).Order()];

    private static void ShouldMatch(ScreeningSnapshot s, Dictionary<long, EntryProjection> model)
    {
        foreach (SubjectKey key in Pool)
        {
            s.Hits(key).Canon().ShouldBe(Expected(model, key), $"key {key}");
        }

        s.KeyCount.ShouldBe(model.Values.Where(e => e.Active).Sum(e => e.Subjects.Count));
        s.EntryCount.ShouldBe(model.Values.Count(e => e.Active));
    }

    [Theory]
    [InlineData(1, 0, false)]
    [InlineData(2, 8, false)]
    [InlineData(3, 8, true)]
    [InlineData(4, 32, true)]
    [InlineData(5, 3, true)]
    public void RandomDeltas_MatchReferenceAndAFreshBuild(int seed, int mergeThreshold, bool background)
    {
        var rng = new Random(seed);
        var model = new Dictionary<long, EntryProjection>();
        for (int i = 0; i < 60; i++)
        {
            long id = rng.Next(1, 150);
            model[id] = RandomEntry(rng, id);
        }

        var options = new ScreeningIndexOptions { MergeThreshold = mergeThreshold, BackgroundMerge = background };
        ScreeningIndex index = new ScreeningIndexBuilder(options).Build(model.Values.OrderBy(_ => rng.Next()), 10);
        ShouldMatch(index.Current, model);

        long sequence = 10;
        for (int round = 0; round < 150; round++)
        {
            int size = rng.Next(0, 12);
            var batch = new List<EntryProjection>();
            for (int i = 0; i < size; i++)
            {
                long id = rng.Next(1, 200);
                EntryProjection e = RandomEntry(rng, id);
                batch.Add(e);
                model[id] = e;
            }

            sequence += size + 1;
            index.Apply(batch, sequence);
            index.Sequence.ShouldBe(sequence);
            ShouldMatch(index.Current, model);
            if (round % 50 == 49)
            {
                index.Compact();
                ShouldMatch(index.Current, model);
            }
        }

        index.Compact();
        ScreeningSnapshot compacted = index.Current;
        ScreeningSnapshot fresh = new ScreeningIndexBuilder().Build(model.Values, sequence).Current;
        ShouldMatch(compacted, model);
        foreach (SubjectKey key in Pool)
        {
            compacted.Hits(key).ShouldBe(fresh.Hits(key));
        }

        compacted.Stats.ShouldBe(fresh.Stats with { Generation = compacted.Generation });
    }
}
