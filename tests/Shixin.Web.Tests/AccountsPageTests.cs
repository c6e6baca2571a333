// Each call runs against a server and browser this test owns and disposes.
#pragma warning disable xUnit1051
using Microsoft.Playwright;
using Shixin.Server.Tests;
using static Shixin.Web.Tests.WebFlowTests;

namespace Shixin.Web.Tests;

/// <summary>
/// Issue 15 item 7 in a browser: the hub administrator unlocks, disables, enables and resets the password of a staff
/// account from /hub/users; the account's user sees the effect at sign-in.
/// </summary>
public sealed class AccountsPageTests
{
    [Fact]
    public async Task The_hub_administrator_unlocks_disables_enables_and_resets_an_account()
    {
        await using var browser = await Browser.StartAsync();
        await using var server = await ShixinServer.StartAsync(Db.Sqlite, Settings);
        await server.OrganizationAsync("court", "court-accounts", "440802", null, "court.clerk");
        await UserAsync(server, "court-accounts", "clerk.wang", "court.clerk");

        // The clerk mistypes the password five times: the account locks.
        var clerk = await browser.PageAsync(server.BaseAddress);
        for (int i = 0; i < 5; i++)
        {
            await clerk.GotoAsync("/signin");
            await clerk.GetByLabel("用户名").FillAsync("clerk.wang");
            await clerk.GetByLabel("密码").FillAsync("wrong-password-" + i);
            await clerk.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        }

        var hub = await browser.PageAsync(server.BaseAddress, width: 1280);
        await SignInAsync(hub, "admin");
        await hub.GotoAsync("/hub/users");
        var row = hub.Locator("tr[data-user='clerk.wang']");
        await Assertions.Expect(row.Locator("td.status")).ToContainTextAsync("已锁定");
        await Browser.ShotAsync(hub, "hub-users-locked-1280");

        // Unlock: the clerk signs in.
        await row.GetByRole(AriaRole.Button, new() { Name = "解锁账户 clerk.wang" }).ClickAsync();
        await Assertions.Expect(hub.Locator("p.success")).ToContainTextAsync("账户 clerk.wang 已解锁");
        await Assertions.Expect(row.Locator("td.status")).ToContainTextAsync("正常");
        await SignInAsync(clerk, "clerk.wang");

        // Disable: the clerk's open session ends at once, and signing in is refused.
        await hub.Locator("tr[data-user='clerk.wang']").GetByRole(AriaRole.Button, new() { Name = "停用账户 clerk.wang" }).ClickAsync();
        await Assertions.Expect(hub.Locator("p.success")).ToContainTextAsync("账户 clerk.wang 已停用，其登录会话已结束");
        await Assertions.Expect(hub.Locator("tr[data-user='clerk.wang'] td.status")).ToContainTextAsync("已停用");
        await Browser.ShotAsync(hub, "hub-users-disabled-1280");
        await clerk.GotoAsync("/court");
        await Assertions.Expect(clerk).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await clerk.GetByLabel("用户名").FillAsync("clerk.wang");
        await clerk.GetByLabel("密码").FillAsync(Password);
        await clerk.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(clerk.Locator("header .who")).ToHaveCountAsync(0);

        // Enable, then reset the password: the old one no longer works, the new one does.
        await hub.Locator("tr[data-user='clerk.wang']").GetByRole(AriaRole.Button, new() { Name = "启用账户 clerk.wang" }).ClickAsync();
        await Assertions.Expect(hub.Locator("p.success")).ToContainTextAsync("账户 clerk.wang 已启用");
        var reset = hub.Locator("tr[data-user='clerk.wang'] form.reset");
        await reset.GetByLabel("新密码（至少10位）").FillAsync("a-new-long-passphrase");
        await reset.GetByRole(AriaRole.Button, new() { Name = "重置密码" }).ClickAsync();
        await Assertions.Expect(hub.Locator("p.success")).ToContainTextAsync("账户 clerk.wang 的密码已重置");

        await clerk.GotoAsync("/signin");
        await clerk.GetByLabel("用户名").FillAsync("clerk.wang");
        await clerk.GetByLabel("密码").FillAsync(Password);
        await clerk.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(clerk.Locator("header .who")).ToHaveCountAsync(0);
        await clerk.GetByLabel("用户名").FillAsync("clerk.wang");
        await clerk.GetByLabel("密码").FillAsync("a-new-long-passphrase");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(clerk.Locator("header .who")).ToContainTextAsync("clerk.wang");

        // The same page at phone width.
        var phone = await browser.PageAsync(server.BaseAddress, width: 390, height: 844);
        await SignInAsync(phone, "admin");
        await phone.GotoAsync("/hub/users");
        await Assertions.Expect(phone.Locator("tr[data-user='clerk.wang'] td.status")).ToContainTextAsync("正常");
        await Browser.ShotAsync(phone, "hub-users-390");
        await Browser.ShotAsync(hub, "hub-users-reset-1280");
    }
}
