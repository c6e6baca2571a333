using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Core.Oversight;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Courts;

/// <summary>Body of POST /api/v1/entries/{id}/special-notification.</summary>
public sealed record SpecialNotificationRequest(string? Addressee, string? DeliveredOn, string? Method);

/// <summary>
/// The special-subject notification (SPC Art. 8; 003 §三(八)): the print-ready letter, and the executing court's record
/// that it delivered it, which meets its duty. The API and the court console's entry page both go through here; the
/// rules are <see cref="SpecialNotificationDecider"/>'s.
/// </summary>
public sealed class RecordSpecialNotificationService(EntryService entries, ShixinDatabase database, TimeProvider time)
{
    public async Task<Outcome<SpecialNotificationRow>> RunAsync(Guid id, SpecialNotificationRequest? body, Caller caller, CancellationToken ct)
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
            return errors.ToProblem();
        }

        var s = await entries.LoadAsync(id, ct);
        if (s is null)
        {
            return Problems.NotFound(new("该名单条目", "entry " + id.ToString()));
        }

        if (!caller.HasAny(Roles.CourtClerk, Roles.CourtJudge))
        {
            return Problems.Forbidden(new("通报由执行法院发出", "the executing court notifies"));
        }

        var decision = SpecialNotificationDecider.Decide(s, new RecordDelivery(Guid.CreateVersion7(), caller.OrganizationCode, addressee!, on!.Value, body!.Method, entries.Today));
        if (decision.IsRefused)
        {
            return Refusals.Problem(decision.Errors);
        }

        var d = decision.Event;
        await using var db = database.CreateContext();
        var row = new SpecialNotificationRow
        {
            Id = d.Id, EntryId = d.EntryId, Addressee = d.Addressee, DeliveredOn = d.DeliveredOn, Method = d.Method, RecordedBy = d.RecordedBy,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.SpecialNotifications.Add(row);
        Audit.Stage(db, caller, "special-notification.deliver", "entry:" + id.ToString(), addressee, time);
        await db.SaveChangesAsync(ct);
        return row;
    }

    /// <summary>The notification to a special subject's organization as a whole HTML document, or the problem why there is none.</summary>
    public async Task<Outcome<string>> LetterAsync(Guid id, Caller caller, CancellationToken ct)
    {
        var s = await entries.LoadAsync(id, ct);
        if (s is null)
        {
            return Problems.NotFound(new("该名单条目", "entry " + id.ToString()));
        }

        if (!EntryService.MayRead(caller, s) && !caller.HasAny(Roles.HubAdmin, Roles.HubAuditor))
        {
            return Problems.Forbidden(new("该名单条目属于其他法院", "the entry belongs to another court"));
        }

        if (SpecialNotificationDecider.NotDue(s) is { } notDue)
        {
            return Problems.From(notDue);
        }

        await using var db = database.CreateContext();
        var court = await db.Organizations.AsNoTracking().Where(o => o.Code == s.CourtCode).Select(o => o.Name).FirstAsync(ct);
        var addressee = SpecialNotificationDecider.Addressee(s.SpecialStatus);
        Func<string?, string> e = s => WebUtility.HtmlEncode(s ?? "");
        return $$"""
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>失信被执行人通知书</title>
            {{NoticeStyle}}</head><body>
            <h1>关于将{{e(s.Subject.Name)}}纳入失信被执行人名单的通知</h1>
            <p>{{e(addressee)}}：</p>
            <p>本院在执行{{e(s.CaseNumber)}}案件中，依照《最高人民法院关于公布失信被执行人名单信息的若干规定》，已于{{e(s.DecidedOn?.ToString("yyyy年M月d日", CultureInfo.InvariantCulture) ?? "")}}决定将
            {{e(s.Subject.Name)}}（{{e(s.Subject.IdNumber ?? s.Subject.CreditCode ?? s.Subject.OrganizationCode ?? "")}}）纳入失信被执行人名单。失信情形：{{e(string.Join("；", s.Circumstances.Select(Circumstances.TitleZh)))}}。</p>
            <p>根据该规定第八条及相关文件要求，特此通知，请依照有关规定予以处理，并将处理情况函告本院。</p>
            <p class="sign">{{e(court)}}<br>{{e(entries.Today.ToString("yyyy年M月d日", CultureInfo.InvariantCulture))}}</p>
            </body></html>
            """;
    }

    private const string NoticeStyle = "<style>body{font-family:\"SimSun\",\"Songti SC\",serif;max-width:720px;margin:40px auto;line-height:1.9}"
        + "h1{text-align:center;font-size:22px}.sign{text-align:right;margin-top:48px}@media print{body{margin:20mm}}</style>";
}
