using System.Collections.Frozen;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Catalogs;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Units;

/// <summary>Body of POST /api/v1/feedback.</summary>
public sealed record FeedbackRequest(Guid? EntryId, string? MeasureCode, string? Action, DateTimeOffset? OccurredAt, Guid? CheckId, string? Note,
    string? LegalBasis, string? KeepUntil);

/// <summary>Body of POST /api/v1/objections.</summary>
public sealed record ObjectionRequest(Guid? EntryId, string? MeasureCode, string? ReceivedOn, string? Grounds);

/// <summary>Body of POST /api/v1/objections/{id}/verification.</summary>
public sealed record VerificationRequest(string? Outcome, string? VerifiedOn, string? Reasons);

/// <summary>A recorded feedback.</summary>
public sealed record FeedbackView(Guid Id, string Organization, Guid EntryId, string MeasureCode, string Action, DateTimeOffset OccurredAt, Guid? CheckId,
    string? Note, string? LegalBasis, DateOnly? KeepUntil);

/// <summary>An objection and the court's duty to verify it.</summary>
public sealed record ObjectionView(Guid Id, string Organization, Guid EntryId, string MeasureCode, DateOnly ReceivedOn, string Grounds, string Court,
    string Status, bool Suspended, DateOnly VerifyDueOn, string Rule, DateOnly? VerifiedOn, string? Reasons)
{
    public static ObjectionView Of(ObjectionRow o) => new(o.Id, o.OrganizationCode, o.EntryId, o.MeasureCode, o.ReceivedOn, o.Grounds, o.CourtCode,
        o.Status, !string.Equals(o.Status, "rejected", StringComparison.Ordinal), o.VerifyDueOn, o.Rule, o.VerifiedOn, o.Reasons);
}

/// <summary>
/// Measures suspended by objections, by entry number and objecting unit, for the check path (002 §四(二)3, 003 §三(十二)).
/// The debtor objects to one unit's measure ("对各联合惩戒单位的联合惩戒措施有异议"; 003: "向实施惩戒的部门提出复核申请"), so
/// the suspension covers that unit's own application for that subject only: the airline the debtor objected to stops
/// blocking; every other unit's checks go on as before (issue 11 finding 2: one unit's objection used to switch the
/// measure off nationwide). Local changes apply at once; other nodes' changes arrive by a short refresh.
/// </summary>
public sealed class ObjectionSuspensions(ShixinDatabase database)
{
    private volatile FrozenDictionary<(long EntryNo, string Organization), FrozenSet<string>> _byEntry =
        FrozenDictionary<(long, string), FrozenSet<string>>.Empty;
    // A cache age, not a legal time: measured on the monotonic clock.
    private long _loadedAt = long.MinValue / 2;
    private readonly SemaphoreSlim _refresh = new(1, 1);

    /// <summary>The measures an objection suspends for this unit's checks of an entry's subject, or null.</summary>
    public IReadOnlySet<string>? For(long entryNo, string organization) =>
        _byEntry.Count != 0 && _byEntry.TryGetValue((entryNo, organization), out var s) ? s : null;

    /// <summary>Reloads when the cached view is older than a second (called on the check path; cheap when fresh).</summary>
    public async ValueTask EnsureFreshAsync(CancellationToken ct)
    {
        if (Environment.TickCount64 - _loadedAt < 1000 || !await _refresh.WaitAsync(0, ct))
        {
            return;
        }

        try
        {
            await ReloadAsync(ct);
        }
        finally
        {
            _refresh.Release();
        }
    }

    public async Task ReloadAsync(CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var rows = await db.Objections.AsNoTracking().Where(o => o.Status != "rejected")
            .Select(o => new { o.EntryNo, o.OrganizationCode, o.MeasureCode }).ToListAsync(ct);
        _byEntry = rows.GroupBy(r => (r.EntryNo, r.OrganizationCode))
            .ToFrozenDictionary(g => g.Key, g => g.Select(r => r.MeasureCode).ToFrozenSet(StringComparer.Ordinal));
        _loadedAt = Environment.TickCount64;
    }
}

