// Each call runs against a server this test owns and disposes.
#pragma warning disable xUnit1051
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Shixin.Data;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Bench;

/// <summary>
/// The audit trail's size per million checks (issue 11, "Done when"): N single checks of one subject each over real
/// HTTP, the trail's growth measured on disk (SQLite: used pages of records.db after a
/// checkpoint, less free pages — the file holds nothing else; PostgreSQL: pg_total_relation_size, heap + indexes + TOAST). Explicit: a measurement, run by hand with
/// <c>dotnet test tests/Shixin.Server.Tests --filter "FullyQualifiedName~AuditSizeBench" -- xUnit.Explicit=only</c>
/// (SHIXIN_AUDIT_BENCH_CHECKS sets N, default 10,000). It asserts only that every check answered and left exactly
/// one trail record, never a size or a time.
/// </summary>
public sealed class AuditSizeBench(ITestOutputHelper output)
{
    private const string Scenario = "civil-aviation.ticket";

    [Theory(Explicit = true)]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Audit_trail_bytes_per_single_check(Db db)
    {
        var n = int.Parse(Environment.GetEnvironmentVariable("SHIXIN_AUDIT_BENCH_CHECKS") ?? "10000", CultureInfo.InvariantCulture);
        await using var s = await ShixinServer.StartAsync(db);
        var court = await s.CourtAsync();
        var unit = await s.OrganizationAsync("unit", Unique("unit-"), "640000", null, "unit.checker");

        // About one check in a hundred hits a listed subject (a hit record also carries entry numbers).
        var listed = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var id = AdultId();
            await court.ListedAsync(Draft(Person(id)));
            listed.Add(id);
        }

        // Warm up (and let the index take the listings) before the baseline.
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, ct) =>
        {
            using var r = await unit.PostAsJsonAsync("/api/v1/checks", new { scenario = Scenario, subjects = new[] { new { idNumber = AdultId() } } }, ct);
            r.EnsureSuccessStatusCode();
        });
        await Task.Delay(1500);

        var store = s.Get<ShixinDatabase>().Records;
        var (rows0, bytes0) = await SizeAsync(store);
        var outcomes = new ConcurrentDictionary<string, int>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var id = i % 100 == 0 ? listed[(i / 100) % listed.Count] : AdultId();
            using var r = await unit.PostAsJsonAsync("/api/v1/checks", new { scenario = Scenario, subjects = new[] { new { idNumber = id } } }, ct);
            r.StatusCode.ShouldBe(HttpStatusCode.OK);
            var body = await r.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(ct);
            outcomes.AddOrUpdate(body!["results"]![0]!["outcome"]!.GetValue<string>(), 1, (_, c) => c + 1);
        });
        var seconds = started.Elapsed.TotalSeconds;
        var (rows1, bytes1) = await SizeAsync(store);

        var perCheck = (double)(bytes1 - bytes0) / n;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{db}: {n} single checks in {seconds:F1} s ({string.Join(", ", outcomes.Select(o => o.Key + "×" + o.Value))}); trail rows +{rows1 - rows0}; "
            + $"trail bytes {bytes0} → {bytes1} (+{bytes1 - bytes0}); {perCheck:F1} bytes per check; {perCheck * 1_000_000 / (1 << 20):F0} MiB per million checks"));
        (rows1 - rows0).ShouldBe(n, "one trail record per single check of one subject");
    }

    /// <summary>Rows and on-disk bytes of audit_trail with its indexes.</summary>
    private static async Task<(long Rows, long Bytes)> SizeAsync(RecordsStore store)
    {
        if (store.Provider == DatabaseProvider.Sqlite)
        {
            await using var c = new SqliteConnection(store.ConnectionString);
            await c.OpenAsync();
            await Exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            var rows = await Scalar(c, "SELECT count(*) FROM audit_trail");
            // records.db holds only the trail (and its one-row schema table): its used pages are the trail's size.
            var bytes = (await Scalar(c, "PRAGMA page_count") - await Scalar(c, "PRAGMA freelist_count")) * await Scalar(c, "PRAGMA page_size");
            return (rows, bytes);
        }

        await using var p = new NpgsqlConnection(store.ConnectionString);
        await p.OpenAsync();
        return (await Scalar(p, "SELECT count(*) FROM audit_trail"), await Scalar(p, "SELECT pg_total_relation_size('audit_trail')"));
    }

    private static async Task Exec(System.Data.Common.DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<long> Scalar(System.Data.Common.DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
