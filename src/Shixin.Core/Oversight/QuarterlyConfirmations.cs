namespace Shixin.Core.Oversight;

/// <summary>A calendar quarter (1–4 of a year).</summary>
public readonly record struct Quarter(int Year, int Number)
{
    public DateOnly FirstDay => new(Year, ((Number - 1) * 3) + 1, 1);

    public DateOnly LastDay => FirstDay.AddMonths(3).AddDays(-1);

    public static Quarter Of(DateOnly day) => new(day.Year, ((day.Month - 1) / 3) + 1);

    /// <summary>A quarter from query parameters; false when either is missing or out of range.</summary>
    public static bool TryCreate(int? year, int? number, out Quarter quarter)
    {
        quarter = default;
        if (year is not (>= 2000 and <= 2100) || number is not (>= 1 and <= 4))
        {
            return false;
        }

        quarter = new Quarter(year.Value, number.Value);
        return true;
    }
}

/// <summary>A unit confirms its report for a quarter. The server supplies whether it has already confirmed it.</summary>
public sealed record ConfirmQuarter(string Organization, Quarter Quarter, bool AlreadyConfirmed, string? Note, DateOnly Today);

/// <summary>The unit confirmed its quarterly report.</summary>
public sealed record QuarterConfirmed(string Organization, Quarter Quarter, DateOnly ConfirmedOn, string? Note);

/// <summary>
/// Quarterly confirmation (003 §四(四) "每季度结束后30日内将惩戒情况推送"): a report covers a whole quarter, so it is
/// confirmed after the quarter's last day, once. Confirming after the 30 days is still accepted — the late duty shows as
/// met late in the compliance figures, which is milder than refusing the report.
/// </summary>
public static class QuarterlyDecider
{
    public static Decision<QuarterConfirmed> Decide(ConfirmQuarter c)
    {
        if (c.Quarter.LastDay >= c.Today)
        {
            return Decision<QuarterConfirmed>.Refuse(DomainError.Codes.ValidationFailed,
                new("该季度尚未结束，季度最后一天之后方可确认报告", "the quarter has not ended yet; its report is confirmed after its last day"), "quarter");
        }

        if (c.AlreadyConfirmed)
        {
            return Decision<QuarterConfirmed>.Refuse(OversightCodes.Conflict, new("本季度报告已确认，无需重复确认", "this quarter is already confirmed"));
        }

        return Decision<QuarterConfirmed>.Accept(new QuarterConfirmed(c.Organization, c.Quarter, c.Today, string.IsNullOrWhiteSpace(c.Note) ? null : c.Note.Trim()));
    }
}
