using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Catalogs;
using Shixin.Core.Oversight;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;

namespace Shixin.Server.Units;

/// <summary>Body of POST /api/v1/objections.</summary>
public sealed record ObjectionRequest(Guid? EntryId, string? MeasureCode, string? ReceivedOn, string? Grounds);

/// <summary>An objection and the court's duty to verify it; <c>listSequence</c> is the list change that filed or verified it.</summary>
public sealed record ObjectionView(Guid Id, string Organization, Guid EntryId, string MeasureCode, DateOnly ReceivedOn, string Grounds, string Court,
    string Status, bool Suspended, DateOnly VerifyDueOn, string Rule, DateOnly? VerifiedOn, string? Reasons)
{
    public long? ListSequence { get; init; }

    public static ObjectionView Of(ObjectionRow o) => new(o.Id, o.OrganizationCode, o.EntryId, o.MeasureCode, o.ReceivedOn, o.Grounds, o.CourtCode,
        o.Status.ToApi(), o.Status != ObjectionStatus.Rejected, o.VerifyDueOn, o.Rule, o.VerifiedOn, o.Reasons);

    public static ObjectionView Of(Guid entryId, string court, Objection o) => new(o.Id, o.Organization, entryId, o.MeasureId, o.ReceivedOn, o.Grounds, court,
        o.Status.ToApi(), o.Suspends, o.VerifyDue.DueOn, o.VerifyDue.RuleId, o.VerifiedOn, o.Reasons);
}

/// <summary>
/// A unit records a debtor's objection to a measure it applied (POST /api/v1/objections): an entry event with a list
/// sequence (<c>entry.objection-filed</c>), decided by <see cref="ObjectionDecider"/> under the ledger lock, so the
/// suspension reaches every node's checks through the ledger and a past check can be explained.
/// </summary>
public sealed class FileObjectionService(EntryService entries, MeasureCatalogs catalogs)
{
    public async Task<Outcome<ObjectionView>> RunAsync(ObjectionRequest? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body?.EntryId is null)
        {
            errors.Add("entryId", new("请指明名单条目", "entryId is required"));
        }

        var measureId = Measures.IdOf(catalogs, body?.MeasureCode);
        if (measureId is null)
        {
            errors.Add("measureCode", new("惩戒措施无法识别，请从措施清单中选择", "measureCode must be a measure id or a clause code of a catalog"));
        }

        var received = EntryRequestParsing.Date(errors, "receivedOn", body?.ReceivedOn);
        var grounds = EntryRequestParsing.Required(errors, "grounds", body?.Grounds, 4000);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var entryId = body!.EntryId!.Value;
        var objectionId = Guid.CreateVersion7();
        var measure = measureId!;
        var outcome = await entries.RunAsync(entryId, caller, "objection.file", async (session, state) =>
        {
            if (state is null)
            {
                return EntryService.Build.Fail(Problems.NotFound(new("该名单条目", "entry " + entryId.ToString())));
            }

            // The unit's own reports of this measure for this entry, newest first: the decider reads whether it applies it.
            var history = await session.Db.Feedback.AsNoTracking()
                .Where(f => f.OrganizationCode == caller.OrganizationCode && f.EntryId == entryId && f.MeasureCode == measure)
                .OrderByDescending(f => f.OccurredAt).ThenByDescending(f => f.Id).Select(f => f.Action).ToListAsync(ct);
            return new FileObjection(objectionId, caller.OrganizationCode, measure, Web.ZhNames.Measure(catalogs, measure),
                Measures.InForce(catalogs, measure, caller.Region), [.. history], received!.Value, grounds!, entries.Today);
        }, null, ct);
        return outcome.Problem is { } problem
            ? Outcome<ObjectionView>.Fail(problem)
            : ObjectionView.Of(entryId, outcome.State!.CourtCode, outcome.State.Objections.Single(o => o.Id == objectionId)) with { ListSequence = outcome.ListSequence };
    }
}
