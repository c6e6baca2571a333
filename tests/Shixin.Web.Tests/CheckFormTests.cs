// Each call runs against a server and browser this test owns and disposes.
#pragma warning disable xUnit1051
using Microsoft.Playwright;
using Shixin.Core.Identifiers;
using Shixin.Server.Tests;

namespace Shixin.Web.Tests;

/// <summary>The unit's check form asks for the chosen scenario's context and an organization's officers, and explains clause by clause.</summary>
public sealed class CheckFormTests
{
    private static readonly IdentifierGenerator Ids = new(2031);

    [Fact]
    public async Task A_rail_counter_gives_train_and_seat_and_an_inspector_gives_a_companys_officers()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, WebFlowTests.Settings);
        var court = await server.OrganizationAsync("court", "zj-chikan", "440802", null, "court.clerk", "court.judge");
        await server.OrganizationAsync("unit", "unit-rail", "110000", null, "unit.checker");
        await WebFlowTests.UserAsync(server, "unit-rail", "checker.rail", "unit.checker");
        var id = Ids.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1990, 12, 31)).Value;
        await WebFlowTests.ListAsync(court, "吴车票", id, "(2024)粤0802执851号", new DateOnly(2024, 4, 1));

        var page = await browser.PageAsync(server.BaseAddress, 1280);
        await WebFlowTests.SignInAsync(page, "checker.rail");
        await page.GotoAsync("/unit");

        // Only the chosen scenario's fields show: none for flights, train type and seat class for rail.
        await page.GetByLabel("业务场景").SelectOptionAsync("civil-aviation.ticket");
        await Assertions.Expect(page.Locator("#context-fields")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#officers")).ToBeHiddenAsync();
        await page.GetByLabel("业务场景").SelectOptionAsync("rail.ticket");
        await Assertions.Expect(page.GetByLabel("车次类型")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("宾馆酒店等级")).ToBeHiddenAsync();

        // A D train, second class: open (000 §二(七)1), the hit explained as outside the restriction.
        await page.GetByLabel("车次类型").SelectOptionAsync("D");
        await page.GetByLabel("席别").SelectOptionAsync("second");
        await page.GetByLabel("证件号码").FillAsync(id);
        await page.GetByRole(AriaRole.Button, new() { Name = "核查", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".outcome").First).ToHaveAttributeAsync("data-outcome", "clear");
        await Assertions.Expect(page.Locator("#outcome li[data-reason=outside-context]")).ToContainTextAsync("不在所填业务情形的限制范围内");
        await Browser.ShotAsync(page, "30-unit-check-rail-d-second");

        // Seat class left out: the strictest case, the clause words shown, and the missing field named.
        await page.GetByLabel("席别").SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "核查", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".outcome").First).ToHaveAttributeAsync("data-outcome", "block");
        await Assertions.Expect(page.Locator(".needs-context")).ToContainTextAsync("席别");
        await Assertions.Expect(page.Locator("#outcome td.clause-text").First).ToContainTextAsync("列车软卧");
        await Browser.ShotAsync(page, "31-unit-check-rail-needs-context");

        // An organization checked through its director, who is the listed debtor.
        await page.GetByLabel("业务场景").SelectOptionAsync("market-supervision.random-inspection");
        await page.GetByLabel("证件类型").SelectOptionAsync("credit");
        await Assertions.Expect(page.Locator("#officers")).ToBeVisibleAsync();
        await page.GetByLabel("证件号码").FillAsync(Ids.NextCreditCode().Value);
        await page.GetByLabel("职务 2").SelectOptionAsync("director");
        await page.GetByLabel("人员身份证号 2").FillAsync(id);
        await page.GetByRole(AriaRole.Button, new() { Name = "核查", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".outcome").First).ToHaveAttributeAsync("data-outcome", "review");
        await Assertions.Expect(page.Locator("#outcome .via-officer")).ToContainTextAsync(id);
        await Assertions.Expect(page.Locator("#outcome")).ToContainTextAsync("董事");
        await Browser.ShotAsync(page, "32-unit-check-officer");

        var phone = await browser.PageAsync(server.BaseAddress, 390, 844);
        await WebFlowTests.SignInAsync(phone, "checker.rail");
        await phone.GotoAsync("/unit");
        await phone.GetByLabel("业务场景").SelectOptionAsync("rail.ticket");
        await phone.GetByLabel("证件号码").FillAsync(id);
        await phone.GetByRole(AriaRole.Button, new() { Name = "核查", Exact = true }).ClickAsync();
        await Assertions.Expect(phone.Locator(".outcome").First).ToHaveAttributeAsync("data-outcome", "block");
        await Browser.ShotAsync(phone, "33-unit-check-rail-390");
    }
}
