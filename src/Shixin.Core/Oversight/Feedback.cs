namespace Shixin.Core.Oversight;

/// <summary>What a unit reports it did with a measure for an entry (API.md "Feedback"; 000 §四(二), 003 §四(四)).</summary>
public enum FeedbackAction
{
    Applied,
    Lifted,
    Suspended,
    Resumed,

    /// <summary>Kept after the entry left the list, on a legal basis and until a stated day (000 §四(二)5).</summary>
    Kept,
}

/// <summary>API names of feedback actions, kept in one place.</summary>
public static class FeedbackActions
{
    public static readonly IReadOnlyList<FeedbackAction> All = Enum.GetValues<FeedbackAction>();

    public static string ToApi(this FeedbackAction a) => a switch
    {
        FeedbackAction.Applied => "applied",
        FeedbackAction.Lifted => "lifted",
        FeedbackAction.Suspended => "suspended",
        FeedbackAction.Resumed => "resumed",
        FeedbackAction.Kept => "kept",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };

    public static bool TryParse(string? text, out FeedbackAction action)
    {
        foreach (var a in All)
        {
            if (string.Equals(a.ToApi(), text, StringComparison.Ordinal))
            {
                action = a;
                return true;
            }
        }

        action = default;
        return false;
    }

    /// <summary>Reads a stored action; a value the platform cannot read is an error, never a default.</summary>
    public static FeedbackAction Parse(string text) =>
        TryParse(text, out var a) ? a : throw new InvalidDataException("unknown feedback action '" + text + "'");

    /// <summary>
    /// Whether a unit's history of one measure for one entry (newest first) shows the measure applied and not lifted
    /// since: what entitles the debtor to object to that unit (002 §四(二)3 "对各联合惩戒单位的联合惩戒措施有异议").
    /// </summary>
    public static bool AppliedAndStanding(IReadOnlyList<FeedbackAction> newestFirst) =>
        newestFirst.Contains(FeedbackAction.Applied) && newestFirst[0] != FeedbackAction.Lifted;
}

/// <summary>A feedback report to decide: the facts the platform knows about the entry, and what the unit says it did.</summary>
/// <param name="EntryWasListed">The entry was shared with units: listed now or once (003 §二(二)).</param>
/// <param name="EntryStatusZh">The entry's status as consoles name it, for the refusal.</param>
public sealed record RecordFeedback(bool EntryWasListed, string EntryStatusZh, string EntryStatus, FeedbackAction Action,
    string? LegalBasis, DateOnly? KeepUntil, DateTimeOffset OccurredAt, DateTimeOffset Now);

/// <summary>The feedback was recorded.</summary>
public sealed record FeedbackRecorded(FeedbackAction Action, DateTimeOffset OccurredAt);

/// <summary>The rules of a unit's feedback report.</summary>
public static class FeedbackDecider
{
    public static Decision<FeedbackRecorded> Decide(RecordFeedback c)
    {
        var errors = new List<DomainError>();

        // 000 §四(二)5: a measure kept after exit needs a legal basis and an explicit end date.
        if (c.Action == FeedbackAction.Kept && (string.IsNullOrWhiteSpace(c.LegalBasis) || c.KeepUntil is null))
        {
            errors.Add(new(DomainError.Codes.ValidationFailed,
                new("退出名单后继续保留措施的，须填写法律依据和保留期限（依据：" + LegalCitations.Zh("000 §四(二)5") + "）", "a measure kept after the entry left the list needs legalBasis and keepUntil"),
                "legalBasis"));
        }

        // A report states what happened; five minutes of clock drift between the unit's system and ours is tolerated.
        if (c.OccurredAt > c.Now.AddMinutes(5))
        {
            errors.Add(new(DomainError.Codes.InvalidDate, new("发生时间不能晚于当前时间", "occurredAt is in the future"), "occurredAt"));
        }

        if (errors.Count > 0)
        {
            return Decision<FeedbackRecorded>.Refuse([.. errors]);
        }

        // Units act on the list as shared with them (003 §二(二)); a draft or noticed entry was never shared, so no
        // measure can have been applied, lifted or suspended for it.
        if (!c.EntryWasListed)
        {
            return Decision<FeedbackRecorded>.Refuse(DomainError.Codes.IllegalTransition,
                new("该条目尚未纳入名单（当前状态：" + c.EntryStatusZh + "），只能对已纳入名单的条目反馈惩戒情况",
                    "the entry has not been listed (it is " + c.EntryStatus + "); feedback concerns listed entries"));
        }

        return Decision<FeedbackRecorded>.Accept(new FeedbackRecorded(c.Action, c.OccurredAt));
    }
}
