using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Shixin.Server.Ops;

/// <summary>Counters and gauges exposed at /metrics in the Prometheus text format.</summary>
public sealed class ShixinMetrics
{
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    // Counters are cells updated with Interlocked, never AddOrUpdate: a bucket lock per request is a point of contention.
    private readonly ConcurrentDictionary<(string Method, string Route, int Status), long[]> _requests = new();
    private readonly ConcurrentDictionary<string, long[]> _latency = new(StringComparer.Ordinal); // buckets, then the sum in ticks
    private readonly ConcurrentDictionary<(string Method, string Route), string> _latencyKeys = new();
    private readonly ConcurrentDictionary<string, Func<IEnumerable<(string Labels, double Value)>>> _gauges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _help = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Scenario, string Outcome), long[]> _checks = new();
    private long _ledgerSequence;

    /// <summary>Counts one checked subject by scenario and outcome.</summary>
    public void Check(string scenario, string outcome, long count = 1) => Interlocked.Add(ref _checks.GetOrAdd((scenario, outcome), _ => new long[1])[0], count);

    public long LedgerSequence => Interlocked.Read(ref _ledgerSequence);

    public void LedgerCommitted(long head)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _ledgerSequence);
        }
        while (head > seen && Interlocked.CompareExchange(ref _ledgerSequence, head, seen) != seen);
    }

    public void Request(string method, string route, int status, double seconds)
    {
        Interlocked.Increment(ref _requests.GetOrAdd((method, route, status), _ => new long[1])[0]);
        var key = _latencyKeys.GetOrAdd((method, route), k => k.Method + " " + k.Route);
        var counts = _latency.GetOrAdd(key, _ => new long[Buckets.Length + 2]);
        var i = 0;
        while (i < Buckets.Length && seconds > Buckets[i])
        {
            i++;
        }

        Interlocked.Increment(ref counts[i]);
        Interlocked.Add(ref counts[Buckets.Length + 1], TimeSpan.FromSeconds(seconds).Ticks);
    }

    /// <summary>Registers a gauge family read at scrape time (later features add their own).</summary>
    public void Gauge(string name, string help, Func<IEnumerable<(string Labels, double Value)>> read)
    {
        _gauges[name] = read;
        _help[name] = help;
    }

    public string Render()
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append("# HELP shixin_ledger_sequence Last list sequence committed through this node.\n# TYPE shixin_ledger_sequence gauge\n");
        sb.Append(inv, $"shixin_ledger_sequence {LedgerSequence}\n");
        foreach (var (name, read) in _gauges.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.Append(inv, $"# HELP {name} {_help[name]}\n# TYPE {name} gauge\n");
            foreach (var (labels, value) in read())
            {
                sb.Append(name).Append(labels.Length > 0 ? "{" + labels + "}" : "").Append(' ').Append(value.ToString("R", inv)).Append('\n');
            }
        }

        sb.Append("# HELP shixin_checks_total Checked subjects by scenario and outcome.\n# TYPE shixin_checks_total counter\n");
        foreach (var ((scenario, outcome), count) in _checks.OrderBy(c => c.Key.Scenario, StringComparer.Ordinal).ThenBy(c => c.Key.Outcome, StringComparer.Ordinal))
        {
            sb.Append(inv, $"shixin_checks_total{{scenario=\"{Escape(scenario)}\",outcome=\"{outcome}\"}} {Interlocked.Read(ref count[0])}\n");
        }

        sb.Append("# HELP shixin_http_requests_total HTTP requests by method, route and status.\n# TYPE shixin_http_requests_total counter\n");
        foreach (var ((method, route, status), count) in _requests.OrderBy(r => r.Key.Route, StringComparer.Ordinal))
        {
            sb.Append(inv, $"shixin_http_requests_total{{method=\"{method}\",route=\"{Escape(route)}\",status=\"{status}\"}} {Interlocked.Read(ref count[0])}\n");
        }

        sb.Append("# HELP shixin_http_request_duration_seconds HTTP request latency.\n# TYPE shixin_http_request_duration_seconds histogram\n");
        foreach (var (key, counts) in _latency.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var sp = key.IndexOf(' ', StringComparison.Ordinal);
            var labels = $"method=\"{key[..sp]}\",route=\"{Escape(key[(sp + 1)..])}\"";
            long cumulative = 0;
            for (var i = 0; i < Buckets.Length; i++)
            {
                cumulative += Interlocked.Read(ref counts[i]);
                sb.Append(inv, $"shixin_http_request_duration_seconds_bucket{{{labels},le=\"{Buckets[i].ToString(inv)}\"}} {cumulative}\n");
            }

            cumulative += Interlocked.Read(ref counts[Buckets.Length]);
            sb.Append(inv, $"shixin_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {cumulative}\n");
            sb.Append(inv, $"shixin_http_request_duration_seconds_sum{{{labels}}} {TimeSpan.FromTicks(Interlocked.Read(ref counts[Buckets.Length + 1])).TotalSeconds.ToString("R", inv)}\n");
            sb.Append(inv, $"shixin_http_request_duration_seconds_count{{{labels}}} {cumulative}\n");
        }

        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}

/// <summary>Counts and times every request by its route template.</summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, ShixinMetrics metrics)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.Request(context.Request.Method, route, context.Response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }
}
