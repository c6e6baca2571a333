using Shixin.Core.Entries;

namespace Shixin.Core.Oversight;

/// <summary>The executing court records that it delivered the notification to the debtor's organization.</summary>
public sealed record RecordDelivery(Guid Id, string Court, string Addressee, DateOnly DeliveredOn, string? Method, DateOnly Today);

/// <summary>The special-subject notification was delivered (meets the court's duty).</summary>
public sealed record NotificationDelivered(Guid Id, Guid EntryId, string Addressee, DateOnly DeliveredOn, string Method, string RecordedBy);

/// <summary>
/// Special-subject notification (SPC 法释〔2017〕7号 Art. 8; 000 §三(二)3 "人民法院要通报其所在单位"; 003 §三(八)): when the
/// debtor is a civil servant, party member, deputy, member of a political consultative committee, or a state organ or
/// state-owned enterprise — or the entry is not public — the executing court notifies the debtor's organization.
/// </summary>
public static class SpecialNotificationDecider
{
    /// <summary>Whether the entry calls for a notification at all.</summary>
    public static bool IsDue(EntryState s) => s.SpecialStatus is not null || string.Equals(s.Publicity, "restricted", StringComparison.Ordinal);

    /// <summary>Whom the notification addresses, by the debtor's special status.</summary>
    public static string Addressee(string? specialStatus) => specialStatus switch
    {
        "civil-servant" => "被执行人所在单位（人事部门）",
        "party-member" => "被执行人所在党组织",
        "state-owned" or "state-organ" => "被执行人的上级单位或主管部门",
        "npc-deputy" => "人民代表大会常务委员会",
        "cppcc-member" => "政协常务委员会",
        _ => "被执行人所在单位",
    };

    /// <summary>Why no notification is printed for an entry, or null when one is due.</summary>
    public static DomainError? NotDue(EntryState s) => IsDue(s) ? null
        : new DomainError(DomainError.Codes.IllegalTransition, new("被执行人无特殊身份，且该条目为公开条目，无需通报", "the debtor has no special status and the entry is not restricted: no notification is due"));

    public static Decision<NotificationDelivered> Decide(EntryState s, RecordDelivery c)
    {
        if (!string.Equals(c.Court, s.CourtCode, StringComparison.Ordinal))
        {
            return Decision<NotificationDelivered>.Refuse(OversightCodes.Forbidden, new("通报由执行法院发出", "the executing court notifies"));
        }

        var errors = new List<DomainError>();
        if (string.IsNullOrWhiteSpace(c.Addressee))
        {
            errors.Add(new(DomainError.Codes.ValidationFailed, new("请填写送达对象", "addressee is required"), "addressee"));
        }

        errors.AddIf(Rule.NotInFuture(c.DeliveredOn, c.Today, "deliveredOn", "送达日期"));
        if (errors.Count > 0)
        {
            return Decision<NotificationDelivered>.Refuse([.. errors]);
        }

        // The notice reports a listing decision: it cannot be delivered before there is one.
        if (s.DecidedOn is null || c.DeliveredOn < s.DecidedOn)
        {
            return Decision<NotificationDelivered>.Refuse(DomainError.Codes.InvalidDate, new("送达日期不能早于纳入决定日期", "deliveredOn precedes the listing decision"), "deliveredOn");
        }

        return Decision<NotificationDelivered>.Accept(new NotificationDelivered(c.Id, s.Id, c.Addressee.Trim(), c.DeliveredOn,
            string.IsNullOrWhiteSpace(c.Method) ? "送达" : c.Method.Trim(), c.Court));
    }
}
