using Shixin.Core.Calendar;
using static Shixin.Core.Tests.Calendar.CalendarTestData;

namespace Shixin.Core.Tests.Calendar;

public class RuleSetTests
{
    [Fact]
    public void Catalog_ShippedFile_HasSeedsAsDefaultAndSpc2017()
    {
        RuleSets.Default.Name.ShouldBe("seeds");
        RuleSets.Sets.Select(s => s.Name).ShouldBe(["seeds", "spc-2017"]);
    }

    [Theory]
    [InlineData("seeds")]
    [InlineData("spc-2017")]
    public void Catalog_EachSet_DefinesExactlyTheKnownRuleIds(string set)
    {
        RuleSets.Get(set).Rules.Select(r => r.Id).Order(StringComparer.Ordinal)
            .ShouldBe(RuleIds.All.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("seeds", "correction.filing-window", 10, PeriodUnit.Days)]
    [InlineData("seeds", "correction.review", 3, PeriodUnit.Days)]
    [InlineData("seeds", "correction.fix", 3, PeriodUnit.Days)]
    [InlineData("seeds", "reconsideration.filing-window", 10, PeriodUnit.Days)]
    [InlineData("seeds", "reconsideration.ruling", 15, PeriodUnit.Days)]
    [InlineData("seeds", "exit.after-performance", 3, PeriodUnit.Days)]
    [InlineData("spc-2017", "correction.filing-window", 0, PeriodUnit.None)] // SPC Art. 11 sets no window
    [InlineData("spc-2017", "correction.review", 15, PeriodUnit.Days)]
    [InlineData("spc-2017", "correction.fix", 3, PeriodUnit.WorkingDays)]
    [InlineData("spc-2017", "reconsideration.filing-window", 10, PeriodUnit.Days)]
    [InlineData("spc-2017", "reconsideration.ruling", 15, PeriodUnit.Days)]
    [InlineData("spc-2017", "exit.after-performance", 3, PeriodUnit.WorkingDays)]
    [InlineData("spc-2017", "exit.revoke-wrongly-listed", 3, PeriodUnit.WorkingDays)]
    [InlineData("spc-2017", "amendment.fix", 3, PeriodUnit.WorkingDays)]
    [InlineData("spc-2017", "deletion.after-term", 3, PeriodUnit.WorkingDays)]
    [InlineData("spc-2017", "relisting.applicant-bar", 6, PeriodUnit.Months)]
    [InlineData("spc-2017", "grace-period.max", 3, PeriodUnit.Months)]
    [InlineData("spc-2017", "unit.quarterly-report", 30, PeriodUnit.Days)]
    [InlineData("spc-2017", "republished-copy.drop-removed", 3, PeriodUnit.WorkingDays)]
    [InlineData("seeds", "unit.quarterly-report", 30, PeriodUnit.Days)]
    [InlineData("seeds", "republished-copy.drop-removed", 3, PeriodUnit.WorkingDays)]
    public void Catalog_ShippedFile_HasTheDocumentedPeriods(string set, string id, int length, PeriodUnit unit)
    {
        var rule = RuleSets.Get(set).Get(id);
        rule.Length.ShouldBe(length);
        rule.Unit.ShouldBe(unit);
    }

    [Fact]
    public void Due_CorrectionReview_DiffersBetweenSeedsAndSpc()
    {
        // Mon 2025-03-03: seeds 3 days → Thu 03-06; SPC Art. 12 15 days → Tue 03-18.
        var trigger = D("2025-03-03");
        RuleSets.Get("seeds").Due(RuleIds.CorrectionReview, trigger, Legal).DueOn.ShouldBe(D("2025-03-06"));
        RuleSets.Get("spc-2017").Due(RuleIds.CorrectionReview, trigger, Legal).DueOn.ShouldBe(D("2025-03-18"));
    }

    [Fact]
    public void Due_ExitAfterPerformanceOverQingming2025_SeedsDaysVersusSpcWorkingDays()
    {
        // Thu 2025-04-03; Fri 04-04 清明 off; seeds +3 days = Sun 04-06 → Mon 04-07; SPC 3 working days → Wed 04-09.
        var trigger = D("2025-04-03");
        RuleSets.Get("seeds").Due(RuleIds.ExitAfterPerformance, trigger, Legal).DueOn.ShouldBe(D("2025-04-07"));
        RuleSets.Get("spc-2017").Due(RuleIds.ExitAfterPerformance, trigger, Legal).DueOn.ShouldBe(D("2025-04-09"));
    }

    [Fact]
    public void Due_QuarterlyReportForQ4_2024_MovesOffSpringFestival2025()
    {
        // 2024-12-31 + 30 = Thu 2025-01-30, off (春节 01-28..02-04) → Wed 02-05.
        RuleSets.Default.Due(RuleIds.UnitQuarterlyReport, D("2024-12-31"), Legal).DueOn.ShouldBe(D("2025-02-05"));
    }

    [Fact]
    public void Due_EveryRuleInEverySet_NamesItsRuleSetAndSource()
    {
        foreach (var set in RuleSets.Sets)
        {
            foreach (var rule in set.Rules)
            {
                if (!rule.SetsPeriod)
                {
                    set.TryDue(rule.Id, D("2025-09-26"), Legal, out _).ShouldBeFalse();
                    Should.Throw<InvalidOperationException>(() => set.Due(rule.Id, D("2025-09-26"), Legal));
                    continue;
                }

                set.TryDue(rule.Id, D("2025-09-26"), Legal, out var tried).ShouldBeTrue();
                var deadline = set.Due(rule.Id, D("2025-09-26"), Legal);
                tried.ShouldBe(deadline);
                deadline.Provisional.ShouldBeFalse(); // 2025 is covered by its notice
                deadline.RuleId.ShouldBe(rule.Id);
                deadline.RuleSet.ShouldBe(set.Name);
                deadline.Source.ShouldBe(rule.Source);
                deadline.Source.ShouldNotBeNullOrWhiteSpace();
                rule.TitleZh.ShouldNotBeNullOrWhiteSpace();
                rule.TitleEn.ShouldNotBeNullOrWhiteSpace();
                deadline.DueOn.ShouldBeGreaterThan(D("2025-09-26"));
            }
        }
    }

    [Fact]
    public void Get_UnknownRuleId_ThrowsNamingRuleAndSet()
    {
        var ex = Should.Throw<KeyNotFoundException>(() => RuleSets.Default.Get("correction.nope"));
        ex.Message.ShouldContain("correction.nope");
        ex.Message.ShouldContain("seeds");
        Should.Throw<KeyNotFoundException>(() => RuleSets.Default.Due("correction.nope", D("2025-01-02"), Legal));
    }

    [Fact]
    public void Get_UnknownRuleSet_ThrowsListingKnownSets()
    {
        var ex = Should.Throw<KeyNotFoundException>(() => RuleSets.Get("spc-2013"));
        ex.Message.ShouldContain("spc-2017");
    }

    [Fact]
    public void Deadline_IsWithinAndOverdue_AreInclusiveOfTheDueDay()
    {
        var deadline = new Deadline(D("2025-10-09"), RuleIds.CorrectionFix, "spc-2017", "法释〔2017〕7号 第十二条");
        deadline.IsWithin(D("2025-10-09")).ShouldBeTrue();
        deadline.IsWithin(D("2025-10-10")).ShouldBeFalse();
        deadline.IsOverdueOn(D("2025-10-09")).ShouldBeFalse();
        deadline.IsOverdueOn(D("2025-10-10")).ShouldBeTrue();
    }

    [Fact]
    public void LegalRule_KeepForMonths_GivesPlainDate()
    {
        var rule = new LegalRule("t.term", 2, PeriodUnit.Years, "期限", "Term", "test", EndOnRestDay.Keep);
        rule.DueFrom(D("2023-10-01"), Legal).ShouldBe(D("2025-10-01"));
    }

    [Fact]
    public void FromJson_SetsWithDifferentRuleIds_ThrowsFormatException()
    {
        const string json = """
            { "default": "a", "ruleSets": [
              { "name": "a", "rules": [ { "id": "x", "length": 1, "unit": "days", "titleZh": "甲", "titleEn": "A", "source": "s" } ] },
              { "name": "b", "rules": [ { "id": "y", "length": 1, "unit": "days", "titleZh": "乙", "titleEn": "B", "source": "s" } ] } ] }
            """;
        var ex = Should.Throw<FormatException>(() => RuleSetCatalog.FromJson(json));
        ex.Message.ShouldContain("'x' missing from 'b'");
    }

    [Theory]
    [InlineData("""{ "id": "x", "length": 1, "unit": "weeks", "titleZh": "甲", "titleEn": "A", "source": "s" }""")]
    [InlineData("""{ "id": "x", "length": 0, "unit": "days", "titleZh": "甲", "titleEn": "A", "source": "s" }""")]
    [InlineData("""{ "id": "x", "length": 1, "unit": "days", "titleZh": "甲", "titleEn": "A" }""")]
    [InlineData("""{ "id": "x", "length": 1, "unit": "days", "titleZh": "甲", "titleEn": "A", "source": "s", "endOnRestDay": "maybe" }""")]
    public void FromJson_MalformedRule_ThrowsFormatException(string rule)
    {
        var json = $$"""{ "default": "a", "ruleSets": [ { "name": "a", "rules": [ {{rule}} ] } ] }""";
        Should.Throw<FormatException>(() => RuleSetCatalog.FromJson(json));
    }

    [Fact]
    public void FromJson_UnknownDefault_ThrowsFormatException()
    {
        const string json = """{ "default": "zz", "ruleSets": [ { "name": "a", "rules": [] } ] }""";
        Should.Throw<FormatException>(() => RuleSetCatalog.FromJson(json));
    }

    [Fact]
    public void Catalog_UnitNone_TakesNoLength()
    {
        const string Json = """
            {"default": "a", "ruleSets": [{"name": "a", "rules": [{"id": "x", "unit": "none", "length": 3, "titleZh": "x", "titleEn": "x", "source": "s"}]}]}
            """;
        Should.Throw<FormatException>(() => RuleSetCatalog.FromJson(Json)).Message.ShouldContain("takes no 'length'");
        RuleSetCatalog.FromJson(Json.Replace("\"length\": 3, ", "", StringComparison.Ordinal)).Default.Get("x").SetsPeriod.ShouldBeFalse();
    }

    /// <summary>Today is 2026-12-04 and 2027 has no State Council notice in data/holidays (DOMAIN.md "Time").</summary>
    [Theory]
    [InlineData("seeds")]
    [InlineData("spc-2017")]
    public void Due_TenWorkingDaysFromChristmas2026_CrossesIntoUnpublished2027_IsProvisional(string set)
    {
        // unit.answer-complaint: 10 working days from Friday 2026-12-25 → weekends only in 2027 → Friday 2027-01-08.
        var deadline = RuleSets.Get(set).Due(RuleIds.UnitAnswerComplaint, D("2026-12-25"), Legal);
        deadline.DueOn.ShouldBe(D("2027-01-08"));
        deadline.Provisional.ShouldBeTrue();
    }

    [Fact]
    public void Due_EndingOn1January2027_IsNotMovedForNewYear_ButIsProvisional()
    {
        // seeds exit.after-performance: 3 days from 2026-12-29 → Friday 2027-01-01 (元旦 every year, but unknown to the data):
        // it stays a working day until the notice is added, and the date says so.
        var deadline = RuleSets.Get("seeds").Due(RuleIds.ExitAfterPerformance, D("2026-12-29"), Legal);
        deadline.DueOn.ShouldBe(D("2027-01-01"));
        deadline.Provisional.ShouldBeTrue();
    }

    [Theory]
    [InlineData("2026-12-01", "correction.review", false)]    // seeds 3 days → 12-04, early December: covered
    [InlineData("2026-12-15", "correction.review", false)]    // → 12-18, before the late-December margin
    [InlineData("2026-12-18", "correction.review", true)]     // → Monday 12-21, which the 2027 notice could still move
    [InlineData("2026-06-01", "relisting.applicant-bar", false)] // six months → Tuesday 2026-12-01
    [InlineData("2026-06-25", "relisting.applicant-bar", true)]  // six months → Friday 2026-12-25
    public void Due_SeedsNearTheEndOf2026_FlagsOnlyDatesThe2027NoticeCouldMove(string trigger, string rule, bool provisional)
    {
        var deadline = RuleSets.Get("seeds").Due(rule, D(trigger), Legal);
        deadline.Provisional.ShouldBe(provisional, deadline.ToString());
    }

    [Fact]
    public void Due_FullyInsideCoveredYears_IsNotProvisional()
    {
        foreach (var set in RuleSets.Sets)
        {
            foreach (var rule in set.Rules.Where(r => r.SetsPeriod))
            {
                set.Due(rule.Id, D("2024-02-05"), Legal).Provisional.ShouldBeFalse(set.Name + " " + rule.Id);
            }
        }
    }

    [Fact]
    public void Due_WithThe2027NoticeLoaded_IsNoLongerProvisional()
    {
        // A stand-in 2027 file (test data only, never shipped): once a notice for 2027 is loaded the same date is firm.
        const string Notice2027 = """{"year": 2027, "papers": ["test"], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}""";
        var builder = new HolidayCalendarBuilder();
        foreach (var file in AllHolidayFiles())
        {
            builder.AddJson(File.ReadAllText(file), Path.GetFileName(file));
        }

        var withNotice = new LegalCalendar(builder.AddJson(Notice2027, "2027-test").Build());
        var deadline = RuleSets.Get("seeds").Due(RuleIds.ExitAfterPerformance, D("2026-12-29"), withNotice);
        deadline.DueOn.ShouldBe(D("2027-01-04")); // 01-01 off, then the weekend
        deadline.Provisional.ShouldBeFalse();
    }
}
