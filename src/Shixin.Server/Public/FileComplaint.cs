using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Calendar;
using Shixin.Core.Oversight;
using Shixin.Data;
using Shixin.Server.Courts;
using Shixin.Server.Http;

namespace Shixin.Server.Public;

/// <summary>Body of POST /api/v1/complaints (public).</summary>
public sealed record ComplaintRequest(string? AgainstOrganization, string? CaseNumber, string? Description, string? Contact);

/// <summary>A complaint as the complainant sees it (no contact data).</summary>
public sealed record ComplaintStatus(string TrackingCode, string Status, string AgainstOrganization, DateOnly ReceivedOn, DateOnly DueOn, string? Answer, DateOnly? AnsweredOn)
{
    public static ComplaintStatus Of(ComplaintRow c) => new(c.TrackingCode, c.Status.ToApi(), c.AgainstOrganization, c.ReceivedOn, c.DueOn, c.Answer, c.AnsweredOn);
}

/// <summary>
/// Anyone complains that a unit did not apply a measure (002 §四(二)8), and follows the complaint by its tracking code:
/// POST /api/v1/complaints, the public complaint page and the demo. The rules are <see cref="ComplaintDecider"/>'s.
/// </summary>
public sealed class FileComplaintService(ShixinDatabase database, EntryService entries, TimeProvider time)
{
    public async Task<Outcome<ComplaintStatus>> RunAsync(ComplaintRequest? body, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var against = EntryRequestParsing.Required(errors, "againstOrganization", body?.AgainstOrganization, 64);
        var description = EntryRequestParsing.Required(errors, "description", body?.Description, 4000);
        var contact = EntryRequestParsing.Required(errors, "contact", body?.Contact, 200);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = database.CreateContext();
        var isUnit = await db.Organizations.AnyAsync(o => o.Code == against && o.Kind == "unit", ct);

        // Issue 15 item 9: a tracking code has about 50 random bits; a drawn code already in use is drawn again, so two
        // complaints never share one (the unique index would otherwise answer a rare 500).
        var trackingCode = TrackingCode();
        for (var attempt = 0; attempt < 5 && await db.Complaints.AnyAsync(c => c.TrackingCode == trackingCode, ct); attempt++)
        {
            trackingCode = TrackingCode();
        }

        var today = entries.Today;
        var decision = ComplaintDecider.Decide(null, new FileComplaint(Guid.CreateVersion7(), trackingCode, against!, isUnit, body!.CaseNumber,
            description!, contact!, entries.Rules.Due(RuleIds.UnitAnswerComplaint, today), today));
        if (decision.IsRefused)
        {
            return decision.Errors[0].Field == "againstOrganization"
                ? Problems.Of(DomainError.Codes.ValidationFailed, decision.Errors[0].Message,
                    new Dictionary<string, Bilingual[]> { ["againstOrganization"] = [new("未找到该单位", "unknown unit")] })
                : Refusals.Problem(decision.Errors);
        }

        var filed = (ComplaintFiled)decision.Event;
        var row = new ComplaintRow
        {
            Id = filed.Id, TrackingCode = filed.TrackingCode, AgainstOrganization = filed.AgainstOrganization, CaseNumber = filed.CaseNumber,
            Description = filed.Description, Contact = filed.Contact, Status = ComplaintStage.Received, ReceivedOn = filed.ReceivedOn,
            DueOn = filed.AnswerDue.DueOn, Rule = filed.AnswerDue.RuleId, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Complaints.Add(row);
        await db.SaveChangesAsync(ct);
        return ComplaintStatus.Of(row);
    }

    /// <summary>A complaint by its tracking code, as the complainant follows it; null when there is none.</summary>
    public async Task<ComplaintStatus?> FollowAsync(string trackingCode, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var row = await db.Complaints.AsNoTracking().FirstOrDefaultAsync(c => c.TrackingCode == trackingCode, ct);
        return row is null ? null : ComplaintStatus.Of(row);
    }

    private static string TrackingCode()
    {
        // Unambiguous characters only, so a code read out over the phone is not misheard.
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        Span<char> code = stackalloc char[10];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return "TS" + new string(code);
    }
}
