using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Hosting;

namespace Shixin.Server.Auth;

/// <summary>
/// After migrations: creates the hub's first personal account from SHIXIN_ADMIN_PASSWORD (user <c>admin</c>),
/// and with --demo, staff accounts for a demo court and unit (password <see cref="DemoPassword"/>).
/// </summary>
public sealed class StaffBootstrap(ShixinOptions options, IConfiguration config, ShixinDatabase database, StaffAccounts accounts, ILogger<StaffBootstrap> logger) : IHostedService
{
    public const string AdminUserName = "admin";
    public const string DemoPassword = "shixin-demo-2024";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (config["SHIXIN_ADMIN_PASSWORD"] is { Length: > 0 } password)
        {
            await using var db = database.CreateContext();
            if (!await db.Users.AnyAsync(u => u.UserName == AdminUserName, cancellationToken))
            {
                var (_, problem) = await accounts.CreateAsync(null, StartupTasks.HubCode, AdminUserName, "平台管理员", password, [Roles.HubAdmin, Roles.HubAuditor], cancellationToken);
                if (problem is not null)
                {
                    logger.LogWarning("SHIXIN_ADMIN_PASSWORD was not accepted (at least {Length} characters)", StaffAccounts.MinPasswordLength);
                }
                else
                {
                    logger.LogInformation("Created the hub account '{User}' from SHIXIN_ADMIN_PASSWORD", AdminUserName);
                }
            }
        }

        if (options.Demo)
        {
            await DemoAccountsAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Demo staff for the court with the most entries and a unit; only when there are no accounts yet.</summary>
    private async Task DemoAccountsAsync(CancellationToken ct)
    {
        await using var db = database.CreateContext();
        if (await db.Users.AnyAsync(ct))
        {
            return;
        }

        var court = await db.Entries.AsNoTracking().GroupBy(e => e.CourtCode).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefaultAsync(ct)
            ?? await db.Organizations.AsNoTracking().Where(o => o.Kind == "court").OrderBy(o => o.Code).Select(o => o.Code).FirstOrDefaultAsync(ct);
        var unit = await db.Organizations.AsNoTracking().Where(o => o.Kind == "unit").OrderBy(o => o.Code).Select(o => o.Code).FirstOrDefaultAsync(ct);
        var created = new List<string>();
        async Task Add(string? org, string user, string display, string[] roles)
        {
            if (org is not null && (await accounts.CreateAsync(null, org, user, display, DemoPassword, roles, ct)).Problem is null)
            {
                created.Add(user + " (" + org + ": " + string.Join(',', roles) + ")");
            }
        }

        await Add(court, "clerk", "演示书记员", [Roles.CourtClerk]);
        await Add(court, "judge", "演示法官", [Roles.CourtJudge, Roles.CourtClerk]);
        await Add(unit, "checker", "演示核查员", [Roles.UnitChecker, Roles.UnitFeedback]);
        await Add(StartupTasks.HubCode, "hub", "演示监管员", [Roles.HubAdmin, Roles.HubAuditor]);
        if (created.Count > 0)
        {
            Console.WriteLine("Demo staff accounts for the web consoles (password " + DemoPassword + "): " + string.Join("; ", created));
        }
    }
}
