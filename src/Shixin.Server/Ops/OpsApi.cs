using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;
using Shixin.Server.Units;

namespace Shixin.Server.Ops;

/// <summary>
/// An audit record as the auditor reads it: <c>id</c> is its place in the trail; <c>subject</c> the keyed hash of the
/// identifier read or checked, <c>subjectMasked</c> the identifier with its middle hidden; <c>hash</c> chains it to the record before.
/// </summary>
public sealed record AuditItem(long Id, DateTimeOffset At, string Organization, string? KeyId, string Action, string? Target, string? Detail,
    string? Subject, string? SubjectMasked, string? Scenario, string? Outcome, long? ListSequence, Guid? CheckId, int? BatchLines, string Hash);

/// <summary>Health, readiness, metrics and the audit trail.</summary>
public static class OpsApi
{
    public static WebApplication MapOpsApi(this WebApplication app)
    {
        // ASP.NET Core health checks: /healthz is liveness (no check runs: the process answers), /readyz runs the checks
        // tagged "ready" (start-up finished, the screening index loaded, the database answers).
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponses.WriteAsync })
            .WithTags("Operations").WithSummary("The process is up");
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponses.WriteAsync })
            .WithTags("Operations").WithSummary("The database answers and start-up finished");
        // OpenTelemetry's Prometheus exporter answers the text format (0.0.4), or OpenMetrics when a scraper asks for it.
        app.MapPrometheusScrapingEndpoint("/metrics")
            .WithTags("Operations").WithSummary("Prometheus text format");
        app.MapGroup("/api/v1").MapGet("/audit", AuditTrail).RequireRoles(Roles.HubAuditor, Roles.HubAdmin)
            .WithTags("Hub: oversight").WithSummary("The audit trail, newest last, cursor-paginated").Produces<Page<AuditItem>>();
        return app;
    }

    /// <summary>
    /// The trail, oldest first, a page at a time. With an identifier (idNumber, creditCode, organizationCode or passport) only the
    /// records about that subject: found by its keyed hash, including batch chunks whose compact hashes hold it.
    /// </summary>
    internal static async Task<IResult> AuditTrail(HttpContext http, ShixinDatabase database, Audit audit, SubjectHasher hasher, long? cursor, int? limit,
        string? idNumber, string? creditCode, string? organizationCode, string? passport, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 100, 1, 1000);
        var after = cursor ?? 0;
        string? subjectKey = null;
        if (idNumber is not null || creditCode is not null || organizationCode is not null || passport is not null)
        {
            var errors = new FieldErrors();
            if (Units.CheckService.KeyOf(new Units.CheckSubject(idNumber, creditCode, organizationCode, passport, null), "subject", errors) is not { } key)
            {
                return errors.ToProblem();
            }

            subjectKey = Units.ScreeningKeys.Text(key);
        }

        // Writes are copied from their transactions' audit rows; bring the copy up to now so the page shows them.
        await audit.CatchUpAsync(ct);
        await using var db = database.Records.CreateContext();
        var query = db.Trail.AsNoTracking().Where(a => a.Seq > after);
        List<AuditTrailRow> rows;
        if (subjectKey is null)
        {
            rows = await query.OrderBy(a => a.Seq).Take(take + 1).ToListAsync(ct);
        }
        else
        {
            var hash = hasher.Hash(subjectKey);
            var direct = await query.Where(a => a.Subject == hash).OrderBy(a => a.Seq).Take(take + 1).ToListAsync(ct);
            // Batch chunks keep 8 bytes of the same keyed hash per line: scanned here, which is slow but rare (an auditor's question).
            var batches = new List<AuditTrailRow>();
            await foreach (var b in query.Where(a => a.Action == "check.batch-lines").OrderBy(a => a.Seq).AsAsyncEnumerable().WithCancellation(ct))
            {
                if (hasher.InBatch(subjectKey, b.Subjects) && batches.Count <= take)
                {
                    batches.Add(b);
                }
            }

            rows = [.. direct.Concat(batches).OrderBy(a => a.Seq).Take(take + 1)];
        }

        var items = rows.Take(take).Select(a => new AuditItem(a.Seq, Shixin.Core.ChinaTime.ToChina(a.At), a.OrganizationCode, a.KeyId, a.Action, a.Target, a.Detail,
            a.Subject, a.SubjectMask, a.Scenario, a.Outcome, a.ListSeq, a.CheckId, a.Subjects is null ? null : a.Subjects.Length / 8,
            Convert.ToHexStringLower(a.Hash))).ToArray();
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

/// <summary>Start-up (migrations, bootstrap, demo data) has finished and the screening index is loaded.</summary>
internal sealed class StartupHealthCheck(Readiness readiness, Units.IndexFollower follower) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady && follower.IsLoaded
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("start-up has not finished: " + (readiness.IsReady ? "loading the screening index" : readiness.Stage),
                data: new Dictionary<string, object> { ["code"] = "not-ready", ["zh"] = "系统正在启动（" + (readiness.IsReady ? "加载比对索引" : readiness.Stage) + "）" }));
}

/// <summary>The ledger database answers a trivial query.</summary>
internal sealed class DatabaseHealthCheck(ShixinDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = database.CreateContext();
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("database unavailable: " + ex.Message,
                data: new Dictionary<string, object> { ["code"] = "database-unavailable", ["zh"] = "数据库不可用" });
        }
    }
}

/// <summary>Healthy: the plain text probes expect ("ok" / "ready"). Unhealthy: an RFC 9457 problem with the failing check's code.</summary>
internal static class HealthResponses
{
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        if (report.Status == HealthStatus.Healthy)
        {
            http.Response.ContentType = "text/plain; charset=utf-8";
            return http.Response.WriteAsync(report.Entries.Count == 0 ? "ok" : "ready");
        }

        var failed = report.Entries.Values.First(e => e.Status != HealthStatus.Healthy);
        var code = failed.Data.TryGetValue("code", out var c) ? (string)c : "not-ready";
        var english = http.Request.Query["lang"] == "en";
        var detail = !english && failed.Data.TryGetValue("zh", out var zh) ? (string)zh : failed.Description;
        return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: english ? "Service unavailable" : "服务暂不可用",
            type: "https://shixin.example/problems/" + code, extensions: new Dictionary<string, object?> { ["code"] = code }).ExecuteAsync(http);
    }
}
