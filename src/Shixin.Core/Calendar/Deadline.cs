namespace Shixin.Core.Calendar;

/// <summary>A computed due date that names the rule, rule set and legal source that produced it.</summary>
public readonly record struct Deadline(DateOnly DueOn, string RuleId, string RuleSet, string Source);
