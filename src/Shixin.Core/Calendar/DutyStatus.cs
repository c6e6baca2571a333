namespace Shixin.Core.Calendar;

/// <summary>Where a duty with a due date stands on a given day (API names <c>open</c>, <c>overdue</c>, <c>met</c>).</summary>
public enum DutyStatus
{
    Open,
    Overdue,
    Met,
}

/// <summary>
/// The one duty-status rule every duty list, page and figure uses (entries, objections, complaints, lifting measures,
/// quarterly reports, special-subject notifications, controls). A period ends at 24:00 of its last day (Civil Code
/// Art. 203; CPL Art. 85, LEGAL.md §7), so the duty is still open on the due date and overdue from the next day; once the
/// act is recorded it is met, on time or late, whatever today is (002 §四(四) judges organizations by duties met on time).
/// </summary>
public static class Duties
{
    public static DutyStatus StatusOn(DateOnly dueOn, DateOnly? metOn, DateOnly today) =>
        metOn is not null ? DutyStatus.Met : today > dueOn ? DutyStatus.Overdue : DutyStatus.Open;

    public static DutyStatus StatusOn(Deadline due, DateOnly? metOn, DateOnly today) => StatusOn(due.DueOn, metOn, today);

    /// <summary>Met within its period: on or before the due date (<see cref="Deadline.IsWithin"/>).</summary>
    public static bool MetOnTime(DateOnly dueOn, DateOnly? metOn) => metOn is { } m && m <= dueOn;

    /// <summary>Met, but after the due date.</summary>
    public static bool MetLate(DateOnly dueOn, DateOnly? metOn) => metOn is { } m && m > dueOn;

    public static string ToApi(this DutyStatus s) => s switch
    {
        DutyStatus.Open => "open",
        DutyStatus.Overdue => "overdue",
        DutyStatus.Met => "met",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };
}
