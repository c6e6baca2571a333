using Shixin.Core.Entries;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Entries;

public class TermTests
{
    /// <summary>Serious violence or threats (SPC Art. 2): obstructs-enforcement marked serious.</summary>
    private static EntryState SeriousListed(int? termYears = null) =>
        ListedState(Person(Circumstances.ObstructsEnforcement), termYears: termYears, severity: "serious");

    [Theory]
    [InlineData(Circumstances.EvadesEnforcement)]
    [InlineData(Circumstances.ViolatesPropertyReporting)]
    [InlineData(Circumstances.ViolatesConsumptionRestriction)]
    [InlineData(Circumstances.RefusesSettlement)]
    public void Extend_SeriousButSingleNonViolentGround_IsRefused(string circumstance)
    {
        // Today's mistake: any entry marked serious was extended. Art. 2 names serious violence/threats only.
        var state = ListedState(Person(circumstance), severity: "serious");
        state.QualifiesForExtension.ShouldBeFalse();
        state.Refuse(new ExtendTerm(1, "情节严重"), DomainError.Codes.InvalidExtension);
    }

    [Fact]
    public void Extend_ObstructionNotSerious_IsRefused() =>
        ListedState(Person(Circumstances.ObstructsEnforcement)).Refuse(new ExtendTerm(1, "why"), DomainError.Codes.InvalidExtension);

    [Fact]
    public void Extend_CapableButRefusesWithAnotherGround_QualifiesAsSeveralActs()
    {
        // Ground (一) with (三): the entry has a term (Art. 2 para 1) and two dishonest acts, so it may be extended.
        var state = ListedState(Person(Circumstances.CapableButRefuses, Circumstances.EvadesEnforcement));
        state.ExpiresOn.ShouldBe(Decided.AddYears(2));
        state.Accept(new ExtendTerm(3, "多项失信行为")).ExpiresOn.ShouldBe(Decided.AddYears(5));
    }

    [Fact]
    public void Expire_CapableButRefusesWithAnotherGround_EndsAfterTwoYears() =>
        ListedState(Person(Circumstances.CapableButRefuses, Circumstances.ViolatesConsumptionRestriction))
            .Accept(new ExpireTerm(Decided.AddYears(2).AddDays(1))).Status.ShouldBe(EntryStatus.Expired);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Extend_QualifiedEntry_MovesExpiry(int years)
    {
        var state = SeriousListed().Accept(new ExtendTerm(years, "several dishonest acts"), out var events);

        var extended = events.ShouldHaveSingleItem().ShouldBeOfType<EntryExtended>();
        extended.Years.ShouldBe(years);
        extended.ExpiresOn.ShouldBe(Decided.AddYears(2 + years));
        state.ExtensionYears.ShouldBe(years);
        state.ExpiresOn.ShouldBe(Decided.AddYears(2 + years));
        state.Status.ShouldBe(EntryStatus.Listed);
    }

    [Fact]
    public void Extend_SeveralCircumstances_Qualifies() =>
        ListedState(Person(Circumstances.EvadesEnforcement, Circumstances.RefusesSettlement))
            .Accept(new ExtendTerm(1, "several acts")).ExpiresOn.ShouldBe(Decided.AddYears(3));

    [Fact]
    public void Extend_CumulativelyUpToThreeYears_ThenRefused()
    {
        var state = SeriousListed()
            .Accept(new ExtendTerm(1, "first"))
            .Accept(new ExtendTerm(2, "second"));
        state.ExtensionYears.ShouldBe(3);
        state.ExpiresOn.ShouldBe(Decided.AddYears(5));

        state.Refuse(new ExtendTerm(1, "third"), DomainError.Codes.InvalidExtension).Field.ShouldBe("years");
    }

    [Fact]
    public void Extend_BeyondThreeInTwoSteps_IsRefused() =>
        SeriousListed().Accept(new ExtendTerm(2, "first")).Refuse(new ExtendTerm(2, "second"), DomainError.Codes.InvalidExtension);

