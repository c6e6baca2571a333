using System.Text;
using System.Text.Json.Nodes;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Courts;

/// <summary>Bad input never yields a 500 and never leaves a half-written ledger.</summary>
public sealed class BadInputTests(ServerPerDb servers, ITestOutputHelper output) : IClassFixture<ServerPerDb>
{
    private static readonly string Huge = new('债', 1_000_000);

    private static HttpContent Raw(string text, string type = "application/json") => new StringContent(text, Encoding.UTF8, type);

    private async Task RefusedAsync(HttpResponseMessage r, string what)
    {
        var text = await r.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        output.WriteLine(what + " → " + (int)r.StatusCode + " " + (text.Length > 160 ? text[..160] : text));
        ((int)r.StatusCode).ShouldBeInRange(400, 499, what + ": " + text);
        r.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", what + ": " + text);
        JsonNode.Parse(text)!["code"].ShouldNotBeNull(what + ": " + text);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Bad_drafts_are_client_errors_and_write_nothing(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var wrongTypes = Draft();
        wrongTypes["performance"] = new JsonObject { ["performedAmount"] = "lots", ["unperformedAmount"] = 1 };
        var numberForString = Draft();
        numberForString["caseNumber"] = 12345;
        var objectForArray = Draft();
        objectForArray["circumstances"] = new JsonObject { ["a"] = 1 };
        var unknownCircumstance = Draft(null, "owes-money");
        var hugeName = Draft(Person(null, Huge));
        var hugeObligation = Draft();
        hugeObligation["obligation"] = Huge;
        var hugeCase = Draft();
        hugeCase["caseNumber"] = Huge;
        var hugeId = Draft(Person(Huge));
        var badDate = Draft();
        badDate["filingDate"] = "2024-02-30";
        var futureFiling = Draft();
        futureFiling["filingDate"] = Iso(30);
        var badKind = Draft();
        badKind["subject"] = new JsonObject { ["kind"] = "alien", ["name"] = "x" };
        var negative = Draft();
        negative["performance"] = new JsonObject { ["performedAmount"] = -1, ["unperformedAmount"] = 1 };
        var hugeNumber = Draft();
        hugeNumber["performance"] = JsonNode.Parse("{\"performedAmount\": 1e400, \"unperformedAmount\": 1}");
        var badRelated = Draft(Organization());
        badRelated["relatedPersons"] = new JsonArray(new JsonObject { ["role"] = "janitor", ["name"] = "x", ["idNumber"] = "123" });

        var cases = new (string What, HttpContent Body)[]
        {
            ("malformed JSON", Raw("{\"caseNumber\": ")),
            ("not JSON at all", Raw("caseNumber=1")),
            ("empty body", Raw("")),
            ("JSON null", Raw("null")),
            ("JSON array", Raw("[]")),
            ("JSON string", Raw("\"entry\"")),
            ("empty object", Raw("{}")),
            ("string for a number", Raw(wrongTypes.ToJsonString())),
            ("number for a string", Raw(numberForString.ToJsonString())),
            ("object for an array", Raw(objectForArray.ToJsonString())),
            ("number out of range", Raw(hugeNumber.ToJsonString())),
            ("unknown circumstance", Raw(unknownCircumstance.ToJsonString())),
            ("huge name", Raw(hugeName.ToJsonString())),
            ("huge obligation", Raw(hugeObligation.ToJsonString())),
            ("huge case number", Raw(hugeCase.ToJsonString())),
            ("huge id number", Raw(hugeId.ToJsonString())),
            ("impossible date", Raw(badDate.ToJsonString())),
            ("future filing date", Raw(futureFiling.ToJsonString())),
            ("unknown subject kind", Raw(badKind.ToJsonString())),
            ("negative amount", Raw(negative.ToJsonString())),
            ("bad related person", Raw(badRelated.ToJsonString())),
            ("text/plain", Raw(Draft().ToJsonString(), "text/plain")),
            ("invalid UTF-8", new ByteArrayContent([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]) { Headers = { { "Content-Type", "application/json" } } }),
        };
        foreach (var (what, body) in cases)
        {
            await RefusedAsync(await court.Clerk.PostCt("/api/v1/entries", body), what);
        }

        var p = await court.Clerk.PostJson("/api/v1/entries", unknownCircumstance).Problem(400);
        p["errors"]!["circumstances"].ShouldNotBeNull();

        (await court.Clerk.GetCt("/api/v1/entries?limit=500").Ok())["items"]!.AsArray().ShouldBeEmpty();
        await RefusedAsync(await court.Clerk.GetCt("/api/v1/entries?limit=lots"), "limit not a number");
        await RefusedAsync(await court.Clerk.GetCt("/api/v1/entries/not-a-guid"), "entry id not a GUID");
        await RefusedAsync(await court.Clerk.GetCt("/api/v1/entries/" + Guid.NewGuid()), "unknown entry");
        await RefusedAsync(await court.Clerk.GetCt("/api/v1/no-such-endpoint"), "unknown endpoint");
        await RefusedAsync(await court.Clerk.SendCt(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/entries")), "method not allowed");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Bad_transitions_are_client_errors_and_leave_the_history_unchanged(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var noticed = await court.DraftAsync(Draft(null, "evades-enforcement"));
        await court.Clerk.PostJson("/api/v1/entries/" + noticed + "/risk-notice", new { servedOn = Iso(-5) }).Ok();
        var listed = await court.ListedAsync(Draft(null, "evades-enforcement", "obstructs-enforcement"));

        var cases = new (string What, HttpClient Client, string Id, string Action, string Body)[]
        {
            ("risk notice malformed", court.Clerk, noticed, "risk-notice", "{"),
            ("risk notice empty", court.Clerk, noticed, "risk-notice", ""),
            ("risk notice number date", court.Clerk, noticed, "risk-notice", "{\"servedOn\": 20240101}"),
            ("risk notice future", court.Clerk, noticed, "risk-notice", "{\"servedOn\": \"" + Iso(10) + "\"}"),
            ("decision malformed", court.Judge, noticed, "decision", "{\"decidedOn\":"),
            ("decision empty", court.Judge, noticed, "decision", ""),
            ("decision bad date", court.Judge, noticed, "decision", "{\"decidedOn\": \"2024-13-45\"}"),
            ("decision string term", court.Judge, noticed, "decision", "{\"decidedOn\": \"" + Iso(-1) + "\", \"termYears\": \"two\"}"),
            ("decision term 9", court.Judge, noticed, "decision", "{\"decidedOn\": \"" + Iso(-1) + "\", \"termYears\": 9}"),
            ("decision huge term", court.Judge, noticed, "decision", "{\"decidedOn\": \"" + Iso(-1) + "\", \"termYears\": 99999999999}"),
            ("decision severity", court.Judge, noticed, "decision", "{\"decidedOn\": \"" + Iso(-1) + "\", \"severity\": \"apocalyptic\"}"),
            ("decision before notice", court.Judge, noticed, "decision", "{\"decidedOn\": \"" + Iso(-30) + "\"}"),
            ("decision grace too long", court.Judge, noticed, "decision", "{\"decidedOn\": \"" + Iso(-1) + "\", \"publishOn\": \"" + Iso(200) + "\"}"),
            ("exit unknown kind", court.Judge, listed, "exit", "{\"kind\": \"forgive\", \"reason\": \"fully-performed\", \"effectiveOn\": \"" + Iso(0) + "\"}"),
            ("exit unknown reason", court.Judge, listed, "exit", "{\"kind\": \"shield\", \"reason\": \"because\", \"effectiveOn\": \"" + Iso(0) + "\"}"),
            ("exit huge reason", court.Judge, listed, "exit", "{\"kind\": \"shield\", \"reason\": \"" + Huge + "\", \"effectiveOn\": \"" + Iso(0) + "\"}"),
            ("exit number kind", court.Judge, listed, "exit", "{\"kind\": 1, \"reason\": \"fully-performed\", \"effectiveOn\": \"" + Iso(0) + "\"}"),
            ("exit future", court.Judge, listed, "exit", "{\"kind\": \"shield\", \"reason\": \"fully-performed\", \"effectiveOn\": \"" + Iso(30) + "\"}"),
            ("extension string years", court.Judge, listed, "extension", "{\"years\": \"two\", \"reason\": \"x\"}"),
            ("extension fractional years", court.Judge, listed, "extension", "{\"years\": 1.5, \"reason\": \"x\"}"),
            ("extension 7 years", court.Judge, listed, "extension", "{\"years\": 7, \"reason\": \"x\"}"),
            ("extension no reason", court.Judge, listed, "extension", "{\"years\": 1}"),
            ("amendment empty", court.Judge, listed, "amendment", "{\"changes\": {}, \"reason\": \"x\"}"),
            ("amendment changes array", court.Judge, listed, "amendment", "{\"changes\": [1,2], \"reason\": \"x\"}"),
            ("amendment unknown field", court.Judge, listed, "amendment", "{\"changes\": {\"status\": \"deleted\"}, \"reason\": \"x\"}"),
            ("amendment bad id", court.Judge, listed, "amendment", "{\"changes\": {\"subject.idNumber\": \"110105199001011234\"}, \"reason\": \"x\"}"),
            ("amendment bad case number", court.Judge, listed, "amendment", "{\"changes\": {\"caseNumber\": \"not a case\"}, \"reason\": \"x\"}"),
            ("amendment bad date", court.Judge, listed, "amendment", "{\"changes\": {\"filingDate\": \"yesterday\"}, \"reason\": \"x\"}"),
            ("amendment bad amount", court.Judge, listed, "amendment", "{\"changes\": {\"performance.performedAmount\": \"lots\"}, \"reason\": \"x\"}"),
            ("amendment huge obligation", court.Judge, listed, "amendment", "{\"changes\": {\"obligation\": \"" + Huge + "\"}, \"reason\": \"x\"}"),
            ("performance string amount", court.Clerk, listed, "performance", "{\"performedAmount\": \"lots\", \"unperformedAmount\": 0}"),
            ("performance string fully", court.Clerk, listed, "performance", "{\"performedAmount\": 1, \"unperformedAmount\": 0, \"fully\": \"yes\"}"),
            ("performance fully with remainder", court.Clerk, listed, "performance", "{\"performedAmount\": 1, \"unperformedAmount\": 5, \"fully\": true}"),
            ("performance negative", court.Clerk, listed, "performance", "{\"performedAmount\": -1, \"unperformedAmount\": 5}"),
            ("performance missing", court.Clerk, listed, "performance", "{}"),
            ("correction malformed", court.Clerk, listed, "corrections", "{\"receivedOn\""),
            ("correction before decision", court.Clerk, listed, "corrections", "{\"receivedOn\": \"2020-01-01\", \"filedOn\": \"2020-01-02\", \"grounds\": \"x\"}"),
            ("correction filed before received", court.Clerk, listed, "corrections", "{\"receivedOn\": \"" + Iso(-1) + "\", \"filedOn\": \"" + Iso(-3) + "\", \"grounds\": \"x\"}"),
            ("correction huge grounds", court.Clerk, listed, "corrections", "{\"receivedOn\": \"" + Iso(-2) + "\", \"filedOn\": \"" + Iso(-1) + "\", \"grounds\": \"" + Huge + "\"}"),
            ("correction no grounds", court.Clerk, listed, "corrections", "{\"receivedOn\": \"" + Iso(-2) + "\", \"filedOn\": \"" + Iso(-1) + "\"}"),
        };

        foreach (var (what, client, id, action, body) in cases)
        {
            var before = await court.Judge.HistoryLengthAsync(id);
            var status = (await court.Judge.EntryAsync(id))["status"].Str();
            await RefusedAsync(await client.PostCt("/api/v1/entries/" + id + "/" + action, Raw(body)), what);
            var after = await court.Judge.EntryAsync(id);
            after["history"]!.AsArray().Count.ShouldBe(before, what + " wrote to the ledger");
            after["status"].Str().ShouldBe(status, what);
        }

        await RefusedAsync(await court.Judge.PostCt("/api/v1/entries/" + Guid.NewGuid() + "/decision", Raw("{\"decidedOn\": \"" + Iso(-1) + "\"}")), "unknown entry");
        await RefusedAsync(await court.Judge.PostCt("/api/v1/corrections/" + Guid.NewGuid() + "/ruling", Raw("{\"outcome\": 5}")), "ruling wrong type");
        await RefusedAsync(await court.Judge.PostCt("/api/v1/corrections/" + Guid.NewGuid() + "/ruling", Raw("{\"outcome\": \"maybe\", \"ruledOn\": \"" + Iso(0) + "\", \"reasons\": \"x\"}")), "ruling unknown correction");
    }
}
