using Shixin.Core.Calendar;
using static Shixin.Core.Tests.Calendar.CalendarTestData;

namespace Shixin.Core.Tests.Calendar;

// Every expected date below was checked against data/holidays/*.json (listed rows, then Saturday/Sunday).
public class LegalCalendarTests
{
    [Fact]
    public void AddDays_EndingInSpringFestival2024_MovesToMakeUpWorkingSunday()
    {
        // 2024-02-01 + 10 = Sun 02-11, off (春节 02-10..17); Sun 02-18 is a make-up working day.
        Legal.AddDays(D("2024-02-01"), 10).ShouldBe(D("2024-02-18"));
    }

    [Fact]
    public void AddDays_EndingOnAWorkingDay_IsTriggerPlusN()
    {
        // Start day not counted (CPL Art. 85): Mon 2025-03-03 + 3 = Thu 2025-03-06.
        Legal.AddDays(D("2025-03-03"), 3).ShouldBe(D("2025-03-06"));
    }

    [Fact]
    public void AddDays_HolidayInsideThePeriod_IsNotDeducted()
    {
        // 2024-02-05 + 15 = Tue 02-20, a working day: the eight holiday days inside still count.
        Legal.AddDays(D("2024-02-05"), 15).ShouldBe(D("2024-02-20"));
    }

    [Fact]
    public void AddWorkingDays_AcrossSpringFestival2024_SkipsTheHoliday()
    {
        // Thu 02-08 → Fri 02-09 (1), 02-10..17 off, Sun 02-18 make-up (2), Mon 02-19 (3).
        Legal.AddWorkingDays(D("2024-02-08"), 3).ShouldBe(D("2024-02-19"));
    }

    [Fact]
    public void AddWorkingDays_BeforeNationalDay2025_CountsTheAdjustedSunday()
    {
        // Fri 2025-09-26 → Sat 09-27 rest, Sun 09-28 make-up working day.
        Legal.AddWorkingDays(D("2025-09-26"), 1).ShouldBe(D("2025-09-28"));
        Legal.AddWorkingDays(D("2025-09-26"), 2).ShouldBe(D("2025-09-29"));
    }

    [Fact]
    public void AddWorkingDays_FromLastDayBeforeNationalDay2025_JumpsTheWholeHoliday()
    {
        // Tue 09-30 → 10-01..08 off → Thu 10-09.
        Legal.AddWorkingDays(D("2025-09-30"), 1).ShouldBe(D("2025-10-09"));
    }

    [Fact]
    public void AddDays_EndingOnNationalDay2025_MovesToOctober9()
    {
        // 2025-09-25 + 10 = Sun 10-05, off (国庆/中秋 10-01..08) → Thu 10-09.
        Legal.AddDays(D("2025-09-25"), 10).ShouldBe(D("2025-10-09"));
    }

    [Fact]
    public void AddWorkingDays_AcrossNewYear2026_UsesThe2026File()
    {
        // Tue 2025-12-30 → Wed 12-31 (1), 01-01..03 off, Sun 01-04 make-up (2), Mon 01-05 (3).
        Legal.AddWorkingDays(D("2025-12-30"), 3).ShouldBe(D("2026-01-05"));
        // Without the 2026 notice Thu 01-01 and Fri 01-02 would wrongly count.
        new LegalCalendar(LoadYears(2025)).AddWorkingDays(D("2025-12-30"), 3).ShouldBe(D("2026-01-02"));
    }

    [Fact]
    public void AddDays_EndingOnNewYear2025_MovesToJanuary2()
    {
        // 2024-12-22 + 10 = Wed 2025-01-01 (元旦) → Thu 01-02.
        Legal.AddDays(D("2024-12-22"), 10).ShouldBe(D("2025-01-02"));
    }

