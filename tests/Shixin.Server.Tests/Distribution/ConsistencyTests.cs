using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Shixin.Server.Hosting;
using Shixin.Server.Ops;
using Shixin.Server.Units;

namespace Shixin.Server.Tests.Distribution;

/// <summary>
/// API.md "Consistency": a node reflects its own acknowledged writes; <c>minSequence</c> makes another node answer at
/// least as new as a write the caller knows of, or say 503 <c>index-behind</c>. Two nodes on one PostgreSQL.
/// </summary>
public sealed class ConsistencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> OutcomeAsync(HttpClient unit, string idNumber, long? minSequence = null)
    {
        var path = "/api/v1/checks" + (minSequence is { } n ? "?minSequence=" + n : "");
        var response = await unit.PostJson(path, new { scenario = "civil-aviation.ticket", subjects = new[] { new { idNumber } } }).Ok();
        return response["results"]![0]!["outcome"].Str();
    }

    [Fact]
    public async Task A_write_is_in_its_nodes_checks_at_once_and_in_another_nodes_with_minSequence()
    {
        await using var a = await ShixinServer.StartAsync(Db.Postgres);
        var connection = a.Get<ShixinOptions>().PostgresConnectionString!;

        // Node B hears of other nodes' commits only when it polls, and polls rarely: without minSequence it answers stale.
        await using var b = await ShixinServer.StartAsync(Db.Postgres, new Dictionary<string, string?> { ["SHIXIN_POSTGRES"] = connection },
            sv => sv.RemoveAll<IHostedService>().AddHostedService<StartupTasks>().AddHostedService(sp => sp.GetRequiredService<IndexFollower>()));
        b.Get<IndexFollower>().PollInterval = TimeSpan.FromMinutes(10);
        await b.Get<IndexFollower>().Loaded;
        await Task.Delay(400, Ct); // let B's follower enter its long wait

        var court = await a.CourtAsync();
        var unitA = await a.OrganizationAsync("unit", TestApi.Unique("airline-"), "440802", null, "unit.checker");
        var unitKey = unitA.DefaultRequestHeaders.Authorization!.Parameter!;
        var unitB = b.Client(unitKey);

        for (var i = 0; i < 5; i++)
        {
            var debtor = TestApi.AdultId();
            var id = await court.DraftAsync(TestApi.Draft(TestApi.Person(debtor)));
            await court.Clerk.PostJson("/api/v1/entries/" + id + "/risk-notice", new { servedOn = TestApi.Iso(-15) }).Ok();
            var decided = await court.Judge.PostJson("/api/v1/entries/" + id + "/decision", new { decidedOn = TestApi.Iso(-10) }).Ok();
            var seq = decided["listSequence"]!.GetValue<long>();
            seq.ShouldBeGreaterThan(0);

            // The same client, the same node, right after the acknowledged decision: blocked.
            (await OutcomeAsync(unitA, debtor)).ShouldBe("block", "check " + i + " on the deciding node");

            // The other node has not heard of it yet ...
            (await OutcomeAsync(unitB, debtor)).ShouldBe("clear", "node B polls rarely and was not told");

            // ... but asked for at least the decision's sequence, it catches up first.
            (await OutcomeAsync(unitB, debtor, seq)).ShouldBe("block", "check " + i + " on the other node with minSequence");
            var batch = await unitB.PostCt("/api/v1/checks/batch?scenario=civil-aviation.ticket&minSequence=" + seq,
                new StringContent("idNumber\n" + debtor + "\n", Encoding.UTF8, "text/csv"));
            (await batch.Content.ReadAsStringAsync(Ct)).ShouldContain(",block,");
        }

        // A sequence no node has reached: a bounded wait, then 503 index-behind with Retry-After, on both paths.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var behind = await unitB.PostJson("/api/v1/checks?minSequence=999999999", new { scenario = "civil-aviation.ticket", subjects = new[] { new { idNumber = TestApi.AdultId() } } });
        await behind.Problem(503, "index-behind");
        behind.Headers.RetryAfter.ShouldNotBeNull();
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        var batchBehind = await unitA.PostCt("/api/v1/checks/batch?scenario=civil-aviation.ticket&minSequence=999999999",
            new StringContent("idNumber\n" + TestApi.AdultId() + "\n", Encoding.UTF8, "text/csv"));
        await batchBehind.Problem(503, "index-behind");
        batchBehind.Headers.RetryAfter.ShouldNotBeNull();
    }
}
