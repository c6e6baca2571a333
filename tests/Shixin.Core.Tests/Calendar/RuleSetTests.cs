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
    [InlineData("spc-2017", "correction.filing-window", 10, PeriodUnit.Days)]
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
                var deadline = set.Due(rule.Id, D("2025-09-26"), Legal);
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
}
