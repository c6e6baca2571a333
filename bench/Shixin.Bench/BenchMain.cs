using System.Globalization;
using System.Text.Json;

namespace Shixin.Bench;

/// <summary>Command line of the suite's .NET side: <c>prepare</c>, <c>http-batches</c>, <c>report</c> (bench/run.sh calls them).</summary>
internal static class BenchMain
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: Shixin.Bench prepare|http-batches|issue4|import-alongside|report [--name value]...");
            return 2;
        }

        var opts = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            opts[args[i].TrimStart('-')] = args[i + 1];
        }

        string Get(string name, string fallback) => opts.TryGetValue(name, out var v) ? v : fallback;
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        double Dbl(string name, double fallback) => double.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        void Log(string s) => Console.WriteLine(DateTime.Now.ToString("HH:mm:ss ", CultureInfo.InvariantCulture) + s);

        switch (args[0])
        {
            case "prepare":
                {
                    int scale = Int("scale", 10_000_000);
                    var o = new PrepareOptions
                    {
                        OutDirectory = Get("out", "bench/out"),
                        Shape = new ListShape { Subjects = scale, RelatedPersons = Int("related", scale / 5) },
                        BatchLines = Int("batch-lines", 10_000_000),
                        ProbeSubjects = Int("probe", 100_000),
                        HitShare = Dbl("hit-share", 0.1),
                        AdminKey = Get("admin-key", "sx_bench_admin_key_0123456789"),
                        UnitKey = Get("unit-key", "sx_bench_unit_key_0123456789"),
                        MeasureSeconds = Dbl("seconds", 2.0),
                        DeltaEvents = Int("delta-events", 1_000_000),
                    };
                    var r = await Suite.PrepareAsync(o, Log);
                    Log(JsonSerializer.Serialize(r.InProcess));
                    return r.InProcess.KnownMistakes == 0 ? 0 : 1;
                }

            case "deltas":
                {
                    // Only the ledger-delta figure, for profiling: bench deltas --scale N --delta-events M
                    var list = SyntheticList.Generate(new ListShape { Subjects = Int("scale", 1_000_000), RelatedPersons = Int("scale", 1_000_000) / 5 });
                    var index = InProcess.Build(list, out var build, out _);
                    var probe = Enumerable.Range(0, 1 << 16).Select(i => list.KeyAt(i * 7 % list.KeyCount)).ToArray();
                    Log(string.Create(CultureInfo.InvariantCulture, $"built in {build:F2} s"));
                    for (int round = 0; round < Int("rounds", 2); round++)
                    {
                        var (secs, reads, applied) = InProcess.Deltas(list, index, probe, Int("delta-events", 1_000_000));
                        Log(string.Create(CultureInfo.InvariantCulture, $"{applied} events in {secs:F2} s; reader {reads:F0} lookups/s"));
                    }

                    return 0;
                }

            case "http-batches":
                {
                    var r = await HttpBatches.RunAsync(Get("url", "http://127.0.0.1:5080"), Get("key", ""), Get("scenario", "civil-aviation.ticket"),
                        Get("probe", "bench/out/probe.tsv"), Int("rounds", 30));
                    await File.WriteAllTextAsync(Get("result", "bench/out/results/http-batches.json"), JsonSerializer.Serialize(r));
                    Log(JsonSerializer.Serialize(r));
                    return 0;
                }

            case "issue4":
                {
                    var r = await Issue4.RunAsync(new Issue4Options
                    {
                        NodeA = Get("a", "http://127.0.0.1:5396"),
                        NodeB = Get("b", "http://127.0.0.1:5397"),
                        AdminKey = Get("admin-key", "sx_bench_admin_key_0123456789"),
                        CrossNodeEntries = Int("entries", 50),
                        Receivers = Int("receivers", 100),
                        WebhookListings = Int("listings", 20),
                        ReceiverPort = Int("receiver-port", 5395),
                        FeedEvents = Int("feed-events", 200_000),
                    }, Log);
                    await File.WriteAllTextAsync(Get("result", "bench/out/results/issue4.json"), JsonSerializer.Serialize(r));
                    return 0;
                }

            case "import-alongside":
                {
                    // bench/import-alongside.sh: checks and drafts while one court imports --rows decided rows.
                    var r = await ImportAlongside.RunAsync(Get("url", "http://127.0.0.1:5398"), Get("admin-key", "sx_bench_admin_key_0123456789"),
                        Int("rows", 200_000), Log, Get("alone", "0") == "1");
                    await File.WriteAllTextAsync(Get("result", "bench/out/results/import-alongside.json"), JsonSerializer.Serialize(r));
                    return r["accepted"] == r["rows"] && r["checks_5xx"] == 0 && r["writes_5xx_other"] == 0 ? 0 : 1;
                }

            case "report":
                await Report.WriteAsync(Get("out", "bench/out"), Get("file", "bench/RESULTS.md"));
                return 0;

            default:
                Console.Error.WriteLine("unknown command " + args[0]);
                return 2;
        }
    }
}
