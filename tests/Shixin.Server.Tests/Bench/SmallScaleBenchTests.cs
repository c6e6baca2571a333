using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shixin.Bench;
using Shixin.Server.Units;

namespace Shixin.Server.Tests.Bench;

/// <summary>
/// The benchmark suite at 100,000 subjects, Shixin only (no wrk, pgbench or Redis): the generator, the SQLite load
/// in the server's schema, the in-process measurements, and the real server answering from the generated database.
/// Asserts that figures come out and answers are right, never how fast anything is.
/// </summary>
/// <summary>Runs alone: its heap-delta figures measure the whole process, so other tests must not allocate meanwhile.</summary>
[CollectionDefinition(nameof(SmallScaleBenchTests), DisableParallelization = true)]
public sealed class SmallScaleBenchCollection;

[Collection(nameof(SmallScaleBenchTests))]
public sealed class SmallScaleBenchTests
{
    [Fact]
    public async Task Small_scale_run_produces_figures_and_the_server_answers_from_the_generated_database()
    {
        var dir = Path.Combine(Path.GetTempPath(), "shixin-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var result = await Suite.PrepareAsync(new PrepareOptions
            {
                OutDirectory = dir,
                Shape = new ListShape { Subjects = 100_000, RelatedPersons = 20_000 },
                BatchLines = 20_000,
                ProbeSubjects = 2_000,
                AdminKey = ShixinServer.AdminKey,
                UnitKey = "bench-test-unit-key-0123456789",
                MeasureSeconds = 0.1,
                DeltaEvents = 20_000,
            });

            var p = result.InProcess;
            p.Entries.ShouldBe(100_000);
            p.IndexKeys.ShouldBeGreaterThan(120_000);
            p.KnownMistakes.ShouldBe(0);
            p.KnownHitsChecked.ShouldBeGreaterThan(0);
            p.KnownMissesChecked.ShouldBeGreaterThan(0);
            p.IndexBytesPerKey.ShouldBeGreaterThan(0);
            p.Lookups1Thread.ShouldBeGreaterThan(0);
            p.Lookups2Threads.ShouldBeGreaterThan(0);
            p.DictionaryLookups1Thread.ShouldBeGreaterThan(0);
            p.DictionaryHeapBytesPerKey.ShouldBeGreaterThan(0);
            p.DeltaEvents.ShouldBe(20_000);
            result.Sqlite.ShouldNotBeNull().Entries.ShouldBe(100_000);
            File.Exists(Path.Combine(dir, "results", "inprocess.json")).ShouldBeTrue();
            File.ReadLines(Path.Combine(dir, "batch.csv")).Count().ShouldBe(20_001);

            // The real server loads the generated database and answers known hits and misses.
            await using var server = await ShixinServer.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["SHIXIN_DATA_DIR"] = Path.Combine(dir, "data") });
            var follower = server.Get<IndexFollower>();
            await follower.Loaded.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
            follower.Index.KeyCount.ShouldBe(p.IndexKeys);

            var probe = File.ReadLines(Path.Combine(dir, "probe.tsv")).Select(l => l.Split('\t')).ToArray();
            var hit = probe.First(l => l[2] == "hit" && l[0] == "idNumber");
            var miss = probe.First(l => l[2] == "miss" && l[0] == "idNumber");
            var unit = server.Client("bench-test-unit-key-0123456789");
            var response = await unit.PostAsJsonAsync("/api/v1/checks", new
            {
                scenario = "civil-aviation.ticket",
                subjects = new[] { new { idNumber = hit[1] }, new { idNumber = miss[1] } },
            }, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
            var results = body["results"]!.AsArray();
            results[0]!["matches"]!.AsArray().Count.ShouldBeGreaterThan(0);
            results[1]!["outcome"]!.GetValue<string>().ShouldBe("clear");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
