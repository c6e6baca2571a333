using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shixin.Data;
using Shixin.Server.Hosting;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Http;

/// <summary>
/// Issue 11 finding 7: idempotency records never hold a secret (an issued API key) nor a huge answer (a batch's result
/// lines), and are pruned after the retention period.
/// </summary>
public sealed class IdempotencyRecordTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> PostWithKey(HttpClient c, string path, HttpContent content, string key)
    {
        var m = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        m.Headers.Add("Idempotency-Key", key);
        return c.SendCt(m);
    }

    private static StringContent JsonBody(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<List<IdempotencyRow>> RecordsAsync(ShixinServer s)
    {
        await using var db = s.Get<ShixinDatabase>().CreateContext();
        return await db.Idempotency.AsNoTracking().ToListAsync(Ct);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task An_issued_key_is_never_stored_and_a_replay_names_it_without_showing_it(Db db)
    {
        await using var s = await ShixinServer.StartAsync(db);
        var code = Unique("unit-idem-");
        await s.OrganizationAsync("unit", code, "110105", null, "unit.checker");
        var idemKey = Guid.NewGuid().ToString();

        var first = await PostWithKey(s.Admin, "/api/v1/organizations/" + code + "/keys", JsonBody(new { roles = new[] { "unit.checker" } }), idemKey);
        var issued = await first.Json(HttpStatusCode.Created);
        var plaintext = issued["key"].Str();
        var id = issued["id"].Str();
        plaintext.ShouldStartWith("sx_");

        // The retry is told the key was created, with its id, and that it cannot be shown again; no second key is issued.
        var replay = await PostWithKey(s.Admin, "/api/v1/organizations/" + code + "/keys", JsonBody(new { roles = new[] { "unit.checker" } }), idemKey);
        replay.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        var problem = await replay.Problem(409, "idempotent-secret-not-replayable");
        problem["id"].Str().ShouldBe(id);
        problem["detail"].Str().ShouldContain(id);
        problem.ToJsonString().ShouldNotContain(plaintext);
        var listed = await (await s.Admin.GetCt("/api/v1/organizations/" + code + "/keys")).Content.ReadAsStringAsync(Ct);
        JsonNode.Parse(listed)!.AsArray().Count.ShouldBe(2); // the organization's first key and this one
        (await s.Client(plaintext).GetCt("/api/v1/scenarios")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The record keeps what was created, never the key.
        var record = (await RecordsAsync(s)).Single(r => r.Key == idemKey);
        record.Replay.ShouldBe("secret-withheld");
        record.ResponseJson!.ShouldContain(id);
        record.ResponseJson!.ShouldNotContain(plaintext);
        record.ResponseJson!.ShouldNotContain("\"key\"");

        if (db == Db.Sqlite)
        {
            // Nowhere in the database files (main file, WAL, records store): read their bytes as they are on disk.
            var dir = s.Get<ShixinOptions>().DataDirectory;
            var needle = Encoding.UTF8.GetBytes(plaintext);
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                byte[] bytes;
                await using (var f = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    bytes = new byte[f.Length];
                    await f.ReadExactlyAsync(bytes, Ct);
                }

                bytes.AsSpan().IndexOf(needle).ShouldBe(-1, file + " holds the plaintext key");
            }
        }
        else
        {
            await using var dbc = s.Get<ShixinDatabase>().CreateContext();
            var hits = await dbc.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM idempotency WHERE response_json LIKE {0} OR location LIKE {0}",
                "%" + plaintext + "%").SingleAsync(Ct);
            hits.ShouldBe(0);
        }
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_batch_answer_over_the_cap_is_kept_by_reference_and_a_small_one_replays(Db db)
    {
        await using var s = await ShixinServer.StartAsync(db, new Dictionary<string, string?> { ["SHIXIN_IDEMPOTENCY_REPLAY_MAX_BYTES"] = "4096" });
        var unit = await s.OrganizationAsync("unit", Unique("unit-batch-"), "640000", null, "unit.checker");
        const string Path = "/api/v1/checks/batch?scenario=civil-aviation.ticket";

        // 400 lines answer far more than 4 KiB: the answer streams in full, the record keeps only the status and the check id.
        var big = "idNumber\n" + string.Concat(Enumerable.Range(0, 400).Select(_ => AdultId() + "\n"));
        var bigKey = Guid.NewGuid().ToString();
        var first = await PostWithKey(unit, Path, new StringContent(big, Encoding.UTF8, "text/csv"), bigKey);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var checkId = first.Headers.GetValues("X-Check-Id").Single();
        var lines = (await first.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(401);

        var record = (await RecordsAsync(s)).Single(r => r.Key == bigKey);
        record.Replay.ShouldBe("too-large");
        record.ResponseJson.ShouldBeNull();
        record.Reference.ShouldBe(checkId);

        var replay = await PostWithKey(unit, Path, new StringContent(big, Encoding.UTF8, "text/csv"), bigKey);
        var problem = await replay.Problem(409, "idempotent-replay-too-large");
        problem["checkId"].Str().ShouldBe(checkId);
        problem["detail"].Str().ShouldContain("/api/v1/checks/" + checkId);
        (await unit.GetCt("/api/v1/checks/" + checkId)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A small batch replays as it was: the same lines, the same media type.
        var small = "idNumber\n" + AdultId() + "\n" + AdultId() + "\n";
        var smallKey = Guid.NewGuid().ToString();
        var one = await PostWithKey(unit, Path, new StringContent(small, Encoding.UTF8, "text/csv"), smallKey);
        var oneBody = await one.Content.ReadAsStringAsync(Ct);
        one.StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = await PostWithKey(unit, Path, new StringContent(small, Encoding.UTF8, "text/csv"), smallKey);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        again.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        (await again.Content.ReadAsStringAsync(Ct)).ShouldBe(oneBody);
        again.Content.Headers.ContentType!.MediaType.ShouldBe(one.Content.Headers.ContentType!.MediaType);
        one.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
    }

    [Fact]
    public async Task Records_are_pruned_after_the_retention_period()
    {
        var clock = new ShiftedTime();
        await using var s = await ShixinServer.StartAsync(Db.Sqlite,
            new Dictionary<string, string?> { ["SHIXIN_IDEMPOTENCY_RETENTION_HOURS"] = "24", ["SHIXIN_IDEMPOTENCY_PRUNE_SECONDS"] = "0.2" },
            services => services.AddSingleton<TimeProvider>(clock));
        var court = await s.CourtAsync();
        var oldKey = Guid.NewGuid().ToString();
        (await PostWithKey(court.Clerk, "/api/v1/entries", JsonBody(Draft()), oldKey)).StatusCode.ShouldBe(HttpStatusCode.Created);

        // A day and an hour later the old record goes; one made now stays.
        clock.Advance(TimeSpan.FromHours(25));
        var newKey = Guid.NewGuid().ToString();
        (await PostWithKey(court.Clerk, "/api/v1/entries", JsonBody(Draft()), newKey)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await RecordsAsync(s)).Any(r => r.Key == oldKey) && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100, Ct);
        }

        var keys = (await RecordsAsync(s)).Select(r => r.Key).ToList();
        keys.ShouldNotContain(oldKey, "the background pruner removed the record older than 24 h");
        keys.ShouldContain(newKey);

        // Within the retention period the key is still taken (another body is refused); the pruned one is free again.
        await PostWithKey(court.Clerk, "/api/v1/entries", JsonBody(Draft()), newKey).Problem(409, "idempotency-key-reused");
        (await PostWithKey(court.Clerk, "/api/v1/entries", JsonBody(Draft()), oldKey)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}
