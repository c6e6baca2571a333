using System.Globalization;
using System.Net;
using Shixin.Server.Tests.Ops;
using static Shixin.Server.Tests.Units.ScreeningWorld;

namespace Shixin.Server.Tests.Units;

/// <summary>/metrics carries the index gauges and check counters; /readyz answers once the index is loaded.</summary>
public sealed partial class OpsTests(WorldFixture worlds) : IClassFixture<WorldFixture>
{
    private static double Sample(string metrics, string name) => PromText.Value(metrics, name);

    private static double FlightBlocks(string metrics) =>
        PromText.Value(metrics, "shixin_checks_total", ("scenario", "civil-aviation.ticket"), ("outcome", "block"));

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Metrics_CarryIndexGaugesAndCheckCounters(Db db)
    {
        var w = await worlds.GetAsync(db);
        var id = w.NewPersonId();
        await w.ListAsync(Person(id));
        var head = await w.CaughtUpAsync();
        (await CheckOneAsync(w.Ningxia, "civil-aviation.ticket", new { idNumber = id }))["outcome"]!.GetValue<string>().ShouldBe("block");
        (await CheckOneAsync(w.Ningxia, "civil-aviation.ticket", new { idNumber = w.NewPersonId() }))["outcome"]!.GetValue<string>().ShouldBe("clear");

        using var anonymous = w.Server.Client();
        var metrics = await anonymous.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Sample(metrics, "shixin_index_keys").ShouldBeGreaterThanOrEqualTo(1);
        Sample(metrics, "shixin_index_sequence").ShouldBe(head);
        Sample(metrics, "shixin_index_lag").ShouldBe(0);
        Sample(metrics, "shixin_entry_cards").ShouldBeGreaterThanOrEqualTo(1);
        Sample(metrics, "shixin_entry_cards_bytes").ShouldBeGreaterThan(0);
        var blocks = FlightBlocks(metrics);
        blocks.ShouldBeGreaterThanOrEqualTo(1);
        PromText.Has(metrics, "shixin_checks_total", ("scenario", "civil-aviation.ticket"), ("outcome", "clear")).ShouldBeTrue(metrics);

        // The counter counts.
        await CheckOneAsync(w.Ningxia, "civil-aviation.ticket", new { idNumber = id });
        FlightBlocks(await anonymous.GetStringAsync("/metrics", TestContext.Current.CancellationToken)).ShouldBe(blocks + 1);
    }

    /// <summary>Every metric the hand-written writer had, by name and type: dashboards keep working.</summary>
    private static readonly (string Name, string Type)[] KeptNames =
    [
        ("shixin_ledger_sequence", "gauge"), ("shixin_calendar_covered_until", "gauge"), ("shixin_list_entries", "gauge"),
        ("shixin_list_screened", "gauge"), ("shixin_index_keys", "gauge"), ("shixin_index_sequence", "gauge"), ("shixin_index_lag", "gauge"),
        ("shixin_index_bytes", "gauge"), ("shixin_entry_cards", "gauge"), ("shixin_entry_cards_bytes", "gauge"),
        ("shixin_checks_total", "counter"), ("shixin_http_requests_total", "counter"), ("shixin_http_request_duration_seconds", "histogram"),
    ];

    [Fact]
    public async Task Metrics_pass_promtool_and_keep_every_metric_name()
    {
        var w = await worlds.GetAsync(Db.Sqlite);
        var id = w.NewPersonId();
        await w.ListAsync(Person(id));
        await w.CaughtUpAsync();
        (await CheckOneAsync(w.Ningxia, "civil-aviation.ticket", new { idNumber = id }))["outcome"]!.GetValue<string>().ShouldBe("block");
        using var anonymous = w.Server.Client();
        using var response = await anonymous.GetAsync("/metrics", TestContext.Current.CancellationToken);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        // The exposition format, read strictly here whether or not promtool is installed.
        var samples = PromText.Parse(text);
        foreach (var (name, type) in KeptNames)
        {
            text.ShouldContain("# TYPE " + name + " " + type + "\n", customMessage: text);
            samples.ShouldContain(s => s.Name == name || s.Name == name + "_count", name);
        }

        // The exporter's resource series names the service.
        PromText.Has(text, "target_info", ("service_name", "shixin")).ShouldBeTrue(text);

        // Prometheus's own linter (Debian package prometheus; .ci/run installs it).
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        Assert.SkipWhen(promtool is null, "promtool is not installed (apt-get install prometheus); the format was checked by PromText only");
        var start = new System.Diagnostics.ProcessStartInfo(promtool!, "check metrics")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)
            + await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.ExitCode.ShouldBe(0, output);
        output.Trim().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Readyz_Is200_OnceTheIndexIsLoaded(Db db)
    {
        var w = await worlds.GetAsync(db);
        w.Follower.IsLoaded.ShouldBeTrue();
        using var anonymous = w.Server.Client();
        var response = await anonymous.GetAsync("/readyz", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        (await anonymous.GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
