namespace Shixin.Core.Calendar;

/// <summary>How a rule's length is counted; JSON names are <c>days</c>, <c>working-days</c>, <c>months</c>, <c>years</c>, <c>none</c>.</summary>
public enum PeriodUnit
{
    /// <summary>Calendar days, start day excluded, end moved off a rest day (CPL Art. 85).</summary>
    Days,

    /// <summary>Working days after the trigger (工作日; weekends and holidays skipped, make-up days counted).</summary>
    WorkingDays,

    /// <summary>Calendar months (Civil Code Art. 202).</summary>
    Months,

    /// <summary>Calendar years (Civil Code Art. 202).</summary>
    Years,

    /// <summary>The rule set sets no period for this act (e.g. SPC 法释〔2017〕7号 Art. 11 lets a correction be filed at any time); nothing is due.</summary>
    None,
}
