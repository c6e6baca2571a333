using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static Shixin.Server.Tests.Units.ScreeningWorld;

namespace Shixin.Server.Tests.Units;

/// <summary>
/// Checks answered clause by clause over HTTP (API.md "Screening additions"): the business context of a check, the
/// fields a check did not give, organizations through their officers, and no silent cut of a subject's hits.
/// </summary>
public sealed class ClauseChecksTests(WorldFixture worlds) : IClassFixture<WorldFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> PostCheckAsync(HttpClient unit, object body) =>
        await unit.PostAsJsonAsync("/api/v1/checks", body, Ct);

    private static async Task<JsonObject> ResultAsync(HttpClient unit, string scenario, object? context, object subject)
    {
        var response = await PostCheckAsync(unit, new { scenario, subjects = new[] { subject }, context });
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["results"]![0]!.AsObject();
    }

    /// <summary>
    /// Tests that pin the seed's words for 000 §二(七)1 wait, visibly skipped, until data/catalogs/national-2016.json carries
    /// that measure's clauses (helper "cat-a" transcribes them); before that it is one implicit clause that blocks every train.
    /// </summary>
    private static async Task RequireNationalClausesAsync(ScreeningWorld w)
    {
        var measures = (await w.Beijing.GetFromJsonAsync<JsonArray>("/api/v1/catalogs/national-2016/measures", Ct))!;
        var flights = measures.Single(m => m!["id"]!.GetValue<string>() == "national-2016/二.七.1")!;
        Assert.SkipUnless(flights["clauses"]!.AsArray().Count > 1, "national-2016/二.七.1 is not split into clauses yet");
    }

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(x => x!.GetValue<string>())];

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task RailTicket_DecidedByTrainAndSeat_AsTheSeedSays(Db db)
    {
        var w = await worlds.GetAsync(db);
        await RequireNationalClausesAsync(w);
        var id = w.NewPersonId();
        await w.ListAsync(Person(id));

        // G字头动车组列车全部座位 (000 §二(七)1): even a second-class seat.
        var g = await ResultAsync(w.Beijing, "rail.ticket", new { trainType = "G", seatClass = "second" }, new { idNumber = id });
        g["outcome"]!.GetValue<string>().ShouldBe("block");
        var clause = g["matches"]![0]!["measures"]!.AsArray().ShouldHaveSingleItem()!;
        clause["code"]!.GetValue<string>().ShouldStartWith("national-2016/二.七.1#");
        clause["measure"]!.GetValue<string>().ShouldBe("national-2016/二.七.1");
        clause["text"]!.GetValue<string>().ShouldContain("G字头");
        clause["action"]!.GetValue<string>().ShouldBe("block");
        clause["outcome"]!.GetValue<string>().ShouldBe("block");
        clause["basis"]!.GetValue<string>().ShouldContain("二(七)1");
        Strings(g["matches"]![0]!["needsContext"]).ShouldBeEmpty();

        // 其他动车组列车一等以上座位 only: a second-class seat on a D train is open; the hit is explained under `cleared`.
        var d = await ResultAsync(w.Beijing, "rail.ticket", new { trainType = "D", seatClass = "second" }, new { idNumber = id });
        d["outcome"]!.GetValue<string>().ShouldBe("clear");
        d["matches"]!.AsArray().ShouldBeEmpty();
        d["cleared"]![0]!["reason"]!.GetValue<string>().ShouldBe("outside-context");

        (await ResultAsync(w.Beijing, "rail.ticket", new { trainType = "D", seatClass = "first" }, new { idNumber = id }))["outcome"]!
            .GetValue<string>().ShouldBe("block");
        (await ResultAsync(w.Beijing, "rail.ticket", new { trainType = "K", seatClass = "soft-sleeper" }, new { idNumber = id }))["outcome"]!
            .GetValue<string>().ShouldBe("block");
        (await ResultAsync(w.Beijing, "rail.ticket", new { trainType = "K", seatClass = "hard-sleeper" }, new { idNumber = id }))["outcome"]!
            .GetValue<string>().ShouldBe("clear");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task MissingContext_AnswersTheStrictestCase_AndNamesTheFields(Db db)
    {
        var w = await worlds.GetAsync(db);
        await RequireNationalClausesAsync(w);
        var id = w.NewPersonId();
        await w.ListAsync(Person(id));

        var none = await ResultAsync(w.Beijing, "rail.ticket", null, new { idNumber = id });
        none["outcome"]!.GetValue<string>().ShouldBe("block");
        Strings(none["matches"]![0]!["needsContext"]).ShouldBe(["seatClass", "trainType"], ignoreOrder: true);

        var trainOnly = await ResultAsync(w.Beijing, "rail.ticket", new { trainType = "D" }, new { idNumber = id });
        trainOnly["outcome"]!.GetValue<string>().ShouldBe("block");
        Strings(trainOnly["matches"]![0]!["needsContext"]).ShouldBe(["seatClass"]);

        var hotel = await ResultAsync(w.Beijing, "hotel.star-rated-stay", null, new { idNumber = id });
        hotel["outcome"]!.GetValue<string>().ShouldBe("block");
        Strings(hotel["matches"]![0]!["needsContext"]).ShouldBe(["hotelRating"]);
        (await ResultAsync(w.Beijing, "hotel.star-rated-stay", new { hotelRating = "none" }, new { idNumber = id }))["outcome"]!
            .GetValue<string>().ShouldBe("clear");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task InvalidContext_IsRefusedWithAChineseMessage(Db db)
    {
        var w = await worlds.GetAsync(db);
        foreach (var (scenario, context, field) in new (string, object, string)[]
        {
            ("rail.ticket", new { trainType = "X" }, "trainType"),
            ("rail.ticket", new { wagon = "3" }, "wagon"),
            ("civil-aviation.ticket", new { trainType = "G" }, "trainType"),
            ("hotel.star-rated-stay", new { hotelRating = 6 }, "hotelRating"),
        })
        {
            var response = await PostCheckAsync(w.Beijing, new { scenario, subjects = new[] { new { idNumber = w.NewPersonId() } }, context });
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
            problem["code"]!.GetValue<string>().ShouldBe("invalid-context");
            problem["detail"]!.GetValue<string>().ShouldMatch(@"\p{IsCJKUnifiedIdeographs}");
            problem["errors"]!.AsObject().ShouldContainKey("context." + field);
        }
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Organization_WhoseDirectorIsListed_IsUnderEnhancedSupervision_ViaTheOfficer(Db db)
    {
        var w = await worlds.GetAsync(db);
        var director = w.NewPersonId();
        var entry = await w.ListAsync(Person(director, "王五"));
        var company = w.NewCreditCode().Value;
        var clean = w.NewPersonId();

        var result = await ResultAsync(w.Beijing, "market-supervision.random-inspection", null, new
        {
            creditCode = company,
            officers = new object[] { new { role = "legal-representative", idNumber = clean }, new { role = "director", idNumber = director, name = "王五" } },
        });
        result["outcome"]!.GetValue<string>().ShouldBe("review");
        var match = result["matches"]!.AsArray().ShouldHaveSingleItem()!;
        match["entryId"]!.GetValue<string>().ShouldBe(entry.ToString());
        match["via"]!.GetValue<string>().ShouldBe("director");
        match["officer"]!["idNumber"]!.GetValue<string>().ShouldBe(director);
        match["officer"]!["name"]!.GetValue<string>().ShouldBe("王五");
        match["officer"]!["role"]!.GetValue<string>().ShouldBe("director");
        match["measures"]!.AsArray().ShouldContain(m => m!["measure"]!.GetValue<string>() == "national-2016/二.九"
            && m["action"]!.GetValue<string>() == "enhanced-supervision");

        // Without officers the organization's own code hits nothing.
        (await ResultAsync(w.Beijing, "market-supervision.random-inspection", null, new { creditCode = company }))["outcome"]!
            .GetValue<string>().ShouldBe("clear");
        // An organization is not restricted from flights because its director is: high consumption reaches officers of debtors only.
        var flight = await ResultAsync(w.Beijing, "civil-aviation.ticket", null, new
        {
            creditCode = company, officers = new[] { new { role = "director", idNumber = director } },
        });
        flight["outcome"]!.GetValue<string>().ShouldBe("clear");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Officers_AreValidated(Db db)
    {
        var w = await worlds.GetAsync(db);
        var onPerson = await PostCheckAsync(w.Beijing, new
        {
            scenario = "market-supervision.random-inspection",
            subjects = new[] { new { idNumber = w.NewPersonId(), officers = new[] { new { role = "director", idNumber = w.NewPersonId() } } } },
        });
        onPerson.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await onPerson.Content.ReadAsStringAsync(Ct));
        var badRole = await PostCheckAsync(w.Beijing, new
        {
            scenario = "market-supervision.random-inspection",
            subjects = new[] { new { creditCode = w.NewCreditCode().Value, officers = new[] { new { role = "cook", idNumber = w.NewPersonId() } } } },
        });
        badRole.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badRole.Content.ReadAsStringAsync(Ct)).ShouldContain("officers[0].role");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task SubjectOnMoreThan64Entries_GetsEveryHit(Db db)
    {
        var w = await worlds.GetAsync(db);
        var id = w.NewPersonId();
        const int Entries = 70;
        var ids = new List<Guid>();
        for (var i = 0; i < Entries; i++)
        {
            var entry = await w.NoticedAsync(Person(id));
            await w.DecideAsync(entry);
            ids.Add(entry);
        }

        await w.CaughtUpAsync();
        var result = await ResultAsync(w.Beijing, "civil-aviation.ticket", null, new { idNumber = id });
        result["outcome"]!.GetValue<string>().ShouldBe("block");
        Strings(new JsonArray([.. result["matches"]!.AsArray().Select(m => (JsonNode)JsonValue.Create(m!["entryId"]!.GetValue<string>()))]))
            .ShouldBe(ids.Select(x => x.ToString()), ignoreOrder: true);
        result["omittedMatches"].ShouldBeNull();

        using var content = new StringContent("{\"idNumber\":\"" + id + "\"}\n", Encoding.UTF8, "application/x-ndjson");
        var batch = await w.Beijing.PostAsync("/api/v1/checks/batch?scenario=civil-aviation.ticket", content, Ct);
        var line = JsonNode.Parse((await batch.Content.ReadAsStringAsync(Ct)).Trim())!;
        line["matches"]!.AsArray().Count.ShouldBe(Entries);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task CheckRecord_KeepsTheContextTheCheckWasGiven(Db db)
    {
        var w = await worlds.GetAsync(db);
        var id = w.NewPersonId();
        await w.ListAsync(Person(id));
        await w.CaughtUpAsync();

        // A single check: the record read back names the train and seat the answer was decided for.
        var response = await PostCheckAsync(w.Beijing, new { scenario = "rail.ticket", subjects = new[] { new { idNumber = id } }, context = new { trainType = "D", seatClass = "second" } });
        var checkId = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["checkId"]!.GetValue<string>();
        var recorded = (await w.Beijing.GetFromJsonAsync<JsonObject>("/api/v1/checks/" + checkId, Ct))!;
        recorded["context"]!["trainType"]!.GetValue<string>().ShouldBe("D");
        recorded["context"]!["seatClass"]!.GetValue<string>().ShouldBe("second");

        // Without context the record says none.
        response = await PostCheckAsync(w.Beijing, new { scenario = "rail.ticket", subjects = new[] { new { idNumber = id } } });
        checkId = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["checkId"]!.GetValue<string>();
        (await w.Beijing.GetFromJsonAsync<JsonObject>("/api/v1/checks/" + checkId, Ct))!["context"].ShouldBeNull();

        // A batch: each recorded hit line keeps its own context.
        using var nd = new StringContent("{\"idNumber\":\"" + id + "\",\"context\":{\"trainType\":\"G\",\"seatClass\":\"second\"}}\n", Encoding.UTF8, "application/x-ndjson");
        var batch = await w.Beijing.PostAsync("/api/v1/checks/batch?scenario=rail.ticket", nd, Ct);
        batch.StatusCode.ShouldBe(HttpStatusCode.OK);
        await batch.Content.ReadAsStringAsync(Ct);
        var batchId = batch.Headers.GetValues("X-Check-Id").Single();
        var lines = (await w.Beijing.GetFromJsonAsync<JsonObject>("/api/v1/checks/" + batchId, Ct))!;
        lines["results"]![0]!["context"]!["trainType"]!.GetValue<string>().ShouldBe("G");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Batch_ContextPerLine_AsCsvColumnsAndNdjsonFields_WithOfficers(Db db)
    {
        var w = await worlds.GetAsync(db);
        await RequireNationalClausesAsync(w);
        var id = w.NewPersonId();
        await w.ListAsync(Person(id));
        var director = w.NewPersonId();
        await w.ListAsync(Person(director));
        var company = w.NewCreditCode().Value;

        using var csv = new StringContent("idNumber,trainType,seatClass\n" + id + ",G,second\n" + id + ",D,second\n" + id + ",,\n" + id + ",X,first\n",
            Encoding.UTF8, "text/csv");
        var csvResponse = await w.Beijing.PostAsync("/api/v1/checks/batch?scenario=rail.ticket", csv, Ct);
        var rows = (await csvResponse.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rows[0].ShouldBe("line,subject,outcome,via,entryId,caseNumber,court,measures,clauses,needsContext,exemptedEntryId,exemptionId");
        rows[1].Split(',')[2].ShouldBe("block");
        rows[1].Split(',')[9].ShouldBeEmpty();
        rows[2].Split(',')[2].ShouldBe("clear");
        rows[3].Split(',')[2].ShouldBe("block");
        rows[3].Split(',')[9].Split(' ').ShouldBe(["seatClass", "trainType"], ignoreOrder: true);
        rows[4].Split(',')[2].ShouldBe("error");
        rows[4].Split(',')[3].ShouldBe("invalid-context");

        var ndjson = "{\"idNumber\":\"" + id + "\",\"context\":{\"trainType\":\"D\",\"seatClass\":\"first\"}}\n"
            + "{\"context\":{\"trainType\":\"D\",\"seatClass\":\"second\"},\"idNumber\":\"" + id + "\"}\n"
            + "{\"idNumber\":\"" + id + "\"}\n"
            + "{\"idNumber\":\"" + id + "\",\"context\":{\"hotelRating\":\"5\"}}\n";
        using var nd = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson");
        var lines = (await (await w.Beijing.PostAsync("/api/v1/checks/batch?scenario=rail.ticket", nd, Ct)).Content.ReadAsStringAsync(Ct))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();
        lines[0]["outcome"]!.GetValue<string>().ShouldBe("block");
        Strings(lines[0]["matches"]![0]!["clauses"]).ShouldHaveSingleItem().ShouldStartWith("national-2016/二.七.1#");
        lines[1]["outcome"]!.GetValue<string>().ShouldBe("clear");
        Strings(lines[2]["matches"]![0]!["needsContext"]).ShouldBe(["seatClass", "trainType"], ignoreOrder: true);
        lines[3]["error"]!.GetValue<string>().ShouldBe("invalid-context");

        var officers = "{\"creditCode\":\"" + company + "\",\"officers\":[{\"role\":\"supervisor\",\"idNumber\":\"" + director + "\"}]}\n";
        using var off = new StringContent(officers, Encoding.UTF8, "application/x-ndjson");
        var officerLine = JsonNode.Parse((await (await w.Beijing.PostAsync("/api/v1/checks/batch?scenario=market-supervision.random-inspection", off, Ct))
            .Content.ReadAsStringAsync(Ct)).Trim())!;
        officerLine["outcome"]!.GetValue<string>().ShouldBe("review");
        officerLine["matches"]![0]!["via"]!.GetValue<string>().ShouldBe("supervisor");
        officerLine["matches"]![0]!["officer"]!["idNumber"]!.GetValue<string>().ShouldBe(director);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    public async Task Scenarios_ListTheirContextFields_AndCatalogsTheirClauses(Db db)
    {
        var w = await worlds.GetAsync(db);
        await RequireNationalClausesAsync(w);
        var scenarios = (await w.Beijing.GetFromJsonAsync<JsonArray>("/api/v1/scenarios", Ct))!;
        var rail = scenarios.Single(s => s!["id"]!.GetValue<string>() == "rail.ticket")!;
        var fields = rail["context"]!.AsArray();
        fields.Select(f => f!["id"]!.GetValue<string>()).ShouldBe(["trainType", "seatClass"]);
        var train = fields[0]!;
        train["titleZh"]!.GetValue<string>().ShouldBe("车次类型");
        train["type"]!.GetValue<string>().ShouldBe("enum");
        train["values"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()).ShouldBe(["G", "D", "C", "Z", "T", "K", "other"]);
        train["values"]![0]!["titleZh"]!.GetValue<string>().ShouldContain("G");
        scenarios.Single(s => s!["id"]!.GetValue<string>() == "civil-aviation.ticket")!["context"]!.AsArray().ShouldBeEmpty();

        var measures = (await w.Beijing.GetFromJsonAsync<JsonArray>("/api/v1/catalogs/national-2016/measures", Ct))!;
        var flights = measures.Single(m => m!["id"]!.GetValue<string>() == "national-2016/二.七.1")!;
        var clauses = flights["clauses"]!.AsArray();
        clauses.Count.ShouldBeGreaterThan(1);
        foreach (var c in clauses)
        {
            c!["id"]!.GetValue<string>().ShouldStartWith("national-2016/二.七.1#");
            flights["text"]!.GetValue<string>().ShouldContain(c["text"]!.GetValue<string>());
        }

        clauses.ShouldContain(c => c!["when"] != null && c["when"]!["trainType"] != null);
    }
}
