using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Http;

/// <summary>
/// Problems answer in the request's language (issue 15 item 1): Chinese by default, with every message naming fields by
/// their labels; English with ?lang=en, the pages' language cookie, or an Accept-Language that prefers English. The code
/// and the keys of errors are the same in both.
/// </summary>
public sealed partial class ProblemLanguageTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    private sealed record Bad(string What, Func<string, Task<HttpResponseMessage>> Send, int Status, string Code);

    private static async Task<List<Bad>> BadRequestsAsync(ShixinServer s)
    {
        var court = await s.CourtAsync();
        var listed = await court.ListedAsync();
        var drafted = await court.DraftAsync();
        var termEntry = await court.ListedAsync(Draft(null, "evades-enforcement"));
        var missing = Draft();
        missing.Remove("caseNumber");
        missing.Remove("basisDocument");
        var badDate = Draft();
        badDate["filingDate"] = "2024-02-30";
        var badId = Draft(Person("110101199001011235"));
        var hub = s.Admin;
        return
        [
            new("missing fields", q => court.Clerk.PostJson("/api/v1/entries" + q, missing), 400, "validation-failed"),
            new("bad date", q => court.Clerk.PostJson("/api/v1/entries" + q, badDate), 400, "invalid-date"),
            new("bad ID number", q => court.Clerk.PostJson("/api/v1/entries" + q, badId), 400, "invalid-id-number"),
            new("illegal transition", q => court.Judge.PostJson("/api/v1/entries/" + drafted + "/decision" + q, new { decidedOn = Iso(0) }), 409, "illegal-transition"),
            new("refused exit", q => court.Judge.PostJson("/api/v1/entries/" + termEntry + "/exit" + q,
                new { kind = "delete", reason = "fully-performed", effectiveOn = Iso(0) }), 422, "invalid-exit-reason"),
            new("exit reason not fitting", q => court.Judge.PostJson("/api/v1/entries/" + listed + "/exit" + q,
                new { kind = "shield", reason = "early-deletion", effectiveOn = Iso(0) }), 422, "invalid-exit-reason"),
            new("forbidden", q => court.Clerk.PostJson("/api/v1/entries/" + listed + "/exit" + q,
                new { kind = "shield", reason = "fully-performed", effectiveOn = Iso(0) }), 403, "forbidden"),
            new("not found", q => court.Clerk.GetCt("/api/v1/entries/" + Guid.NewGuid() + q), 404, "not-found"),
            new("bad organization", q => hub.PostJson("/api/v1/organizations" + q, new { kind = "bank", code = "", name = "" }), 400, "validation-failed"),
            new("bad amendment", q => court.Judge.PostJson("/api/v1/entries/" + listed + "/amendment" + q,
                new { changes = new { filingDate = "yesterday" }, reason = "更正" }), 400, "invalid-date"),
        ];
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    public async Task Bad_requests_answer_in_Chinese_by_default_and_in_English_when_asked(Db db)
    {
        var s = await servers.For(db);
        foreach (var bad in await BadRequestsAsync(s))
        {
            var zh = await (await bad.Send("")).Problem(bad.Status, bad.Code);
            var en = await (await bad.Send("?lang=en")).Problem(bad.Status, bad.Code);
            zh["detail"].Str().ShouldMatch(Cjk, bad.What + ": " + zh.ToJsonString());
            zh["title"].Str().ShouldMatch(Cjk, bad.What);
            NoFieldPath(zh["detail"].Str(), bad.What);
            en["detail"].Str().ShouldMatch("[A-Za-z]{3,}", bad.What);
            en["title"].Str().ShouldNotMatch(Cjk, bad.What);

            // The same code and the same field keys in both languages; every message follows the language.
            en["code"].Str().ShouldBe(zh["code"].Str());
            var zhErrors = zh["errors"]?.AsObject();
            var enErrors = en["errors"]?.AsObject();
            string.Join(",", zhErrors?.Select(kv => kv.Key).Order() ?? Enumerable.Empty<string>()).ShouldBe(string.Join(",", enErrors?.Select(kv => kv.Key).Order() ?? Enumerable.Empty<string>()), bad.What);
            foreach (var (field, messages) in zhErrors ?? [])
            {
                foreach (var m in messages!.AsArray())
                {
                    m.Str().ShouldMatch(Cjk, bad.What + " " + field);
                    NoFieldPath(m.Str(), bad.What + " " + field);
                }
            }

            foreach (var (field, messages) in enErrors ?? [])
            {
                foreach (var m in messages!.AsArray())
                {
                    m.Str().ShouldNotMatch(Cjk + "{4,}", bad.What + " " + field + ": " + m);
                }
            }
        }
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    public async Task Accept_language_and_the_pages_cookie_choose_English(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var body = Draft(Person("110101199001011235"));

        async Task<JsonObject> SendAsync(Action<HttpRequestMessage> set, string query = "")
        {
            using var m = new HttpRequestMessage(HttpMethod.Post, "/api/v1/entries" + query) { Content = JsonContent.Create(body) };
            set(m);
            return await (await court.Clerk.SendCt(m)).Problem(400, "invalid-id-number");
        }

        (await SendAsync(_ => { }))["detail"].Str().ShouldContain("身份证号码：校验码");
        (await SendAsync(m => m.Headers.AcceptLanguage.ParseAdd("en-US,en;q=0.9,zh;q=0.5")))["detail"].Str().ShouldContain("check character");
        (await SendAsync(m => m.Headers.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9,en;q=0.8")))["detail"].Str().ShouldContain("校验码");
        (await SendAsync(m => m.Headers.Add("Cookie", "shixin.lang=en")))["detail"].Str().ShouldContain("check character");
        // ?lang=zh wins over the header.
        (await SendAsync(m => m.Headers.AcceptLanguage.ParseAdd("en"), "?lang=zh"))["detail"].Str().ShouldContain("校验码");
    }

    private const string Cjk = @"\p{IsCJKUnifiedIdeographs}";

    private static void NoFieldPath(string text, string what)
    {
        FieldPath().IsMatch(text).ShouldBeFalse(what + ": field path in Chinese: " + text);
        // No API word left in the Chinese (dates, case numbers, citations and amounts are fine).
        Regex.Replace(text, @"Authorization: Bearer|Idempotency-Key|https?|JSON|CSV|PDF|HTML|UTF-8|GB/T", "").ShouldNotMatch("[a-z]{4,}", what + ": " + text);
    }

    [GeneratedRegex(@"\b[a-z]+[A-Z][A-Za-z]*\b|\b[a-zA-Z]+\.[a-zA-Z]+\b")]
    private static partial Regex FieldPath();
}