/// <summary>Feedback and objections from units (API.md "Feedback, objections").</summary>
public static class FeedbackApi
{
    /// <summary>An entry status as the consoles name it.</summary>
    private static string StatusZh(string? status) =>
        Shixin.Core.Entries.EntryStatusNames.TryParse(status, out var st) ? Shixin.Core.Entries.EntryStatusNames.TitleZh(st) : "未知";

    public static readonly string[] Actions = ["applied", "lifted", "suspended", "resumed", "kept"];

    public static RouteGroupBuilder MapFeedbackApi(this RouteGroupBuilder api)
    {
        api.MapPost("/feedback", Record).RequireRoles(Roles.UnitFeedback).WithTags("Units: feedback")
            .WithSummary("Report that a measure was applied, lifted, suspended, resumed, or kept after exit (with legal basis and end date)")
            .Produces<FeedbackView>(201).ProducesProblem(400);
        api.MapGet("/feedback", List).RequireRoles(Roles.UnitFeedback, Roles.HubAdmin, Roles.HubAuditor).WithTags("Units: feedback")
            .WithSummary("The caller's feedback (all, for the hub), newest first").Produces<FeedbackView[]>();
        api.MapPost("/objections", Object).RequireRoles(Roles.UnitFeedback).WithTags("Units: feedback")
            .WithSummary("Record an objection to a measure this unit applied: suspended for this unit's checks of the subject until the executing court verifies")
            .WithDescription("The unit must have reported the measure applied to the entry (POST /feedback, action applied) and the entry must be listed; "
                + "the measure must be in force in the unit's region. Other units' checks are not affected.")
            .Produces<ObjectionView>(201);
        api.MapGet("/objections/{id:guid}", GetObjection).RequireRoles([.. Roles.All]).WithTags("Units: feedback")
            .WithSummary("One objection and its verification").Produces<ObjectionView>();
        api.MapPost("/objections/{id:guid}/verification", Verify).RequireRoles(Roles.CourtJudge).WithTags("Courts: corrections")
            .WithSummary("The executing court verifies an objection: upheld keeps the measure suspended, rejected resumes it").Produces<ObjectionView>();
        return api;
    }

    internal static async Task<IResult> Record(FeedbackRequest? body, HttpContext http, ShixinDatabase database, MeasureCatalogs catalogs, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body?.EntryId is null)
        {
            errors.Add("entryId", new("请指明名单条目", "entryId is required"));
        }

        var measureId = MeasureOf(catalogs, body?.MeasureCode);
        if (measureId is null)
        {
            errors.Add("measureCode", new("惩戒措施无法识别，请从措施清单中选择", "measureCode must be a measure id or a clause code of a catalog (GET /api/v1/catalogs/{id}/measures)"));
        }

        if (body?.Action is null || !Actions.Contains(body.Action, StringComparer.Ordinal))
        {
            errors.Add("action", new("处理方式应为“已采取”“已解除”“已暂停”“已恢复”或“继续保留”之一", "action must be one of " + string.Join(", ", Actions)));
        }

        DateOnly? keepUntil = EntryRequestParsing.Date(errors, "keepUntil", body?.KeepUntil, required: false);
        if (string.Equals(body?.Action, "kept", StringComparison.Ordinal) && (string.IsNullOrWhiteSpace(body!.LegalBasis) || keepUntil is null))
        {
            // 000 §四(二)5: a measure kept after exit needs a legal basis and an explicit end date.
            errors.Add("legalBasis", new("退出名单后继续保留措施的，须填写法律依据和保留期限（依据：" + LegalCitations.Zh("000 §四(二)5") + "）", "a measure kept after the entry left the list needs legalBasis and keepUntil"));
        }

