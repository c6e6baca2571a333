using System.Text;
using System.Text.Json;
using Shixin.Core.Calendar;
using static Shixin.Core.Tests.Calendar.CalendarTestData;

namespace Shixin.Core.Tests.Calendar;

public class HolidayCalendarTests
{
    [Fact]
    public void FromJson_RealFiles_CoversEveryYearFrom2007To2026()
    {
        Holidays.CoveredYears.ShouldBe(Enumerable.Range(2007, 20).ToArray());
    }

    [Fact]
    public void ShippedData_HasNo2027_BecauseTheNoticeIsNotPublished()
    {
        // DOMAIN.md "Time": no invented data — an empty 2027.json would claim 2027 has no holidays.
        Holidays.HasDataFor(2027).ShouldBeFalse();
        Holidays.HasDataFor(2026).ShouldBeTrue();
        Holidays.CoveredUntil.ShouldBe(D("2026-12-19"));
    }

    [Fact]
    public void FromJson_EmptyYearFile_IsReportedAsYearWithoutData()
    {
        var calendar = new HolidayCalendarBuilder()
            .AddJson(File.ReadAllText(HolidayFile(2026)))
            .AddJson("""{"year": 2027, "days": []}""")
            .Build();
        calendar.YearsWithoutData.ShouldBe([2027]);
        calendar.HasDataFor(2027).ShouldBeFalse();
        calendar.CoveredUntil.ShouldBe(D("2026-12-19"));
    }

    [Theory]
    [InlineData("2026-11-30", true)]
    [InlineData("2025-12-31", true)]   // 2026 file is loaded
    [InlineData("2026-12-31", false)]  // the 2027 notice could still move late-December days
    [InlineData("2026-12-20", false)]  // from 12-20 on (LateDecemberFrom)
    [InlineData("2026-12-19", true)]   // no notice has ever moved a day this early
    [InlineData("2027-03-01", false)]
    [InlineData("2006-06-01", false)]
    public void Covers_DependsOnThisYearAndForDecemberTheNextYear(string date, bool expected)
    {
        Holidays.Covers(D(date)).ShouldBe(expected);
    }

    [Fact]
    public void CoversRange_EndingInUncoveredYear_IsFalse()
    {
        Holidays.CoversRange(D("2025-01-01"), D("2026-06-30")).ShouldBeTrue();
        Holidays.CoversRange(D("2026-10-01"), D("2027-01-15")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("2024-02-10", true)]   // Spring Festival, Saturday, listed off
    [InlineData("2024-02-12", true)]   // Spring Festival, Monday, listed off
    [InlineData("2024-02-04", false)]  // make-up working Sunday
    [InlineData("2024-02-18", false)]  // make-up working Sunday
    [InlineData("2024-03-02", true)]   // plain Saturday, not listed
    [InlineData("2024-03-04", false)]  // plain Monday
    [InlineData("2025-10-08", true)]   // National Day 2025, Wednesday
    [InlineData("2025-10-11", false)]  // make-up working Saturday
    [InlineData("2026-01-02", true)]   // New Year 2026, Friday
    [InlineData("2026-01-04", false)]  // make-up working Sunday
    public void IsRestDay_RealData_MatchesTheNotice(string date, bool rest)
    {
        Holidays.IsRestDay(D(date)).ShouldBe(rest);
        Holidays.IsWorkingDay(D(date)).ShouldBe(!rest);
    }

    [Fact]
    public void IsRestDay_DecemberDateListedInNextYearsFile_UsesThatFile()
    {
        // 2018-12-29 (Saturday) is a make-up working day named only in 2019.json.
        LoadYears(2018).IsRestDay(D("2018-12-29")).ShouldBeTrue();
        LoadYears(2018, 2019).IsRestDay(D("2018-12-29")).ShouldBeFalse();
        LoadYears(2018, 2019).IsRestDay(D("2018-12-31")).ShouldBeTrue();
    }

    [Fact]
    public void IsRestDay_OutsideTheData_UsesOnlyTheWeekendRule()
    {
        Holidays.IsRestDay(D("1999-01-01")).ShouldBeFalse(); // a Friday; no 1999 data
        Holidays.IsRestDay(D("2030-01-05")).ShouldBeTrue();  // a Saturday
        HolidayCalendar.WeekendsOnly.IsRestDay(D("2024-02-12")).ShouldBeFalse();
        HolidayCalendar.WeekendsOnly.CoveredYears.ShouldBeEmpty();
    }

    [Fact]
    public void IsRestDay_EveryDay2006To2027_AgreesWithTheRawFiles()
    {
        // Independent reference: the raw rows, later files winning, else Saturday/Sunday.
        var listed = new Dictionary<DateOnly, bool>();
        foreach (var path in AllHolidayFiles())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            foreach (var day in doc.RootElement.GetProperty("days").EnumerateArray())
            {
                listed[D(day.GetProperty("date").GetString()!)] = day.GetProperty("isOffDay").GetBoolean();
            }
        }

        for (var d = D("2006-01-01"); d <= D("2027-12-31"); d = d.AddDays(1))
        {
            var expected = listed.TryGetValue(d, out var off) ? off : d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            Holidays.IsRestDay(d).ShouldBe(expected, d.ToString("O"));
        }
    }

