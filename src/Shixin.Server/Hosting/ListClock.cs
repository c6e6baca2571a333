using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Ops;

namespace Shixin.Server.Hosting;

/// <summary>
/// Time-driven list changes: publishes entries whose grace period ended (法发〔2019〕35号 §15)
/// and ends listings whose term ran out (SPC Art. 2, Art. 10 para 2).
/// </summary>
public sealed class ListClock(ShixinOptions options, ShixinDatabase database, EntryService entries, Readiness readiness, TimeProvider time, ILogger<ListClock> logger)
    : BackgroundService
{
    private static readonly Caller System = new("system", StartupTasks.HubCode, "hub", "000000", null, [Roles.HubAdmin]);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (readiness.IsReady)
            {
                try
                {
                    await TickAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "List clock tick failed; will retry");
                }
            }

            await Task.Delay(readiness.IsReady ? options.ClockInterval : TimeSpan.FromMilliseconds(200), time, stoppingToken);
        }
    }

    /// <summary>One pass: returns how many entries changed.</summary>
    public async Task<int> TickAsync(CancellationToken ct)
    {
        var today = ChinaTime.Today(time);
        List<(Guid Id, bool Publish)> due;
        await using (var db = database.CreateContext())
        {
            var listed = EntryStatus.Listed.ToApi();
            var toPublish = await db.Entries.AsNoTracking()
                .Where(e => e.Status == listed && !e.Screened && e.PublishedOn <= today).Select(e => e.Id).Take(1000).ToListAsync(ct);
            var toExpire = await db.Entries.AsNoTracking()
                .Where(e => e.Status == listed && e.ExpiresOn < today).Select(e => e.Id).Take(1000).ToListAsync(ct);
            due = [.. toPublish.Select(id => (id, true)), .. toExpire.Select(id => (id, false))];
        }

        var changed = 0;
        foreach (var (id, publish) in due)
        {
            var outcome = await entries.RunAsync(id, System, publish ? "entry.publish" : "entry.expire",
                (_, s) => Task.FromResult<EntryService.Build>(publish ? new PublishListing(today) : new ExpireTerm(today)), null, ct);
            if (outcome.Problem is null)
            {
                changed++;
            }
        }

        if (changed > 0)
        {
            logger.LogInformation("List clock published or expired {Count} entries", changed);
        }

        return changed;
    }
}
