using Shixin.Core.Calendar;
using Shixin.Core.Entries;
using Shixin.Core.Tests.Calendar;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Entries;

/// <summary>Every period the decider applies comes from the rule set it is given, none from the code (DOMAIN.md "Rule sets").</summary>
public class RulePeriodTests
{
    private static readonly DateOnly DeletedOn = new(2024, 6, 3);

    private static EntryDecision Run(IEntryRules rules, EntryState? state, EntryCommand command) => EntryDecider.Decide(state, command, rules);

    private static PriorListing ApplicantDeletion() => new(Guid.NewGuid(), EntryStatus.Deleted, ExitReasons.ApplicantRequest, DeletedOn);

    private static EntryState ApplicantDraft => Person(Circumstances.CapableButRefuses) with { InitiatedBy = "applicant" };

    [Fact]
    public void RelistingBar_LengthComesFromTheRuleSet()
    {
        // A set with a 2-month bar: barred at 2 months, open the day after; with the usual 6 months still barred then.
        var twoMonths = new TestRules(new Dictionary<string, int> { [EntryDecider.Rules.RelistingApplicantBar] = 2 });
        Run(twoMonths, null, Draft(ApplicantDraft, DeletedOn.AddMonths(2), ApplicantDeletion())).Error!.Code.ShouldBe(DomainError.Codes.RelistingBarred);
        Run(twoMonths, null, Draft(ApplicantDraft, DeletedOn.AddMonths(2).AddDays(1), ApplicantDeletion())).IsRefused.ShouldBeFalse();
        Run(Rules, null, Draft(ApplicantDraft, DeletedOn.AddMonths(2).AddDays(1), ApplicantDeletion())).Error!.Code.ShouldBe(DomainError.Codes.RelistingBarred);
    }

    [Fact]
    public void GracePeriodCeiling_ComesFromTheRuleSet()
    {
        var oneMonth = new TestRules(new Dictionary<string, int> { [EntryDecider.Rules.GracePeriodMax] = 1 });
        var noticed = NoticedState();
        var refused = Run(oneMonth, noticed, Decide(publishOn: Decided.AddMonths(1).AddDays(1)));
        refused.Error!.Code.ShouldBe(DomainError.Codes.InvalidDate);
        refused.Error.Detail.ShouldContain(EntryDecider.Rules.GracePeriodMax);
        Run(oneMonth, noticed, Decide(publishOn: Decided.AddMonths(1))).IsRefused.ShouldBeFalse();
        Run(Rules, noticed, Decide(publishOn: Decided.AddMonths(2))).IsRefused.ShouldBeFalse();
    }

    [Fact]
    public void CorrectionWindow_WhenTheRuleSetSetsNone_ALateApplicationIsAccepted()
    {
        // SPC Art. 11 sets no window: spc-2017 marks correction.filing-window 'none'.
        var noWindow = new TestRules(none: EntryDecider.Rules.CorrectionFilingWindow);
        var listed = ListedState();
        var received = Decided.AddDays(1);
        var late = new FileCorrection(Guid.NewGuid(), received, received.AddDays(200), "listed in error", received.AddDays(200));

        Run(Rules, listed, late).Error!.Code.ShouldBe(DomainError.Codes.WindowClosed);
        var accepted = Run(noWindow, listed, late);
        accepted.IsRefused.ShouldBeFalse();
        accepted.Events.ShouldHaveSingleItem().ShouldBeOfType<CorrectionFiled>().Correction.ReviewDue.DueOn.ShouldBe(received.AddDays(203));
    }

    [Theory]
    [InlineData("seeds", true)]
    [InlineData("spc-2017", false)]
    public void RealRuleSets_CorrectionWindow_SeedsTenDays_Spc2017None(string ruleSet, bool refusedWhenLate)
    {
        var rules = new LegalEntryRules(CalendarTestData.Legal, CalendarTestData.RuleSets.Get(ruleSet));
        var listed = ListedState();
        var received = new DateOnly(2024, 3, 4);
        var late = new FileCorrection(Guid.NewGuid(), received, received.AddDays(30), "listed in error", received.AddDays(30));
        var decision = Run(rules, listed, late);
        if (refusedWhenLate)
        {
            decision.Error!.Code.ShouldBe(DomainError.Codes.WindowClosed);
            decision.Error.Detail.ShouldContain("correction.filing-window");
        }
        else
        {
            decision.IsRefused.ShouldBeFalse(decision.Error?.ToString());
        }
    }

    [Theory]
    [InlineData("seeds")]
    [InlineData("spc-2017")]
    public void RealRuleSets_GraceAndRelistingBar_AreReadFromTheFile(string ruleSet)
    {
        var set = CalendarTestData.RuleSets.Get(ruleSet);
        var rules = new LegalEntryRules(CalendarTestData.Legal, set);
        var grace = set.Due(RuleIds.GracePeriodMax, Decided, CalendarTestData.Legal);
        Run(rules, NoticedState(), Decide(publishOn: grace.DueOn)).IsRefused.ShouldBeFalse();
        Run(rules, NoticedState(), Decide(publishOn: grace.DueOn.AddDays(1))).Error!.Code.ShouldBe(DomainError.Codes.InvalidDate);

        var bar = set.Due(RuleIds.RelistingApplicantBar, DeletedOn, CalendarTestData.Legal);
        bar.DueOn.ShouldBe(new DateOnly(2024, 12, 3)); // six months, a Tuesday
        Run(rules, null, Draft(ApplicantDraft, bar.DueOn, ApplicantDeletion())).Error!.Code.ShouldBe(DomainError.Codes.RelistingBarred);
        Run(rules, null, Draft(ApplicantDraft, bar.DueOn.AddDays(1), ApplicantDeletion())).IsRefused.ShouldBeFalse();
    }
}
