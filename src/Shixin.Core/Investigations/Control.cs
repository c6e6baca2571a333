using System.Globalization;
using Shixin.Core.Calendar;

namespace Shixin.Core.Investigations;

/// <summary>The control measures a judge may ask a unit to carry out (API.md "Enforcement investigation and control").</summary>
public static class ControlKinds
{
    public const string Freeze = "freeze";
    public const string Seize = "seize";
    public const string Deduct = "deduct";
    public const string Locate = "locate";
    public const string StopExit = "stop-exit";
    public const string Renew = "renew";
    public const string Release = "release";

    public static IReadOnlyList<string> All { get; } = [Freeze, Seize, Deduct, Locate, StopExit, Renew, Release];

    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind, StringComparer.Ordinal);

    /// <summary>Freezes and seizures run for a term and lapse (法释〔2022〕11号 Art. 485 para. 1); a renewal runs for a new one (para. 2).</summary>
    public static bool HasTerm(string kind) => kind is Freeze or Seize or Renew;

    /// <summary>Measures over property, which must say what property they reach.</summary>
    public static bool NeedsProperty(string kind) => kind is Freeze or Seize or Deduct;

    public static string TitleZh(string kind) => kind switch
    {
        Freeze => "冻结",
        Seize => "查封、扣押",
        Deduct => "扣划",
        Locate => "查找、控制",
        StopExit => "限制出境",
        Renew => "续行查封、扣押、冻结",
        Release => "解除",
        _ => kind,
    };
}

/// <summary>A unit's answer to a control task.</summary>
/// <param name="Outcome"><c>executed</c>, <c>partial</c> or <c>refused</c>.</param>
/// <param name="LapsesOn">For a freeze, seizure or renewal carried out: the last day of its term.</param>
public sealed record ControlAnswer(string Outcome, DateOnly ExecutedOn, decimal? Amount, DateOnly? LapsesOn, string? Reason);

/// <summary>A judge's control request addressed to one unit, and the unit's answer.</summary>
public sealed record ControlState(
    Guid Id,
    string CourtCode,
    string UnitCode,
    string Kind,
    string? PropertyKind,
    string Target,
    decimal? Amount,
    string RulingNumber,
    DateOnly? RequestedUntil,
    Guid? InvestigationTaskId,
    Guid? OfControlId,
    DateOnly SentOn,
    Deadline Due,
    ControlAnswer? Answer)
{
    public string StatusOn(DateOnly today) => Answer is { } a ? a.Outcome : Due.IsOverdueOn(today) ? "overdue" : "open";

    /// <summary>The last day the control holds, when it was carried out and runs for a term.</summary>
    public DateOnly? LapsesOn => Answer is { Outcome: "executed" or "partial", LapsesOn: { } l } ? l : null;
}

/// <summary>A judge asks for a control. <paramref name="Of"/> is the control renewed or released, when there is one.</summary>
public sealed record RequestControl(
    Guid Id,
    string CourtCode,
    string UnitCode,
    string Kind,
    string? PropertyKind,
    string Target,
    decimal? Amount,
    string RulingNumber,
    DateOnly? Until,
    Guid? InvestigationTaskId,
    ControlState? Of,
    DateOnly Today);

/// <summary>The unit answers a control task.</summary>
public sealed record AnswerControl(Guid ControlId, string UnitCode, string Outcome, DateOnly ExecutedOn, decimal? Amount, DateOnly? Until, string? Reason, DateOnly Today);

/// <summary>A court's duty to renew a control before it lapses.</summary>
public sealed record RenewalDuty(Guid ControlId, string CourtCode, DateOnly LapsesOn, Deadline Due, DateOnly? MetOn)
{
    public string StatusOn(DateOnly today) => Duties.StatusOn(Due, MetOn, today).ToApi();
}

/// <summary>The control procedure (执行查控·控制): request → executed / partial / refused; renewal before the term lapses.</summary>
public static class ControlDecider
{
    public const string Executed = "executed";
    public const string Partial = "partial";
    public const string Refused = "refused";

