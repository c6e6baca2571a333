using Shixin.Core.Calendar;
using Shixin.Core.Investigations;
using static Shixin.Core.Tests.Calendar.CalendarTestData;

namespace Shixin.Core.Tests.Investigations;

public class ControlTests
{
    private static readonly RuleSet Seeds = RuleSets.Default;

    private static ControlState Request(string kind, string? property, DateOnly today, DateOnly? until = null, ControlState? of = null)
    {
        var s = ControlDecider.Request(new RequestControl(Guid.NewGuid(), "C1", "BANK", kind, property, "6222 0000", 1000m, "(2025)宁0104执1号之一",
            until, null, of, today), Seeds, Legal, out var error);
        error.ShouldBeNull();
        return s;
    }

    private static ControlState Execute(ControlState s, DateOnly on, DateOnly? until = null, ControlState? renewed = null)
    {
        var answered = ControlDecider.Answer(s, new AnswerControl(s.Id, "BANK", "executed", on, null, until, null, on), renewed, Seeds, Legal, out var error);
        error.ShouldBeNull();
        return answered;
    }

    [Theory]
    [InlineData("deposits", "2026-03-03")] // Art. 485: bank deposits one year
    [InlineData("vehicles", "2027-03-03")] // movables two years
    [InlineData("real-estate", "2028-03-03")] // real estate three years
    [InlineData("equity", "2028-03-03")] // other property rights three years
    public void Freeze_Executed_RunsForTheLongestTermOfArticle485(string property, string lapses)
    {
        var kind = property == "deposits" || property == "equity" ? ControlKinds.Freeze : ControlKinds.Seize;
        var s = Execute(Request(kind, property, D("2025-03-03")), D("2025-03-03"));
        s.LapsesOn.ShouldBe(D(lapses));
    }

    [Fact]
    public void Rules_CiteArticle485_AndLabelTheMarginAndAnswerPeriodsAsPlatformDefaults()
    {
        foreach (var set in RuleSets.Sets)
        {
            set.Get(RuleIds.ControlTermDeposits).Source.ShouldContain("第四百八十五条");
            set.Get(RuleIds.ControlTermDeposits).Length.ShouldBe(1);
            set.Get(RuleIds.ControlTermMovables).Length.ShouldBe(2);
            set.Get(RuleIds.ControlTermProperty).Length.ShouldBe(3);
            set.Get(RuleIds.ControlRenewalMargin).Source.ShouldStartWith("platform default");
            set.Get(RuleIds.InvestigationAnswer).Source.ShouldStartWith("platform default");
            set.Get(RuleIds.ControlAnswer).Source.ShouldStartWith("platform default");
        }
    }

    [Fact]
    public void RenewalDuty_FallsDueTenWorkingDaysBeforeTheLapse_OnTheLegalCalendar()
    {
        // Executed Mon 2025-01-20 → lapses Tue 2026-01-20. Ten working days back: 01-19,16,15,14,13,12,09,08,07,06 → 2026-01-06.
        var s = Execute(Request(ControlKinds.Freeze, "deposits", D("2025-01-20")), D("2025-01-20"));
        var duty = ControlDecider.Renewal(s, [], Seeds, Legal)!;
        duty.LapsesOn.ShouldBe(D("2026-01-20"));
        duty.Due.DueOn.ShouldBe(D("2026-01-06"));
        duty.Due.RuleId.ShouldBe(RuleIds.ControlRenewalMargin);
        duty.StatusOn(D("2026-01-06")).ShouldBe("open");
        duty.StatusOn(D("2026-01-07")).ShouldBe("overdue");
    }

