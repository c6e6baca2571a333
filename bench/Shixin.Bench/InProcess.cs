using System.Diagnostics;
using Shixin.Screening;

namespace Shixin.Bench;

/// <summary>Figures of the in-process measurements.</summary>
public sealed record InProcessResult
{
    public int Entries { get; init; }
    public int IndexKeys { get; init; }
    public double BuildSeconds { get; init; }
    public double IndexBytesPerKey { get; init; }
    public double IndexHeapBytesPerKey { get; init; }
    public double Lookups1Thread { get; init; }
    public double Lookups2Threads { get; init; }
    public double ProbeHitShare { get; init; }
    public int DictionaryKeys { get; init; }
    public double DictionaryBuildSeconds { get; init; }
    public double DictionaryHeapBytesPerKey { get; init; }
    public double DictionaryLookups1Thread { get; init; }
    public double DictionaryLookups2Threads { get; init; }
    public int DeltaEvents { get; init; }
    public double DeltaSeconds { get; init; }
    public double DeltaReaderLookups { get; init; }
    public int KnownHitsChecked { get; init; }
    public int KnownMissesChecked { get; init; }
    public int KnownMistakes { get; init; }
}

/// <summary>Builds the screening index in-process and measures it against a <c>Dictionary&lt;ulong,int&gt;</c> of packed IDs.</summary>
public static class InProcess
{
    /// <summary>Builds the index from the list (as the server's follower does from its snapshot) and reports time and bytes.</summary>
    public static ScreeningIndex Build(SyntheticList list, out double seconds, out double heapBytesPerKey)
    {
        ArgumentNullException.ThrowIfNull(list);
        long before = Heap();
        var watch = Stopwatch.StartNew();
        int ids = 0;
        for (int k = 0; k < list.KeyCount; k++)
        {
            ids += list.KeyAt(k).Kind == SubjectKind.ResidentId ? 1 : 0;
        }

        var builder = new ScreeningIndexBuilder { ExpectedEntries = list.EntryCount, ExpectedResidentIdKeys = ids };
        var index = builder.Build(list.Projections(), list.EntryCount);
        seconds = watch.Elapsed.TotalSeconds;
        long after = Heap();
        heapBytesPerKey = index.KeyCount == 0 ? 0 : (double)(after - before) / index.KeyCount;
        return index;
    }

    /// <summary>Runs every in-process measurement. <paramref name="seconds"/> bounds each throughput loop.</summary>
    public static InProcessResult Run(SyntheticList list, ScreeningIndex index, double buildSeconds, double heapBytesPerKey, double seconds = 2.0,
        int deltaEvents = 1_000_000, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(index);
        var snapshot = index.Current;

        // Correctness on known hits and misses, then a half-hit probe for throughput.
        var probe = Probes.Make(list, snapshot, Math.Min(1 << 20, Math.Max(1024, list.KeyCount)), 0.5, list.Shape.Seed + 1, out var isHit);
        int mistakes = 0, hits = 0;
        Span<IndexHit> buffer = stackalloc IndexHit[16];
        for (int i = 0; i < probe.Length; i++)
        {
            bool found = snapshot.Lookup(probe[i], buffer) > 0;
            mistakes += found != isHit[i] ? 1 : 0;
            hits += isHit[i] ? 1 : 0;
        }

        // Every key of a sample of entries must answer with its entry and role.
        var rng = new Random(list.Shape.Seed + 2);
        for (int s = 0; s < Math.Min(10_000, list.EntryCount); s++)
        {
            int e = rng.Next(list.EntryCount);
            for (int k = list.KeyStarts[e]; k < list.KeyStarts[e + 1]; k++)
            {
                int n = Math.Min(snapshot.Lookup(list.KeyAt(k), buffer), buffer.Length);
                bool ok = false;
                for (int h = 0; h < n; h++)
                {
                    ok |= buffer[h].ExternalId == SyntheticList.EntryNo(e) && buffer[h].Role == list.RoleAt(k) && buffer[h].ViaDocument == list.ViaAt(k);
                }

                mistakes += ok ? 0 : 1;
            }
        }

        log?.Invoke("  in-process: index lookups");
        double one = Throughput(1, seconds, probe, (keys, from) => LookupLoop(snapshot, keys, from));
        double two = Throughput(2, seconds, probe, (keys, from) => LookupLoop(snapshot, keys, from));

        // Baseline: Dictionary<ulong,int> of packed resident IDs (the bulk of the keys).
        log?.Invoke("  in-process: Dictionary<ulong,int> baseline");
        long before = Heap();
        var watch = Stopwatch.StartNew();
        var dict = new Dictionary<ulong, int>();
        for (int e = 0; e < list.EntryCount; e++)
        {
            for (int k = list.KeyStarts[e]; k < list.KeyStarts[e + 1]; k++)
            {
                var key = list.KeyAt(k);
                if (key.Kind == SubjectKind.ResidentId)
                {
                    dict.TryAdd((ulong)key.Value, e);
                }
            }
        }

        double dictBuild = watch.Elapsed.TotalSeconds;
        double dictBytes = dict.Count == 0 ? 0 : (double)(Heap() - before) / dict.Count;
        var packed = probe.Where(p => p.Kind == SubjectKind.ResidentId).Select(p => (ulong)p.Value).ToArray();
        double dictOne = Throughput(1, seconds, packed, (keys, from) => DictLoop(dict, keys, from));
        double dictTwo = Throughput(2, seconds, packed, (keys, from) => DictLoop(dict, keys, from));
        GC.KeepAlive(dict);
        dict = null;

        // A million ledger events (entry changes) applied in batches of 10,000 while a reader keeps looking up.
        log?.Invoke("  in-process: ledger deltas while serving");
        var (deltaSeconds, readerRate, applied) = Deltas(list, index, probe, deltaEvents);

        return new InProcessResult
        {
            Entries = list.EntryCount,
            IndexKeys = snapshot.KeyCount,
            BuildSeconds = buildSeconds,
            IndexBytesPerKey = snapshot.Stats.BytesPerKey,
            IndexHeapBytesPerKey = heapBytesPerKey,
            Lookups1Thread = one,
            Lookups2Threads = two,
            ProbeHitShare = (double)hits / probe.Length,
            DictionaryKeys = packed.Length == 0 ? 0 : CountOf(list),
            DictionaryBuildSeconds = dictBuild,
            DictionaryHeapBytesPerKey = dictBytes,
            DictionaryLookups1Thread = dictOne,
            DictionaryLookups2Threads = dictTwo,
            DeltaEvents = applied,
            DeltaSeconds = deltaSeconds,
            DeltaReaderLookups = readerRate,
            KnownHitsChecked = hits,
            KnownMissesChecked = probe.Length - hits,
            KnownMistakes = mistakes,
        };
    }