    /// <summary>
    /// Decides a judge's control request. Property measures say which property they reach (its kind decides the term);
    /// a requested end date may not pass the longest term of 法释〔2022〕11号 Art. 485 para. 1 counted from today (the
    /// term runs from execution, which is no earlier); a renewal names a standing control, is asked before that control
    /// lapses (Art. 485 para. 2: 期限届满前) and may not run longer than the same longest term again; a release names the
    /// control it ends. The unit answers within <c>control.answer</c> (platform default).
    /// </summary>
    public static ControlState Request(RequestControl c, RuleSet rules, LegalCalendar calendar, out DomainError? error)
    {
        error = null;
        if (!ControlKinds.IsKnown(c.Kind))
        {
            error = new DomainError(DomainError.Codes.ValidationFailed, new("控制措施类型应为" + string.Join("、", ControlKinds.All.Select(ControlKinds.TitleZh)) + "之一", "kind must be one of " + string.Join(", ", ControlKinds.All)), "kind");
            return null!;
        }

        var propertyKind = c.Kind is ControlKinds.Renew or ControlKinds.Release ? c.Of?.PropertyKind ?? c.PropertyKind : c.PropertyKind;
        if (ControlKinds.NeedsProperty(c.Kind) && !InvestigationKinds.TryGet(propertyKind, out _))
        {
            error = new DomainError(DomainError.Codes.ValidationFailed, new(
                ControlKinds.TitleZh(c.Kind) + "须指明所涉财产类型，应为" + string.Join("、", InvestigationKinds.All.Where(k => k.IsProperty).Select(k => k.TitleZh)) + "之一",
                "a " + c.Kind + " names the property it reaches: propertyKind (or investigationTaskId) must be one of "
                + string.Join(", ", InvestigationKinds.All.Where(k => k.IsProperty).Select(k => k.Code))), "propertyKind");
            return null!;
        }

        if (c.Kind is ControlKinds.Freeze or ControlKinds.Seize && !InvestigationKinds.Get(propertyKind!).IsProperty)
        {
            error = new DomainError(DomainError.Codes.ValidationFailed, new("所选财产类型不能冻结或查封", "'" + propertyKind + "' is not property that can be frozen or seized"), "propertyKind");
            return null!;
        }

        if (c.Kind is ControlKinds.Renew or ControlKinds.Release)
        {
            if (c.Of is null)
            {
                error = new DomainError(DomainError.Codes.ValidationFailed, new(ControlKinds.TitleZh(c.Kind) + "须指明所续行或解除的原控制措施", "a " + c.Kind + " names the control it continues or ends (controlId)"), "controlId");
                return null!;
            }

            if (c.Kind == ControlKinds.Renew && (!ControlKinds.HasTerm(c.Of.Kind) || c.Of.LapsesOn is null))
            {
                error = new DomainError(InvestigationErrors.ControlNotRenewable, new("只有已执行且有期限的冻结或查封可以续行", "only a freeze or seizure carried out for a term can be renewed"), "controlId");
                return null!;
            }

            if (c.Kind == ControlKinds.Renew && c.Today > c.Of.LapsesOn!.Value)
            {
                // Art. 485 para. 2: renewal is done before the term ends; a lapsed control is gone and needs a new order.
                error = new DomainError(InvestigationErrors.ControlNotRenewable,
                    new("原控制措施已于" + Iso(c.Of.LapsesOn!.Value) + "到期失效，失效后不能续行（依据：《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第四百八十五条第二款），请重新申请冻结或查封",
                        "the control lapsed on " + Iso(c.Of.LapsesOn!.Value) + "; a lapsed control is not renewed (Art. 485 para. 2), ask for a new freeze or seizure"), "controlId");
                return null!;
            }

            if (c.Kind == ControlKinds.Release && c.Of.Answer is not { Outcome: Executed or Partial })
            {
                error = new DomainError(DomainError.Codes.IllegalTransition, new("只有已执行的控制措施可以解除", "only a control that was carried out can be released"), "controlId");
                return null!;
            }
        }

        if (c.Until is { } until)
        {
            if (!ControlKinds.HasTerm(c.Kind))
            {
                error = new DomainError(DomainError.Codes.ValidationFailed, new("期限截止日期仅适用于冻结、查封或续行", "'until' applies to a freeze, seizure or renewal only"), "until");
                return null!;
            }

            var start = c.Kind == ControlKinds.Renew ? c.Of!.LapsesOn!.Value : c.Today;
            var longest = LongestEnd(propertyKind!, start, rules, calendar);
            if (until > longest.DueOn)
            {
                error = TooLong(until, longest);
                return null!;
            }

            if (until <= c.Today)
            {
                error = new DomainError(DomainError.Codes.InvalidDate, new("期限截止日期应晚于今天", "'until' must be after today"), "until");
                return null!;
            }
        }

        var due = rules.Due(RuleIds.ControlAnswer, c.Today, calendar);
        return new ControlState(c.Id, c.CourtCode, c.UnitCode, c.Kind, propertyKind, c.Target, c.Amount, c.RulingNumber, c.Until,
            c.InvestigationTaskId, c.Of?.Id, c.Today, due, null);
    }

