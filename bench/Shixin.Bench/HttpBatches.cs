using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Shixin.Bench;

/// <summary>1,000-subject batches over HTTP: as 10 concurrent <c>/checks</c> requests of 100, and as one 1,000-line <c>/checks/batch</c>.</summary>
public static class HttpBatches
{
    public static async Task<Dictionary<string, double>> RunAsync(string baseUrl, string key, string scenario, string probePath, int rounds)
    {
        var lines = File.ReadAllLines(probePath).Select(l => l.Split('\t')).ToArray();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 16, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var split = new List<double>();
        var batch = new List<double>();
        int offset = 0;
        for (int r = -3; r < rounds; r++)
        {
            var chunk = Enumerable.Range(0, 1000).Select(i => lines[(offset + i) % lines.Length]).ToArray();
            offset += 1000;

            // 10 × 100 subjects, sent concurrently.
            var bodies = Enumerable.Range(0, 10).Select(p => JsonSerializer.Serialize(new
            {
                scenario,
                reference = "bench",
                subjects = chunk.Skip(p * 100).Take(100).Select(l => new Dictionary<string, string> { [l[0]] = l[1] }).ToArray(),
            })).ToArray();
            var watch = Stopwatch.StartNew();
            var responses = await Task.WhenAll(bodies.Select(b => http.PostAsync("/api/v1/checks", new StringContent(b, Encoding.UTF8, "application/json"))));
            foreach (var resp in responses)
            {
                await resp.Content.ReadAsByteArrayAsync();
                resp.EnsureSuccessStatusCode();
                resp.Dispose();
            }

            if (r >= 0)
            {
                split.Add(watch.Elapsed.TotalMilliseconds);
            }

            // The same 1,000 as one CSV batch.
            var csv = new StringBuilder("idNumber,creditCode,organizationCode,passport\n");
            foreach (var l in chunk)
            {
                int col = l[0] switch { "idNumber" => 0, "creditCode" => 1, "organizationCode" => 2, _ => 3 };
                csv.Append(',', col).Append(l[1]).Append(',', 3 - col).Append('\n');
            }

            watch.Restart();
            using (var resp = await http.PostAsync("/api/v1/checks/batch?scenario=" + scenario, new StringContent(csv.ToString(), Encoding.UTF8, "text/csv")))
            {
                await resp.Content.ReadAsByteArrayAsync();
                resp.EnsureSuccessStatusCode();
            }

            if (r >= 0)
            {
                batch.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return new Dictionary<string, double>
        {
            ["rounds"] = rounds,
            ["split_p50_ms"] = Percentile(split, 0.5),
            ["split_p99_ms"] = Percentile(split, 0.99),
            ["split_subjects_per_s"] = 1000.0 * split.Count / (split.Sum() / 1000.0),
            ["batch_p50_ms"] = Percentile(batch, 0.5),
            ["batch_p99_ms"] = Percentile(batch, 0.99),
            ["batch_subjects_per_s"] = 1000.0 * batch.Count / (batch.Sum() / 1000.0),
        };
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    internal static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
