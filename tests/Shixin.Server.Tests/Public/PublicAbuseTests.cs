// Each call runs against a server this test owns and disposes; xunit's cancellation adds nothing here.
#pragma warning disable xUnit1051
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shixin.Core.Identifiers;

namespace Shixin.Server.Tests.Public;

/// <summary>
/// Issue 11 F3 and F14: the public search cannot be used to recover a full ID number from the masked one, and the
/// public writes and lists are rate-limited.
/// </summary>
public sealed class PublicAbuseTests
{
    private static readonly IdentifierGenerator Ids = new(7311);

    [Fact]
    public async Task Looping_the_hidden_birth_dates_of_a_masked_number_does_not_reveal_which_is_listed()
    {
        // The per-address allowance is lifted so that only the per-name rule is under test.
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["SHIXIN_PUBLIC_RATE_PER_MINUTE"] = "1000" });
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        const string name = "周枚举";

        // Born late in the year, so the true date comes after the allowance in a date-ordered loop.
        var personId = Ids.NextResidentId(new DateOnly(1964, 12, 15), new DateOnly(1964, 12, 31)).Value;
        await PublicSearchTests.EntryAsync(court, new { kind = "person", name, idNumber = personId }, "(2024)粤0802执301号", list: true);
        var anonymous = server.Client();

        // What the attacker sees: the masked number, as the national site shows it.
        var byName = JsonNode.Parse(await anonymous.GetStringAsync("/api/v1/public/search?name=" + Uri.EscapeDataString(name)))!["items"]!.AsArray();
        var masked = byName.Single()!["identifier"]!.GetValue<string>();
        masked.ShouldBe(personId[..10] + "****" + personId[14..]);

        // An ID number alone is refused: it only narrows a name search.
        (await anonymous.GetAsync("/api/v1/public/search?idNumber=" + personId)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // Both must match the same entry: the right number with another name finds nothing.
        (await Items(anonymous, "name=" + Uri.EscapeDataString("周别人") + "&idNumber=" + personId)).Count.ShouldBe(0);

        // The honest caller with the exact full number and the name finds the entry (one of the allowance's 5).
        (await Items(anonymous, "name=" + Uri.EscapeDataString(name) + "&idNumber=" + personId)).Count.ShouldBe(1);

        // Every valid number behind the mask: region and year known, birth month and day looped, check digit fits.
        var candidates = new List<string>();
        for (var d = new DateOnly(1964, 1, 1); d.Year == 1964; d = d.AddDays(1))
        {
            var text = masked[..6] + d.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + masked[14..];
            if (ResidentId.TryParse(text, out _))
            {
                candidates.Add(text);
            }
        }

        candidates.ShouldContain(personId);
        candidates.Count.ShouldBeGreaterThan(10);
        candidates.IndexOf(personId).ShouldBeGreaterThan(4);

        var answered = 0;
        var limited = 0;
        var found = new List<string>();
        foreach (var candidate in candidates)
        {
            var r = await anonymous.GetAsync("/api/v1/public/search?name=" + Uri.EscapeDataString(name) + "&idNumber=" + candidate);
            if (r.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited++;
                r.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThan(60);
                (await r.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>().ShouldBe("rate-limited");
                continue;
            }

            r.StatusCode.ShouldBe(HttpStatusCode.OK);
            answered++;
            if (JsonNode.Parse(await r.Content.ReadAsStringAsync())!["items"]!.AsArray().Count > 0)
            {
                found.Add(candidate);
            }
        }

        // Four tries left after the honest query, all spent on wrong dates; the rest cut off.
        answered.ShouldBe(4);
        limited.ShouldBe(candidates.Count - 4);
        found.ShouldBeEmpty();

        // The same rule on the portal; a name search alone still answers.
        var page = await anonymous.GetAsync("/?name=" + Uri.EscapeDataString(name) + "&idNumber=" + personId);
        page.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await page.Content.ReadAsStringAsync()).ShouldNotContain(personId);
        (await Items(anonymous, "name=" + Uri.EscapeDataString(name))).Count.ShouldBe(1);

        // Another counterparty of the same name (another masked number) is not locked out by this one.
        var other = Ids.NextResidentId(new DateOnly(1970, 1, 1), new DateOnly(1970, 12, 31)).Value;
        (await Items(anonymous, "name=" + Uri.EscapeDataString(name) + "&idNumber=" + other)).Count.ShouldBe(0);
    }

    [Fact]
    public async Task The_portal_wants_the_name_with_an_id_number_and_never_shows_the_full_number()
    {
        await using var server = await ShixinServer.StartAsync(Db.Sqlite);
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        var personId = Ids.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1990, 12, 31)).Value;
        await PublicSearchTests.EntryAsync(court, new { kind = "person", name = "吴门户", idNumber = personId }, "(2024)粤0802执302号", list: true);
        var anonymous = server.Client();
        var alone = await anonymous.GetStringAsync("/?idNumber=" + personId);
        alone.ShouldContain("按身份证号码查询时须同时填写被执行人姓名");
        alone.ShouldNotContain("(2024)粤0802执302号");
        var both = await anonymous.GetStringAsync("/?name=" + Uri.EscapeDataString("吴门户") + "&idNumber=" + personId);
        both.ShouldContain("(2024)粤0802执302号");
        both.ShouldContain(personId[..10] + "****" + personId[14..]);

        // By name alone the portal shows the number only as the national site does.
        var byName = await anonymous.GetStringAsync("/?name=" + Uri.EscapeDataString("吴门户"));
        byName.ShouldContain(personId[..10] + "****" + personId[14..]);
        byName.ShouldNotContain(personId);
    }

    [Fact]
    public async Task Complaints_and_removals_are_rate_limited()
    {
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, new Dictionary<string, string?>
        {
            ["SHIXIN_COMPLAINTS_PER_HOUR"] = "2",
            ["SHIXIN_PUBLIC_RATE_PER_MINUTE"] = "3",
        });
        var anonymous = server.Client();
        for (var i = 0; i < 2; i++)
        {
            (await anonymous.PostAsJsonAsync("/api/v1/complaints", new { againstOrganization = "no-such-unit", description = "x", contact = "y" }))
                .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        var limited = await anonymous.PostAsJsonAsync("/api/v1/complaints", new { againstOrganization = "no-such-unit", description = "x", contact = "y" });
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();

        // The complaint page's form posts share the filing allowance.
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["AgainstOrganization"] = "x", ["Description"] = "x", ["Contact"] = "y" });
        (await anonymous.PostAsync("/complaint", form)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        for (var i = 0; i < 3; i++)
        {
            (await anonymous.GetAsync("/api/v1/public/removals?since=2024-01-01")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await anonymous.GetAsync("/api/v1/public/removals?since=2024-01-01")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    private static async Task<JsonArray> Items(HttpClient client, string query)
    {
        var r = await client.GetAsync("/api/v1/public/search?" + query);
        var text = await r.Content.ReadAsStringAsync();
        r.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["items"]!.AsArray();
    }
}
