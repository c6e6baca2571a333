using System.Collections.Immutable;
using Shixin.Core.Calendar;

namespace Shixin.Core.Entries;

/// <summary>A duty someone owes on an entry, with the due date its rule gives and when it was met.</summary>
public sealed record EntryDuty(
    string Code,
    string OwnerCode,
    string TitleZh,
    string TitleEn,
    Deadline Due,
    DateOnly? MetOn,
    Guid? SubjectId)
{
    /// <summary>open, met or overdue as of a given day.</summary>
    public string StatusOn(DateOnly today) => MetOn is not null ? "met" : today > Due.DueOn ? "overdue" : "open";

    public bool MetLate => MetOn is { } m && m > Due.DueOn;
}

/// <summary>Derives the court's duties on an entry from its state; nothing here is stored separately.</summary>
public static class EntryDuties
{
    public const string ReviewCorrection = "court.review-correction";
    public const string ExitAfterPerformance = "court.exit-after-performance";
    public const string DeleteAfterTerm = "court.delete-after-term";
    public const string RuleOnReconsideration = "court.rule-on-reconsideration";

    public static ImmutableArray<EntryDuty> For(EntryState s, IEntryRules rules)
    {
        var duties = ImmutableArray.CreateBuilder<EntryDuty>();
        foreach (var c in s.Corrections)
        {
            // 000 §四(二)3 / SPC Art. 12: the executing court reviews the application.
            duties.Add(new EntryDuty(ReviewCorrection, s.CourtCode, "审查纠正申请", "Review the correction application",
                c.ReviewDue, c.RuledOn, c.Id));
            if (c.Reconsideration is { } r)
            {
                duties.Add(new EntryDuty(RuleOnReconsideration, r.CourtCode, "复议决定", "Rule on the reconsideration",
                    r.RulingDue, r.RuledOn, r.Id));
            }
        }

        if (s.FullyPerformedOn is { } performed)
        {
            // 000 §四(二)4; SPC Art. 10 item 1: exit once the obligation is performed.
            var exitedAfter = s.Status.IsExited() && s.Status != EntryStatus.Expired ? s.ExitedOn : null;
            duties.Add(new EntryDuty(ExitAfterPerformance, s.CourtCode, "履行完毕后屏蔽、撤销或删除失信信息",
                "Exit the list after full performance", rules.Due(EntryDecider.Rules.ExitAfterPerformance, performed), exitedAfter, null));
        }

        var deletedForTerm = s.Status == EntryStatus.Deleted && string.Equals(s.ExitReason, ExitReasons.TermExpired, StringComparison.Ordinal);
        if (s.ExpiresOn is { } expires && (s.Status == EntryStatus.Expired || deletedForTerm))
        {
            // SPC Art. 10 para 2: delete within 3 working days after the term ends.
            duties.Add(new EntryDuty(DeleteAfterTerm, s.CourtCode, "纳入期限届满后删除失信信息", "Delete after the term ends",
                rules.Due(EntryDecider.Rules.DeletionAfterTerm, expires), deletedForTerm ? s.ExitedOn : null, null));
        }

        return duties.ToImmutable();
    }
}