    private static int CountOf(SyntheticList list)
    {
        var set = new HashSet<ulong>();
        for (int k = 0; k < list.KeyCount; k++)
        {
            if (list.KeyAt(k).Kind == SubjectKind.ResidentId)
            {
                set.Add((ulong)list.KeyAt(k).Value);
            }
        }

        return set.Count;
    }

    /// <summary>Ledger events applied while a reader looks up: seconds, reader lookups per second, events applied.</summary>
    public static (double Seconds, double ReaderRate, int Applied) Deltas(SyntheticList list, ScreeningIndex index, SubjectKey[] probe, int events)
    {
        events = Math.Min(events, list.EntryCount);
        const int Batch = 10_000;
        var stop = 0;
        long reads = 0;
        var reader = new Thread(() =>
        {
            Span<IndexHit> buf = stackalloc IndexHit[16];
            long n = 0;
            int i = 0;
            while (Volatile.Read(ref stop) == 0)
            {
                index.Current.Lookup(probe[i], buf);
                i = i + 1 == probe.Length ? 0 : i + 1;
                n++;
            }

            Interlocked.Exchange(ref reads, n);
        }) { IsBackground = true };
        reader.Start();
        var watch = Stopwatch.StartNew();
        long seq = index.Sequence;
        int applied = 0;

        // Half the events take entries off the list (an exit), half put them back (a re-listing), spread over the numbering.
        var changes = new List<EntryProjection>(Batch);
        int stride = Math.Max(1, list.EntryCount / Math.Max(1, events / 2));
        for (int done = 0; done < events;)
        {
            changes.Clear();
            for (int b = 0; b < Batch && done < events; b++, done++)
            {
                int half = done / 2;
                int e = (int)((long)half * stride % list.EntryCount);
                changes.Add(list.Projection(e, active: done % 2 == 1));
            }

            seq += changes.Count;
            index.Apply(changes, seq);
            applied += changes.Count;
        }

        double seconds = watch.Elapsed.TotalSeconds;
        Volatile.Write(ref stop, 1);
        reader.Join();
        return (seconds, reads / Math.Max(seconds, 1e-9), applied);
    }

    private static long LookupLoop(ScreeningSnapshot snapshot, SubjectKey[] keys, int from)
    {
        Span<IndexHit> buf = stackalloc IndexHit[16];
        long found = 0;
        for (int i = from; i < keys.Length; i++)
        {
            found += snapshot.Lookup(keys[i], buf);
        }

        for (int i = 0; i < from; i++)
        {
            found += snapshot.Lookup(keys[i], buf);
        }

        return found;
    }

    private static long DictLoop(Dictionary<ulong, int> dict, ulong[] keys, int from)
    {
        long found = 0;
        for (int i = from; i < keys.Length; i++)
        {
            found += dict.TryGetValue(keys[i], out int v) ? v & 1 : 0;
        }

        for (int i = 0; i < from; i++)
        {
            found += dict.TryGetValue(keys[i], out int v) ? v & 1 : 0;
        }

        return found;
    }

    /// <summary>Lookups per second over all threads: each thread sweeps the probe array (from its own offset) until time is up.</summary>
    private static double Throughput<T>(int threads, double seconds, T[] keys, Func<T[], int, long> sweep)
    {
        if (keys.Length == 0)
        {
            return 0;
        }

        sweep(keys, 0); // warm-up
        var counts = new long[threads];
        var workers = new Thread[threads];
        var start = new ManualResetEventSlim();
        var watch = new Stopwatch();
        for (int t = 0; t < threads; t++)
        {
            int me = t;
            workers[t] = new Thread(() =>
            {
                start.Wait();
                var w = Stopwatch.StartNew();
                long n = 0;
                long sink = 0;
                while (w.Elapsed.TotalSeconds < seconds)
                {
                    sink += sweep(keys, me * keys.Length / threads);
                    n += keys.Length;
                }

                counts[me] = n + (sink & 0);
            });
            workers[t].Start();
        }

        watch.Start();
        start.Set();
        foreach (var w in workers)
        {
            w.Join();
        }

        return counts.Sum() / watch.Elapsed.TotalSeconds;
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        return GC.GetTotalMemory(true);
    }
}