    [Fact]
    public void Extend_WhenDecidedTermAlreadyLonger_CountsTowardsTheMaximum()
    {
        var state = SeriousListed(termYears: 4);
        state.Refuse(new ExtendTerm(2, "more"), DomainError.Codes.InvalidExtension);
        state.Accept(new ExtendTerm(1, "more")).ExpiresOn.ShouldBe(Decided.AddYears(5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(-1)]
    public void Extend_OutOfRange_IsRefused(int years) =>
        SeriousListed().Refuse(new ExtendTerm(years, "why"), DomainError.Codes.InvalidExtension);

    [Fact]
    public void Extend_WithoutQualification_IsRefused() =>
        ListedState().Refuse(new ExtendTerm(1, "why"), DomainError.Codes.InvalidExtension);

    [Fact]
    public void Extend_NoTermEntry_IsRefused() =>
        ListedState(Person(Circumstances.CapableButRefuses), severity: "serious").Refuse(new ExtendTerm(1, "why"), DomainError.Codes.InvalidExtension);

    [Fact]
    public void Extend_WithoutReason_IsRefused() =>
        SeriousListed().Refuse(new ExtendTerm(1, " "), DomainError.Codes.ValidationFailed);

    [Fact]
    public void Extend_NotListed_IsRefused() =>
        NoticedState().Refuse(new ExtendTerm(1, "why"), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Expire_OnOrBeforeExpiry_IsRefused()
    {
        var state = ListedState();
        var expires = state.ExpiresOn!.Value;
        state.Refuse(new ExpireTerm(expires), DomainError.Codes.IllegalTransition);
        state.Refuse(new ExpireTerm(expires.AddDays(-1)), DomainError.Codes.IllegalTransition);
    }

    [Fact]
    public void Expire_DayAfterExpiry_IsAccepted()
    {
        var state = ListedState();
        var expires = state.ExpiresOn!.Value;
        var expired = state.Accept(new ExpireTerm(expires.AddDays(1)), out var events);

        events.ShouldHaveSingleItem().ShouldBeOfType<EntryExpired>().ExpiredOn.ShouldBe(expires.AddDays(1));
        expired.Status.ShouldBe(EntryStatus.Expired);
        expired.ExitReason.ShouldBe(ExitReasons.TermExpired);
        expired.IsScreened.ShouldBeFalse();
    }

    [Fact]
    public void Expire_UsesTheExtendedExpiry()
    {
        var state = SeriousListed().Accept(new ExtendTerm(1, "more"));
        state.Refuse(new ExpireTerm(Decided.AddYears(2).AddDays(1)), DomainError.Codes.IllegalTransition);
        state.Accept(new ExpireTerm(Decided.AddYears(3).AddDays(1))).Status.ShouldBe(EntryStatus.Expired);
    }

    [Fact]
    public void Expire_NoTermEntry_IsRefused() =>
        ListedState(Person(Circumstances.CapableButRefuses)).Refuse(new ExpireTerm(Decided.AddYears(10)), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Expire_ShieldedEntry_IsRefused() =>
        ListedState().Accept(Exit(EntryStatus.Shielded, ExitReasons.GuaranteeProvided, Decided.AddDays(1)))
            .Refuse(new ExpireTerm(Decided.AddYears(3)), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Delete_AfterExpiry_ForTermExpired_IsAccepted_AndMeetsTheDeletionDuty()
    {
        var expires = Decided.AddYears(2);
        var expired = ListedState().Accept(new ExpireTerm(expires.AddDays(1)));

        var open = EntryDuties.For(expired, Rules).ShouldHaveSingleItem();
        open.Code.ShouldBe(EntryDuties.DeleteAfterTerm);
        open.OwnerCode.ShouldBe(Court);
        open.Due.DueOn.ShouldBe(expires.AddDays(3));
        open.Due.RuleId.ShouldBe(EntryDecider.Rules.DeletionAfterTerm);
        open.StatusOn(expires.AddDays(1)).ShouldBe("open");
        open.StatusOn(expires.AddDays(4)).ShouldBe("overdue");

        var deleted = expired.Accept(Exit(EntryStatus.Deleted, ExitReasons.TermExpired, expires.AddDays(2)));
        deleted.Status.ShouldBe(EntryStatus.Deleted);
        deleted.ExitReason.ShouldBe(ExitReasons.TermExpired);

        var met = EntryDuties.For(deleted, Rules).ShouldHaveSingleItem();
        met.MetOn.ShouldBe(expires.AddDays(2));
        met.StatusOn(expires.AddDays(10)).ShouldBe("met");
        met.MetLate.ShouldBeFalse();
    }

    [Theory]
    [InlineData(ExitReasons.EarlyDeletion)]
    [InlineData(ExitReasons.ApplicantRequest)]
    [InlineData(ExitReasons.ExecutionTerminated)]
    public void Delete_AfterExpiry_ForOtherReason_IsRefused(string reason) =>
        ListedState().Accept(new ExpireTerm(Decided.AddYears(2).AddDays(1)))
            .Refuse(Exit(EntryStatus.Deleted, reason, Decided.AddYears(2).AddDays(2)), DomainError.Codes.InvalidExitReason);
}