    [Fact]
    public void TryGetListedDay_Holiday_ReturnsItsName()
    {
        Holidays.TryGetListedDay(D("2024-02-18"), out var day).ShouldBeTrue();
        day.ShouldBe(new ListedDay(D("2024-02-18"), "春节", IsOffDay: false));
        Holidays.TryGetListedDay(D("2024-03-04"), out _).ShouldBeFalse();
    }

    [Fact]
    public void FromJson_SchemaAndIdMembers_AreIgnored()
    {
        const string json = """
            { "$schema": "https://example.invalid/schema.json", "$id": "x", "year": 2030, "papers": ["p"],
              "days": [ { "name": "元旦", "date": "2030-01-01", "isOffDay": true } ] }
            """;
        var calendar = HolidayCalendar.FromJson([json]);
        calendar.IsRestDay(D("2030-01-01")).ShouldBeTrue();
        calendar.CoveredYears.ShouldBe([2030]);
    }

    [Fact]
    public void FromJson_LaterFileForSameDate_OverridesEarlier()
    {
        var first = Doc(2030, ("2030-01-02", true), ("2030-01-03", true));
        var second = Doc(2030, ("2030-01-03", false), ("2030-01-04", true));
        var calendar = HolidayCalendar.FromJson([first, second]);

        calendar.IsRestDay(D("2030-01-02")).ShouldBeTrue();   // only in the first file: kept
        calendar.IsRestDay(D("2030-01-03")).ShouldBeFalse();  // the later file wins
        calendar.IsRestDay(D("2030-01-04")).ShouldBeTrue();
    }

    [Fact]
    public void FromJson_EmptyAndFilledFileForSameYear_YearIsCovered()
    {
        var calendar = HolidayCalendar.FromJson([Doc(2030), Doc(2030, ("2030-01-01", true))]);
        calendar.YearsWithoutData.ShouldBeEmpty();
        calendar.HasDataFor(2030).ShouldBeTrue();
    }

    [Fact]
    public void Builder_StreamAndUtf8Overloads_GiveTheSameCalendarAsText()
    {
        var text = File.ReadAllText(HolidayFile(2024));
        var fromText = HolidayCalendar.FromJson([text]);
        using var stream = File.OpenRead(HolidayFile(2024));
        var fromStream = new HolidayCalendarBuilder().AddJson(stream).Build();
        var fromBytes = new HolidayCalendarBuilder().AddJson(Encoding.UTF8.GetBytes(text).AsSpan()).Build();

        for (var d = D("2024-01-01"); d <= D("2024-12-31"); d = d.AddDays(1))
        {
            fromStream.IsRestDay(d).ShouldBe(fromText.IsRestDay(d));
            fromBytes.IsRestDay(d).ShouldBe(fromText.IsRestDay(d));
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{ "days": [] }""")]
    [InlineData("""{ "year": 2030 }""")]
    [InlineData("""{ "year": 2030, "days": [ { "date": "2030-13-01", "isOffDay": true } ] }""")]
    [InlineData("""{ "year": 2030, "days": [ { "date": "2030-01-01" } ] }""")]
    public void AddJson_MalformedDocument_ThrowsFormatExceptionNamingTheSource(string json)
    {
        var ex = Should.Throw<FormatException>(() => new HolidayCalendarBuilder().AddJson(json, "bad.json"));
        ex.Message.ShouldStartWith("bad.json");
    }

    private static string Doc(int year, params (string Date, bool Off)[] days) =>
        JsonSerializer.Serialize(new
        {
            year,
            papers = Array.Empty<string>(),
            days = days.Select(d => new { name = "test", date = d.Date, isOffDay = d.Off }).ToArray(),
        });
}
