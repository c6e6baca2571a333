using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;

namespace Shixin.Server.Courts;

/// <summary>
/// Corrections and reconsiderations (纠正、复议; 000 §四(二)3, SPC Art. 12) as one application service: filing and ruling.
/// The API's endpoints and the court console's entry and queue pages call it with the caller.
/// </summary>
public sealed class CorrectionActions(EntryService svc, ShixinDatabase database)
{
    public async Task<Outcome<CorrectionCreated>> FileAsync(Guid id, CorrectionRequest? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var received = EntryRequestParsing.Date(errors, "receivedOn", body?.ReceivedOn);
        var filed = EntryRequestParsing.Date(errors, "filedOn", body?.FiledOn);
        var grounds = EntryRequestParsing.Required(errors, "grounds", body?.Grounds, 4000);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

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
            return Outcome<CorrectionCreated>.Fail(outcome.Problem);
        }

        var c = outcome.State!.Corrections.Single(x => x.Id == correctionId);
        return new CorrectionCreated(correctionId, id, c.Status, c.ReviewDue.DueOn, c.ReviewDue.RuleId, c.ReviewDue.RuleSet, c.ReviewDue.Source, c.ReviewDue.Provisional);
    }

    public async Task<Outcome<EntryView>> RuleAsync(Guid id, RulingRequest? body, Caller caller, CancellationToken ct)
    {
        var (outcomeText, ruled, reasons, problem) = ParseRuling(body);
        if (problem is not null)
        {
            return Outcome<EntryView>.Fail(problem);
        }

        var p = await FindAsync(id, "correction", ct);
        if (p is null)
        {
            return Problems.NotFound(new("该纠正申请", "correction " + id.ToString()));
        }

        return EntryActions.Of(await svc.RunOwnAsync(p.EntryId, caller, "correction.rule",
            _ => new RuleOnCorrection(id, outcomeText!, ruled!.Value, reasons!), ct));
    }

    public async Task<Outcome<ReconsiderationCreated>> FileReconsiderationAsync(Guid id, ReconsiderationRequest? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var filed = EntryRequestParsing.Date(errors, "filedOn", body?.FiledOn);
        var served = EntryRequestParsing.Date(errors, "rejectionReceivedOn", body?.RejectionReceivedOn, required: false);
        var grounds = EntryRequestParsing.Required(errors, "grounds", body?.Grounds, 4000);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var p = await FindAsync(id, "correction", ct);
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
            return Outcome<ReconsiderationCreated>.Fail(outcome.Problem);
        }

        var r = outcome.State!.Corrections.Single(x => x.Id == id).Reconsideration!;
        return new ReconsiderationCreated(rid, id, p.EntryId, r.CourtCode, r.Status, r.RulingDue.DueOn, r.RulingDue.RuleId, r.RulingDue.RuleSet, r.RulingDue.Source);
    }

    public async Task<Outcome<EntryView>> RuleReconsiderationAsync(Guid id, RulingRequest? body, Caller caller, CancellationToken ct)
    {
        var (outcomeText, ruled, reasons, problem) = ParseRuling(body);
        if (problem is not null)
        {
            return Outcome<EntryView>.Fail(problem);
        }

        var p = await FindAsync(id, "reconsideration", ct);
        if (p is null)
        {
            return Problems.NotFound(new("该复议申请", "reconsideration " + id.ToString()));
        }

        if (!string.Equals(caller.OrganizationCode, p.CourtCode, StringComparison.Ordinal))
        {
            return Problems.Forbidden(new("复议申请由上一级法院裁决", "only the higher court rules on a reconsideration"));
        }

        return EntryActions.Of(await svc.RunAsync(p.EntryId, caller, "reconsideration.rule",
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

    private async Task<ProceedingRow?> FindAsync(Guid id, string kind, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        return await db.Proceedings.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.Kind == kind, ct);
    }
}
