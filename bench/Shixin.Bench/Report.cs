using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Shixin.Bench;

/// <summary>
/// Writes bench/RESULTS.md from the JSON files of a run (bench/out/results). Text below the line
/// <c>&lt;!-- analysis --&gt;</c> in an existing RESULTS.md is kept (the hand-written reading of the figures).
/// </summary>
public static class Report
{
    private const string Marker = "<!-- analysis -->";

    public static async Task WriteAsync(string outDir, string file)
    {
        var results = Path.Combine(outDir, "results");
        var data = new Dictionary<string, Dictionary<string, JsonElement>>(StringComparer.Ordinal);
        foreach (var f in Directory.EnumerateFiles(results, "*.json"))
        {
            var text = await File.ReadAllTextAsync(f);
            if (text.Trim().Length == 0)
            {
                continue;
            }

            try
            {
                data[Path.GetFileNameWithoutExtension(f)] = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(text) ?? [];
            }
            catch (JsonException)
            {
                // A step that failed leaves a broken file: its figures show as "n/a".
            }
        }

        double V(string f, string k) => data.TryGetValue(f, out var d) && d.TryGetValue(k, out var e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN;
        string N(double v, string fmt = "N0") => double.IsNaN(v) || double.IsInfinity(v) ? "n/a" : v.ToString(fmt, CultureInfo.InvariantCulture);
        string X(double v) => double.IsNaN(v) || double.IsInfinity(v) ? "n/a" : v.ToString("0.00", CultureInfo.InvariantCulture) + "×";
        string Met(bool? ok) => ok is null ? "not measured" : ok.Value ? "**met**" : "**missed**";
        bool? Cmp(double a, double b, bool atLeast) => double.IsNaN(a) || double.IsNaN(b) ? null : atLeast ? a >= b : a <= b;

        double subjects = V("prepare", "subjects"), related = V("prepare", "related_persons"), batchLines = V("prepare", "batch_lines");
        double shixinRps = V("wrk-shixin", "rps"), shixinP50 = V("wrk-shixin", "p50_ms"), shixinP99 = V("wrk-shixin", "p99_ms");
        double bareRps = V("wrk-bare", "rps"), bareP50 = V("wrk-bare", "p50_ms"), bareP99 = V("wrk-bare", "p99_ms");
        double pgTps = V("pgbench", "tps");
        double batchAllS = V("batch-all", "seconds"), batchHitsS = V("batch-hits", "seconds"), copyS = V("pgcopy", "seconds");
        double batchAllRate = batchLines / batchAllS, batchHitsRate = batchLines / batchHitsS, copyRate = batchLines / copyS;
        double bytesPerKey = V("inprocess", "IndexBytesPerKey"), heapPerKey = V("inprocess", "IndexHeapBytesPerKey");
        double dictBytes = V("inprocess", "DictionaryHeapBytesPerKey");
        double loadS = V("server", "index_load_ms") / 1000, readyS = V("server", "ready_s");
        double rssLoaded = V("server", "rss_kb_loaded") / 1024, rssEnd = V("server", "rss_kb_end") / 1024, hwm = V("server", "hwm_kb_end") / 1024;
        double deltaS = V("inprocess", "DeltaSeconds"), deltaN = V("inprocess", "DeltaEvents");
        double deltaPerMillion = deltaS / deltaN * 1e6;

        var sb = new StringBuilder();
        void L(string s = "") => sb.Append(s).Append('\n');
        L("# Shixin benchmark results");
        L();
        L("Produced by `bench/run.sh` (" + Command(V("run", "scale"), V("run", "batch_lines")) + ") at commit `" + Commit() + "` on "
          + DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) + ". Regenerate with the same command; the tables are written by "
          + "`Shixin.Bench report`, the analysis at the end by hand.");
        L();
        L("## Machine");
        L();
        L("| | |");
        L("|---|---|");
        L("| CPU | " + CpuModel() + " |");
        L("| cores (nproc) | " + Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture) + " |");
        L("| memory | " + MemTotal() + " |");
        L("| OS / runtime | " + System.Runtime.InteropServices.RuntimeInformation.OSDescription + " / .NET " + Environment.Version + " |");
        L("| load average at report time | " + LoadAverage() + " (the two cores are shared with other engineers' builds and tests; every ratio below compares figures taken minutes apart in the same run) |");
        L();
        L("## Data");
        L();
        L("| | |");
        L("|---|---|");
        L("| listed subjects (entries) | " + N(subjects) + (subjects < 10_000_000 ? " (**not the 10 million default** — see the analysis)" : "") + " |");
        L("| related persons | " + N(related) + " |");
        L("| index keys (rows) | " + N(V("prepare", "keys")) + " — resident IDs, credit codes, organization codes, passports bound to IDs |");
        L("| distinct identifiers (baseline sets) | " + N(V("prepare", "distinct_keys")) + " |");
        L("| check files | " + N(V("prepare", "probe_subjects")) + " subjects for wrk/pgbench, " + N(batchLines) + " lines for `/checks/batch` and COPY; "
          + N(V("prepare", "hit_share") * 100, "0") + " % listed, the rest valid identifiers proven absent |");
        L("| generation in memory | " + N(V("prepare", "generate_s"), "0.0") + " s |");
        L("| SQLite load (server schema, indexes rebuilt) | " + N(V("prepare", "sqlite_load_s"), "0.0") + " s, " + N(V("prepare", "sqlite_bytes") / 1e9, "0.00") + " GB |");
        L();
        L("## Targets (issue 3)");
        L();
        L("| target | measured | result |");
        L("|---|---|---|");
        L("| single checks ≥ 1.5× PostgreSQL point lookups | " + N(shixinRps) + " /s vs pgbench " + N(pgTps) + " /s = " + X(shixinRps / pgTps) + " | " + Met(Cmp(shixinRps / pgTps, 1.5, true)) + " |");
        L("| single checks ≥ 80 % of the bare endpoint | " + N(shixinRps) + " /s vs " + N(bareRps) + " /s = " + N(100 * shixinRps / bareRps, "0") + " % | " + Met(Cmp(shixinRps / bareRps, 0.8, true)) + " |");
        L("| p99 ≤ 1.5× the bare endpoint's | " + N(shixinP99, "0.00") + " ms vs " + N(bareP99, "0.00") + " ms = " + X(shixinP99 / bareP99) + " | " + Met(Cmp(shixinP99 / bareP99, 1.5, false)) + " |");
        L("| `/checks/batch` ≥ 5 M subjects/s | " + N(batchAllRate) + " /s (all lines out); " + N(batchHitsRate) + " /s (`only=hits`) | " + Met(Cmp(Math.Max(batchAllRate, batchHitsRate), 5e6, true)) + " |");
        L("| `/checks/batch` ≥ 3× COPY + JOIN | " + N(batchAllS, "0.0") + " s (all) / " + N(batchHitsS, "0.0") + " s (hits) vs " + N(copyS, "0.0") + " s = " + X(copyS / batchAllS) + " / " + X(copyS / batchHitsS) + " | " + Met(Cmp(copyS / Math.Min(batchAllS, batchHitsS), 3, true)) + " |");
        L("| index ≤ 32 bytes/key | " + N(bytesPerKey, "0.0") + " (index's own count), " + N(heapPerKey, "0.0") + " (heap delta) | " + Met(Cmp(Math.Max(bytesPerKey, heapPerKey), 32, false)) + " |");
        L("| rebuilt from the database < 30 s | " + N(loadS, "0.0") + " s for " + N(V("server", "index_keys")) + " keys (server log); /readyz after " + N(readyS, "0.0") + " s | "
          + Met(Cmp(loadS, 30, false)) + (subjects < 10_000_000 ? " at this scale; extrapolated to 10 M: " + N(loadS * 10_000_000 / subjects, "0") + " s" : "") + " |");
        L("| 1 M ledger events < 2 s while serving | " + N(deltaN) + " entry changes in " + N(deltaS, "0.00") + " s (in-process, reader running) | " + Met(Cmp(deltaPerMillion, 2, false)) + " |");
        L("| server memory < 2 GiB | RSS " + N(rssLoaded) + " MB after load, " + N(rssEnd) + " MB at the end, peak " + N(hwm) + " MB | " + Met(Cmp(hwm, 2048, false))
          + (subjects < 10_000_000 ? " at this scale" : "") + " |");
        L();
        L("## In-process (index vs `Dictionary<ulong,int>`)");
        L();
        L("| | screening index | Dictionary&lt;ulong,int&gt; of packed IDs | ratio |");
        L("|---|---|---|---|");
        L("| keys | " + N(V("inprocess", "IndexKeys")) + " (all kinds) | " + N(V("inprocess", "DictionaryKeys")) + " (resident IDs only) | |");
        L("| build | " + N(V("inprocess", "BuildSeconds"), "0.00") + " s | " + N(V("inprocess", "DictionaryBuildSeconds"), "0.00") + " s | |");
        L("| bytes per key | " + N(bytesPerKey, "0.0") + " / " + N(heapPerKey, "0.0") + " (heap) | " + N(dictBytes, "0.0") + " (heap) | " + X(heapPerKey / dictBytes) + " |");
        L("| lookups/s, 1 thread | " + N(V("inprocess", "Lookups1Thread")) + " | " + N(V("inprocess", "DictionaryLookups1Thread")) + " | " + X(V("inprocess", "Lookups1Thread") / V("inprocess", "DictionaryLookups1Thread")) + " |");
        L("| lookups/s, 2 threads | " + N(V("inprocess", "Lookups2Threads")) + " | " + N(V("inprocess", "DictionaryLookups2Threads")) + " | " + X(V("inprocess", "Lookups2Threads") / V("inprocess", "DictionaryLookups2Threads")) + " |");
        L();
        L("Probe: " + N(V("inprocess", "ProbeHitShare") * 100, "0") + " % hits, random order; the index lookup returns every hit with entry, role and flags. "
          + "Correctness: " + N(V("inprocess", "KnownHitsChecked")) + " known hits, " + N(V("inprocess", "KnownMissesChecked")) + " known misses and every key of 10,000 sampled entries, "
          + N(V("inprocess", "KnownMistakes")) + " wrong answers. Deltas: " + N(deltaN) + " changes (exits and re-listings, batches of 10,000) in " + N(deltaS, "0.00")
          + " s while a reader did " + N(V("inprocess", "DeltaReaderLookups")) + " lookups/s.");
        L();
        L("## Server (real `Shixin.Server`, SQLite, `dotnet run -c Release`)");
        L();
        L("| | |");
        L("|---|---|");
        L("| start to /readyz | " + N(readyS, "0.0") + " s |");
        L("| index loaded from the database | " + N(loadS, "0.0") + " s, " + N(V("server", "index_keys")) + " keys |");
        L("| RSS after load / end / peak | " + N(rssLoaded) + " / " + N(rssEnd) + " / " + N(hwm) + " MB |");
        L();
        L("## HTTP single-subject checks (wrk, 2 threads, 64 connections, " + N(V("run", "duration_s")) + " s, after a 5 s warm-up)");
        L();
        L("| | requests/s | p50 ms | p99 ms | non-2xx | socket errors | Shixin ratio |");
        L("|---|---|---|---|---|---|---|");
        L("| Shixin `POST /api/v1/checks` (authenticated, explained, recorded) | " + N(shixinRps) + " | " + N(shixinP50, "0.00") + " | " + N(shixinP99, "0.00") + " | " + N(V("wrk-shixin", "errors_status")) + " | " + N(V("wrk-shixin", "errors_socket")) + " | |");
        L("| bare ASP.NET Core, `HashSet<string>` | " + N(bareRps) + " | " + N(bareP50, "0.00") + " | " + N(bareP99, "0.00") + " | " + N(V("wrk-bare", "errors_status")) + " | " + N(V("wrk-bare", "errors_socket")) + " | " + X(shixinRps / bareRps) + " throughput, " + X(shixinP99 / bareP99) + " p99 |");
        L("| PostgreSQL PK lookup (pgbench, 16 clients, 2 threads) | " + N(pgTps) + " | avg " + N(V("pgbench", "latency_avg_ms"), "0.00") + " | | | | " + X(shixinRps / pgTps) + " |");
        L("| Redis `SISMEMBER` (redis-benchmark, 50 clients, no pipelining; random misses) | " + N(V("redis-p1", "rps")) + " | | | | | " + X(shixinRps / V("redis-p1", "rps")) + " |");
        L("| Redis `SISMEMBER`, one listed member | " + N(V("redis-p1-hit", "rps")) + " | | | | | " + X(shixinRps / V("redis-p1-hit", "rps")) + " |");
        L("| Redis `SISMEMBER`, 16-deep pipelining | " + N(V("redis-p16", "rps")) + " | | | | | " + X(shixinRps / V("redis-p16", "rps")) + " |");
        L();
        L("## Multi-subject requests");
        L();
        L("| | figure |");
        L("|---|---|");
        L("| wrk, 100 subjects per `/checks` request, 16 connections | " + N(V("wrk-shixin-100", "rps")) + " requests/s = " + N(V("wrk-shixin-100", "rps") * 100) + " subjects/s; p50 " + N(V("wrk-shixin-100", "p50_ms"), "0.0") + " ms, p99 " + N(V("wrk-shixin-100", "p99_ms"), "0.0") + " ms; non-2xx " + N(V("wrk-shixin-100", "errors_status")) + " |");
        L("| 1,000 subjects as 10 concurrent `/checks` of 100 (" + N(V("http-batches", "rounds")) + " rounds) | p50 " + N(V("http-batches", "split_p50_ms"), "0.0") + " ms, p99 " + N(V("http-batches", "split_p99_ms"), "0.0") + " ms, " + N(V("http-batches", "split_subjects_per_s")) + " subjects/s |");
        L("| 1,000 subjects as one `/checks/batch` CSV | p50 " + N(V("http-batches", "batch_p50_ms"), "0.0") + " ms, p99 " + N(V("http-batches", "batch_p99_ms"), "0.0") + " ms, " + N(V("http-batches", "batch_subjects_per_s")) + " subjects/s |");
        L();
        L("## `/checks/batch` on " + N(batchLines) + " lines vs PostgreSQL COPY + JOIN");
        L();
        L("| | seconds | subjects/s | output | server RSS after |");
        L("|---|---|---|---|---|");
        L("| Shixin, every line answered | " + N(batchAllS, "0.0") + " | " + N(batchAllRate) + " | " + N(V("batch-all", "lines_out")) + " lines, " + N(V("batch-all", "bytes_out") / 1e6, "0") + " MB | " + N(V("batch-all", "rss_kb_after") / 1024) + " MB |");
        L("| Shixin, `only=hits` | " + N(batchHitsS, "0.0") + " | " + N(batchHitsRate) + " | " + N(V("batch-hits", "lines_out")) + " lines, " + N(V("batch-hits", "bytes_out") / 1e6, "0") + " MB | " + N(V("batch-hits", "rss_kb_after") / 1024) + " MB |");
        L("| PostgreSQL `\\copy` into an unlogged table + `JOIN` count | " + N(copyS, "0.0") + " | " + N(copyRate) + " | " + N(V("pgcopy", "hits")) + " hits counted | |");
        L();
        L("Shixin's figure is end to end through curl: upload, parse, lookup, explanation of hits, check records of hits written, response downloaded.");
        L();
        L("## Baseline processes");
        L();
        L("| | |");
        L("|---|---|");
        L("| bare endpoint RSS | " + N(V("bare", "rss_kb") / 1024) + " MB |");
        L("| Redis RSS / members | " + N(V("redis", "rss_kb") / 1024) + " MB / " + N(V("redis", "members")) + " |");
        L();
        if (data.ContainsKey("issue4"))
        {
            double I(string k) => V("issue4", k);
            double feedEps = Math.Max(I("feed_pass1_eps"), I("feed_pass2_eps"));
            L("## Distribution (issue 4): two server processes on one PostgreSQL");
            L();
            L("Both nodes run the Release build on one PostgreSQL 15 database (fsync on, default settings but `shared_buffers=1GB`); the client, the webhook receiver and");
            L("both nodes share the two cores. Every figure is over HTTP on loopback (`Shixin.Bench issue4`).");
            L();
            L("| target | measured | result |");
            L("|---|---|---|");
            L("| commit → visible to checks on another node: p99 < 1 s | " + N(I("cross_n")) + " changes (" + N(I("cross_n") / 2) + " listings and " + N(I("cross_n") / 2)
              + " revocations through node A, polled by checks on node B): p50 " + N(I("cross_p50_ms"), "0") + " ms, p99 " + N(I("cross_p99_ms"), "0") + " ms, max "
              + N(I("cross_max_ms"), "0") + " ms | " + Met(Cmp(I("cross_p99_ms"), 1000, false)) + " |");
            L("| commit → delivered to each of 100 receivers: p99 < 2 s | " + N(I("webhook_listings")) + " listings × " + N(I("webhook_receivers")) + " subscriptions = "
              + N(I("webhook_deliveries")) + " deliveries (" + N(I("webhook_missing")) + " missing): p50 " + N(I("webhook_p50_ms"), "0") + " ms, p99 " + N(I("webhook_p99_ms"), "0")
              + " ms, max " + N(I("webhook_max_ms"), "0") + " ms | " + Met(I("webhook_missing") > 0 ? false : Cmp(I("webhook_p99_ms"), 2000, false)) + " |");
            L("| feed ≥ 100,000 events/s to one consumer | " + N(I("feed_pass2_events")) + " events in pages of 10,000: " + N(I("feed_pass1_eps")) + " /s (first pass), "
              + N(I("feed_pass2_eps")) + " /s (second) | " + Met(Cmp(feedEps, 100_000, true)) + " |");
            L();
            L("| | |");
            L("|---|---|");
            L("| cross-node, listings only (from sending the decision) | p50 " + N(I("cross_list_p50_ms"), "0") + " ms, p99 " + N(I("cross_list_p99_ms"), "0") + " ms |");
            L("| cross-node, revocations only | p50 " + N(I("cross_revoke_p50_ms"), "0") + " ms, p99 " + N(I("cross_revoke_p99_ms"), "0") + " ms |");
            L("| cross-node, from the write's acknowledgement instead of its sending | p50 " + N(I("cross_ack_p50_ms"), "0") + " ms, p99 " + N(I("cross_ack_p99_ms"), "0") + " ms (write itself: p50 " + N(I("cross_write_p50_ms"), "0") + " ms) |");
            L("| webhooks, the last of the 100 receivers per listing | p50 " + N(I("webhook_last_p50_ms"), "0") + " ms |");
            L("| feed bytes per pass | " + N(I("feed_pass2_mb"), "0") + " MB; pass times " + N(I("feed_pass1_s"), "0.00") + " s / " + N(I("feed_pass2_s"), "0.00") + " s |");
            L("| feed, third pass reading only the bytes and `next` (the server's share) | " + N(I("feed_pass3_eps")) + " events/s, " + N(I("feed_pass3_s"), "0.00") + " s |");
            L("| both nodes' indexes caught up with the import before the passes | after " + N(I("feed_settle_s"), "0.0") + " s |");
            L("| ledger filled by `POST /entries/import` (50,000-row atomic requests through node A) | " + N(I("feed_import_rows")) + " rows in " + N(I("feed_import_s"), "0") + " s = " + N(I("feed_import_rows_per_s")) + " rows/s |");
            L("| PostgreSQL database size / node RSS at the end | " + N(V("issue4-nodes", "pg_db_mb")) + " MB / " + N(V("issue4-nodes", "node_a_rss_kb") / 1024) + " MB (A), " + N(V("issue4-nodes", "node_b_rss_kb") / 1024) + " MB (B) |");
            L();
            L("Latency is measured from sending the write (decision or exit) to the first check on node B that answers it, polled back to back; delivery latency from sending the");
            L("decision to the receiver's arrival stamp (one Kestrel in the bench process, 100 paths, 100 subscriptions of one unit).");
            L();
        }

        string analysis = "";
        if (File.Exists(file))
        {
            var old = await File.ReadAllTextAsync(file);
            int at = old.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                analysis = old[(at + Marker.Length)..].TrimStart('\n');
            }
        }

        L(Marker);
        sb.Append(analysis);
        await File.WriteAllTextAsync(file, sb.ToString());
    }

    private static string Commit()
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true });
            var c = p!.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return c.Length > 0 ? c : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static string Command(double scale, double batch) =>
        "`bench/run.sh" + (double.IsNaN(scale) || scale == 10_000_000 ? "" : " --scale " + scale.ToString("0", CultureInfo.InvariantCulture))
        + (double.IsNaN(batch) || batch == 10_000_000 ? "" : " --batch-lines " + batch.ToString("0", CultureInfo.InvariantCulture)) + "`";

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string MemTotal()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
            var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return (kb / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
