using Shixin.Core.Entries;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Entries;

public class ListingTests
{
    private static readonly EntryState? None = null;

    [Fact]
    public void Draft_ValidPerson_EmitsEntryDraftedAndFoldsToDraft()
    {
        var decision = EntryDecider.Decide(null, Draft(Person()), Rules);

        decision.Error.ShouldBeNull();
        var drafted = decision.Events.ShouldHaveSingleItem().ShouldBeOfType<EntryDrafted>();
        drafted.Draft.Status.ShouldBe(EntryStatus.Draft);
        var state = EntryDecider.Fold(null, decision.Events);
        state.Status.ShouldBe(EntryStatus.Draft);
        state.Version.ShouldBe(1);
        state.IsScreened.ShouldBeFalse();
    }

    [Fact]
    public void Draft_ValidOrganization_IsAccepted()
    {
        var state = DraftState(Organization());
        state.Subject.IsPerson.ShouldBeFalse();
        state.Subject.Key.ShouldBe("uscc:" + CreditCode);
    }

    [Fact]
    public void Draft_WhenEntryExists_IsRefused() =>
        DraftState().Refuse(Draft(Person()), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Decide_OnMissingEntry_IsRefused() =>
        None.Refuse(Decide(), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Draft_WithoutCircumstances_IsRefused() =>
        None.Refuse(Draft(Person() with { Circumstances = [] }), DomainError.Codes.ValidationFailed);

    [Fact]
    public void Draft_WithUnknownCircumstance_IsRefused() =>
        None.Refuse(Draft(Person("not-a-ground")), DomainError.Codes.ValidationFailed).Field.ShouldBe("circumstances");

    [Fact]
    public void Draft_WithFutureFilingDate_IsRefused() =>
        None.Refuse(Draft(Person(), Filed.AddDays(-1)), DomainError.Codes.InvalidDate);

    [Fact]
    public void ServeRiskNotice_MovesDraftToNoticed()
    {
        var state = NoticedState();
        state.Status.ShouldBe(EntryStatus.Noticed);
        state.RiskNoticeServedOn.ShouldBe(Noticed);
    }

    [Fact]
    public void ServeRiskNotice_InFuture_IsRefused() =>
        DraftState().Refuse(new ServeRiskNotice(Noticed.AddDays(1), Noticed), DomainError.Codes.InvalidDate);

    [Fact]
    public void ServeRiskNotice_OnListedEntry_IsRefused() =>
        ListedState().Refuse(new ServeRiskNotice(Decided, Decided), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Decide_AfterRiskNotice_ListsForTwoYears()
    {
        var state = NoticedState().Accept(Decide(), out var events);

        events.Count().ShouldBe(2);
        var decided = events[0].ShouldBeOfType<ListingDecided>();
        decided.DecidedOn.ShouldBe(Decided);
        decided.PublishOn.ShouldBe(Decided);
        decided.TermYears.ShouldBe(2);
        decided.ExpiresOn.ShouldBe(new DateOnly(2026, 3, 1));
        decided.Severity.ShouldBe("ordinary");
        events[1].ShouldBeOfType<EntryListed>().PublishedOn.ShouldBe(Decided);

        state.Status.ShouldBe(EntryStatus.Listed);
        state.IsPublished.ShouldBeTrue();
        state.IsScreened.ShouldBeTrue();
        state.IsPublic.ShouldBeTrue();
        state.DecidedOn.ShouldBe(Decided);
        state.PublishedOn.ShouldBe(Decided);
        state.TermYears.ShouldBe(2);
        state.ExpiresOn.ShouldBe(Decided.AddYears(2));
        state.Version.ShouldBe(4);
    }

    [Fact]
    public void Decide_Organization_IsAccepted() =>
        ListedState(Organization()).IsScreened.ShouldBeTrue();

    [Fact]
    public void Decide_RestrictedEntry_IsScreenedButNotPublic()
    {
        var state = ListedState(Person() with { Publicity = "restricted" });
        state.IsScreened.ShouldBeTrue();
        state.IsPublic.ShouldBeFalse();
    }

    [Fact]
    public void Decide_CapableButRefuses_HasNoTermAndNoExpiry()
    {
        var state = NoticedState(Person(Circumstances.CapableButRefuses)).Accept(Decide(), out var events);

        var decided = events[0].ShouldBeOfType<ListingDecided>();
        decided.TermYears.ShouldBeNull();
        decided.ExpiresOn.ShouldBeNull();
        state.HasTerm.ShouldBeFalse();
        state.TermYears.ShouldBeNull();
        state.ExpiresOn.ShouldBeNull();
        state.IsScreened.ShouldBeTrue();
    }

    [Fact]
    public void Decide_CapableButRefusesWithTerm_IsRefused() =>
        NoticedState(Person(Circumstances.CapableButRefuses)).Refuse(Decide(termYears: 2), DomainError.Codes.InvalidTerm);

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Decide_LongTermWhenSeriousViolence_IsAccepted(int years)
    {
        // SPC Art. 2: 以暴力、威胁方法妨碍、抗拒执行情节严重 — obstructs-enforcement marked serious.
        var state = NoticedState(Person(Circumstances.ObstructsEnforcement)).Accept(Decide(termYears: years, severity: "serious"));
        state.TermYears.ShouldBe(years);
        state.Severity.ShouldBe("serious");
        state.ExpiresOn.ShouldBe(Decided.AddYears(years));
    }

    [Fact]
    public void Decide_LongTermWithSeveralCircumstances_IsAccepted() =>
        NoticedState(Person(Circumstances.ObstructsEnforcement, Circumstances.ViolatesPropertyReporting))
            .Accept(Decide(termYears: 5)).ExpiresOn.ShouldBe(new DateOnly(2029, 3, 1));

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Decide_LongTermWhenOrdinaryAndSingleCircumstance_IsRefused(int years) =>
        NoticedState().Refuse(Decide(termYears: years), DomainError.Codes.InvalidTerm).Field.ShouldBe("termYears");

    [Theory]
    [InlineData(Circumstances.EvadesEnforcement)]
    [InlineData(Circumstances.ViolatesPropertyReporting)]
    [InlineData(Circumstances.ViolatesConsumptionRestriction)]
    [InlineData(Circumstances.RefusesSettlement)]
    public void Decide_LongTermWhenSeriousOnAnotherSingleGround_IsRefused(string circumstance) =>
        // Seriousness lengthens the term only for violence or threats (SPC Art. 2); on another single ground it does not.
        NoticedState(Person(circumstance)).Refuse(Decide(termYears: 3, severity: "serious"), DomainError.Codes.InvalidTerm).Field.ShouldBe("termYears");

    [Theory]
    [InlineData(Circumstances.ObstructsEnforcement)]
    [InlineData(Circumstances.EvadesEnforcement)]
    [InlineData(Circumstances.ViolatesPropertyReporting)]
    [InlineData(Circumstances.ViolatesConsumptionRestriction)]
    [InlineData(Circumstances.RefusesSettlement)]
    public void Decide_CapableButRefusesWithAnotherGround_ListsForTwoYears(string other)
    {
        // SPC Art. 2: grounds (二)–(六) carry the two-year term also when ground (一) is present.
        var state = NoticedState(Person(Circumstances.CapableButRefuses, other)).Accept(Decide(), out var events);

        var decided = events[0].ShouldBeOfType<ListingDecided>();
        decided.TermYears.ShouldBe(2);
        decided.ExpiresOn.ShouldBe(Decided.AddYears(2));
        state.HasTerm.ShouldBeTrue();
        state.ExpiresOn.ShouldBe(Decided.AddYears(2));
    }

    [Fact]
    public void Decide_CapableButRefusesWithAnotherGround_MayBeLongerForSeveralActs() =>
        // Two circumstances are several dishonest acts (具有多项失信行为).
        NoticedState(Person(Circumstances.CapableButRefuses, Circumstances.EvadesEnforcement))
            .Accept(Decide(termYears: 4)).ExpiresOn.ShouldBe(Decided.AddYears(4));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    public void Decide_TermOutsideTwoToFive_IsRefused(int years) =>
        NoticedState(Person(Circumstances.ObstructsEnforcement)).Refuse(Decide(termYears: years, severity: "serious"), DomainError.Codes.InvalidTerm);

    [Fact]
    public void Decide_WithUnknownSeverity_IsRefused() =>
        NoticedState().Refuse(Decide(severity: "grave"), DomainError.Codes.ValidationFailed);

    [Fact]
    public void Decide_WithoutRiskNotice_IsRefused() =>
        DraftState().Refuse(Decide(), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Decide_BeforeRiskNoticeDate_IsRefused() =>
        NoticedState().Refuse(Decide(decidedOn: Noticed.AddDays(-1), today: Decided), DomainError.Codes.IllegalTransition)
            .Field.ShouldBe("decidedOn");

    [Fact]
    public void Decide_OnRiskNoticeDate_IsAccepted() =>
        NoticedState().Accept(Decide(decidedOn: Noticed)).Status.ShouldBe(EntryStatus.Listed);

    [Fact]
    public void Decide_InFuture_IsRefused() =>
        NoticedState().Refuse(Decide(decidedOn: Decided.AddDays(1), today: Decided), DomainError.Codes.InvalidDate);

    [Fact]
    public void Decide_OnListedEntry_IsRefused() =>
        ListedState().Refuse(Decide(), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Decide_MinorOnDecisionDate_IsRefused()
    {
        // 17 years and 364 days old on the decision date.
        var minor = Person() with { Subject = Person().Subject with { BirthDate = Decided.AddYears(-18).AddDays(1) } };
        NoticedState(minor).Refuse(Decide(), DomainError.Codes.SubjectIsMinor);
    }

    [Fact]
    public void Decide_ExactlyEighteenOnDecisionDate_IsAccepted()
    {
        var adult = Person() with { Subject = Person().Subject with { BirthDate = Decided.AddYears(-18) } };
        NoticedState(adult).Accept(Decide()).Status.ShouldBe(EntryStatus.Listed);
    }

    [Fact]
    public void Decide_WithGracePeriod_DecidesButDoesNotScreen()
    {
        var publishOn = Decided.AddMonths(1);
        var state = NoticedState().Accept(Decide(publishOn: publishOn), out var events);

        var decided = events.ShouldHaveSingleItem().ShouldBeOfType<ListingDecided>();
        decided.PublishOn.ShouldBe(publishOn);
        decided.ExpiresOn.ShouldBe(Decided.AddYears(2)); // the decision takes effect when made
        state.Status.ShouldBe(EntryStatus.Listed);
        state.IsPublished.ShouldBeFalse();
        state.IsScreened.ShouldBeFalse();
        state.IsPublic.ShouldBeFalse();
        state.PublishedOn.ShouldBe(publishOn);
    }

    [Fact]
    public void Publish_BeforeGracePeriodEnds_IsRefused()
    {
        var state = NoticedState().Accept(Decide(publishOn: Decided.AddMonths(1)));
        state.Refuse(new PublishListing(Decided.AddMonths(1).AddDays(-1)), DomainError.Codes.IllegalTransition);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Publish_OnOrAfterGracePeriodEnds_EmitsEntryListed(int daysLate)
    {
        var publishOn = Decided.AddMonths(1);
        var state = NoticedState().Accept(Decide(publishOn: publishOn))
            .Accept(new PublishListing(publishOn.AddDays(daysLate)), out var events);

        events.ShouldHaveSingleItem().ShouldBeOfType<EntryListed>().PublishedOn.ShouldBe(publishOn);
        state.IsScreened.ShouldBeTrue();
    }

    [Fact]
    public void Publish_AlreadyPublished_IsRefused() =>
        ListedState().Refuse(new PublishListing(Decided.AddDays(1)), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Publish_Draft_IsRefused() =>
        DraftState().Refuse(new PublishListing(Decided), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Decide_GracePeriodOfExactlyThreeMonths_IsAccepted() =>
        NoticedState().Accept(Decide(publishOn: Decided.AddMonths(3))).IsScreened.ShouldBeFalse();

    [Fact]
    public void Decide_GracePeriodBeyondThreeMonths_IsRefused() =>
        NoticedState().Refuse(Decide(publishOn: Decided.AddMonths(3).AddDays(1)), DomainError.Codes.InvalidDate)
            .Field.ShouldBe("publishOn");

    [Fact]
    public void Decide_PublishBeforeDecision_IsRefused() =>
        NoticedState().Refuse(Decide(publishOn: Decided.AddDays(-1)), DomainError.Codes.InvalidDate);
}
