using Shixin.Core;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Hub;
using Shixin.Server.Ops;

namespace Shixin.Server.Courts;

/// <summary>
/// Delivery of the special-subject notification (SPC Art. 8; 003 §三(八)): the executing court records that it told the
/// debtor's organization, which meets its duty. POST /api/v1/entries/{id}/special-notification and the court console's
/// entry page both record through here.
/// </summary>
public sealed class SpecialNotifications(EntryService entries, ShixinDatabase database, TimeProvider time)
{
    public async Task<(SpecialNotificationRow? Row, IResult? Problem)> RecordAsync(Guid id, SpecialNotificationRequest? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var addressee = EntryRequestParsing.Required(errors, "addressee", body?.Addressee, 200);
        var on = EntryRequestParsing.Date(errors, "deliveredOn", body?.DeliveredOn);
        if (on > entries.Today)
        {
            errors.Add("deliveredOn", new("送达日期不能晚于今天", "deliveredOn is in the future"), DomainError.Codes.InvalidDate);
        }

        if (errors.Any)
        {
            return (null, errors.ToProblem());
        }

        var s = await entries.LoadAsync(id, ct);
        if (s is null)
        {
            return (null, Problems.NotFound(new("该名单条目", "entry " + id.ToString())));
        }

        if (s.CourtCode != caller.OrganizationCode || !caller.HasAny(Roles.CourtClerk, Roles.CourtJudge))
        {
            return (null, Problems.Forbidden(new("通报由执行法院发出", "the executing court notifies")));
        }

        if (s.DecidedOn is null || on < s.DecidedOn)
        {
            // The notice reports a listing decision: it cannot be delivered before there is one.
            return (null, Problems.Of(DomainError.Codes.InvalidDate, new("送达日期不能早于纳入决定日期", "deliveredOn precedes the listing decision"),
                new Dictionary<string, Bilingual[]> { ["deliveredOn"] = [new("送达日期不能早于纳入决定日期", "deliveredOn precedes decidedOn")] }));
        }

        await using var db = database.CreateContext();
        var row = new SpecialNotificationRow
        {
            Id = Guid.CreateVersion7(), EntryId = id, Addressee = addressee!, DeliveredOn = on!.Value,
            Method = string.IsNullOrWhiteSpace(body!.Method) ? "送达" : body.Method.Trim(),
            RecordedBy = caller.OrganizationCode, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.SpecialNotifications.Add(row);
        Audit.Stage(db, caller, "special-notification.deliver", "entry:" + id.ToString(), addressee, time);
        await db.SaveChangesAsync(ct);
        return (row, null);
    }
}
