using System.Net;
using System.Text.Json;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Ops;

/// <summary>Health, readiness, metrics, OpenAPI, docs and the audit trail.</summary>
public sealed class OpsTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Health_readiness_and_metrics(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        await court.ListedAsync();
        using var c = s.Client();

        (await c.GetCt("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await c.GetCt("/readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var metrics = await c.GetCt("/metrics");
        metrics.StatusCode.ShouldBe(HttpStatusCode.OK);
        metrics.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await metrics.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        PromText.Value(text, "shixin_ledger_sequence").ShouldBeGreaterThan(0);
        PromText.Value(text, "shixin_list_entries", ("status", "listed")).ShouldBeGreaterThanOrEqualTo(1);
        PromText.Has(text, "shixin_http_requests_total", ("method", "POST"), ("route", "/api/v1/entries/{id:guid}/decision")).ShouldBeTrue(text);
        PromText.Has(text, "shixin_http_request_duration_seconds_bucket", ("route", "/api/v1/entries/{id:guid}/decision"), ("le", "+Inf")).ShouldBeTrue(text);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task OpenApi_and_docs(Db db)
    {
        var s = await servers.For(db);
        using var c = s.Client();
        var openapi = await c.GetCt("/openapi/v1.json");
        openapi.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var doc = JsonDocument.Parse(await openapi.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var paths = doc.RootElement.GetProperty("paths");
        paths.TryGetProperty("/api/v1/entries", out _).ShouldBeTrue();
        paths.TryGetProperty("/api/v1/entries/import", out _).ShouldBeTrue();
        paths.TryGetProperty("/api/v1/organizations", out _).ShouldBeTrue();

        var docs = await c.GetCt("/docs/index.html");
        docs.StatusCode.ShouldBe(HttpStatusCode.OK);
        docs.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var root = await c.GetCt("/docs");
        root.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.MovedPermanently, HttpStatusCode.Redirect);
        (await c.GetStringCt("/docs")).ShouldContain("<html", Case.Insensitive);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task The_audit_trail_lists_writes_and_staff_reads(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var id = await court.ListedAsync();
        await court.Judge.EntryAsync(id);

        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await s.Admin.GetCt("/api/v1/audit?limit=1000" + (cursor is null ? "" : "&cursor=" + cursor)).Ok();
            using var d = JsonDocument.Parse(page.ToJsonString());
            items.AddRange(d.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()));
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);

        var mine = items.Where(i => i.GetProperty("target").GetString() == "entry:" + id).ToList();
        var actions = mine.Select(i => i.GetProperty("action").GetString()).ToList();
        actions.ShouldContain("entry.draft");
        actions.ShouldContain("entry.risk-notice");
        actions.ShouldContain("entry.decide");
        actions.ShouldContain("entry.read");
        mine.ShouldAllBe(i => i.GetProperty("organization").GetString() == court.Code);
        items.ShouldContain(i => i.GetProperty("action").GetString() == "organization.create" && i.GetProperty("target").GetString() == "organization:" + court.Code);
        items.ShouldContain(i => i.GetProperty("action").GetString() == "key.issue");

        // The trail is the hub's; a court may not read it.
        await court.Judge.GetCt("/api/v1/audit").Problem(403, "forbidden");
        using var anonymous = s.Client();
        await anonymous.GetCt("/api/v1/audit").Problem(401, "unauthorized");
    }
}
