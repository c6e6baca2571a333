using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shixin.Core.Identifiers;

namespace Shixin.Bench;

/// <summary>Options of the issue-4 distribution benchmarks (two real server processes on one PostgreSQL, started by run.sh).</summary>
public sealed class Issue4Options
{
    public required string NodeA { get; init; }
    public required string NodeB { get; init; }
    public required string AdminKey { get; init; }
    public int CrossNodeEntries { get; init; } = 50;
    public int Receivers { get; init; } = 100;
    public int WebhookListings { get; init; } = 20;
    public int ReceiverPort { get; init; } = 5395;
    public int FeedEvents { get; init; } = 200_000;
    public int FeedPage { get; init; } = 10_000;
}

/// <summary>
/// Issue 4's benchmarks: commit → visible to checks on the other node (p50, p99), commit → delivered at 100 local
/// webhook receivers (p99), and feed throughput to one consumer. Every figure is measured over real HTTP on loopback.
/// </summary>
public static class Issue4
{
    private const string Scenario = "civil-aviation.ticket";
    private static readonly IdentifierGenerator Gen = new(4004);
    private static int _counter = 100_000 + Random.Shared.Next(0, 800_000);

    internal static int Next() => Interlocked.Increment(ref _counter);

    internal static string Iso(int daysFromToday) =>
        DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(daysFromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string AdultId()
    {
        lock (Gen)
        {
            return Gen.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1995, 12, 31)).Value;
        }
    }

    public static async Task<Dictionary<string, double>> RunAsync(Issue4Options o, Action<string> log)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        using var adminA = Client(o.NodeA, o.AdminKey);
        using var adminB = Client(o.NodeB, o.AdminKey);
        var court = "court-bench-" + Next().ToString(CultureInfo.InvariantCulture);
        var unit = "unit-bench-" + Next().ToString(CultureInfo.InvariantCulture);
        await OrgAsync(adminA, "court", court);
        await OrgAsync(adminA, "unit", unit);
        using var clerkA = await KeyAsync(adminA, court, "court.clerk");
        using var judgeA = await KeyAsync(adminA, court, "court.judge");
        using var checkerA = await KeyAsync(adminA, unit, "unit.checker");
        using var checkerB = await KeyAsync(adminB, unit, "unit.checker");
        using var subscriber = await KeyAsync(adminA, unit, "unit.subscriber");

        await CrossNodeAsync(o, clerkA, judgeA, checkerA, checkerB, result, log);
        await WebhooksAsync(o, clerkA, judgeA, subscriber, result, log);
        await FeedAsync(o, judgeA, subscriber, result, log);
        return result;
    }

    // --- (a) commit on A → visible to checks on B --------------------------------------------------------------

    private static async Task CrossNodeAsync(Issue4Options o, HttpClient clerk, HttpClient judge, HttpClient checkerA, HttpClient checkerB,
        Dictionary<string, double> result, Action<string> log)
    {
        // Warm-up, not measured: the first listing, revocation and checks JIT-compile both nodes' paths.
        for (int i = 0; i < 3; i++)
        {
            var w = await NoticedAsync(clerk);
            await DecideAsync(judge, w.Id);
            await UntilAsync(() => HitAsync(checkerB, w.IdNumber), "warm-up listing on B");
            await HitAsync(checkerA, w.IdNumber);
            await RevokeAsync(judge, w.Id);
            await UntilAsync(async () => !await HitAsync(checkerB, w.IdNumber), "warm-up revocation on B");
        }

        var entries = new List<(string Id, string IdNumber)>();
        for (int i = 0; i < o.CrossNodeEntries; i++)
        {
            entries.Add(await NoticedAsync(clerk));
        }

        var listSent = new List<double>();
        var listAck = new List<double>();
        var polls = 0;
        foreach (var e in entries)
        {
            if (await HitAsync(checkerB, e.IdNumber))
            {
                throw new InvalidOperationException("node B answered a hit before the decision");
            }

            var watch = Stopwatch.StartNew();
            await DecideAsync(judge, e.Id);
            var acked = watch.Elapsed;
            while (!await HitAsync(checkerB, e.IdNumber))
            {
                polls++;
                if (watch.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("node B never saw listing " + e.Id);
                }
            }

            listSent.Add(watch.Elapsed.TotalMilliseconds);
            listAck.Add((watch.Elapsed - acked).TotalMilliseconds);
        }

        var revSent = new List<double>();
        var revAck = new List<double>();
        foreach (var e in entries)
        {
            var watch = Stopwatch.StartNew();
            await RevokeAsync(judge, e.Id);
            var acked = watch.Elapsed;
            while (await HitAsync(checkerB, e.IdNumber))
            {
                polls++;
                if (watch.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("node B still answers revoked entry " + e.Id);
                }
            }

            revSent.Add(watch.Elapsed.TotalMilliseconds);
            revAck.Add((watch.Elapsed - acked).TotalMilliseconds);
        }

        var all = listSent.Concat(revSent).ToList();
        var allAck = listAck.Concat(revAck).ToList();
        result["cross_n"] = all.Count;
        result["cross_p50_ms"] = Pct(all, 0.50);
        result["cross_p99_ms"] = Pct(all, 0.99);
        result["cross_max_ms"] = all.Max();
        result["cross_ack_p50_ms"] = Pct(allAck, 0.50);
        result["cross_ack_p99_ms"] = Pct(allAck, 0.99);
        result["cross_list_p50_ms"] = Pct(listSent, 0.50);
        result["cross_list_p99_ms"] = Pct(listSent, 0.99);
        result["cross_revoke_p50_ms"] = Pct(revSent, 0.50);
        result["cross_revoke_p99_ms"] = Pct(revSent, 0.99);
        result["cross_write_p50_ms"] = Pct(listSent.Zip(listAck, (s, a) => s - a).Concat(revSent.Zip(revAck, (s, a) => s - a)).ToList(), 0.50);
        result["cross_extra_polls"] = polls;
        log(string.Create(CultureInfo.InvariantCulture,
            $"cross-node: {all.Count} changes via A, seen by checks on B: p50 {result["cross_p50_ms"]:F1} ms, p99 {result["cross_p99_ms"]:F1} ms, max {result["cross_max_ms"]:F1} ms (from the write's ack: p50 {result["cross_ack_p50_ms"]:F1}, p99 {result["cross_ack_p99_ms"]:F1})"));
    }

    // --- (b) commit → delivery at 100 receivers -----------------------------------------------------------------

    private static async Task WebhooksAsync(Issue4Options o, HttpClient clerk, HttpClient judge, HttpClient subscriber,
        Dictionary<string, double> result, Action<string> log)
    {
        // One Kestrel on loopback answering 100 paths: /hook/0 … /hook/99. Each arrival is stamped on receipt.
        var arrivals = new ConcurrentQueue<(int Receiver, string EntryId, long Ticks)>();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:" + o.ReceiverPort.ToString(CultureInfo.InvariantCulture));
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapPost("/hook/{n:int}", async (int n, HttpContext ctx) =>
        {
            var now = Stopwatch.GetTimestamp();
            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body);
            foreach (var e in doc.RootElement.GetProperty("events").EnumerateArray())
            {
                arrivals.Enqueue((n, e.GetProperty("entryId").GetString() ?? "", now));
            }

            return Results.Ok();
        });
        await app.StartAsync();

        var subs = new List<string>();
        for (int i = 0; i < o.Receivers; i++)
        {
            var url = "http://127.0.0.1:" + o.ReceiverPort.ToString(CultureInfo.InvariantCulture) + "/hook/" + i.ToString(CultureInfo.InvariantCulture);
            var created = await PostAsync(subscriber, "/api/v1/subscriptions", new JsonObject { ["url"] = url, ["secret"] = "bench-webhook-secret-" + i.ToString(CultureInfo.InvariantCulture) }, HttpStatusCode.Created);
            subs.Add(created["id"]!.GetValue<string>());
        }

        // Warm-up: two listings delivered everywhere, not measured.
        for (int i = 0; i < 2; i++)
        {
            var w = await NoticedAsync(clerk);
            await DecideAsync(judge, w.Id);
            await UntilAsync(() => Task.FromResult(arrivals.Count(a => a.EntryId == w.Id) >= o.Receivers), "warm-up deliveries", 60);
        }

        var latencies = new List<double>();
        var lastDelivery = new List<double>();
        var missing = 0;
        for (int i = 0; i < o.WebhookListings; i++)
        {
            var e = await NoticedAsync(clerk);
            var sent = Stopwatch.GetTimestamp();
            await DecideAsync(judge, e.Id);
            var ok = await UntilAsync(() => Task.FromResult(arrivals.Count(a => a.EntryId == e.Id) >= o.Receivers), "deliveries", 30, throwOnTimeout: false);
            var mine = arrivals.Where(a => a.EntryId == e.Id).GroupBy(a => a.Receiver).Select(g => g.Min(a => a.Ticks)).ToList();
            missing += o.Receivers - mine.Count;
            if (!ok)
            {
                log("  listing " + e.Id + ": only " + mine.Count.ToString(CultureInfo.InvariantCulture) + " receivers after 30 s");
            }

            var ms = mine.Select(t => Stopwatch.GetElapsedTime(sent, t).TotalMilliseconds).ToList();
            latencies.AddRange(ms);
            if (ms.Count > 0)
            {
                lastDelivery.Add(ms.Max());
            }

            await Task.Delay(200);
        }

        foreach (var id in subs)
        {
            using var r = await subscriber.DeleteAsync("/api/v1/subscriptions/" + id);
        }

        await app.StopAsync();
        result["webhook_receivers"] = o.Receivers;
        result["webhook_listings"] = o.WebhookListings;
        result["webhook_deliveries"] = latencies.Count;
        result["webhook_missing"] = missing;
        result["webhook_p50_ms"] = Pct(latencies, 0.50);
        result["webhook_p99_ms"] = Pct(latencies, 0.99);
        result["webhook_max_ms"] = latencies.Count > 0 ? latencies.Max() : double.NaN;
        result["webhook_last_p50_ms"] = Pct(lastDelivery, 0.50);
        log(string.Create(CultureInfo.InvariantCulture,
            $"webhooks: {o.WebhookListings} listings × {o.Receivers} receivers = {latencies.Count} deliveries ({missing} missing): p50 {result["webhook_p50_ms"]:F1} ms, p99 {result["webhook_p99_ms"]:F1} ms, max {result["webhook_max_ms"]:F1} ms"));
    }

    // --- (c) feed throughput ---------------------------------------------------------------------------------

    private static async Task FeedAsync(Issue4Options o, HttpClient judge, HttpClient reader, Dictionary<string, double> result, Action<string> log)
    {
        // Import decided listings through the API (atomic, 50,000 rows a request): each row is one entry.listed event.
        var importWatch = Stopwatch.StartNew();
        long imported = 0, listSequence = 0;
        const int PerRequest = 50_000;
        while (imported < o.FeedEvents)
        {
            var rows = (int)Math.Min(PerRequest, o.FeedEvents - imported);
            using var resp = await judge.PostAsync("/api/v1/entries/import", new StringContent(ImportCsv(rows), Encoding.UTF8, "text/csv"));
            var text = await resp.Content.ReadAsStringAsync();
            if (!resp.IsSuccessStatusCode)
            {
                throw new InvalidOperationException("import: " + (int)resp.StatusCode + " " + text[..Math.Min(text.Length, 500)]);
            }

            var accepted = JsonNode.Parse(text)!["accepted"]!.GetValue<long>();
            if (accepted == 0)
            {
                throw new InvalidOperationException("import accepted nothing: " + text[..Math.Min(text.Length, 500)]);
            }

            imported += accepted;
            listSequence = JsonNode.Parse(text)!["listSequence"]?.GetValue<long>() ?? listSequence;
            log(string.Create(CultureInfo.InvariantCulture, $"  imported {imported:N0} rows in {importWatch.Elapsed.TotalSeconds:F1} s"));
        }

        result["feed_import_rows"] = imported;
        result["feed_import_s"] = importWatch.Elapsed.TotalSeconds;
        result["feed_import_rows_per_s"] = imported / importWatch.Elapsed.TotalSeconds;

        // Let both nodes' indexes take in the import before the consumer starts (their catch-up would share the cores).
        var settle = Stopwatch.StartNew();
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var node in new[] { o.NodeA, o.NodeB })
        {
            await UntilAsync(async () => await IndexSequenceAsync(plain, node) >= listSequence, "index catch-up on " + node, 300, throwOnTimeout: false);
        }

        result["feed_settle_s"] = settle.Elapsed.TotalSeconds;
        log(string.Create(CultureInfo.InvariantCulture, $"  both indexes at sequence {listSequence:N0} after {settle.Elapsed.TotalSeconds:F1} s"));
        await Task.Delay(TimeSpan.FromSeconds(2));

        // One consumer pages the whole feed from sequence 0 to the head: two passes, the second with warm caches.
        // Passes 1 and 2 parse every page (JsonDocument), as a consumer does; pass 3 only reads the bytes and the "next" at
        // the page's end, which separates the server's cost from the consumer's.
        for (int pass = 1; pass <= 3; pass++)
        {
            long after = 0, events = 0, bytes = 0;
            var watch = Stopwatch.StartNew();
            while (true)
            {
                using var resp = await reader.GetAsync("/api/v1/feed?after=" + after.ToString(CultureInfo.InvariantCulture) + "&limit=" + o.FeedPage.ToString(CultureInfo.InvariantCulture));
                resp.EnsureSuccessStatusCode();
                var body = await resp.Content.ReadAsByteArrayAsync();
                bytes += body.Length;
                long next;
                if (pass < 3)
                {
                    using var doc = JsonDocument.Parse(body);
                    next = doc.RootElement.GetProperty("next").GetInt64();
                }
                else
                {
                    var tail = Encoding.UTF8.GetString(body.AsSpan(Math.Max(0, body.Length - 40)));
                    var at = tail.LastIndexOf("\"next\":", StringComparison.Ordinal) + 7;
                    next = long.Parse(tail.AsSpan(at, tail.Length - at - 1), CultureInfo.InvariantCulture);
                }

                if (next == after)
                {
                    break;
                }

                events += next - after;
                after = next;
            }

            var s = watch.Elapsed.TotalSeconds;
            result["feed_pass" + pass.ToString(CultureInfo.InvariantCulture) + "_events"] = events;
            result["feed_pass" + pass.ToString(CultureInfo.InvariantCulture) + "_s"] = s;
            result["feed_pass" + pass.ToString(CultureInfo.InvariantCulture) + "_eps"] = events / s;
            result["feed_pass" + pass.ToString(CultureInfo.InvariantCulture) + "_mb"] = bytes / 1e6;
            log(string.Create(CultureInfo.InvariantCulture, $"feed pass {pass}: {events:N0} events, {bytes / 1e6:F0} MB in {s:F2} s = {events / s:N0} events/s"));
        }
    }

    private static async Task<long> IndexSequenceAsync(HttpClient plain, string node)
    {
        var text = await plain.GetStringAsync(node.TrimEnd('/') + "/metrics");
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("shixin_index_sequence ", StringComparison.Ordinal))
            {
                return (long)double.Parse(line.AsSpan("shixin_index_sequence ".Length), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    internal static string ImportCsv(int rows)
    {
        var sb = new StringBuilder(rows * 200);
        var served = Iso(-30);
        var decided = Iso(-20);
        sb.Append("caseNumber,filingDate,basisNumber,basisIssuer,obligation,unperformedAmount,circumstances,name,idNumber,riskNoticeServedOn,decidedOn\r\n");
        // The serial number has at most nine digits (the case-number rule): three of prefix, six of row.
        var prefix = (100 + (Next() % 900)).ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < rows; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            sb.Append("(2024)粤0802执").Append(prefix).Append(i.ToString("D6", CultureInfo.InvariantCulture)).Append("号,2024-01-05,(2023)粤0802民初").Append(n)
                .Append("号,湛江市赤坎区人民法院,支付货款,1000,capable-but-refuses,陈").Append(n).Append(',').Append(AdultId())
                .Append(',').Append(served).Append(',').Append(decided).Append("\r\n");
        }

        return sb.ToString();
    }

    // --- HTTP helpers ----------------------------------------------------------------------------------------

    internal static HttpClient Client(string baseUrl, string key)
    {
        var c = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 8 }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(10) };
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return c;
    }

    internal static async Task OrgAsync(HttpClient admin, string kind, string code)
    {
        var body = new JsonObject { ["kind"] = kind, ["code"] = code, ["name"] = code + " 名称", ["region"] = "440802", ["parentCode"] = null };
        using var r = await admin.PostAsync("/api/v1/organizations", Json(body));
        if (r.StatusCode != HttpStatusCode.Created && r.StatusCode != HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException("organization " + code + ": " + await r.Content.ReadAsStringAsync());
        }
    }

    internal static async Task<HttpClient> KeyAsync(HttpClient admin, string code, params string[] roles)
    {
        var issued = await PostAsync(admin, "/api/v1/organizations/" + code + "/keys", new JsonObject { ["roles"] = new JsonArray([.. roles.Select(r => JsonValue.Create(r))]) }, null);
        return Client(admin.BaseAddress!.ToString(), issued["key"]!.GetValue<string>());
    }

    internal static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    internal static async Task<JsonObject> PostAsync(HttpClient c, string path, JsonNode body, HttpStatusCode? expect = HttpStatusCode.OK)
    {
        using var r = await c.PostAsync(path, Json(body));
        var text = await r.Content.ReadAsStringAsync();
        if (expect is { } s ? r.StatusCode != s : !r.IsSuccessStatusCode)
        {
            throw new InvalidOperationException("POST " + path + " → " + (int)r.StatusCode + " " + text);
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<JsonObject> GetAsync(HttpClient c, string path)
    {
        using var r = await c.GetAsync(path);
        var text = await r.Content.ReadAsStringAsync();
        if (!r.IsSuccessStatusCode)
        {
            throw new InvalidOperationException("GET " + path + " → " + (int)r.StatusCode + " " + text);
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<(string Id, string IdNumber)> NoticedAsync(HttpClient clerk)
    {
        var idn = AdultId();
        var draft = new JsonObject
        {
            ["caseNumber"] = "(2024)粤0802执" + Next().ToString(CultureInfo.InvariantCulture) + "号",
            ["filingDate"] = "2024-01-05",
            ["basisDocument"] = new JsonObject { ["number"] = "(2023)粤0802民初100号", ["issuer"] = "湛江市赤坎区人民法院" },
            ["obligation"] = "支付货款人民币100000元及利息",
            ["performance"] = new JsonObject { ["performedAmount"] = 0, ["unperformedAmount"] = 100000 },
            ["circumstances"] = new JsonArray("capable-but-refuses"),
            ["subject"] = new JsonObject { ["kind"] = "person", ["name"] = "张三", ["idNumber"] = idn },
            ["publicity"] = "public",
        };
        var e = await PostAsync(clerk, "/api/v1/entries", draft, HttpStatusCode.Created);
        var id = e["id"]!.GetValue<string>();
        await PostAsync(clerk, "/api/v1/entries/" + id + "/risk-notice", new JsonObject { ["servedOn"] = Iso(-15) });
        return (id, idn);
    }

    private static Task<JsonObject> DecideAsync(HttpClient judge, string id) =>
        PostAsync(judge, "/api/v1/entries/" + id + "/decision", new JsonObject { ["decidedOn"] = Iso(-10) });

    private static Task<JsonObject> RevokeAsync(HttpClient judge, string id) =>
        PostAsync(judge, "/api/v1/entries/" + id + "/exit", new JsonObject { ["kind"] = "revoke", ["reason"] = "wrongly-listed", ["effectiveOn"] = Iso(0) });

    private static async Task<bool> HitAsync(HttpClient checker, string idNumber)
    {
        var r = await PostAsync(checker, "/api/v1/checks",
            new JsonObject { ["scenario"] = Scenario, ["subjects"] = new JsonArray(new JsonObject { ["idNumber"] = idNumber }) });
        var res = r["results"]![0]!;
        return res["matches"]!.AsArray().Count + res["cleared"]!.AsArray().Count > 0;
    }

    private static async Task<bool> UntilAsync(Func<Task<bool>> condition, string what, int seconds = 30, bool throwOnTimeout = true)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                return throwOnTimeout ? throw new TimeoutException("timed out waiting for " + what) : false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    private static double Pct(List<double> xs, double p)
    {
        if (xs.Count == 0)
        {
            return double.NaN;
        }

        var s = xs.Order().ToArray();
        return s[Math.Min(s.Length - 1, (int)Math.Ceiling(p * s.Length) - 1)];
    }
}
