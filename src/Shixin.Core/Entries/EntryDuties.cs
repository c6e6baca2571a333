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
    public string StatusOn(DateOnly today) => Duties.StatusOn(Due, MetOn, today).ToApi();

    public bool MetLate => Duties.MetLate(Due.DueOn, MetOn);
}

/// <summary>Derives the court's duties on an entry from its state; nothing here is stored separately.</summary>
public static class EntryDuties
{
    public const string ReviewCorrection = "court.review-correction";
    public const string ExitAfterPerformance = "court.exit-after-performance";
    public const string DeleteAfterTerm = "court.delete-after-term";
    public const string RuleOnReconsideration = "court.rule-on-reconsideration";
    public const string FixAfterCorrection = "court.fix-after-correction";

    public static ImmutableArray<EntryDuty> For(EntryState s, IEntryRules rules)
    {
        var duties = ImmutableArray.CreateBuilder<EntryDuty>();
        foreach (var c in s.Corrections)
        {
            // 000 §四(二)3 / SPC Art. 12: the executing court reviews the application.
            duties.Add(new EntryDuty(ReviewCorrection, s.CourtCode, "审查纠正申请", "Review the correction application",
                Current(c.ReviewDue, c.FiledOn, rules), c.RuledOn, c.Id));
            if (string.Equals(c.Status, "accepted", StringComparison.Ordinal) && c.RuledOn is { } upheld)
            {
                // 000 §四(二)3 / SPC Art. 12: once the reasons hold, the court fixes the entry within correction.fix. The
                // upheld ruling revokes a standing entry at once; one that had already left the list needs nothing more.
                var fixedOn = s.Status.IsExited() && s.ExitedOn is { } exited ? (exited > upheld ? exited : upheld) : (DateOnly?)null;
                duties.Add(new EntryDuty(FixAfterCorrection, s.CourtCode, "纠正理由成立后撤销或纠正失信信息", "Fix the entry once the correction is upheld",
                    rules.Due(EntryDecider.Rules.CorrectionFix, upheld), fixedOn, c.Id));
            }

            if (c.Reconsideration is { } r)
            {
                duties.Add(new EntryDuty(RuleOnReconsideration, r.CourtCode, "复议决定", "Rule on the reconsideration",
                    Current(r.RulingDue, r.FiledOn, rules), r.RuledOn, r.Id));
            }
        }

        // 000 §四(二)4 (SPC Art. 10 ¶1 items 1, 2, 7): full performance, a performed settlement or terminated enforcement
        // obliges the court to exit; the first of them starts the period. Art. 10 ¶2: an entry with a term is outside ¶1,
        // so none of these events obliges its court to exit early (it may still delete early under Art. 2 ¶2).
        if (!s.HasTerm && ExitTrigger(s) is { } trigger)
        {
            var exitedAfter = s.Status.IsExited() && s.Status != EntryStatus.Expired ? s.ExitedOn : null;
            var (zh, en) = trigger.Reason switch
            {
                ExitReasons.SettlementPerformed => ("执行和解协议履行完毕后屏蔽、撤销或删除失信信息", "Exit the list after the settlement was performed"),
                ExitReasons.ExecutionTerminated => ("终结执行后屏蔽、撤销或删除失信信息", "Exit the list after enforcement was terminated"),
                _ => ("履行完毕后屏蔽、撤销或删除失信信息", "Exit the list after full performance"),
            };
            duties.Add(new EntryDuty(ExitAfterPerformance, s.CourtCode, zh, en,
                rules.Due(EntryDecider.Rules.ExitAfterPerformance, trigger.On), exitedAfter, null));
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

    /// <summary>
    /// A deadline stored in the entry when it was filed, recounted from its trigger while it is provisional: the holiday
    /// notice it lacked may have been added since (DOMAIN.md "Time": recomputed when the data arrives). A firm one stays.
    /// </summary>
    public static Deadline Current(Deadline stored, DateOnly trigger, IEntryRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return stored.Provisional && rules.TryDue(stored.RuleId, trigger, out var now) ? now : stored;
    }

    /// <summary>The earliest recorded fact that opens the exit duty (000 §四(二)4), with the exit reason it stands for.</summary>
    public static (DateOnly On, string Reason)? ExitTrigger(EntryState s)
    {
        (DateOnly On, string Reason)? first = null;
        foreach (var (on, reason) in new[]
        {
            (s.FullyPerformedOn, ExitReasons.FullyPerformed),
            (s.SettlementPerformedOn, ExitReasons.SettlementPerformed),
            (s.ExecutionTerminatedOn, ExitReasons.ExecutionTerminated),
        })
        {
            if (on is { } d && (first is null || d < first.Value.On))
            {
                first = (d, reason);
            }
        }

        return first;
    }
}
