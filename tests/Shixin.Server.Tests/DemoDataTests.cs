using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shixin.Server.Hosting;

namespace Shixin.Server.Tests;

/// <summary>--demo fills an empty list through the real state machine, once.</summary>
public sealed class DemoDataTests
{
    private static readonly string[] Statuses = ["draft", "noticed", "listed", "shielded", "revoked", "deleted", "expired"];

    [Fact]
    public Task DemoData_Sqlite() => RunAsync(Db.Sqlite);

    [Fact]
    public Task DemoData_Postgres() => RunAsync(Db.Postgres);

    private static async Task RunAsync(Db db)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "shixin-demo-test-" + Guid.NewGuid().ToString("N")[..10]);
        var settings = new Dictionary<string, string?> { ["SHIXIN_DEMO"] = "true", ["SHIXIN_DATA_DIR"] = dataDir };
        try
        {
            Dictionary<string, int> first;
            string? postgres;
            await using (var server = await ShixinServer.StartAsync(db, settings))
            {
                // The main demo court's key sees its own listed entries.
                var court = server.Client(DemoData.CourtKey(DemoData.MainCourt));
                var listed = await court.GetFromJsonAsync<JsonObject>("/api/v1/entries?status=listed&limit=10", ShixinServer.Json);
                listed!["items"]!.AsArray().Count.ShouldBeGreaterThan(0);
                foreach (var item in listed["items"]!.AsArray())
                {
                    item!["status"]!.GetValue<string>().ShouldBe("listed");
                }

                // A clerk-only key may read but not decide; a unit key is not a court.
                (await server.Client("demo-" + DemoData.MainCourt + "-clerk").GetAsync("/api/v1/entries?limit=1")).StatusCode.ShouldBe(HttpStatusCode.OK);
                (await server.Client(DemoData.UnitKey("unit-travelsky")).GetAsync("/api/v1/entries?limit=1")).StatusCode.ShouldNotBe(HttpStatusCode.OK);

                postgres = server.Get<ShixinOptions>().PostgresConnectionString;
                first = await CountAsync(server);
                foreach (var s in Statuses)
                {
                    first.GetValueOrDefault(s).ShouldBeGreaterThan(0, "status " + s);
                }

                first.Values.Sum().ShouldBe(DemoData.EntryCount);

                // The keys file lists every key, one per line after the comment header.
                var keys = (await File.ReadAllLinesAsync(Path.Combine(dataDir, DemoData.KeysFileName)))
                    .Where(l => !l.StartsWith('#') && l.Length > 0).ToList();
                keys.Count.ShouldBe(DemoData.Keys.Length);
                keys.ShouldContain(l => l.StartsWith(DemoData.CourtKey(DemoData.MainCourt) + "\tcourt.clerk,court.judge\t", StringComparison.Ordinal));

                // Entries carry open duties: an overdue correction review and an overdue exit after full performance.
                var overdue = new HashSet<string>(StringComparer.Ordinal);
                string? cursor = null;
                do
                {
                    var page = await court.GetFromJsonAsync<JsonObject>("/api/v1/entries?status=listed&limit=200" + (cursor is null ? "" : "&cursor=" + cursor), ShixinServer.Json);
                    foreach (var item in page!["items"]!.AsArray())
                    {
                        var entry = await court.GetFromJsonAsync<JsonObject>("/api/v1/entries/" + item!["id"]!.GetValue<string>(), ShixinServer.Json);
                        foreach (var d in entry!["obligations"]?.AsArray() ?? [])
                        {
                            if (string.Equals(d!["status"]?.GetValue<string>(), "overdue", StringComparison.Ordinal))
                            {
                                overdue.Add(d["code"]!.GetValue<string>());
                            }
                        }
                    }

                    cursor = page["next"]?.GetValue<string>();
                }
                while (cursor is not null);
                overdue.ShouldContain("court.review-correction");
                overdue.ShouldContain("court.exit-after-performance");
            }

            // A second start on the same data does not load again.
            var again = new Dictionary<string, string?>(settings);
            if (db == Db.Postgres)
            {
                again["SHIXIN_POSTGRES"] = postgres;
            }

            await using (var server = await ShixinServer.StartAsync(db, again))
            {
                (await CountAsync(server)).ShouldBe(first);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private static async Task<Dictionary<string, int>> CountAsync(ShixinServer server)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var court in DemoData.Courts)
        {
            string? cursor = null;
            do
            {
                var page = await server.Admin.GetFromJsonAsync<JsonObject>("/api/v1/entries?limit=200&court=" + court.Code + (cursor is null ? "" : "&cursor=" + cursor), ShixinServer.Json);
                foreach (var item in page!["items"]!.AsArray())
                {
                    var s = item!["status"]!.GetValue<string>();
                    counts[s] = counts.GetValueOrDefault(s) + 1;
                }

                cursor = page["next"]?.GetValue<string>();
            }
            while (cursor is not null);
        }

        return counts;
    }
}
