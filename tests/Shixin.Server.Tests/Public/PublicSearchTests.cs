// Each call runs against a server this test owns and disposes; xunit's cancellation adds nothing here.
#pragma warning disable xUnit1051
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shixin.Core.Identifiers;

namespace Shixin.Server.Tests.Public;

/// <summary>The public query API: only public listed entries, masked IDs, a name required, rate limited.</summary>
public sealed class PublicSearchTests
{
    private static readonly IdentifierGenerator Ids = new(5150);

    internal static string NewId() => Ids.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1990, 12, 31)).Value;

    internal static string NewCreditCode() => Ids.NextCreditCode("440802").Value;

    /// <summary>Drafts an entry through the API and optionally serves the notice and decides it.</summary>
    internal static async Task<string> EntryAsync(HttpClient court, object subject, string caseNo, bool list, string publicity = "public")
    {
        var draft = await court.PostAsJsonAsync("/api/v1/entries", new
        {
            caseNumber = caseNo,
            filingDate = "2024-03-01",
            basisDocument = new { number = "(2023)粤0802民初99号", issuer = "湛江市赤坎区人民法院" },
            obligation = "支付货款人民币50000元及利息",
            performance = new { performedAmount = 0, unperformedAmount = 50000 },
            circumstances = new[] { "capable-but-refuses" },
            subject,
            publicity,
        });
        var body = await draft.Content.ReadAsStringAsync();
        draft.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        if (list)
        {
            (await court.PostAsJsonAsync("/api/v1/entries/" + id + "/risk-notice", new { servedOn = "2024-03-05" })).EnsureSuccessStatusCode();
            var decided = await court.PostAsJsonAsync("/api/v1/entries/" + id + "/decision", new { decidedOn = "2024-04-01" });
            decided.StatusCode.ShouldBe(HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        }

        return id;
    }

    [Fact]
    public async Task Search_shows_only_public_listed_entries_with_masked_ids()
    {
        await using var server = await ShixinServer.StartAsync(Db.Sqlite);
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        var personId = NewId();
        var restrictedId = NewId();
        var draftId = NewId();
        var listed = await EntryAsync(court, new { kind = "person", name = "张公开", idNumber = personId }, "(2024)粤0802执101号", list: true);
        var restricted = await EntryAsync(court, new { kind = "person", name = "张公开", idNumber = restrictedId }, "(2024)粤0802执102号", list: true, publicity: "restricted");
        var drafted = await EntryAsync(court, new { kind = "person", name = "张公开", idNumber = draftId }, "(2024)粤0802执103号", list: false);
        var code = NewCreditCode();
        await EntryAsync(court, new { kind = "organization", name = "湛江某某贸易有限公司", creditCode = code, legalRepresentative = new { name = "李法人", idNumber = NewId() } },
            "(2024)粤0802执104号", list: true);

        var anonymous = server.Client();
        var response = await anonymous.GetAsync("/api/v1/public/search?name=" + Uri.EscapeDataString("张公开"));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var items = JsonNode.Parse(text)!["items"]!.AsArray();
        items.Count.ShouldBe(1);
        var item = items[0]!;
        item["id"]!.GetValue<string>().ShouldBe(listed);
        item["identifier"]!.GetValue<string>().ShouldBe(personId[..10] + "****" + personId[14..]);
        item["caseNumber"]!.GetValue<string>().ShouldBe("(2024)粤0802执101号");
        item["courtName"]!.GetValue<string>().ShouldBe("zj-chikan 名称");
        item["circumstancesZh"]![0]!.GetValue<string>().ShouldBe("有履行能力而拒不履行生效法律文书确定义务");
        item["performance"]!.GetValue<string>().ShouldBe("全部未履行");
        text.ShouldNotContain(personId);
        text.ShouldNotContain(restrictedId[..10] + "****");
        text.ShouldNotContain(restricted);
        text.ShouldNotContain(drafted);

        // The full ID number with the name finds the person; the restricted and draft ones stay invisible by ID too.
        var byName = "name=" + Uri.EscapeDataString("张公开") + "&idNumber=";
        (await SearchItems(anonymous, byName + personId)).Count.ShouldBe(1);
        (await SearchItems(anonymous, byName + restrictedId)).Count.ShouldBe(0);
        (await SearchItems(anonymous, byName + draftId)).Count.ShouldBe(0);

        // Organizations: the credit code in full, with the legal representative's name but not their ID.
        var org = await SearchItems(anonymous, "creditCode=" + code);
        org.Count.ShouldBe(1);
        org[0]!["identifier"]!.GetValue<string>().ShouldBe(code);
        org[0]!["legalRepresentative"]!.GetValue<string>().ShouldBe("李法人");

        // Detail: public entries only.
        (await anonymous.GetAsync("/api/v1/public/entries/" + listed)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("/api/v1/public/entries/" + restricted)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetAsync("/api/v1/public/entries/" + drafted)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var detail = await anonymous.GetStringAsync("/api/v1/public/entries/" + listed);
        detail.ShouldNotContain(personId);
    }

    [Fact]
    public async Task Search_needs_a_name_or_a_full_identifier()
    {
        await using var server = await ShixinServer.StartAsync(Db.Sqlite);
        var anonymous = server.Client();
        var empty = await anonymous.GetAsync("/api/v1/public/search");
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        empty.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var partial = await anonymous.GetAsync("/api/v1/public/search?idNumber=3423011964");
        partial.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await partial.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>().ShouldBe("invalid-id-number");
        (await anonymous.GetAsync("/api/v1/public/search?name=x&cursor=abc")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Pages_follow_the_cursor()
    {
        await using var server = await ShixinServer.StartAsync(Db.Sqlite);
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        for (var i = 0; i < 22; i++)
        {
            await EntryAsync(court, new { kind = "person", name = "王同名", idNumber = NewId() }, "(2024)粤0802执" + (200 + i).ToString(System.Globalization.CultureInfo.InvariantCulture) + "号", list: true);
        }

        var anonymous = server.Client();
        var first = JsonNode.Parse(await anonymous.GetStringAsync("/api/v1/public/search?name=" + Uri.EscapeDataString("王同名")))!;
        first["items"]!.AsArray().Count.ShouldBe(20);
        var next = first["next"]!.GetValue<string>();
        var second = JsonNode.Parse(await anonymous.GetStringAsync("/api/v1/public/search?name=" + Uri.EscapeDataString("王同名") + "&cursor=" + next))!;
        second["items"]!.AsArray().Count.ShouldBe(2);
        second["next"].ShouldBeNull();
        var ids = first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(x => x!["id"]!.GetValue<string>()).ToList();
        ids.Distinct().Count().ShouldBe(22);
    }

    [Fact]
    public async Task Too_many_queries_from_one_address_get_429_with_retry_after()
    {
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["SHIXIN_PUBLIC_RATE_PER_MINUTE"] = "3" });
        var anonymous = server.Client();
        for (var i = 0; i < 3; i++)
        {
            (await anonymous.GetAsync("/api/v1/public/search?name=" + Uri.EscapeDataString("赵某"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var limited = await anonymous.GetAsync("/api/v1/public/search?name=" + Uri.EscapeDataString("赵某"));
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
        limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 60);
        limited.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await limited.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>().ShouldBe("rate-limited");

        // The detail shares the allowance; authenticated APIs are not limited by it.
        (await anonymous.GetAsync("/api/v1/public/entries/" + Guid.NewGuid())).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await server.Admin.GetAsync("/api/v1/organizations")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_hub_creates_staff_accounts_for_organizations()
    {
        await using var server = await ShixinServer.StartAsync(Db.Sqlite);
        await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk");
        var created = await server.Admin.PostAsJsonAsync("/api/v1/organizations/zj-chikan/users", new { userName = "clerk.li", password = "correct-horse-1", roles = new[] { "court.clerk" } });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var body = await created.Content.ReadAsStringAsync();
        body.ShouldNotContain("passwordHash", Case.Insensitive);
        (await server.Admin.PostAsJsonAsync("/api/v1/organizations/zj-chikan/users", new { userName = "clerk.li", password = "correct-horse-1", roles = new[] { "court.clerk" } }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await server.Admin.PostAsJsonAsync("/api/v1/organizations/zj-chikan/users", new { userName = "x.unit", password = "correct-horse-1", roles = new[] { "unit.checker" } }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await server.Admin.PostAsJsonAsync("/api/v1/organizations/zj-chikan/users", new { userName = "short.pw", password = "short", roles = new[] { "court.clerk" } }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await server.Client().PostAsJsonAsync("/api/v1/organizations/zj-chikan/users", new { userName = "anon", password = "correct-horse-1", roles = new[] { "court.clerk" } }))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var list = await server.Admin.GetFromJsonAsync<JsonArray>("/api/v1/organizations/zj-chikan/users");
        list!.Count.ShouldBe(1);
    }

    private static async Task<JsonArray> SearchItems(HttpClient client, string query)
    {
        var r = await client.GetAsync("/api/v1/public/search?" + query);
        var text = await r.Content.ReadAsStringAsync();
        r.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["items"]!.AsArray();
    }
}
