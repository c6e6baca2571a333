using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;
using Shixin.Server.Units;

namespace Shixin.Server.Courts;

/// <summary>
/// The executing court's verification of an objection to a unit's measure (002 §四(二)3, 003 §三(十二)): upheld keeps the
/// measure suspended for that unit, rejected lets it apply again. POST /api/v1/objections/{id}/verification and the court
/// queue both verify through here: a judge of the executing court, once, not before the objection was received.
/// </summary>
public sealed class ObjectionVerifier(ShixinDatabase database, ObjectionSuspensions suspensions, TimeProvider time)
{
    public async Task<(ObjectionView? View, IResult? Problem)> VerifyAsync(Guid id, VerificationRequest? body, Caller caller, CancellationToken ct)
    {
        if (!caller.Has(Roles.CourtJudge))
        {
            return (null, Problems.Forbidden(new("异议须由执行法院的法官核实", "only a judge of the executing court verifies an objection (" + Roles.CourtJudge + ")")));
        }

        var errors = new FieldErrors();
        if (body?.Outcome is not ("upheld" or "rejected"))
        {
            errors.Add("outcome", new("核实结论：请选择“异议成立”或“异议不成立”", "outcome must be 'upheld' or 'rejected'"));
        }

        var on = EntryRequestParsing.Date(errors, "verifiedOn", body?.VerifiedOn);
        if (on > ChinaTime.Today(time))
        {
            errors.Add("verifiedOn", new("核实日期不能晚于今天", "verifiedOn is in the future"), DomainError.Codes.InvalidDate);
        }

        if (errors.Any)
        {
            return (null, errors.ToProblem());
        }

        await using var db = database.CreateContext();
        var row = await db.Objections.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (row is null)
        {
            return (null, Problems.NotFound(new("该异议", "objection " + id.ToString())));
        }

        if (on < row.ReceivedOn)
        {
            // The verification meets the court's duty: it cannot precede the objection it answers.
            return (null, Problems.Of(DomainError.Codes.InvalidDate,
                new("核实日期不能早于收到异议日期（" + FeedbackApi.Iso(row.ReceivedOn) + "）", "verifiedOn precedes the objection's receipt (" + FeedbackApi.Iso(row.ReceivedOn) + ")"),
                new Dictionary<string, Bilingual[]> { ["verifiedOn"] = [new("核实日期不能早于收到异议日期", "verifiedOn precedes receivedOn")] }));
        }

        if (caller.OrganizationCode != row.CourtCode)
        {
            return (null, Problems.Forbidden(new("异议由执行法院核实", "only the executing court verifies an objection")));
        }

        if (!string.Equals(row.Status, "open", StringComparison.Ordinal))
        {
            return (null, Problems.Of(DomainError.Codes.IllegalTransition, new("该异议已核实，不能重复核实", "the objection was already verified (" + row.Status + ")")));
        }

        row.Status = body!.Outcome!;
        row.VerifiedOn = on;
        row.Reasons = body.Reasons;
        Audit.Stage(db, caller, "objection.verify", "objection:" + id.ToString(), row.Status, time);
        await db.SaveChangesAsync(ct);
        await suspensions.ReloadAsync(ct);
        return (ObjectionView.Of(row), null);
    }
}