    /// <summary>
    /// Records the unit's answer. A refusal or a partial execution gives reasons. A freeze or seizure carried out runs
    /// from the day it was executed for the term asked, the term the unit reports, or else the longest term of Art. 485
    /// para. 1 — whichever ends first; a renewal continues from the day after the renewed control's last day (续行) for
    /// at most the same longest term (para. 2). A term longer than the law allows is refused, never shortened silently.
    /// </summary>
    public static ControlState Answer(ControlState s, AnswerControl c, ControlState? renewed, RuleSet rules, LegalCalendar calendar, out DomainError? error)
    {
        error = null;
        if (!string.Equals(s.UnitCode, c.UnitCode, StringComparison.Ordinal))
        {
            error = new DomainError("not-found", new("未找到发给本单位的该控制任务", "control task " + s.Id + " is not addressed to this unit"));
            return s;
        }

        if (s.Answer is not null)
        {
            error = new DomainError(InvestigationErrors.AlreadyAnswered, new("该控制任务已于" + Iso(s.Answer.ExecutedOn) + "答复", "the control task was answered on " + Iso(s.Answer.ExecutedOn)));
            return s;
        }

        if (c.Outcome is not (Executed or Partial or Refused))
        {
            error = new DomainError(DomainError.Codes.ValidationFailed, new("执行结果：请选择“已执行”“部分执行”或“未执行”", "outcome must be executed, partial or refused"), "outcome");
            return s;
        }

        if (c.Outcome is Refused or Partial && string.IsNullOrWhiteSpace(c.Reason))
        {
            // The court must know why its order was not carried out in full, to decide what to do next (API.md: refused with reason).
            error = new DomainError(DomainError.Codes.ValidationFailed, new("部分执行或未执行的，请填写原因", "a " + c.Outcome + " answer gives the reason"), "reason");
            return s;
        }

        if (c.ExecutedOn > c.Today)
        {
            error = new DomainError(DomainError.Codes.InvalidDate, new("执行时间不能晚于当前时间", "executedAt is in the future"), "executedAt");
            return s;
        }

        if (c.ExecutedOn < s.SentOn)
        {
            error = new DomainError(DomainError.Codes.InvalidDate, new("执行时间不能早于协助请求的时间", "executedAt precedes the request"), "executedAt");
            return s;
        }

        DateOnly? lapses = null;
        if (c.Outcome != Refused && ControlKinds.HasTerm(s.Kind))
        {
            var start = s.Kind == ControlKinds.Renew && renewed?.LapsesOn is { } prior ? prior : c.ExecutedOn;
            var longest = LongestEnd(s.PropertyKind!, start, rules, calendar);
            if (c.Until is { } reported && reported > longest.DueOn)
            {
                error = TooLong(reported, longest);
                return s;
            }

            lapses = new[] { c.Until, s.RequestedUntil, longest.DueOn }.Where(d => d is not null).Min();
        }

        return s with { Answer = new ControlAnswer(c.Outcome, c.ExecutedOn, c.Amount, lapses, c.Reason?.Trim()) };
    }

