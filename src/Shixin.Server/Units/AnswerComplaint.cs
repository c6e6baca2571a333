using Microsoft.EntityFrameworkCore;
using Shixin.Core.Oversight;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;
using Shixin.Server.Ops;
using Shixin.Server.Public;

namespace Shixin.Server.Units;

/// <summary>Body of POST /api/v1/complaints/{id}/resolution (the unit).</summary>
public sealed record ComplaintResolution(string? Finding, string? MeasureApplied, string? Answer, string? AnsweredOn);

/// <summary>
/// The unit complained against investigates and answers (002 §四(二)8): POST /api/v1/complaints/{id}/resolution, the unit
/// console and the demo. The rules are <see cref="ComplaintDecider"/>'s.
/// </summary>
public sealed class AnswerComplaintService(ShixinDatabase database, TimeProvider time)
{
    public async Task<Outcome<ComplaintStatus>> RunAsync(Guid id, ComplaintResolution? body, Caller caller, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var row = await db.Complaints.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (row is null)
        {
            return Problems.NotFound(new("该投诉", "complaint " + id.ToString()));
        }

        // Scope first: another unit learns nothing about the complaint from validation errors.
        var state = new ComplaintState(row.Id, row.AgainstOrganization, row.Status, row.ReceivedOn, row.DueOn, row.AnsweredOn);
        if (!string.Equals(state.AgainstOrganization, caller.OrganizationCode, StringComparison.Ordinal))
        {
            return Problems.Forbidden(new("该投诉针对的是其他单位", "the complaint is about another unit"));
        }

        var errors = new FieldErrors();
        if (!ComplaintNames.TryParseFinding(body?.Finding, out var finding))
        {
            errors.Add("finding", new("调查结论：请选择“投诉属实（未采取措施）”或“投诉不属实”", "finding must be 'upheld' (the measure was missed) or 'unfounded'"));
        }

        var answer = EntryRequestParsing.Required(errors, "answer", body?.Answer, 4000);
        var on = EntryRequestParsing.Date(errors, "answeredOn", body?.AnsweredOn);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var decision = ComplaintDecider.Decide(state, new AnswerComplaint(caller.OrganizationCode, finding, body!.MeasureApplied, answer!, on!.Value,
            Core.ChinaTime.Today(time)));
        if (decision.IsRefused)
        {
            return Refusals.Problem(decision.Errors);
        }

        var answered = (ComplaintAnswered)decision.Event;
        var next = ComplaintDecider.Evolve(state, answered);
        row.Status = next.Status;
        row.Finding = answered.Finding;
        row.MeasureApplied = answered.MeasureApplied;
        row.Answer = answered.Answer;
        row.AnsweredOn = next.AnsweredOn;
        Audit.Stage(db, caller, "complaint.resolve", "complaint:" + id.ToString(), answered.Finding.ToApi(), time);
        await db.SaveChangesAsync(ct);
        return ComplaintStatus.Of(row);
    }
}
