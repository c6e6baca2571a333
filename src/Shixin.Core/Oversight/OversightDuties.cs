using System.Collections.Immutable;
using Shixin.Core.Calendar;
using Shixin.Core.Entries;

namespace Shixin.Core.Oversight;

/// <summary>An oversight duty with its due date and when it was met; its status comes from the one rule (<see cref="Duties"/>).</summary>
public sealed record OversightDuty(string Code, string TitleZh, string TitleEn, Deadline Due, DateOnly? MetOn)
{
    public DutyStatus StatusOn(DateOnly today) => Duties.StatusOn(Due, MetOn, today);
}

/// <summary>
/// Which oversight duty is owed, from the facts the platform records (objections on the entry, a unit's feedback, its
/// quarterly confirmations): pure derivations, so the duty list, the compliance figures and the quarterly report agree.
/// </summary>
public static class OversightDuties
{
    public const string VerifyObjection = "court.verify-objection";
    public const string LiftMeasure = "unit.lift-measure";
    public const string AnswerComplaint = "unit.answer-complaint";
    public const string QuarterlyReport = "unit.quarterly-report";
    public const string NotifySpecialSubject = "court.notify-special-subject";

    /// <summary>
    /// 002 §四(二)3: the executing court verifies an objection (rule <c>unit.verify-objection</c>, from receipt); met on
    /// the verification date. A provisional due date is recounted like the entry's own (<see cref="EntryDuties.Current"/>).
    /// </summary>
    public static OversightDuty ForObjection(Objection o, IEntryRules rules) =>
        new(VerifyObjection, "核查异议", "Verify an objection to a measure", EntryDuties.Current(o.VerifyDue, o.ReceivedOn, rules), o.VerifiedOn);

    /// <summary>
    /// 000 §四(二)5: once the entry has left the list, a unit that applied a measure lifts it within the period of
    /// <c>unit.lift-measure</c> from the exit (or keeps it on a legal basis, with an end date: <c>kept</c> meets the duty too).
    /// The duty follows the last application: a lift or keep reported at or after it meets it, on the day (China time) it
    /// was reported. No duty when the unit never reported applying the measure.
    /// </summary>
    public static OversightDuty? ForLiftingMeasure(IReadOnlyList<(FeedbackAction Action, DateTimeOffset At)> oldestFirst, DateOnly exitedOn, IEntryRules rules)
    {
        var lastApplied = -1;
        for (var i = 0; i < oldestFirst.Count; i++)
        {
            if (oldestFirst[i].Action == FeedbackAction.Applied)
            {
                lastApplied = i;
            }
        }

        if (lastApplied < 0)
        {
            return null;
        }

        var appliedAt = oldestFirst[lastApplied].At;
        DateOnly? metOn = null;
        foreach (var (action, at) in oldestFirst)
        {
            if (at >= appliedAt && action is FeedbackAction.Lifted or FeedbackAction.Kept)
            {
                metOn = ChinaTime.DateOf(at);
                break;
            }
        }

        return new OversightDuty(LiftMeasure, "名单退出后解除惩戒措施", "Lift the measure after the entry left the list", rules.Due(LiftMeasure, exitedOn), metOn);
    }

    /// <summary>
    /// 003 §四(四) "每季度结束后30日内": a unit reports every whole quarter since it joined, due by <c>unit.quarterly-report</c>
    /// from the quarter's last day; met by its confirmation. The quarter still running owes nothing yet.
    /// </summary>
    public static ImmutableArray<(Quarter Quarter, OversightDuty Duty)> ForQuarters(DateOnly joinedOn, DateOnly today,
        IReadOnlyDictionary<Quarter, DateOnly> confirmedOn, IEntryRules rules)
    {
        var result = ImmutableArray.CreateBuilder<(Quarter, OversightDuty)>();
        var q = Quarter.Of(joinedOn);
        while (q.LastDay < today)
        {
            var due = rules.Due(QuarterlyReport, q.LastDay);
            result.Add((q, new OversightDuty(QuarterlyReport, "报送季度联合惩戒情况", "File the quarterly report", due, confirmedOn.TryGetValue(q, out var on) ? on : null)));
            q = q.Number == 4 ? new Quarter(q.Year + 1, 1) : new Quarter(q.Year, q.Number + 1);
        }

        return result.ToImmutable();
    }
}
