namespace Shixin.Core.Calendar;

/// <summary>A computed due date and the rule that produced it: every deadline names its rule, rule set and legal source.</summary>
/// <param name="DueOn">The last day (inclusive) on which the act is in time; the period ends at 24:00 of this day (Civil Code Art. 203).</param>
/// <param name="RuleId">The rule's stable id, e.g. <c>correction.review</c>.</param>
/// <param name="RuleSet">The rule set's name, e.g. <c>seeds</c>.</param>
/// <param name="Source">Where the period comes from, e.g. "000 §四(二)3".</param>
/// <param name="Provisional">
/// True when the date was counted over, or ends in, a year whose State Council holiday notice is not in the calendar data
/// (DOMAIN.md "Time"): only weekends were known there, so the date may move once the notice is added. Defaults to false,
/// so deadlines stored before the flag read as they were computed.
/// </param>
public readonly record struct Deadline(DateOnly DueOn, string RuleId, string RuleSet, string Source, bool Provisional = false)
{
    /// <summary>Whether an act done on <paramref name="date"/> is in time (on or before <see cref="DueOn"/>).</summary>
    public bool IsWithin(DateOnly date) => date <= DueOn;

    /// <summary>Whether, on <paramref name="today"/>, the deadline has passed without the act (today is after <see cref="DueOn"/>).</summary>
    public bool IsOverdueOn(DateOnly today) => today > DueOn;
}
