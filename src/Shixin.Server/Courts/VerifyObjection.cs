using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Oversight;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Units;

namespace Shixin.Server.Courts;

/// <summary>Body of POST /api/v1/objections/{id}/verification.</summary>
public sealed record VerificationRequest(string? Outcome, string? VerifiedOn, string? Reasons);

/// <summary>
/// The executing court's verification of an objection to a unit's measure (002 §四(二)3, 003 §三(十二)): upheld keeps the
/// measure suspended for that unit, rejected lets it apply again. POST /api/v1/objections/{id}/verification and the court
/// queue both verify through here; the rules are <see cref="ObjectionDecider"/>'s, the event goes to the ledger.
/// </summary>
public sealed class VerifyObjectionService(ShixinDatabase database, EntryService entries)
{
    public async Task<Outcome<ObjectionView>> RunAsync(Guid id, VerificationRequest? body, Caller caller, CancellationToken ct)
    {
        // The role filter refuses others on the API already; this repeats it for every other path (the console).
        if (!caller.Has(Roles.CourtJudge))
        {
            return Problems.Forbidden(new("异议须由执行法院的法官核实", "only a judge of the executing court verifies an objection (" + Roles.CourtJudge + ")"));
        }

        var errors = new FieldErrors();
        if (!ObjectionNames.TryParseFinding(body?.Outcome, out var finding))
        {
            errors.Add("outcome", new("核实结论：请选择“异议成立”或“异议不成立”", "outcome must be 'upheld' or 'rejected'"));
        }

        var on = EntryRequestParsing.Date(errors, "verifiedOn", body?.VerifiedOn);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        Guid entryId;
        await using (var db = database.CreateContext())
        {
            var row = await db.Objections.AsNoTracking().Where(o => o.Id == id).Select(o => new { o.EntryId }).FirstOrDefaultAsync(ct);
            if (row is null)
            {
                return Problems.NotFound(new("该异议", "objection " + id.ToString()));
            }

            entryId = row.EntryId;
        }

        var outcome = await entries.RunAsync(entryId, caller, "objection.verify", (_, state) => Task.FromResult(state is null
            ? EntryService.Build.Fail(Problems.NotFound(new("该名单条目", "entry " + entryId.ToString())))
            : (EntryService.Build)new VerifyObjection(id, caller.OrganizationCode, finding, on!.Value, body!.Reasons, entries.Today)), null, ct);
        return outcome.Problem is { } problem
            ? Outcome<ObjectionView>.Fail(problem)
            : ObjectionView.Of(entryId, outcome.State!.CourtCode, outcome.State.Objections.Single(o => o.Id == id)) with { ListSequence = outcome.ListSequence };
    }
}
