using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Shixin.Server.Tests.Units;

/// <summary>GET /api/v1/scenarios, /catalogs and /catalogs/{id}/measures.</summary>
public sealed class CatalogsApiTests(WorldFixture worlds) : IClassFixture<WorldFixture>
{
    private static readonly string[] RequiredScenarios =
    [
        "civil-aviation.ticket", "rail.high-speed-ticket", "hotel.star-rated-stay", "government-procurement.bid", "civil-service.recruitment",
        "bank.credit-approval", "real-estate.purchase", "company.officer-registration", "subsidy.application", "honour.nomination",
    ];

    private static async Task<JsonArray> GetArrayAsync(HttpClient c, string path)
    {
        var response = await c.GetAsync(path);
        await ScreeningWorld.Ensure(response, HttpStatusCode.OK, path);
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Scenarios_IncludeTheRequiredIds(Db db)
    {
        var w = await worlds.GetAsync(db);
        var scenarios = await GetArrayAsync(w.Beijing, "/api/v1/scenarios");
        scenarios.Count.ShouldBeGreaterThanOrEqualTo(40);
        var ids = scenarios.Select(s => s!["id"]!.GetValue<string>()).ToArray();
        ids.ShouldBeUnique();
        foreach (var id in RequiredScenarios)
        {
            ids.ShouldContain(id);
        }

        var flight = scenarios.Single(s => s!["id"]!.GetValue<string>() == "civil-aviation.ticket")!;
        flight["titleZh"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        flight["measures"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldContain("national-2016/二.七.1");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Catalogs_ListFive_WithFullTexts(Db db)
    {
        var w = await worlds.GetAsync(db);
        var catalogs = await GetArrayAsync(w.Beijing, "/api/v1/catalogs");
        catalogs.Count.ShouldBe(5);
        var ids = catalogs.Select(c => c!["id"]!.GetValue<string>()).ToArray();
        ids.ShouldBe(["national-2016", "zhanjiang-2019", "ningxia-2017", "jiangsu-2017", "zhaoling-2018"], ignoreOrder: true);

        foreach (var catalog in catalogs)
        {
            var id = catalog!["id"]!.GetValue<string>();
            var measures = await GetArrayAsync(w.Beijing, "/api/v1/catalogs/" + Uri.EscapeDataString(id) + "/measures");
            measures.Count.ShouldBe(catalog["measureCount"]!.GetValue<int>(), id);
            measures.Count.ShouldBeGreaterThan(0);
            foreach (var m in measures)
            {
                m!["id"]!.GetValue<string>().ShouldStartWith(id + "/");
                m["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
                m["action"]!.GetValue<string>().ShouldBeOneOf("block", "strict-review", "prudential-reference", "revoke-honour", "quota",
                    "enhanced-supervision", "notify", "assist");
                m["text"]!.GetValue<string>().Length.ShouldBeGreaterThan(m["title"]!.GetValue<string>().Length);
            }
        }

        // A full text as written: Ningxia 二(一)8 on construction tenders.
        var ningxia = await GetArrayAsync(w.Beijing, "/api/v1/catalogs/ningxia-2017/measures");
        var tender = ningxia.Single(m => m!["id"]!.GetValue<string>() == "ningxia-2017/二.一.8")!;
        tender["text"]!.GetValue<string>().ShouldContain("招标");
        tender["region"]!.GetValue<string>().ShouldBe("640000");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task UnknownCatalog_Is404(Db db)
    {
        var w = await worlds.GetAsync(db);
        var response = await w.Beijing.GetAsync("/api/v1/catalogs/atlantis-2020/measures", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["code"]!.GetValue<string>().ShouldBe("not-found");
    }
}
