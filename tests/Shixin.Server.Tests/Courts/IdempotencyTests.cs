using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Courts;

/// <summary>Idempotency-Key on writes: a replay returns the first response and changes nothing.</summary>
public sealed class IdempotencyTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    private static Task<HttpResponseMessage> Post(HttpClient c, string path, JsonNode body, string key)
    {
        var m = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        m.Headers.Add("Idempotency-Key", key);
        return c.SendCt(m);
    }

    private static async Task<int> CountAsync(HttpClient c) => (await c.GetCt("/api/v1/entries?limit=500").Ok())["items"]!.AsArray().Count;

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_replayed_draft_returns_the_first_response_and_creates_nothing(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var body = Draft();
        var key = Guid.NewGuid().ToString();

        var first = await Post(court.Clerk, "/api/v1/entries", body, key);
        var firstBody = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        first.StatusCode.ShouldBe(HttpStatusCode.Created, firstBody);
        first.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();

        var replay = await Post(court.Clerk, "/api/v1/entries", body, key);
        var replayBody = await replay.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        replay.StatusCode.ShouldBe(HttpStatusCode.Created, replayBody);
        replay.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        replay.Headers.Location.ShouldBe(first.Headers.Location);
        replayBody.ShouldBe(firstBody);
        replay.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        (await CountAsync(court.Clerk)).ShouldBe(1);

        // The same key with another body is refused and writes nothing.
        var other = Draft();
        await Post(court.Clerk, "/api/v1/entries", other, key).Problem(409, "idempotency-key-reused");
        (await CountAsync(court.Clerk)).ShouldBe(1);

        // Keys are per organization: another court's identical key is its own request.
        var otherCourt = await s.CourtAsync();
        (await Post(otherCourt.Clerk, "/api/v1/entries", Draft(), key)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_replayed_transition_and_a_replayed_refusal_change_nothing(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var id = await court.DraftAsync();
        var key = Guid.NewGuid().ToString();
        var notice = new JsonObject { ["servedOn"] = Iso(-2) };

        var first = await Post(court.Clerk, "/api/v1/entries/" + id + "/risk-notice", notice, key);
        var firstBody = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        first.StatusCode.ShouldBe(HttpStatusCode.OK, firstBody);
        var length = await court.Clerk.HistoryLengthAsync(id);

        var replay = await Post(court.Clerk, "/api/v1/entries/" + id + "/risk-notice", notice, key);
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        replay.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        (await replay.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe(firstBody);
        (await court.Clerk.HistoryLengthAsync(id)).ShouldBe(length);

        // A refusal is replayed as the same problem.
        var exitKey = Guid.NewGuid().ToString();
        var exit = new JsonObject { ["kind"] = "shield", ["reason"] = "fully-performed", ["effectiveOn"] = Iso(0) };
        var refused = await Post(court.Judge, "/api/v1/entries/" + id + "/exit", exit, exitKey);
        var refusedBody = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        await refused.Problem(409, "illegal-transition");
        var refusedAgain = await Post(court.Judge, "/api/v1/entries/" + id + "/exit", exit, exitKey);
        await refusedAgain.Problem(409, "illegal-transition");
        (await refusedAgain.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe(refusedBody);
        (await court.Clerk.HistoryLengthAsync(id)).ShouldBe(length);
    }
}
