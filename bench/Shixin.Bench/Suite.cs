using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Shixin.Bench;

/// <summary>Options of the preparation step.</summary>
public sealed record PrepareOptions
{
    public required string OutDirectory { get; init; }
    public ListShape Shape { get; init; } = new();
    public int BatchLines { get; init; } = 10_000_000;
    public int ProbeSubjects { get; init; } = 100_000;
    public double HitShare { get; init; } = 0.1;
    public string AdminKey { get; init; } = "sx_bench_admin_key_0123456789";
    public string UnitKey { get; init; } = "sx_bench_unit_key_0123456789";
    public bool WriteSqlite { get; init; } = true;
    public bool WriteBaselineFiles { get; init; } = true;
    public double MeasureSeconds { get; init; } = 2.0;
    public int DeltaEvents { get; init; } = 1_000_000;
}

/// <summary>What the preparation measured and wrote.</summary>
public sealed record PrepareResult(double GenerateSeconds, LoadResult? Sqlite, double FilesSeconds, int ListedDistinct, InProcessResult InProcess);

/// <summary>Generation, database load, index build and in-process measurements (bench/run.sh step 1).</summary>
public static class Suite
{
    public static async Task<PrepareResult> PrepareAsync(PrepareOptions o, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        Directory.CreateDirectory(o.OutDirectory);
        var results = Path.Combine(o.OutDirectory, "results");
        Directory.CreateDirectory(results);
        var watch = Stopwatch.StartNew();
        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"generating {o.Shape.Subjects:N0} subjects + {o.Shape.RelatedPersons:N0} related persons"));
        var list = SyntheticList.Generate(o.Shape);
        double generate = watch.Elapsed.TotalSeconds;
        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  {list.EntryCount:N0} entries, {list.KeyCount:N0} keys in {generate:F1} s"));

        LoadResult? load = null;
        if (o.WriteSqlite)
        {
            log?.Invoke("writing SQLite database");
            load = await SqliteLoader.LoadAsync(list, Path.Combine(o.OutDirectory, "data"), o.AdminKey, o.UnitKey, log);
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  {load.Seconds:F1} s, {load.DatabaseBytes / 1e9:F2} GB"));
        }

        log?.Invoke("building the index in-process");
        var index = InProcess.Build(list, out double build, out double heapPerKey);
        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  {index.KeyCount:N0} keys in {build:F2} s"));

        watch.Restart();
        int distinct = 0;
        if (o.WriteBaselineFiles)
        {
            log?.Invoke("writing check files");
            var snapshot = index.Current;
            var probe = Probes.Make(list, snapshot, o.ProbeSubjects, o.HitShare, o.Shape.Seed + 10, out var probeHits);
            BenchFiles.WriteProbe(probe, probeHits, Path.Combine(o.OutDirectory, "probe.tsv"));
            var batch = Probes.Make(list, snapshot, o.BatchLines, o.HitShare, o.Shape.Seed + 11, out _);
            BenchFiles.WriteBatch(batch, Path.Combine(o.OutDirectory, "batch.csv"), Path.Combine(o.OutDirectory, "batch-ids.txt"));
            batch = null;
            distinct = BenchFiles.WriteListed(list, Path.Combine(o.OutDirectory, "listed.txt"));
            BenchFiles.WriteRedisLoad(Path.Combine(o.OutDirectory, "listed.txt"), Path.Combine(o.OutDirectory, "redis-load.resp"));
            GC.KeepAlive(batch);
        }

        double files = watch.Elapsed.TotalSeconds;
        log?.Invoke("in-process measurements");
        var inProcess = InProcess.Run(list, index, build, heapPerKey, o.MeasureSeconds, o.DeltaEvents, log);
        var result = new PrepareResult(generate, load, files, distinct, inProcess);
        var flat = new Dictionary<string, double>
        {
            ["subjects"] = o.Shape.Subjects,
            ["related_persons"] = o.Shape.RelatedPersons,
            ["entries"] = list.EntryCount,
            ["keys"] = list.KeyCount,
            ["distinct_keys"] = distinct,
            ["batch_lines"] = o.BatchLines,
            ["probe_subjects"] = o.ProbeSubjects,
            ["hit_share"] = o.HitShare,
            ["generate_s"] = generate,
            ["sqlite_load_s"] = load?.Seconds ?? 0,
            ["sqlite_bytes"] = load?.DatabaseBytes ?? 0,
            ["files_s"] = files,
        };
        await File.WriteAllTextAsync(Path.Combine(results, "prepare.json"), JsonSerializer.Serialize(flat));
        await File.WriteAllTextAsync(Path.Combine(results, "inprocess.json"), JsonSerializer.Serialize(inProcess));
        return result;
    }
}
