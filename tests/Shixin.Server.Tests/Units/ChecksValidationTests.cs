using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Shixin.Server.Tests.Units;

/// <summary>Bad check requests are refused with a problem naming the field; keys and roles are enforced.</summary>
public sealed class ChecksValidationTests(WorldFixture worlds) : IClassFixture<WorldFixture>
{
    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient c, object body) => c.PostAsJsonAsync("/api/v1/checks", body);

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task UnknownScenario_Is400(Db db)
    {
        var w = await worlds.GetAsync(db);
        var p = await ProblemAsync(await PostAsync(w.Beijing, new { scenario = "casino.entry", subjects = new[] { new { idNumber = w.NewPersonId() } } }),
            HttpStatusCode.BadRequest);
        p["code"]!.GetValue<string>().ShouldBe("unknown-scenario");
        p["errors"]!["scenario"].ShouldNotBeNull();

        var missing = await ProblemAsync(await PostAsync(w.Beijing, new { subjects = new[] { new { idNumber = w.NewPersonId() } } }), HttpStatusCode.BadRequest);
        missing["code"]!.GetValue<string>().ShouldBe("unknown-scenario");
    }

    [Theory]
    [InlineData(Db.Sqlite, 0)]
    [InlineData(Db.Sqlite, 101)]
    [InlineData(Db.Postgres, 0)]
    [InlineData(Db.Postgres, 101)]
    public async Task ZeroOrMoreThan100Subjects_Is400(Db db, int count)
    {
        var w = await worlds.GetAsync(db);
        var subjects = Enumerable.Range(0, count).Select(_ => new { idNumber = w.NewPersonId() }).ToArray();
        var p = await ProblemAsync(await PostAsync(w.Beijing, new { scenario = "civil-aviation.ticket", subjects }), HttpStatusCode.BadRequest);
        p["errors"]!["subjects"].ShouldNotBeNull();

        if (count == 0)
        {
            await ProblemAsync(await PostAsync(w.Beijing, new { scenario = "civil-aviation.ticket" }), HttpStatusCode.BadRequest);
        }
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Exactly100Subjects_AreAnswered(Db db)
    {
        var w = await worlds.GetAsync(db);
        var subjects = Enumerable.Range(0, 100).Select(_ => new { idNumber = w.NewPersonId() }).ToArray();
        var response = await ScreeningWorld.CheckAsync(w.Beijing, "civil-aviation.ticket", subjects);
        response["results"]!.AsArray().Count.ShouldBe(100);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task SubjectWithTwoIdentifiersOrNone_Is400(Db db)
    {
        var w = await worlds.GetAsync(db);
        var two = await ProblemAsync(await PostAsync(w.Beijing, new
        {
            scenario = "civil-aviation.ticket",
            subjects = new object[] { new { idNumber = w.NewPersonId() }, new { idNumber = w.NewPersonId(), passport = w.NewPassport() } },
        }), HttpStatusCode.BadRequest);
        two["errors"]!["subjects[1]"].ShouldNotBeNull();

        var none = await ProblemAsync(await PostAsync(w.Beijing, new
        {
            scenario = "civil-aviation.ticket",
            subjects = new object[] { new { name = "张三" } },
        }), HttpStatusCode.BadRequest);
        none["errors"]!["subjects[0]"].ShouldNotBeNull();
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task InvalidIdNumber_Is400_NamingTheField(Db db)
    {
        var w = await worlds.GetAsync(db);
        var valid = w.NewPersonId();
        var bad = valid[..17] + (valid[17] == '0' ? '1' : '0');
        var p = await ProblemAsync(await PostAsync(w.Beijing, new
        {
            scenario = "civil-aviation.ticket",
            subjects = new object[] { new { idNumber = valid }, new { idNumber = bad } },
        }), HttpStatusCode.BadRequest);
        p["code"]!.GetValue<string>().ShouldBe("invalid-id-number");
        p["errors"]!["subjects[1].idNumber"].ShouldNotBeNull();
        p["errors"]!.AsObject().ContainsKey("subjects[0].idNumber").ShouldBeFalse();
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task CourtKey_Is403_AndNoKey_Is401(Db db)
    {
        var w = await worlds.GetAsync(db);
        var body = new { scenario = "civil-aviation.ticket", subjects = new[] { new { idNumber = w.NewPersonId() } } };
        var forbidden = await ProblemAsync(await PostAsync(w.Court, body), HttpStatusCode.Forbidden);
        forbidden["code"]!.GetValue<string>().ShouldBe("forbidden");

        using var anonymous = w.Server.Client();
        await ProblemAsync(await PostAsync(anonymous, body), HttpStatusCode.Unauthorized);
        using var wrongKey = w.Server.Client("not-a-key");
        await ProblemAsync(await PostAsync(wrongKey, body), HttpStatusCode.Unauthorized);
    }
}
