// Each call runs against a server and browser this test owns and disposes.
#pragma warning disable xUnit1051
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Shixin.Core.Identifiers;
using Shixin.Server.Tests;

namespace Shixin.Web.Tests;

/// <summary>DOMAIN.md "Time": a due date counted into a year whose holiday notice is not published is marked （暂定） in the court console.</summary>
public sealed class ProvisionalDateTests
{
    private static readonly IdentifierGenerator Ids = new(2027);

    [Fact]
    public async Task The_queue_and_the_entry_mark_a_review_date_that_waits_for_the_2027_notice()
    {
        await using var browser = await Browser.StartAsync();
        var settings = new Dictionary<string, string?>(WebFlowTests.Settings) { ["SHIXIN_RULE_SET"] = "spc-2017" };
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, settings);
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        await WebFlowTests.UserAsync(server, "zj-chikan", "judge.li", "court.judge");
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var id = Ids.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1990, 12, 31)).Value;
        var entry = await WebFlowTests.ListAsync(court, "郑暂定", id, "(2026)粤0802执977号", today.AddDays(-3));

        // spc-2017 reviews a correction in 15 days (Art. 12): filed on 2026-12-04 it is due Monday 2026-12-21, which the
        // unpublished 2027 notice could still move.
        var filed = await court.PostAsJsonAsync("/api/v1/entries/" + entry + "/corrections",
            new { receivedOn = WebFlowTests.Iso(today.AddDays(-1)), filedOn = WebFlowTests.Iso(today), grounds = "已履行完毕" });
        var correction = JsonNode.Parse(await filed.Content.ReadAsStringAsync())!;
        var due = correction["reviewDueOn"]!.GetValue<string>();
        Assert.SkipUnless(correction["reviewDueOnProvisional"]!.GetValue<bool>(), "the review date " + due + " is not provisional on " + today);

        var judge = await browser.PageAsync(server.BaseAddress, 1280, 900);
        await WebFlowTests.SignInAsync(judge, "judge.li");
        await judge.GotoAsync("/court/queue");
        var mark = judge.Locator("#ruling-" + correction["id"]!.GetValue<string>() + " .provisional");
        await Assertions.Expect(mark).ToHaveTextAsync("（暂定）");
        await Assertions.Expect(mark).ToHaveAttributeAsync("title", "2027年国务院节假日安排尚未公布，此日期暂按周末推算，公布后将重新计算");
        await Assertions.Expect(judge.Locator(".provisional-note").First).ToContainTextAsync("2027年国务院节假日安排尚未公布");
        await Browser.ShotAsync(judge, "30-court-queue-provisional-1280");

        await judge.GotoAsync("/court/entry/" + entry);
        await Assertions.Expect(judge.Locator("#corrections .provisional")).ToHaveTextAsync("（暂定）");
        await Browser.ShotAsync(judge, "31-court-entry-provisional-1280");

        var phone = await browser.PageAsync(server.BaseAddress, 390, 844);
        await WebFlowTests.SignInAsync(phone, "judge.li");
        await phone.GotoAsync("/court/queue");
        await Assertions.Expect(phone.Locator(".provisional").First).ToBeVisibleAsync();
        await Browser.ShotAsync(phone, "32-court-queue-provisional-390");
    }
}
