using System.Diagnostics;
using Shixin.Screening;

public class ConcurrencyTests
{
    private const int Entries = 2_000;

    // Each entry cycles through four states; the schedule is fixed in advance so a reader can
    // compute the exact expected state at the sequence its snapshot reports.
    private static EntryProjection State(long id, int state) => state switch
    {
        0 => new EntryProjection(id, false, DebtorKind.Person, []),
        1 => K.Person(id, K.Id((ulong)id)),
        2 => new EntryProjection(id, true, DebtorKind.Organization, [K.Debtor(K.Credit((ulong)id)), new(K.Id((ulong)id), SubjectRole.Director)]),
        _ => K.Person(id, K.Id((ulong)id), true, new EntrySubject(K.Passport((ulong)id), SubjectRole.Debtor, true, K.Id((ulong)id))),
    };

    private static List<(long, SubjectRole, bool)> Expected(long id, int state, SubjectKey key) =>
        [.. State(id, state).Subjects.Where(s => State(id, state).Active && s.Key == key).Select(s => (id, s.Role, s.ViaDocument))];

    [Fact]
    public void ReadersDuringDeltaStream_AlwaysSeeExactlyTheStateOfTheirSequence()
    {
        var rng = new Random(7);
        const int Batches = 4_000;
        // history[id] = (sequence, state) in sequence order; sequence s applies batch s.
        var history = new List<(long Seq, int State)>[Entries + 1];
        var batches = new List<EntryProjection>[Batches + 1];
        var initial = new List<EntryProjection>();
        for (int id = 1; id <= Entries; id++)
        {
            int st = rng.Next(4);
            history[id] = [(0, st)];
            initial.Add(State(id, st));
        }

        for (int s = 1; s <= Batches; s++)
        {
            batches[s] = [];
            int n = rng.Next(1, 20);
            for (int i = 0; i < n; i++)
            {
                int id = rng.Next(1, Entries + 1);
                int st = rng.Next(4);
                if (history[id][^1].Seq == s)
                {
                    continue;
                }

                history[id].Add((s, st));
                batches[s].Add(State(id, st));
            }
        }

        ScreeningIndex index = new ScreeningIndexBuilder(new ScreeningIndexOptions { MergeThreshold = 300, BackgroundMerge = true }).Build(initial, 0);
        using var stop = new CancellationTokenSource();
        long checks = 0;
        Exception? failure = null;

        void Read(int seed)
        {
            var r = new Random(seed);
            var buffer = new IndexHit[8];
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    ScreeningSnapshot snap = index.Current;
                    int id = r.Next(1, Entries + 1);
                    List<(long Seq, int State)> h = history[id];
                    int at = h.FindLastIndex(x => x.Seq <= snap.Sequence);
                    int state = h[at].State;
                    foreach (SubjectKey key in new[] { K.Id((ulong)id), K.Credit((ulong)id), K.Passport((ulong)id) })
                    {
                        int n = snap.Lookup(key, buffer);
                        List<(long, SubjectRole, bool)> got = [.. buffer[..n].Select(x => (x.ExternalId, x.Role, x.ViaDocument))];
                        if (!got.SequenceEqual(Expected(id, state, key)))
                        {
                            throw new InvalidOperationException($"seq {snap.Sequence} id {id} state {state} key {key}: got {got.Count} hits");
                        }
                    }

                    Interlocked.Increment(ref checks);
                }
            }
            catch (Exception e)
            {
                failure ??= e;
                stop.Cancel();
            }
        }

        Thread reader = new(() => Read(1));
        reader.Start();
        var clock = Stopwatch.StartNew();
        int applied = 0;
        for (int s = 1; s <= Batches && clock.Elapsed < TimeSpan.FromSeconds(2) && !stop.IsCancellationRequested; s++)
        {
            index.Apply(batches[s], s);
            applied = s;
        }

        stop.Cancel();
        reader.Join();
        failure.ShouldBeNull();
        index.Compact();
        TestContext.Current.TestOutputHelper?.WriteLine($"batches applied {applied}, reader checks {checks}, generation {index.Stats.Generation}");
        index.Current.Generation.ShouldBeGreaterThan(1);
        checks.ShouldBeGreaterThan(0);
        index.Sequence.ShouldBe(applied);
        for (int id = 1; id <= Entries; id++)
        {
            int state = history[id].FindLast(x => x.Seq <= applied).State;
            index.Hits(K.Id((ulong)id)).Select(x => (x.ExternalId, x.Role, x.ViaDocument)).ToList().ShouldBe(Expected(id, state, K.Id((ulong)id)));
        }
    }

    [Fact]
    public async Task ConcurrentWriters_AreRefused()
    {
        ScreeningIndex index = ScreeningIndex.CreateEmpty();
        var gate = new ManualResetEventSlim();
        var slow = new SlowList(gate);
        var t = Task.Run(() => index.Apply(slow, 1), TestContext.Current.CancellationToken);
        slow.Entered.Wait(TestContext.Current.CancellationToken);
        Should.Throw<InvalidOperationException>(() => index.Apply([], 2));
        gate.Set();
        await t;
        index.Sequence.ShouldBe(1);
    }

    private sealed class SlowList(ManualResetEventSlim gate) : IReadOnlyList<EntryProjection>
    {
        public SemaphoreSlim Entered { get; } = new(0);

        public int Count
        {
            get
            {
                Entered.Release();
                gate.Wait();
                return 0;
            }
        }

        public EntryProjection this[int index] => throw new IndexOutOfRangeException();

        public IEnumerator<EntryProjection> GetEnumerator() => Enumerable.Empty<EntryProjection>().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