    [Fact]
    public void RenewalDuty_SkipsTheSpringFestivalWhenCountingBack()
    {
        // Lapses Mon 2026-02-23 (the first working day after the 2026 Spring Festival, 02-15..02-23 per the 2026 notice
        // would be checked by the calendar data; the count only uses working days).
        var lapses = D("2026-02-24");
        var due = ControlDecider.DueBefore(lapses, Seeds.Get(RuleIds.ControlRenewalMargin), Seeds.Name, Legal);
        Legal.CountWorkingDays(due.DueOn.AddDays(-1), lapses.AddDays(-1)).ShouldBe(10);
        Legal.Holidays.IsRestDay(due.DueOn).ShouldBeFalse();
        (lapses.DayNumber - due.DueOn.DayNumber).ShouldBeGreaterThan(14); // the holiday week is not counted
    }

    [Fact]
    public void RenewalDuty_IsMetByARenewalCarriedOut_NotByARefusedOne()
    {
        var freeze = Execute(Request(ControlKinds.Freeze, "deposits", D("2025-01-20")), D("2025-01-20"));
        var renew = Request(ControlKinds.Renew, null, D("2026-01-05"), of: freeze);
        renew.PropertyKind.ShouldBe("deposits");
        var refused = ControlDecider.Answer(renew, new AnswerControl(renew.Id, "BANK", "refused", D("2026-01-06"), null, null, "account closed", D("2026-01-06")), freeze, Seeds, Legal, out _);
        ControlDecider.Renewal(freeze, [refused], Seeds, Legal)!.MetOn.ShouldBeNull();
        var done = Execute(renew, D("2026-01-06"), renewed: freeze);
        ControlDecider.Renewal(freeze, [done], Seeds, Legal)!.MetOn.ShouldBe(D("2026-01-06"));
        // 续行 runs on from the old last day, for at most one more year (Art. 485 para. 2).
        done.LapsesOn.ShouldBe(D("2027-01-20"));
        ControlDecider.Renewal(done, [], Seeds, Legal).ShouldNotBeNull();
    }

    [Fact]
    public void Until_BeyondTheLongestTerm_IsRefused_AndAShorterOneIsKept()
    {
        ControlDecider.Request(new RequestControl(Guid.NewGuid(), "C1", "BANK", ControlKinds.Freeze, "deposits", "t", null, "r", D("2026-03-04"), null, null, D("2025-03-03")),
            Seeds, Legal, out var error);
        error!.Code.ShouldBe(InvestigationErrors.TermExceedsMaximum);
        var s = Execute(Request(ControlKinds.Freeze, "deposits", D("2025-03-03"), until: D("2025-09-30")), D("2025-03-05"));
        s.LapsesOn.ShouldBe(D("2025-09-30"));
    }

    [Fact]
    public void Renewal_AfterTheLapse_IsRefused()
    {
        var freeze = Execute(Request(ControlKinds.Freeze, "deposits", D("2025-01-20")), D("2025-01-20"));
        ControlDecider.Request(new RequestControl(Guid.NewGuid(), "C1", "BANK", ControlKinds.Renew, null, "t", null, "r", null, null, freeze, D("2026-01-21")),
            Seeds, Legal, out var error);
        error!.Code.ShouldBe(InvestigationErrors.ControlNotRenewable);
    }

    [Fact]
    public void Refusal_WithoutReason_IsRefused_AndDeductHasNoTermOrDuty()
    {
        var s = Request(ControlKinds.Deduct, "deposits", D("2025-03-03"));
        ControlDecider.Answer(s, new AnswerControl(s.Id, "BANK", "refused", D("2025-03-03"), null, null, null, D("2025-03-03")), null, Seeds, Legal, out var error);
        error!.Field.ShouldBe("reason");
        var done = Execute(s, D("2025-03-04"));
        done.LapsesOn.ShouldBeNull();
        ControlDecider.Renewal(done, [], Seeds, Legal).ShouldBeNull();
    }

    [Fact]
    public void Freeze_WithoutProperty_IsRefused()
    {
        ControlDecider.Request(new RequestControl(Guid.NewGuid(), "C1", "BANK", ControlKinds.Freeze, null, "t", null, "r", null, null, null, D("2025-03-03")),
            Seeds, Legal, out var error);
        error!.Field.ShouldBe("propertyKind");
    }
}