    /// <summary>
    /// The court's renewal duty on a control carried out for a term: due <c>control.renewal-margin</c> before its last day
    /// (a platform default; Art. 485 para. 2 only says before the term ends), met by a renewal or release of it that the
    /// unit carried out. A refused renewal leaves the duty open: the control still lapses.
    /// </summary>
    public static RenewalDuty? Renewal(ControlState s, IEnumerable<ControlState> followUps, RuleSet rules, LegalCalendar calendar)
    {
        if (!ControlKinds.HasTerm(s.Kind) || s.LapsesOn is not { } lapses)
        {
            return null;
        }

        var met = followUps
            .Where(f => f.OfControlId == s.Id && f.Kind is ControlKinds.Renew or ControlKinds.Release && f.Answer is { Outcome: Executed or Partial })
            .Select(f => (DateOnly?)f.Answer!.ExecutedOn).Min();
        return new RenewalDuty(s.Id, s.CourtCode, lapses, DueBefore(lapses, rules.Get(RuleIds.ControlRenewalMargin), rules.Name, calendar), met);
    }

    /// <summary>The last day a control over <paramref name="propertyKind"/> may run when it starts on <paramref name="start"/> (Art. 485 para. 1).</summary>
    public static Deadline LongestEnd(string propertyKind, DateOnly start, RuleSet rules, LegalCalendar calendar)
    {
        var rule = InvestigationKinds.TermRule(InvestigationKinds.Get(propertyKind).Property)
            ?? throw new InvalidOperationException("'" + propertyKind + "' is not property with a control term");
        return rules.Due(rule, start, calendar);
    }

    /// <summary>
    /// The day a margin before <paramref name="lapses"/> (counted backwards): N working days before it for a rule in
    /// working days; N calendar days before it otherwise, moved to the previous working day when it is a rest day — a
    /// duty to act before a date moves earlier, never later. Provisional when any day counted lies outside the holiday data.
    /// </summary>
    public static Deadline DueBefore(DateOnly lapses, LegalRule margin, string ruleSet, LegalCalendar calendar)
    {
        var holidays = calendar.Holidays;
        DateOnly due;
        if (margin.Unit == PeriodUnit.WorkingDays)
        {
            due = lapses;
            var remaining = margin.Length;
            while (remaining > 0)
            {
                due = due.AddDays(-1);
                if (!holidays.IsRestDay(due))
                {
                    remaining--;
                }
            }
        }
        else
        {
            due = margin.Unit switch
            {
                PeriodUnit.Days => lapses.AddDays(-margin.Length),
                PeriodUnit.Months => lapses.AddMonths(-margin.Length),
                PeriodUnit.Years => lapses.AddYears(-margin.Length),
                _ => lapses.AddDays(-1),
            };
            while (holidays.IsRestDay(due))
            {
                due = due.AddDays(-1);
            }
        }

        return new Deadline(due, margin.Id, ruleSet, margin.Source, !holidays.CoversRange(due, lapses));
    }

    private static DomainError TooLong(DateOnly until, Deadline longest) =>
        new(InvestigationErrors.TermExceedsMaximum,
            new("期限截止日期" + Iso(until) + "超过法定最长期限（至" + Iso(longest.DueOn) + "，依据：" + LegalCitations.Zh(longest.Source) + "）",
                "until " + Iso(until) + " passes the longest term, which ends on " + Iso(longest.DueOn) + " (" + longest.Source + ")"), "until");

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
