using Shixin.Core.Calendar;
using static Shixin.Core.Tests.Calendar.CalendarTestData;

namespace Shixin.Core.Tests.Calendar;

// Properties over every trigger day 2007-01-01..2026-12-31 against the real holiday data.
public class LegalCalendarPropertyTests
{
    private static IEnumerable<DateOnly> Triggers()
    {
        for (var d = D("2007-01-01"); d <= D("2026-12-31"); d = d.AddDays(1))
        {
            yield return d;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(15)]
    [InlineData(30)]
    public void AddDays_AnyTrigger_EndsOnFirstWorkingDayOnOrAfterTriggerPlusN(int n)
    {
        foreach (var trigger in Triggers())
        {
            var due = Legal.AddDays(trigger, n);
            Holidays.IsRestDay(due).ShouldBeFalse($"{trigger:O}+{n}");
            due.ShouldBeGreaterThanOrEqualTo(trigger.AddDays(n));
            // Minimal: every day skipped between trigger+n and the due date was a rest day.
            for (var d = trigger.AddDays(n); d < due; d = d.AddDays(1))
            {
                Holidays.IsRestDay(d).ShouldBeTrue($"{trigger:O}+{n} skipped working day {d:O}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void AddWorkingDays_AnyTrigger_HasExactlyNWorkingDaysInPeriod(int n)
    {
        foreach (var trigger in Triggers())
        {
            var due = Legal.AddWorkingDays(trigger, n);
            Legal.CountWorkingDays(trigger, due).ShouldBe(n, $"{trigger:O}+{n}wd");
            Holidays.IsWorkingDay(due).ShouldBeTrue($"{trigger:O}+{n}wd");
        }
    }

    [Fact]
    public void AddMonths_AnyTrigger_IsCorrespondingDayOrMonthEnd()
    {
        foreach (var trigger in Triggers())
        {
            var plain = Legal.AddMonths(trigger, 6, EndOnRestDay.Keep);
            var month = trigger.AddMonths(6);
            plain.Year.ShouldBe(month.Year);
            plain.Month.ShouldBe(month.Month);
            plain.Day.ShouldBe(Math.Min(trigger.Day, DateTime.DaysInMonth(month.Year, month.Month)));

            var moved = Legal.AddMonths(trigger, 6, EndOnRestDay.MoveToNextWorkingDay);
            moved.ShouldBe(Legal.NextWorkingDayOnOrAfter(plain));
        }
    }
}
