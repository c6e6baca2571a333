using Microsoft.EntityFrameworkCore;
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
            return TypedResults.Problem(Http.Problems.Details("not-ready", new(
                "系统正在启动" + (readiness.IsReady ? "（正在载入比对索引）" : "") + "，请稍后再试",
                "start-up has not finished: " + (readiness.IsReady ? "loading the screening index" : readiness.Stage)), status: 503));
        }

        try
        {
            await using var db = database.CreateContext();
            await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
            return TypedResults.Text("ready");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return TypedResults.Problem(Http.Problems.Details("database-unavailable", new("数据库暂不可用，请稍后再试或联系管理员", "database unavailable: " + ex.Message), status: 503));
        }
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