    [Fact]
    public void AddDays_EndingOnDecemberMakeUpDayListedInNextYearsFile_EndsThatSaturday()
    {
        // 2018-12-19 + 10 = Sat 12-29, a make-up working day listed only in 2019.json.
        new LegalCalendar(LoadYears(2018, 2019)).AddDays(D("2018-12-19"), 10).ShouldBe(D("2018-12-29"));
        new LegalCalendar(LoadYears(2018)).AddDays(D("2018-12-19"), 10).ShouldBe(D("2018-12-31"));
    }

    [Fact]
    public void AddWorkingDays_AcrossNewYear2019_CountsDecemberMakeUpSaturday()
    {
        // Fri 2018-12-28 → Sat 12-29 make-up (1), 12-30..2019-01-01 off, Wed 01-02 (2).
        Legal.AddWorkingDays(D("2018-12-28"), 2).ShouldBe(D("2019-01-02"));
    }

    [Fact]
    public void AddMonths_NoCorrespondingDay_EndsOnLastDayOfMonth()
    {
        Legal.AddMonths(D("2024-01-31"), 1, EndOnRestDay.Keep).ShouldBe(D("2024-02-29"));
        Legal.AddMonths(D("2023-01-31"), 1, EndOnRestDay.Keep).ShouldBe(D("2023-02-28"));
        Legal.AddMonths(D("2024-08-31"), 6, EndOnRestDay.Keep).ShouldBe(D("2025-02-28"));
    }

    [Fact]
    public void AddMonths_EndingOnNationalDay_MovesOnlyWhenAsked()
    {
        Legal.AddMonths(D("2025-04-01"), 6, EndOnRestDay.Keep).ShouldBe(D("2025-10-01"));
        Legal.AddMonths(D("2025-04-01"), 6, EndOnRestDay.MoveToNextWorkingDay).ShouldBe(D("2025-10-09"));
    }

    [Fact]
    public void AddYears_ListingTermEndingOnHoliday_IsAPlainDate()
    {
        // A 2-year term from 2023-10-01 ends 2025-10-01 as a plain date; as a litigation period it would move.
        Legal.AddYears(D("2023-10-01"), 2, EndOnRestDay.Keep).ShouldBe(D("2025-10-01"));
        Legal.AddYears(D("2023-10-01"), 2, EndOnRestDay.MoveToNextWorkingDay).ShouldBe(D("2025-10-09"));
    }

    [Fact]
    public void AddYears_FromLeapDay_EndsOnFebruary28()
    {
        Legal.AddYears(D("2024-02-29"), 1, EndOnRestDay.Keep).ShouldBe(D("2025-02-28"));
    }

    [Fact]
    public void NextWorkingDayOnOrAfter_WorkingDay_IsItself()
    {
        Legal.NextWorkingDayOnOrAfter(D("2024-02-18")).ShouldBe(D("2024-02-18"));
        Legal.NextWorkingDayOnOrAfter(D("2024-02-10")).ShouldBe(D("2024-02-18"));
    }

    [Fact]
    public void CountWorkingDays_SpringFestivalWeek2024_CountsOnlyMakeUpDay()
    {
        // (02-09, 02-18]: 02-10..17 off, 02-18 make-up working.
        Legal.CountWorkingDays(D("2024-02-09"), D("2024-02-18")).ShouldBe(1);
        Legal.CountWorkingDays(D("2024-02-18"), D("2024-02-09")).ShouldBe(0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void AddPeriods_NonPositiveLength_Throws(int n)
    {
        var d = D("2025-01-01");
        Should.Throw<ArgumentOutOfRangeException>(() => Legal.AddDays(d, n));
        Should.Throw<ArgumentOutOfRangeException>(() => Legal.AddWorkingDays(d, n));
        Should.Throw<ArgumentOutOfRangeException>(() => Legal.AddMonths(d, n, EndOnRestDay.Keep));
        Should.Throw<ArgumentOutOfRangeException>(() => Legal.AddYears(d, n, EndOnRestDay.Keep));
    }
}
