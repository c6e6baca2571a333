using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Courts;

/// <summary>
/// Issue 11 F4: an import must not stop checks, nor make other courts' writes fail. Runs an import big enough to take
/// seconds while a unit checks and another court drafts entries, on both databases: every check answers while the import
/// runs (none waits for it to finish) and no write answers 500 (503 busy with Retry-After at worst).
/// </summary>
public sealed class ImportAlongsideTests(ITestOutputHelper output)
{
    private const string Scenario = "civil-aviation.ticket";

    [Theory]
    [InlineData(Db.Sqlite, 6_000)]
    [InlineData(Db.Postgres, 4_000)]
    public async Task Checks_and_writes_go_on_while_an_import_runs(Db db, int rows)
    {
        // A short ledger wait makes the busy answer reachable within the test: a write that cannot get the ledger in 1 s is told to retry.
        await using var s = await ShixinServer.StartAsync(db, new Dictionary<string, string?> { ["SHIXIN_LEDGER_WAIT_SECONDS"] = "1" });
        var importer = await s.CourtAsync();
        var other = await s.CourtAsync();
        var unit = await s.OrganizationAsync("unit", Unique("unit-"), "640000", null, "unit.checker");

        var watch = Stopwatch.StartNew();
        var import = Task.Run(() => importer.Judge.PostCt("/api/v1/entries/import", new LargeImportTests.GeneratedCsv(rows, Today)));
        var checks = new ConcurrentBag<(double Start, double Ms, HttpStatusCode Status)>();
        var writes = new ConcurrentBag<(HttpStatusCode Status, string Body, bool RetryAfter)>();

        async Task CheckLoop()
        {
            while (!import.IsCompleted)
            {
                var start = watch.Elapsed.TotalMilliseconds;
                using var r = await unit.PostAsJsonAsync("/api/v1/checks", new { scenario = Scenario, subjects = new[] { new { idNumber = AdultId() } } }, TestContext.Current.CancellationToken);
                checks.Add((start, watch.Elapsed.TotalMilliseconds - start, r.StatusCode));
                await Task.Delay(5, TestContext.Current.CancellationToken);
            }
        }

        async Task WriteLoop()
        {
            while (!import.IsCompleted)
            {
                using var r = await other.Clerk.PostJson("/api/v1/entries", Draft(Person(AdultId())));
                writes.Add((r.StatusCode, await r.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), r.Headers.RetryAfter is not null));
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }

        await Task.WhenAll(CheckLoop(), CheckLoop(), WriteLoop());
        using var response = await import;
        var importMs = watch.Elapsed.TotalMilliseconds;
        var result = await response.Json(HttpStatusCode.OK);
        result["accepted"]!.GetValue<long>().ShouldBe(rows);

        var latencies = checks.Select(c => c.Ms).Order().ToArray();
        var p99 = latencies[(int)Math.Ceiling(latencies.Length * 0.99) - 1];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{db}: import of {rows} rows took {importMs / 1000:F1} s; {checks.Count} checks meanwhile, p50 {latencies[latencies.Length / 2]:F0} ms, p99 {p99:F0} ms, max {latencies[^1]:F0} ms; {writes.Count} writes: {string.Join(", ", writes.GroupBy(w => (int)w.Status).Select(g => g.Key.ToString(CultureInfo.InvariantCulture) + "×" + g.Count().ToString(CultureInfo.InvariantCulture)))}"));

        checks.ShouldAllBe(c => c.Status == HttpStatusCode.OK);
        // Checks kept answering all through the import (before the fix one check waited for the whole import on SQLite).
        checks.Count.ShouldBeGreaterThan(10);
        checks.Count(c => c.Start + c.Ms < importMs * 0.5).ShouldBeGreaterThan(0, "checks answered in the first half of the import");
        latencies[^1].ShouldBeLessThan(importMs * 0.5, "no check waited for the import to finish");
        p99.ShouldBeLessThan(2000);

        // No write failed: created, or told to come back (503 busy with Retry-After); never 500.
        writes.ShouldNotBeEmpty();
        foreach (var w in writes)
        {
            if (w.Status != HttpStatusCode.Created)
            {
                w.Status.ShouldBe(HttpStatusCode.ServiceUnavailable, w.Body);
                w.Body.ShouldContain("\"code\":\"busy\"");
                w.RetryAfter.ShouldBeTrue();
            }
        }

        writes.ShouldContain(w => w.Status == HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_slow_import_body_holds_nothing()
    {
        await using var s = await ShixinServer.StartAsync(Db.Sqlite);
        var importer = await s.CourtAsync();
        var other = await s.CourtAsync();
        var unit = await s.OrganizationAsync("unit", Unique("unit-"), "640000", null, "unit.checker");

        // About 300 bytes every 50 ms: the body takes some 3 s to arrive.
        var import = Task.Run(() => importer.Judge.PostCt("/api/v1/entries/import", new LargeImportTests.GeneratedCsv(60, Today, TimeSpan.FromMilliseconds(50))));
        await Task.Delay(500, TestContext.Current.CancellationToken);
        import.IsCompleted.ShouldBeFalse();

        // While the body trickles in, another court writes and a unit checks, each at once.
        var watch = Stopwatch.StartNew();
        await other.Clerk.PostJson("/api/v1/entries", Draft(Person(AdultId()))).Created();
        var check = await unit.PostAsJsonAsync("/api/v1/checks", new { scenario = Scenario, subjects = new[] { new { idNumber = AdultId() } } }, TestContext.Current.CancellationToken);
        check.StatusCode.ShouldBe(HttpStatusCode.OK);
        watch.Stop();
        import.IsCompleted.ShouldBeFalse("the write and the check answered while the body was still arriving");
        watch.ElapsedMilliseconds.ShouldBeLessThan(2000);

        var result = await (await import).Json(HttpStatusCode.OK);
        result["accepted"]!.GetValue<long>().ShouldBe(60);
    }

    [Fact]
    public async Task An_import_over_the_size_limit_is_refused_with_413()
    {
        await using var s = await ShixinServer.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["SHIXIN_IMPORT_MAX_BYTES"] = "20000" });
        var court = await s.CourtAsync();

        // Sent without a length (generated while sent): the server counts the bytes as they come.
        var problem = await (await court.Judge.PostCt("/api/v1/entries/import", new LargeImportTests.GeneratedCsv(200, Today))).Problem(413, "payload-too-large");
        problem["detail"].Str().ShouldContain("SHIXIN_IMPORT_MAX_BYTES");

        // Nothing of it reached the ledger; a small file still imports.
        (await court.Clerk.GetCt("/api/v1/entries?limit=5").Ok())["items"]!.AsArray().ShouldBeEmpty();
        (await (await court.Judge.PostCt("/api/v1/entries/import", new LargeImportTests.GeneratedCsv(20, Today))).Json(HttpStatusCode.OK))["accepted"]!
            .GetValue<long>().ShouldBe(20);
    }
}
