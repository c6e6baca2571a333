using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;

namespace Shixin.Server.Ops;

/// <summary>An audit record as the auditor reads it.</summary>
public sealed record AuditItem(long Id, DateTimeOffset At, string Organization, string? KeyId, string Action, string Target, string? Detail);

/// <summary>Health, readiness, metrics and the audit trail.</summary>
public static class OpsApi
{
    public static WebApplication MapOpsApi(this WebApplication app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).WithTags("Operations").WithSummary("The process is up").Produces<string>(200, "text/plain");
        app.MapGet("/readyz", Ready).WithTags("Operations").WithSummary("The database answers and start-up finished").Produces<string>(200, "text/plain")
            .ProducesProblem(503);
        app.MapGet("/metrics", (ShixinMetrics m) => TypedResults.Text(m.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithTags("Operations").WithSummary("Prometheus text format").Produces<string>(200, "text/plain");
        app.MapGroup("/api/v1").MapGet("/audit", AuditTrail).RequireRoles(Roles.HubAuditor, Roles.HubAdmin)
            .WithTags("Hub: oversight").WithSummary("The audit trail, newest last, cursor-paginated").Produces<Page<AuditItem>>();
        return app;
    }

    internal static async Task<IResult> Ready(ShixinDatabase database, Readiness readiness, Units.IndexFollower follower, CancellationToken ct)
    {
        if (!readiness.IsReady || !follower.IsLoaded)
        {
            return TypedResults.Problem(detail: "start-up has not finished: " + (readiness.IsReady ? "loading the screening index" : readiness.Stage),
                statusCode: 503, extensions: new Dictionary<string, object?> { ["code"] = "not-ready" });
        }

        try
        {
            await using var db = database.CreateContext();
            await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
            return TypedResults.Text("ready");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return TypedResults.Problem(detail: "database unavailable: " + ex.Message, statusCode: 503, extensions: new Dictionary<string, object?> { ["code"] = "database-unavailable" });
        }
    }

    internal static async Task<IResult> AuditTrail(ShixinDatabase database, long? cursor, int? limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 100, 1, 1000);
        await using var db = database.CreateContext();
        var after = cursor ?? 0;
        var rows = await db.Audit.AsNoTracking().Where(a => a.Id > after).OrderBy(a => a.Id).Take(take + 1).ToListAsync(ct);
        var items = rows.Take(take).Select(a => new AuditItem(a.Id, Shixin.Core.ChinaTime.ToChina(a.At), a.OrganizationCode, a.KeyId, a.Action, a.Target, a.Detail)).ToArray();
        return TypedResults.Ok(new Page<AuditItem>([.. items], rows.Count > take ? items[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
    }
}

/// <summary>Whether start-up (migrations, bootstrap, demo data) has finished.</summary>
public sealed class Readiness
{
    private volatile string _stage = "starting";

    public bool IsReady => string.Equals(_stage, "ready", StringComparison.Ordinal);

    public string Stage => _stage;

    public void Set(string stage) => _stage = stage;
}
