using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Shixin.Server.Ops;

/// <summary>
/// The platform's instruments on <see cref="System.Diagnostics.Metrics"/>, exported at /metrics by OpenTelemetry's
/// Prometheus exporter. The metric names are the ones the hand-written writer used (dashboards keep working); each series
/// now also carries the exporter's <c>otel_scope_name="Shixin"</c> label.
/// </summary>
public sealed class ShixinMetrics : IDisposable
{
    public const string MeterName = "Shixin";

    /// <summary>The latency buckets the hand-written histogram had (seconds).</summary>
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<string, ObservableGauge<double>> _gauges = new(StringComparer.Ordinal);
    private readonly Counter<long> _checks;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _latency;
    private long _ledgerSequence;

    public ShixinMetrics()
    {
        // One meter per platform instance, not a static one: tests run several servers in one process, and each server's
        // exporter takes only its own meter (see AddShixinMetrics).
        Meter = new Meter(MeterName);
        Meter.CreateObservableGauge("shixin_ledger_sequence", () => (double)LedgerSequence, description: "Last list sequence committed through this node.");
        _checks = Meter.CreateCounter<long>("shixin_checks_total", description: "Checked subjects by scenario and outcome.");
        _requests = Meter.CreateCounter<long>("shixin_http_requests_total", description: "HTTP requests by method, route and status.");
        _latency = Meter.CreateHistogram("shixin_http_request_duration_seconds", unit: "s", description: "HTTP request latency.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    public Meter Meter { get; }

    /// <summary>Counts one checked subject by scenario and outcome.</summary>
    public void Check(string scenario, string outcome, long count = 1) =>
        _checks.Add(count, new KeyValuePair<string, object?>("scenario", scenario), new KeyValuePair<string, object?>("outcome", outcome));

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
        var m = new KeyValuePair<string, object?>("method", method);
        var r = new KeyValuePair<string, object?>("route", route);
        _requests.Add(1, m, r, new KeyValuePair<string, object?>("status", status));
        _latency.Record(seconds, m, r);
    }

    /// <summary>Registers a gauge without labels, read at scrape time (later features add their own).</summary>
    public void Gauge(string name, string help, Func<double> read) =>
        _gauges.GetOrAdd(name, n => Meter.CreateObservableGauge(n, () => read(), description: help));

    /// <summary>Registers a gauge family with one label, read at scrape time: one series per label value.</summary>
    public void Gauge(string name, string help, string label, Func<IEnumerable<(string Value, double Reading)>> read) =>
        _gauges.GetOrAdd(name, n => Meter.CreateObservableGauge(n,
            () => read().Select(x => new Measurement<double>(x.Reading, new KeyValuePair<string, object?>(label, x.Value))), description: help));

    public void Dispose() => Meter.Dispose();
}

/// <summary>OpenTelemetry's metrics pipeline for the platform's meter, and its Prometheus scraping endpoint.</summary>
public static class MetricsSetup
{
    public static IServiceCollection AddShixinMetrics(this IServiceCollection services)
    {
        services.AddSingleton<ShixinMetrics>();
        // target_info names the service "shixin" rather than the exporter's "unknown_service:Shixin.Server".
        services.AddOpenTelemetry().ConfigureResource(r => r.AddService("shixin")).WithMetrics(metrics =>
        {
            metrics.AddMeter(ShixinMetrics.MeterName);
            // Only this instance's meter: meters are process-wide, and another platform in the same process (tests) has
            // a meter of the same name.
            ((IDeferredMeterProviderBuilder)metrics).Configure((sp, b) =>
            {
                var mine = sp.GetRequiredService<ShixinMetrics>().Meter;
                b.AddView(instrument => ReferenceEquals(instrument.Meter, mine) ? null : MetricStreamConfiguration.Drop);
            });
            // A scrape reads the instruments now: no cached answer, so a counter read after a request includes it.
            metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
        });
        return services;
    }
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
