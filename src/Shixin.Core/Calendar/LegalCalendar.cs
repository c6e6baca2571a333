namespace Shixin.Core.Calendar;

/// <summary>What to do when a period in months or years ends on a rest day.</summary>
public enum EndOnRestDay
{
    /// <summary>Move the end to the next working day, as for litigation periods (CPL Art. 85 para. 3; Civil Code Art. 203).</summary>
    MoveToNextWorkingDay,

    /// <summary>Keep the plain calendar date, e.g. the end of a listing term (SPC 法释〔2017〕7号 Art. 2).</summary>
    Keep,
}

/// <summary>Computes legal due dates (期间) in days, working days, months and years over a <see cref="HolidayCalendar"/>.</summary>
/// <remarks>Pure and thread-safe; LEGAL.md §7 explains the counting rules.</remarks>
public sealed class LegalCalendar
{
    /// <summary>Wraps the holiday data the periods are counted over.</summary>
    public LegalCalendar(HolidayCalendar holidays)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        Holidays = holidays;
    }

    /// <summary>The holiday data used.</summary>
    public HolidayCalendar Holidays { get; }

    /// <summary>The last day of an N-day period starting after <paramref name="trigger"/>, moved off rest days.</summary>
    /// <remarks>
    /// CPL (2023) Art. 85 para. 2–3: the starting day is not counted, so the last day is
    /// trigger + N; if it is a 法定休假日 the period ends on the first day after it. Weekends count as
    /// 法定休假日 here (SPC practice, LEGAL.md §7.1), and a make-up working weekend does not. Rest days
    /// inside the period are not deducted; only the end moves.
    /// </remarks>
    public DateOnly AddDays(DateOnly trigger, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        return NextWorkingDayOnOrAfter(trigger.AddDays(days));
    }

    /// <summary>The Nth working day after <paramref name="trigger"/> ("within N working days", 三个工作日内).</summary>
    /// <remarks>
    /// Counting starts the day after the trigger (SPC CPL Interpretation Art. 125); weekends and
    /// holidays are skipped, make-up working weekends count (LEGAL.md §7.2).
    /// </remarks>
    public DateOnly AddWorkingDays(DateOnly trigger, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workingDays);
        var date = trigger;
        var remaining = workingDays;
        while (remaining > 0)
        {
            date = date.AddDays(1);
            if (!Holidays.IsRestDay(date))
            {
                remaining--;
            }
        }
        return date;
    }

    /// <summary>The end of an N-month period after <paramref name="trigger"/>: the corresponding day, or the month's last day when there is none.</summary>
    /// <remarks>Civil Code Art. 202 (corresponding day / last day of month); Art. 203 and CPL Art. 85 move a period's end off a holiday when <paramref name="endOnRestDay"/> asks for it.</remarks>
    public DateOnly AddMonths(DateOnly trigger, int months, EndOnRestDay endOnRestDay)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(months);
        // DateOnly.AddMonths clamps 01-31 + 1 month to 02-28/29, which is exactly Art. 202.
        return Adjust(trigger.AddMonths(months), endOnRestDay);
    }

    /// <summary>The end of an N-year period after <paramref name="trigger"/> (Civil Code Art. 202; 02-29 maps to 02-28).</summary>
    public DateOnly AddYears(DateOnly trigger, int years, EndOnRestDay endOnRestDay)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(years);
        return Adjust(trigger.AddYears(years), endOnRestDay);
    }

    /// <summary><paramref name="date"/> itself if it is a working day, else the first working day after it.</summary>
    public DateOnly NextWorkingDayOnOrAfter(DateOnly date)
    {
        while (Holidays.IsRestDay(date))
        {
            date = date.AddDays(1);
        }
        return date;
    }

    /// <summary>How many working days lie in (<paramref name="after"/>, <paramref name="through"/>]; zero when <paramref name="through"/> is not later.</summary>
    public int CountWorkingDays(DateOnly after, DateOnly through)
    {
        var count = 0;
        for (var date = after.AddDays(1); date <= through; date = date.AddDays(1))
        {
            if (!Holidays.IsRestDay(date))
            {
                count++;
            }
        }
        return count;
    }

    private DateOnly Adjust(DateOnly end, EndOnRestDay endOnRestDay) => endOnRestDay switch
    {
        EndOnRestDay.MoveToNextWorkingDay => NextWorkingDayOnOrAfter(end),
        EndOnRestDay.Keep => end,
        _ => throw new ArgumentOutOfRangeException(nameof(endOnRestDay), endOnRestDay, "Unknown rest-day handling."),
    };
}
