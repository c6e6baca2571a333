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
    /// <summary>The due date of this period for an event on <paramref name="trigger"/>.</summary>
    public DateOnly DueFrom(DateOnly trigger, LegalCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return Unit switch
        {
            PeriodUnit.Days => EndOnRestDay == EndOnRestDay.Keep
                ? trigger.AddDays(Length)
                : calendar.AddDays(trigger, Length),
            PeriodUnit.WorkingDays => calendar.AddWorkingDays(trigger, Length),
            PeriodUnit.Months => calendar.AddMonths(trigger, Length, EndOnRestDay),
            PeriodUnit.Years => calendar.AddYears(trigger, Length, EndOnRestDay),
            _ => throw new InvalidOperationException($"Rule '{Id}' has an unknown unit {Unit}."),
        };
    }
}
