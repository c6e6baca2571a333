using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Ops;

namespace Shixin.Server.Hosting;

/// <summary>Runs before the server listens: migrations, the hub administrator key, demo data.</summary>
public sealed class StartupTasks(
    ShixinOptions options,
    ShixinDatabase database,
    ApiKeys keys,
    Readiness readiness,
    ShixinMetrics metrics,
    LedgerSignal signal,
    IServiceProvider services,
    TimeProvider time,
    ILogger<StartupTasks> logger) : IHostedService
{
    public const string HubCode = "hub";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await PrepareAsync(cancellationToken);
        if (options.Demo)
        {
            readiness.Set("loading demo data");
            await services.GetRequiredService<DemoData>().LoadIfEmptyAsync(cancellationToken);
        }

        await using (var db = database.CreateContext())
        {
            var head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync(cancellationToken);
            metrics.LedgerCommitted(head);
            signal.Notify(head);
        }

        RegisterGauges();
        readiness.Set("ready");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Migrations and the hub organization with its administrator key: what the server and the <c>shixin</c> command's
    /// local mode (<see cref="LocalPlatform"/>) both need before touching the ledger.
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        readiness.Set("migrating");
        await database.MigrateAsync(cancellationToken);
        await services.GetRequiredService<RecordsStore>().MigrateAsync(cancellationToken);
        await AdoptObjectionRowsAsync(cancellationToken);
        readiness.Set("bootstrapping");
        await BootstrapAsync(cancellationToken);
    }

    /// <summary>Objections a database kept as rows before they were ledger events get their events, once (<see cref="ObjectionBackfill"/>).</summary>
    private async Task AdoptObjectionRowsAsync(CancellationToken ct)
    {
        var rules = services.GetRequiredService<Shixin.Core.Entries.LegalEntryRules>();
        var result = await ObjectionBackfill.RunAsync(database, time, rules, ct);
        if (result.Objections > 0)
        {
            logger.LogInformation("Recorded {Objections} objections kept as rows before they were ledger events ({Sequences} list sequences)", result.Objections, result.Sequences);
        }

        foreach (var reason in result.Refused)
        {
            // Left as a row: its suspension still holds for checks; the operator corrects the row and restarts.
            logger.LogWarning("Objection row not recorded in the ledger: {Reason}", reason);
        }
    }

    private async Task BootstrapAsync(CancellationToken ct)
    {
        await using var db = database.CreateContext();
        if (!await db.Organizations.AnyAsync(ct))
        {
            db.Organizations.Add(new OrganizationRow
            {
                Code = HubCode, Kind = "hub", Name = "公共信用信息中心（Shixin 平台运营方）", Region = "000000", CreatedAt = time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(ct);
            var (_, key) = await keys.IssueAsync(db, HubCode, [Roles.HubAdmin, Roles.HubAuditor], options.AdminKey, ct);
            if (options.AdminKey is null)
            {
                Directory.CreateDirectory(options.DataDirectory);
                var path = Path.Combine(options.DataDirectory, "admin.key");
                await File.WriteAllTextAsync(path, key + "\n", ct);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                Console.WriteLine("Hub administrator key (shown once; also written to " + path + "):");
                Console.WriteLine("  " + key);
            }
            else
            {
                logger.LogInformation("Hub administrator key taken from SHIXIN_ADMIN_KEY");
            }
        }
        else if (options.AdminKey is not null && !await db.ApiKeys.AnyAsync(k => k.KeyHash == ApiKeys.Hash(options.AdminKey), ct))
        {
            await keys.IssueAsync(db, HubCode, [Roles.HubAdmin, Roles.HubAuditor], options.AdminKey, ct);
            logger.LogInformation("Registered SHIXIN_ADMIN_KEY as a hub administrator key");
        }
    }

    private void RegisterGauges()
    {
        var legal = services.GetRequiredService<Shixin.Core.Entries.LegalEntryRules>();
        LegalSetup.WarnAboutUncoveredYears(legal, Shixin.Core.ChinaTime.Today(time), logger);
        metrics.Gauge("shixin_calendar_covered_until",
            "Unix seconds of the end (24:00 China time) of the last day the official holiday data covers; dates after it are provisional.",
            () => LegalSetup.CoveredUntilUnixSeconds(legal));
        metrics.Gauge("shixin_list_entries", "Entries by status.", "status", () =>
        {
            using var db = database.CreateContext();
            return db.Entries.AsNoTracking().GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToList()
                .Select(x => (x.Key, (double)x.Count)).ToList();
        });
        metrics.Gauge("shixin_list_screened", "Entries on the list that units screen against.", () =>
        {
            using var db = database.CreateContext();
            return db.Entries.AsNoTracking().Count(e => e.Screened);
        });
    }
}
