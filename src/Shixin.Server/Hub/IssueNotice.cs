using Microsoft.EntityFrameworkCore;
using Shixin.Core.Oversight;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Hub;

/// <summary>Body of POST /api/v1/notices (hub): a 通报 or a 约谈.</summary>
public sealed record NoticeRequest(string? Kind, string? Organization, string? IssuedOn, string? Subject, string? Detail);

/// <summary>
/// The hub issues a notice or records a talk (002 §四(四)): POST /api/v1/notices, the hub console and the demo.
/// The rules, and what two notices a year lead to, are <see cref="NoticeDecider"/>'s.
/// </summary>
public sealed class IssueNoticeService(ShixinDatabase database, EntryService entries, TimeProvider time)
{
    public async Task<Outcome<NoticeRow>> RunAsync(NoticeRequest? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (!NoticeKinds.TryParse(body?.Kind, out var kind))
        {
            errors.Add("kind", new("请选择通报或约谈", "kind must be 'notice' or 'talk'"));
        }

        var org = EntryRequestParsing.Required(errors, "organization", body?.Organization, 64);
        var subject = EntryRequestParsing.Required(errors, "subject", body?.Subject, 500, label: "事由");
        var on = EntryRequestParsing.Date(errors, "issuedOn", body?.IssuedOn, required: false) ?? entries.Today;
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = database.CreateContext();
        var exists = await db.Organizations.AnyAsync(o => o.Code == org, ct);
        var decision = NoticeDecider.Decide(new IssueNotice(Guid.CreateVersion7(), kind, org!, exists, on, subject!, body!.Detail, caller.OrganizationCode, entries.Today));
        if (decision.IsRefused)
        {
            return decision.Errors[0].Code == Problems.NotFoundCode ? Problems.NotFound(new("单位“" + org + "”", "organization '" + org + "'")) : Refusals.Problem(decision.Errors);
        }

        var n = decision.Event;
        var row = new NoticeRow
        {
            Id = n.Id, Kind = n.Kind, OrganizationCode = n.Organization, IssuedOn = n.IssuedOn, Subject = n.Subject, Detail = n.Detail,
            IssuedBy = n.IssuedBy, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Notices.Add(row);
        Audit.Stage(db, caller, "notice." + row.Kind.ToApi(), "organization:" + org, subject, time);
        await db.SaveChangesAsync(ct);
        return row;
    }
}
