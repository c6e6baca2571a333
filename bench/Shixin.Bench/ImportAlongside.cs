using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Shixin.Bench;

/// <summary>
/// Issue 11 F4 at full size: one court imports N decided rows in one request while a unit checks (two loops, 5 ms
/// apart) and another court drafts entries (one loop, 100 ms apart), all over real HTTP against a running server
/// (bench/import-alongside.sh starts it on SQLite or PostgreSQL). Reports the checks' latency during the import, the
/// import's duration, and every status other than the expected ones (a 5xx here is a defect; 503 busy is allowed).
/// </summary>
public static class ImportAlongside
{
    private const string Scenario = "civil-aviation.ticket";

    public static async Task<Dictionary<string, double>> RunAsync(string url, string adminKey, int rows, Action<string> log, bool alone = false)
    {
        using var admin = Issue4.Client(url, adminKey);
        var importerCode = "court-imp-" + Issue4.Next().ToString(CultureInfo.InvariantCulture);
        var otherCode = "court-oth-" + Issue4.Next().ToString(CultureInfo.InvariantCulture);
        var unitCode = "unit-imp-" + Issue4.Next().ToString(CultureInfo.InvariantCulture);
        await Issue4.OrgAsync(admin, "court", importerCode);
        await Issue4.OrgAsync(admin, "court", otherCode);
        await Issue4.OrgAsync(admin, "unit", unitCode);
        using var judge = await Issue4.KeyAsync(admin, importerCode, "court.judge", "court.clerk");
        // A 200,000-row import on a loaded machine takes longer than the helper's 10 minutes.
        judge.Timeout = TimeSpan.FromHours(2);
        using var clerk = await Issue4.KeyAsync(admin, otherCode, "court.clerk");
        using var checker = await Issue4.KeyAsync(admin, unitCode, "unit.checker");

        // Warm-up (not measured): JIT-compile the check and draft paths.
        for (int i = 0; i < 50; i++)
        {
            using var r = await checker.PostAsync("/api/v1/checks", Issue4.Json(CheckBody()));
            r.EnsureSuccessStatusCode();
        }

        using (var w = await clerk.PostAsync("/api/v1/entries", Issue4.Json(Draft())))
        {
            w.EnsureSuccessStatusCode();
        }

        log(string.Create(CultureInfo.InvariantCulture, $"generating {rows:N0} import rows"));
        var csv = Issue4.ImportCsv(rows);
        var bytes = Encoding.UTF8.GetByteCount(csv);
        log(string.Create(CultureInfo.InvariantCulture, $"importing {rows:N0} rows ({bytes / 1e6:F1} MB){(alone ? " alone" : " with checks and drafts alongside")}"));

        var watch = Stopwatch.StartNew();
        var import = Task.Run(async () =>
        {
            using var r = await judge.PostAsync("/api/v1/entries/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
            return ((int)r.StatusCode, await r.Content.ReadAsStringAsync(), watch.Elapsed.TotalMilliseconds);
        });
        var checks = new ConcurrentBag<(double Start, double Ms, int Status)>();
        var writes = new ConcurrentBag<(double Ms, int Status, string Body)>();

        async Task CheckLoop()
        {
            while (!import.IsCompleted)
            {
                var start = watch.Elapsed.TotalMilliseconds;
                int status;
                try
                {
                    using var r = await checker.PostAsync("/api/v1/checks", Issue4.Json(CheckBody()));
                    await r.Content.ReadAsByteArrayAsync();
                    status = (int)r.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = -1;
                }

                checks.Add((start, watch.Elapsed.TotalMilliseconds - start, status));
                await Task.Delay(5);
            }
        }

        async Task WriteLoop()
        {
            while (!import.IsCompleted)
            {
                var start = watch.Elapsed.TotalMilliseconds;
                using var r = await clerk.PostAsync("/api/v1/entries", Issue4.Json(Draft()));
                var body = await r.Content.ReadAsStringAsync();
                writes.Add((watch.Elapsed.TotalMilliseconds - start, (int)r.StatusCode, body.Length > 300 ? body[..300] : body));
                await Task.Delay(100);
            }
        }

        // --alone: the import's own rate (issue 13 item 3), nothing else on the server.
        await (alone ? import : Task.WhenAll(CheckLoop(), CheckLoop(), WriteLoop()));
        var (importStatus, importBody, importMs) = await import;
        if (importStatus != 200)
        {
            throw new InvalidOperationException("import: " + importStatus + " " + importBody[..Math.Min(importBody.Length, 500)]);
        }

        var accepted = JsonNode.Parse(importBody)!["accepted"]!.GetValue<long>();
        if (accepted != rows)
        {
            log("  the import did not accept every row: " + importBody[..Math.Min(importBody.Length, 1500)]);
        }

        var lat = checks.Where(c => c.Start + c.Ms <= importMs).Select(c => c.Ms).Order().ToList();
        var writeLat = writes.Select(w => w.Ms).Order().ToList();
        var result = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["rows"] = rows,
            ["import_status"] = importStatus,
            ["accepted"] = accepted,
            ["import_mb"] = bytes / 1e6,
            ["import_s"] = importMs / 1000,
            ["import_rows_per_s"] = accepted / (importMs / 1000),
            ["checks"] = lat.Count,
            ["check_p50_ms"] = Pct(lat, 0.50),
            ["check_p99_ms"] = Pct(lat, 0.99),
            ["check_max_ms"] = lat.Count > 0 ? lat[^1] : double.NaN,
            ["checks_non200"] = checks.Count(c => c.Status != 200),
            ["checks_5xx"] = checks.Count(c => c.Status >= 500 || c.Status < 0),
            ["writes"] = writes.Count,
            ["writes_201"] = writes.Count(w => w.Status == 201),
            ["writes_503_busy"] = writes.Count(w => w.Status == 503 && w.Body.Contains("\"busy\"", StringComparison.Ordinal)),
            ["writes_5xx_other"] = writes.Count(w => w.Status >= 500 && !(w.Status == 503 && w.Body.Contains("\"busy\"", StringComparison.Ordinal))),
            ["write_p50_ms"] = Pct(writeLat, 0.50),
            ["write_p99_ms"] = Pct(writeLat, 0.99),
        };
        foreach (var w in writes.Where(w => w.Status is not (201 or 503)).Take(5))
        {
            log("  unexpected write answer " + w.Status.ToString(CultureInfo.InvariantCulture) + ": " + w.Body);
        }

        log(string.Create(CultureInfo.InvariantCulture,
            $"import of {accepted:N0} rows took {importMs / 1000:F1} s ({accepted / (importMs / 1000):F0} rows/s); {lat.Count} checks meanwhile: p50 {result["check_p50_ms"]:F1} ms, p99 {result["check_p99_ms"]:F1} ms, max {result["check_max_ms"]:F1} ms, non-200 {result["checks_non200"]}; {writes.Count} drafts: {result["writes_201"]} × 201, {result["writes_503_busy"]} × 503 busy, {result["writes_5xx_other"]} other 5xx, p50 {result["write_p50_ms"]:F0} ms, p99 {result["write_p99_ms"]:F0} ms"));
        // Alone there are no latencies to report: JSON has no NaN.
        foreach (var k in result.Where(kv => double.IsNaN(kv.Value)).Select(kv => kv.Key).ToList())
        {
            result.Remove(k);
        }

        return result;
    }

    private static JsonObject CheckBody() => new()
    {
        ["scenario"] = Scenario,
        ["subjects"] = new JsonArray(new JsonObject { ["idNumber"] = Issue4.AdultId() }),
    };

    private static JsonObject Draft() => new()
    {
        ["caseNumber"] = "(2024)粤0802执" + Issue4.Next().ToString(CultureInfo.InvariantCulture) + "号",
        ["filingDate"] = "2024-01-05",
        ["basisDocument"] = new JsonObject { ["number"] = "(2023)粤0802民初100号", ["issuer"] = "湛江市赤坎区人民法院" },
        ["obligation"] = "支付货款人民币100000元及利息",
        ["performance"] = new JsonObject { ["performedAmount"] = 0, ["unperformedAmount"] = 100000 },
        ["circumstances"] = new JsonArray("capable-but-refuses"),
        ["subject"] = new JsonObject { ["kind"] = "person", ["name"] = "张三", ["idNumber"] = Issue4.AdultId() },
        ["publicity"] = "public",
    };

    private static double Pct(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(sorted.Count * p) - 1)];
}
