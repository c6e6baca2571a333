using Microsoft.EntityFrameworkCore;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;

namespace Shixin.Server.Courts;

/// <summary>Corrections (纠正) and reconsideration (复议): API.md "Corrections and reconsideration".</summary>
public static class CorrectionsApi
{
    public static RouteGroupBuilder MapCorrectionsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/entries/{id:guid}/corrections", File).RequireRoles(Roles.CourtClerk, Roles.CourtJudge).WithTags("Courts: corrections")
            .WithSummary("Record a debtor's correction application; returns its review due date").Produces<CorrectionCreated>(201).ProducesProblem(422);
        api.MapPost("/corrections/{id:guid}/ruling", Rule).RequireRoles(Roles.CourtJudge).WithTags("Courts: corrections")
            .WithSummary("Rule on a correction (judge of the executing court); accepted revokes the entry").Produces<EntryView>();
        api.MapPost("/corrections/{id:guid}/reconsideration", FileReconsideration).RequireRoles(Roles.CourtClerk, Roles.CourtJudge).WithTags("Courts: corrections")
            .WithSummary("Record an application for reconsideration; assigned to the higher court").Produces<ReconsiderationCreated>(201).ProducesProblem(422);
        api.MapPost("/reconsiderations/{id:guid}/ruling", RuleReconsideration).RequireRoles(Roles.CourtJudge).WithTags("Courts: corrections")
            .WithSummary("Rule on a reconsideration (judge of the higher court)").Produces<EntryView>();
        return api;
    }

    internal static async Task<IResult> File(Guid id, CorrectionRequest? body, HttpContext http, EntryService svc, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var received = EntryRequestParsing.Date(errors, "receivedOn", body?.ReceivedOn);
        var filed = EntryRequestParsing.Date(errors, "filedOn", body?.FiledOn);
        var grounds = EntryRequestParsing.Required(errors, "grounds", body?.Grounds, 4000);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var caller = http.GetCaller();
        var correctionId = Guid.CreateVersion7();
        var outcome = await svc.RunAsync(id, caller, "correction.file", (_, s) => Task.FromResult(
            s is null ? EntryService.Build.Fail(Problems.NotFound(new("该名单条目", "entry " + id.ToString())))
            : !string.Equals(s.CourtCode, caller.OrganizationCode, StringComparison.Ordinal)
                ? EntryService.Build.Fail(Problems.Forbidden(new("纠正申请应向执行法院提出", "a correction is filed with the executing court")))
                : (EntryService.Build)new FileCorrection(correctionId, received!.Value, filed!.Value, grounds!, svc.Today)),
            (session, s, _) => session.Db.Proceedings.Add(new ProceedingRow
            {
                Id = correctionId, EntryId = id, CorrectionId = correctionId, Kind = "correction", CourtCode = s.CourtCode, CreatedAt = svc.Time.GetUtcNow().UtcDateTime,
            }), ct);
        if (outcome.Problem is not null)
        {
            return outcome.Problem;
        }

        var c = outcome.State!.Corrections.Single(x => x.Id == correctionId);
        return TypedResults.Created("/api/v1/corrections/" + correctionId.ToString(),
            new CorrectionCreated(correctionId, id, c.Status, c.ReviewDue.DueOn, c.ReviewDue.RuleId, c.ReviewDue.RuleSet, c.ReviewDue.Source, c.ReviewDue.Provisional));
    }

    internal static async Task<IResult> Rule(Guid id, RulingRequest? body, HttpContext http, EntryService svc, ShixinDatabase database, CancellationToken ct)
    {
        var (outcomeText, ruled, reasons, problem) = ParseRuling(body);
        if (problem is not null)
        {
            return problem;
        }

        var p = await FindAsync(database, id, "correction", ct);
        if (p is null)
        {
            return Problems.NotFound(new("该纠正申请", "correction " + id.ToString()));
        }

        return EntriesApi.Respond(await svc.RunOwnAsync(p.EntryId, http.GetCaller(), "correction.rule",
            _ => new RuleOnCorrection(id, outcomeText!, ruled!.Value, reasons!), ct));
    }

    internal static async Task<IResult> FileReconsideration(Guid id, ReconsiderationRequest? body, HttpContext http, EntryService svc, ShixinDatabase database, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var filed = EntryRequestParsing.Date(errors, "filedOn", body?.FiledOn);
        var served = EntryRequestParsing.Date(errors, "rejectionReceivedOn", body?.RejectionReceivedOn, required: false);
        var grounds = EntryRequestParsing.Required(errors, "grounds", body?.Grounds, 4000);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var p = await FindAsync(database, id, "correction", ct);
        if (p is null)
        {
            return Problems.NotFound(new("该纠正申请", "correction " + id.ToString()));
        }

        await using var db = database.CreateContext();
        var court = await db.Organizations.AsNoTracking().FirstAsync(o => o.Code == p.CourtCode, ct);
        if (court.ParentCode is null)
        {
            return Problems.Of("conflict", new("执行法院未登记上一级法院，请先在单位管理中设置其上级单位", "the executing court has no higher court on record; set its parentCode"));
        }

        var caller = http.GetCaller();
        if (!string.Equals(caller.OrganizationCode, court.Code, StringComparison.Ordinal) && !string.Equals(caller.OrganizationCode, court.ParentCode, StringComparison.Ordinal))
        {
            return Problems.Forbidden(new("复议申请由执行法院或其上一级法院登记", "a reconsideration is recorded by the executing court or its higher court"));
        }

        var rid = Guid.CreateVersion7();
        var outcome = await svc.RunAsync(p.EntryId, caller, "reconsideration.file",
            (_, s) => Task.FromResult(s is null ? EntryService.Build.Fail(Problems.NotFound(new("该名单条目", "entry")))
                : (EntryService.Build)new Core.Entries.FileReconsideration(id, rid, court.ParentCode, filed!.Value, served, grounds!, svc.Today)),
            (session, _, _) => session.Db.Proceedings.Add(new ProceedingRow
            {
                Id = rid, EntryId = p.EntryId, CorrectionId = id, Kind = "reconsideration", CourtCode = court.ParentCode, CreatedAt = svc.Time.GetUtcNow().UtcDateTime,
            }), ct);
        if (outcome.Problem is not null)
        {
            return outcome.Problem;
        }

        var r = outcome.State!.Corrections.Single(x => x.Id == id).Reconsideration!;
        return TypedResults.Created("/api/v1/reconsiderations/" + rid.ToString(),
            new ReconsiderationCreated(rid, id, p.EntryId, r.CourtCode, r.Status, r.RulingDue.DueOn, r.RulingDue.RuleId, r.RulingDue.RuleSet, r.RulingDue.Source));
    }

    internal static async Task<IResult> RuleReconsideration(Guid id, RulingRequest? body, HttpContext http, EntryService svc, ShixinDatabase database, CancellationToken ct)
    {
        var (outcomeText, ruled, reasons, problem) = ParseRuling(body);
        if (problem is not null)
        {
            return problem;
        }

        var p = await FindAsync(database, id, "reconsideration", ct);
        if (p is null)
        {
            return Problems.NotFound(new("该复议申请", "reconsideration " + id.ToString()));
        }

        var caller = http.GetCaller();
        if (!string.Equals(caller.OrganizationCode, p.CourtCode, StringComparison.Ordinal))
        {
            return Problems.Forbidden(new("复议申请由上一级法院裁决", "only the higher court rules on a reconsideration"));
        }

        return EntriesApi.Respond(await svc.RunAsync(p.EntryId, caller, "reconsideration.rule",
            (_, s) => Task.FromResult(s is null ? EntryService.Build.Fail(Problems.NotFound(new("该名单条目", "entry")))
                : (EntryService.Build)new RuleOnReconsideration(p.CorrectionId, id, outcomeText!, ruled!.Value, reasons!)), null, ct));
    }

    /// <summary>A ruling names its outcome, date and reasons, for corrections and reconsiderations alike.</summary>
    private static (string? Outcome, DateOnly? RuledOn, string? Reasons, IResult? Problem) ParseRuling(RulingRequest? body)
    {
        var errors = new FieldErrors();
        var outcome = EntryRequestParsing.Required(errors, "outcome", body?.Outcome, 20);
        var ruled = EntryRequestParsing.Date(errors, "ruledOn", body?.RuledOn);
        var reasons = EntryRequestParsing.Required(errors, "reasons", body?.Reasons, 4000);
        return (outcome, ruled, reasons, errors.Any ? errors.ToProblem() : null);
    }

    private static async Task<ProceedingRow?> FindAsync(ShixinDatabase database, Guid id, string kind, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        return await db.Proceedings.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.Kind == kind, ct);
    }
}

/// <summary>Response to a filed correction: where it stands and when the court must rule.</summary>
/// <summary>A filed correction; <c>reviewDueOnProvisional</c> when the review date was counted into a year without a holiday notice (API.md).</summary>
public sealed record CorrectionCreated(Guid Id, Guid EntryId, string Status, DateOnly ReviewDueOn, string Rule, string RuleSet, string Source,
    bool ReviewDueOnProvisional = false);

/// <summary>Response to a filed reconsideration: the higher court and its ruling deadline.</summary>
public sealed record ReconsiderationCreated(Guid Id, Guid CorrectionId, Guid EntryId, string Court, string Status, DateOnly RulingDueOn, string Rule, string RuleSet, string Source);
