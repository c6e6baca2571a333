using System.Diagnostics;
using Shixin.Screening;

/// <summary>
/// Synthetic runs at scale. The 12M-key run is explicit (run it with
/// <c>Shixin.Screening.Tests -explicit only -method "*Twelve*"</c> on a Release build);
/// the small one runs every time so that the path never rots.
/// </summary>
public class ScaleTests
{
    [Fact]
    public void SmallRun_BuildsAppliesAndStaysUnder32BytesPerKey() => Run(100_000, 20_000, batch: 1_000, maxSeconds: 30);

    [Fact(Explicit = true)]
    public void TwelveMillionKeys_BuildApplyAMillionChanges() => Run(10_000_000, 1_000_000, batch: 10_000, maxSeconds: 2);

    /// <summary>85% person debtors, 15% organizations carrying the related persons (20% of debtors).</summary>
    private static EntryProjection Synthetic(long id, int debtors, Random rng, int version = 0)
    {
        ulong u = (ulong)id;
        if (id % 20 >= 3)
        {
            return K.Person(id, K.Id(u * 7));
        }

        // Organizations: 2M related persons over 1.5M of them (ids that are 0, 1, 2 mod 20).
        int related = id % 20 == 0 ? 2 : 1;
        var subjects = new EntrySubject[1 + related];
        subjects[0] = K.Debtor(K.Credit(u));
        for (int r = 0; r < related; r++)
        {
            subjects[1 + r] = new EntrySubject(K.Id((ulong)debtors * 8 + (u * 2) + (ulong)r + (ulong)version), (SubjectRole)(1 + rng.Next(7)));
        }

        return new EntryProjection(id, true, DebtorKind.Organization, subjects);
    }

    private static void Run(int debtors, int changes, int batch, double maxSeconds)
    {
        ITestOutputHelper? output = TestContext.Current.TestOutputHelper;
        var rng = new Random(1);
        // Streamed like a database read: the projections are garbage once consumed.
        IEnumerable<EntryProjection> snapshot = Enumerable.Range(1, debtors).Select(i => Synthetic(i, debtors, rng));
        GC.Collect();
        long heapBefore = GC.GetTotalMemory(true);
        var clock = Stopwatch.StartNew();
        ScreeningIndex index = new ScreeningIndexBuilder { ExpectedEntries = debtors, ExpectedResidentIdKeys = debtors }.Build(snapshot, 1);
        TimeSpan build = clock.Elapsed;
        long heapAfter = GC.GetTotalMemory(true);
        ScreeningIndexStats stats = index.Stats;
        output?.WriteLine($"build: {stats.KeyCount:N0} keys, {stats.EntryCount:N0} entries in {build.TotalSeconds:F2} s; {stats.BytesPerKey:F1} bytes/key (structures), {(double)(heapAfter - heapBefore) / stats.KeyCount:F1} bytes/key (heap delta)");
        stats.BytesPerKey.ShouldBeLessThanOrEqualTo(32);
        (stats.KeyCount / (double)debtors).ShouldBe(1.2, 0.01);

        // Single-thread lookups: half present, half absent keys.
        ScreeningSnapshot snap = index.Current;
        var keys = new SubjectKey[1 << 20];
        for (int i = 0; i < keys.Length; i++)
        {
            long id = rng.NextInt64(1, debtors + 1);
            keys[i] = i % 2 == 0 ? (id % 20 >= 3 ? K.Id((ulong)id * 7) : K.Credit((ulong)id)) : K.Id((ulong)id * 7 + 3);
        }

        Span<IndexHit> hits = stackalloc IndexHit[8];
        int found = 0;
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                found += snap.Lookup(keys[i], hits);
            }
        }

        found = 0;
        clock.Restart();
        for (int i = 0; i < keys.Length; i++)
        {
            found += snap.Lookup(keys[i], hits);
        }

        double perSecond = keys.Length / clock.Elapsed.TotalSeconds;
        output?.WriteLine($"lookup: {perSecond / 1e6:F1} M/s single thread ({found:N0} hits)");
        found.ShouldBeGreaterThanOrEqualTo(keys.Length / 2);

        // A million changes (relistings with changed related persons, exits) while a reader runs.
        using var stop = new CancellationTokenSource();
        long reads = 0;
        var reader = new Thread(() =>
        {
            Span<IndexHit> h = stackalloc IndexHit[8];
            int i = 0;
            while (!stop.IsCancellationRequested)
            {
                index.Lookup(keys[i++ & (keys.Length - 1)], h);
                reads++;
            }
        });
        reader.Start();
        var applyClock = new Stopwatch();
        long sequence = 1;
        clock.Restart();
        for (int done = 0; done < changes; done += batch)
        {
            var b = new EntryProjection[batch];
            for (int i = 0; i < batch; i++)
            {
                long id = rng.NextInt64(1, debtors + 1);
                b[i] = rng.Next(10) == 0 ? new EntryProjection(id, false, DebtorKind.Person, []) : Synthetic(id, debtors, rng, version: 1);
            }

            sequence += b.Length;
            applyClock.Start();
            index.Apply(b, sequence);
            applyClock.Stop();
        }

        TimeSpan apply = applyClock.Elapsed;
        while (index.MergeInProgress)
        {
            Thread.Sleep(10);
        }

        index.Apply([], sequence);
        TimeSpan settled = clock.Elapsed;
                output?.WriteLine($"gc: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}");
        stop.Cancel();
        reader.Join();
        output?.WriteLine($"apply: {changes:N0} changes in {apply.TotalSeconds:F2} s inside Apply, {clock.Elapsed.TotalSeconds:F2} s with generating them (merges settled at {settled.TotalSeconds:F2} s, generation {index.Stats.Generation}); reader did {reads:N0} lookups meanwhile; now {index.Stats.KeyCount:N0} keys, {index.Stats.BytesPerKey:F1} bytes/key");
        index.Sequence.ShouldBe(sequence);
        apply.TotalSeconds.ShouldBeLessThan(maxSeconds);
    }
}
