namespace Shixin.Core.Calendar;

/// <summary>One named period of a rule set: its length, unit and legal source.</summary>
/// <param name="Id">Stable id (see <see cref="RuleIds"/>), e.g. <c>correction.review</c>.</param>
/// <param name="Length">How many <paramref name="Unit"/>s; at least 1.</param>
/// <param name="Unit">How the length is counted.</param>
/// <param name="TitleZh">Chinese title for display.</param>
/// <param name="TitleEn">English title for display.</param>
/// <param name="Source">Citation, e.g. "法释〔2017〕7号 第十二条第一款" or "platform default".</param>
/// <param name="EndOnRestDay">For days, months and years: whether an end on a rest day moves to the next working day.</param>
/// <param name="Note">Why this value was chosen where the source is silent or ambiguous; may be null.</param>
public sealed record LegalRule(
    string Id,
    int Length,
    PeriodUnit Unit,
    string TitleZh,
    string TitleEn,
    string Source,
    EndOnRestDay EndOnRestDay = EndOnRestDay.MoveToNextWorkingDay,
    string? Note = null)
{
    /// <summary>Whether the rule set sets a period for this act at all (<see cref="PeriodUnit.None"/> sets none).</summary>
    public bool SetsPeriod => Unit != PeriodUnit.None;

    /// <summary>The due date of this period for an event on <paramref name="trigger"/>.</summary>
    public DateOnly DueFrom(DateOnly trigger, LegalCalendar calendar) => DueWithProvisional(trigger, calendar).DueOn;

    /// <summary>
    /// The due date for an event on <paramref name="trigger"/>, and whether it is provisional: whether any day whose
    /// rest-day status decides the result lies in a year the holiday data does not cover (DOMAIN.md "Time").
    /// </summary>
    /// <remarks>
    /// Working days depend on every day counted, (trigger, due]. A period in days, months or years that moves off rest
    /// days depends on the plain end date and each day it was moved over, [plain end, due]. A plain end that is kept
    /// (a listing term, Civil Code Art. 202) depends on no holiday and is never provisional.
    /// </remarks>
    public (DateOnly DueOn, bool Provisional) DueWithProvisional(DateOnly trigger, LegalCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var holidays = calendar.Holidays;
        switch (Unit)
        {
            case PeriodUnit.Days when EndOnRestDay == EndOnRestDay.Keep:
                return (trigger.AddDays(Length), false);
            case PeriodUnit.Days:
            {
                var due = calendar.AddDays(trigger, Length);
                return (due, !holidays.CoversRange(trigger.AddDays(Length), due));
            }

            case PeriodUnit.WorkingDays:
            {
                var due = calendar.AddWorkingDays(trigger, Length);
                return (due, !holidays.CoversRange(trigger.AddDays(1), due));
            }

            case PeriodUnit.Months or PeriodUnit.Years:
            {
                var plain = Unit == PeriodUnit.Months ? trigger.AddMonths(Length) : trigger.AddYears(Length);
                var due = Unit == PeriodUnit.Months ? calendar.AddMonths(trigger, Length, EndOnRestDay) : calendar.AddYears(trigger, Length, EndOnRestDay);
                return (due, EndOnRestDay != EndOnRestDay.Keep && !holidays.CoversRange(plain, due));
            }

            case PeriodUnit.None:
                throw new InvalidOperationException($"Rule '{Id}' sets no period; ask SetsPeriod first.");
            default:
                throw new InvalidOperationException($"Rule '{Id}' has an unknown unit {Unit}.");
        }
    }
}
