using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using static Shixin.Server.Tests.Units.ScreeningWorld;

namespace Shixin.Server.Tests.Units;

/// <summary>/metrics carries the index gauges and check counters; /readyz answers once the index is loaded.</summary>
public sealed partial class OpsTests(WorldFixture worlds) : IClassFixture<WorldFixture>
{
    [GeneratedRegex("^shixin_checks_total\\{scenario=\"civil-aviation.ticket\",outcome=\"block\"\\} (\\d+)$", RegexOptions.Multiline)]
    private static partial Regex FlightBlocks();

    private static double Sample(string metrics, string name)
    {
        var line = metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }

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
        var blocks = FlightBlocks().Match(metrics);
        blocks.Success.ShouldBeTrue(metrics);
        long.Parse(blocks.Groups[1].Value, CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(1);
        metrics.ShouldContain("shixin_checks_total{scenario=\"civil-aviation.ticket\",outcome=\"clear\"}");

        // The counter counts.
        await CheckOneAsync(w.Ningxia, "civil-aviation.ticket", new { idNumber = id });
        var after = FlightBlocks().Match(await anonymous.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
        long.Parse(after.Groups[1].Value, CultureInfo.InvariantCulture).ShouldBe(long.Parse(blocks.Groups[1].Value, CultureInfo.InvariantCulture) + 1);
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