        if (body?.OccurredAt is { } at && at > time.GetUtcNow().AddMinutes(5))
        {
            errors.Add("occurredAt", new("发生时间不能晚于当前时间", "occurredAt is in the future"), DomainError.Codes.InvalidDate);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = database.CreateContext();
        var status = await db.Entries.AsNoTracking().Where(e => e.Id == body!.EntryId).Select(e => e.Status).FirstOrDefaultAsync(ct);
        if (status is null)
        {
            return Problems.NotFound(new("该名单条目", "entry " + body!.EntryId.ToString()));
        }

        if (!WasListed(status))
        {
            // Units act on the list as shared with them (003 §二(二)); a draft or noticed entry was never shared, so no
            // measure can have been applied, lifted or suspended for it.
            return Problems.Of(DomainError.Codes.IllegalTransition, new("该条目尚未纳入名单（当前状态：" + StatusZh(status) + "），只能对已纳入名单的条目反馈惩戒情况",
                "the entry has not been listed (it is " + status + "); feedback concerns listed entries"));
        }

        var caller = http.GetCaller();
        var row = new FeedbackRow
        {
            Id = Guid.CreateVersion7(), OrganizationCode = caller.OrganizationCode, EntryId = body!.EntryId!.Value, MeasureCode = measureId!,
            Action = body.Action!, OccurredAt = (body.OccurredAt ?? time.GetUtcNow()).UtcDateTime, CheckId = body.CheckId, Note = body.Note,
            LegalBasis = body.LegalBasis, KeepUntil = keepUntil, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Feedback.Add(row);
        Audit.Stage(db, caller, "feedback." + row.Action, "entry:" + row.EntryId.ToString(), row.MeasureCode, time);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created("/api/v1/feedback/" + row.Id.ToString(), ToView(row));
    }

    internal static async Task<IResult> List(HttpContext http, ShixinDatabase database, int? limit, CancellationToken ct)
    {
        var caller = http.GetCaller();
        var hub = caller.HasAny(Roles.HubAdmin, Roles.HubAuditor);
        await using var db = database.CreateContext();
        var rows = await db.Feedback.AsNoTracking().Where(f => hub || f.OrganizationCode == caller.OrganizationCode)
            .OrderByDescending(f => f.Id).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ToView).ToArray());
    }

    internal static async Task<IResult> Object(ObjectionRequest? body, HttpContext http, ShixinDatabase database, MeasureCatalogs catalogs, EntryService entries,
        ObjectionSuspensions suspensions, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body?.EntryId is null)
        {
            errors.Add("entryId", new("请指明名单条目", "entryId is required"));
        }

        var measureId = MeasureOf(catalogs, body?.MeasureCode);
        if (measureId is null)
        {
            errors.Add("measureCode", new("惩戒措施无法识别，请从措施清单中选择", "measureCode must be a measure id or a clause code of a catalog"));
        }

        var received = EntryRequestParsing.Date(errors, "receivedOn", body?.ReceivedOn);
        if (received > ChinaTime.Today(time))
        {
            errors.Add("receivedOn", new("收到异议日期不能晚于今天", "receivedOn is in the future"), DomainError.Codes.InvalidDate);
        }

        var grounds = EntryRequestParsing.Required(errors, "grounds", body?.Grounds, 4000);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = database.CreateContext();
        var entry = await db.Entries.AsNoTracking().Where(e => e.Id == body!.EntryId).Select(e => new { e.No, e.CourtCode, e.Status }).FirstOrDefaultAsync(ct);
        if (entry is null)
        {
            return Problems.NotFound(new("该名单条目", "entry " + body!.EntryId.ToString()));
        }

        // Issue 11 finding 2. An objection is to "the measures of a unit" (002 §四(二)3) made to "the department applying
        // the punishment" (003 §三(十二)): so the entry is screened (listed), the measure is in force where the unit is,
        // and the unit itself reported applying it to this entry. Not for a measure another unit applies.
        var caller = http.GetCaller();
        if (!string.Equals(entry.Status, "listed", StringComparison.Ordinal))
        {
            return Problems.Of(DomainError.Codes.IllegalTransition, new("只能对已纳入名单的条目提出异议，该条目当前状态为“" + StatusZh(entry.Status) + "”", "an objection concerns a listed entry; this one is " + entry.Status));
        }

        var measure = measureId!;
        if (!InForce(catalogs, measure, caller.Region))
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("本地区单位的业务场景均不适用该惩戒措施：" + Web.ZhNames.Measure(catalogs, measure),
                    "measure " + measure + " is not applied in any scenario by units in region " + caller.Region),
                new Dictionary<string, Bilingual[]> { ["measureCode"] = [new("该措施不适用于本单位", "not in force for this unit")] });
        }

        var history = await db.Feedback.AsNoTracking()
            .Where(f => f.OrganizationCode == caller.OrganizationCode && f.EntryId == body!.EntryId && f.MeasureCode == measure)
            .OrderByDescending(f => f.OccurredAt).ThenByDescending(f => f.Id).Select(f => f.Action).ToListAsync(ct);
        if (!history.Contains("applied", StringComparer.Ordinal) || string.Equals(history[0], "lifted", StringComparison.Ordinal))
        {
            return Problems.Of(MeasureNotApplied, new("本单位未反馈对该条目采取“" + Web.ZhNames.Measure(catalogs, measure) + "”，或已解除该措施；异议应向采取措施的单位提出",
                "this unit has not reported applying " + measure + " to the entry (POST /api/v1/feedback with action 'applied'), "
                + "or has lifted it since; a debtor objects to the unit that applies the measure"));
        }

        var due = entries.Rules.Due("unit.verify-objection", received!.Value);
        var row = new ObjectionRow
        {
            Id = Guid.CreateVersion7(), OrganizationCode = caller.OrganizationCode, EntryId = body!.EntryId!.Value, EntryNo = entry.No,
            MeasureCode = measure, ReceivedOn = received.Value, Grounds = grounds!, CourtCode = entry.CourtCode, VerifyDueOn = due.DueOn,
            Rule = due.RuleId, Status = "open", CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Objections.Add(row);
        Audit.Stage(db, caller, "objection.file", "entry:" + row.EntryId.ToString(), row.MeasureCode, time);
        await db.SaveChangesAsync(ct);
        await suspensions.ReloadAsync(ct);
        return TypedResults.Created("/api/v1/objections/" + row.Id.ToString(), ObjectionView.Of(row));
    }

    internal static async Task<IResult> GetObjection(Guid id, HttpContext http, ShixinDatabase database, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var row = await db.Objections.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        var caller = http.GetCaller();
        if (row is null)
        {
            return Problems.NotFound(new("该异议", "objection " + id.ToString()));
        }

        return caller.HasAny(Roles.HubAdmin, Roles.HubAuditor) || caller.OrganizationCode == row.OrganizationCode || caller.OrganizationCode == row.CourtCode
            ? TypedResults.Ok(ObjectionView.Of(row))
            : Problems.Forbidden(new("该异议涉及其他单位", "the objection concerns other organizations"));
    }

    internal static async Task<IResult> Verify(Guid id, VerificationRequest? body, HttpContext http, ObjectionVerifier verifier, CancellationToken ct)
    {
        var (view, problem) = await verifier.VerifyAsync(id, body, http.GetCaller(), ct);
        return problem ?? TypedResults.Ok(view);
    }

    /// <summary>The code of an objection from a unit that has not applied the measure.</summary>
    public const string MeasureNotApplied = "measure-not-applied";

    /// <summary>Statuses of an entry that was shared with units: listed now or once.</summary>
    internal static bool WasListed(string status) => status is "listed" or "shielded" or "revoked" or "deleted" or "expired";

    /// <summary>The measure belongs to a catalog in force in the region and some scenario applies it.</summary>
    internal static bool InForce(MeasureCatalogs catalogs, string measureId, string region) =>
        catalogs.TryGetMeasure(measureId, out var m)
        && catalogs.ForRegion(region).Any(c => string.Equals(c.Id, m.CatalogId, StringComparison.Ordinal))
        && catalogs.Scenarios.Any(s => s.MeasureIds.Contains(measureId, StringComparer.Ordinal));

    // A check answers clause codes (jiangsu-2017/三.二#4) beside measure ids; a unit reporting what it did with a check's
    // answer may send either. Feedback, objections and the quarterly report count by measure (000 §四(二)), so a
    // clause code is recorded as the measure it belongs to.
    internal static string? MeasureOf(MeasureCatalogs catalogs, string? code)
    {
        if (code is null)
        {
            return null;
        }

        if (catalogs.TryGetMeasure(code, out _))
        {
            return code;
        }

        return catalogs.TryGetClause(code, out var clause) ? clause.Measure.Id : null;
    }

    private static FeedbackView ToView(FeedbackRow f) => new(f.Id, f.OrganizationCode, f.EntryId, f.MeasureCode, f.Action, ChinaTime.ToChina(f.OccurredAt),
        f.CheckId, f.Note, f.LegalBasis, f.KeepUntil);

    internal static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

