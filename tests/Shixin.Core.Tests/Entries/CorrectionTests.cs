using Shixin.Core.Entries;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Entries;

public class CorrectionTests
{
    private static readonly Guid CorrectionId = Guid.Parse("10000000-0000-0000-0000-000000000001");
    private static readonly Guid ReconsiderationId = Guid.Parse("20000000-0000-0000-0000-000000000001");
    private static readonly DateOnly Received = Decided.AddDays(2);
    private static readonly DateOnly FiledOn = Received.AddDays(4);
    private static readonly DateOnly Ruled = FiledOn.AddDays(2);
    private static readonly DateOnly RejectionServed = Ruled.AddDays(1);

    private static FileCorrection File(DateOnly filedOn, Guid? id = null) =>
        new(id ?? CorrectionId, Received, filedOn, "I was never able to pay", filedOn);

    private static FileReconsideration Reconsider(DateOnly filedOn, DateOnly? served = null) =>
        new(CorrectionId, ReconsiderationId, HigherCourt, filedOn, served ?? RejectionServed, "the court erred", filedOn);

    private static EntryState Filed() => ListedState().Accept(File(FiledOn));

    private static EntryState Rejected() => Filed().Accept(new RuleOnCorrection(CorrectionId, "rejected", Ruled, "no grounds"));

    private static EntryState ReconsiderationFiled() => Rejected().Accept(Reconsider(RejectionServed.AddDays(3)));

    [Fact]
    public void FileCorrection_WithinWindow_RecordsItWithReviewDeadline()
    {
        var state = ListedState().Accept(File(FiledOn), out var events);

        var filed = events.ShouldHaveSingleItem().ShouldBeOfType<CorrectionFiled>().Correction;
        filed.Id.ShouldBe(CorrectionId);
        filed.ReceivedOn.ShouldBe(Received);
        filed.FiledOn.ShouldBe(FiledOn);
        filed.Status.ShouldBe("filed");
        filed.ReviewDue.DueOn.ShouldBe(FiledOn.AddDays(3));
        filed.ReviewDue.RuleId.ShouldBe(EntryDecider.Rules.CorrectionReview);
        state.Corrections.ShouldHaveSingleItem().ShouldBe(filed);
        state.Status.ShouldBe(EntryStatus.Listed);
        state.IsScreened.ShouldBeTrue(); // an application does not suspend the listing
    }

    [Fact]
    public void FileCorrection_OnLastDayOfWindow_IsAccepted() =>
        ListedState().Accept(File(Received.AddDays(10))).Corrections.Length.ShouldBe(1);

    [Fact]
    public void FileCorrection_DayAfterWindow_IsRefused() =>
        ListedState().Refuse(File(Received.AddDays(11)), DomainError.Codes.WindowClosed).Field.ShouldBe("filedOn");

    [Fact]
    public void FileCorrection_WhileOneIsUnderReview_IsRefused() =>
        Filed().Refuse(File(FiledOn.AddDays(1), Guid.NewGuid()), DomainError.Codes.IllegalTransition);

    [Fact]
    public void FileCorrection_WithoutGrounds_IsRefused() =>
        ListedState().Refuse(File(FiledOn) with { Grounds = " " }, DomainError.Codes.ValidationFailed);

    [Fact]
    public void FileCorrection_ReceivedBeforeDecision_IsRefused() =>
        ListedState().Refuse(File(FiledOn) with { ReceivedOn = Decided.AddDays(-1) }, DomainError.Codes.InvalidDate);

    [Fact]
    public void FileCorrection_FiledInFuture_IsRefused() =>
        ListedState().Refuse(File(FiledOn) with { Today = FiledOn.AddDays(-1) }, DomainError.Codes.InvalidDate);

    [Fact]
    public void FileCorrection_FiledBeforeReceipt_IsRefused() =>
        ListedState().Refuse(File(Received.AddDays(-1)), DomainError.Codes.InvalidDate);

    [Fact]
    public void FileCorrection_OnNoticedEntry_IsRefused() =>
        NoticedState().Refuse(File(FiledOn), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Duties_CorrectionUnderReview_IsOwnedByExecutingCourt()
    {
        var duty = EntryDuties.For(Filed(), Rules).ShouldHaveSingleItem();
        duty.Code.ShouldBe(EntryDuties.ReviewCorrection);
        duty.OwnerCode.ShouldBe(Court);
        duty.SubjectId.ShouldBe(CorrectionId);
        duty.Due.DueOn.ShouldBe(FiledOn.AddDays(3));
        duty.MetOn.ShouldBeNull();
        duty.StatusOn(FiledOn.AddDays(3)).ShouldBe("open");
        duty.StatusOn(FiledOn.AddDays(4)).ShouldBe("overdue");
    }

    [Fact]
    public void RuleOnCorrection_Accepted_RevokesTheEntry()
    {
        var state = Filed().Accept(new RuleOnCorrection(CorrectionId, "accepted", Ruled, "wrongly listed"), out var events);

        events.Length.ShouldBe(2);
        events[0].ShouldBeOfType<CorrectionRuled>().Outcome.ShouldBe("accepted");
        var revoked = events[1].ShouldBeOfType<EntryRevoked>();
        revoked.Reason.ShouldBe(ExitReasons.CorrectionAccepted);
        revoked.EffectiveOn.ShouldBe(Ruled);
        state.Status.ShouldBe(EntryStatus.Revoked);
        state.ExitReason.ShouldBe(ExitReasons.CorrectionAccepted);
        state.IsScreened.ShouldBeFalse();
        state.Corrections.ShouldHaveSingleItem().Status.ShouldBe("accepted");

        var duties = EntryDuties.For(state, Rules);
        duties.Length.ShouldBe(2);
        var review = duties.Single(d => d.Code == EntryDuties.ReviewCorrection);
        review.MetOn.ShouldBe(Ruled);
        review.StatusOn(Ruled.AddDays(10)).ShouldBe("met");

        // The fix period (correction.fix) is read from the rule set; the upheld ruling's revocation meets it the same day.
        var fix = duties.Single(d => d.Code == EntryDuties.FixAfterCorrection);
        fix.Due.RuleId.ShouldBe(EntryDecider.Rules.CorrectionFix);
        fix.Due.DueOn.ShouldBe(Ruled.AddDays(TestRules.Lengths[EntryDecider.Rules.CorrectionFix]));
        fix.MetOn.ShouldBe(Ruled);
        fix.MetLate.ShouldBeFalse();
    }

    [Fact]
    public void RuleOnCorrection_Rejected_LeavesListingStanding()
    {
        var state = Rejected();
        state.Status.ShouldBe(EntryStatus.Listed);
        state.IsScreened.ShouldBeTrue();
        var c = state.Corrections.ShouldHaveSingleItem();
        c.Status.ShouldBe("rejected");
        c.RuledOn.ShouldBe(Ruled);
        c.Reasons.ShouldBe("no grounds");
    }

    [Fact]
    public void RuleOnCorrection_Twice_IsRefused() =>
        Rejected().Refuse(new RuleOnCorrection(CorrectionId, "accepted", Ruled, "x"), DomainError.Codes.IllegalTransition);

    [Fact]
    public void RuleOnCorrection_Unknown_IsRefused() =>
        Filed().Refuse(new RuleOnCorrection(Guid.NewGuid(), "accepted", Ruled, "x"), DomainError.Codes.IllegalTransition);

    [Fact]
    public void RuleOnCorrection_UnknownOutcome_IsRefused() =>
        Filed().Refuse(new RuleOnCorrection(CorrectionId, "maybe", Ruled, "x"), DomainError.Codes.ValidationFailed);

    [Fact]
    public void RuleOnCorrection_BeforeFiling_IsRefused() =>
        Filed().Refuse(new RuleOnCorrection(CorrectionId, "rejected", FiledOn.AddDays(-1), "x"), DomainError.Codes.InvalidDate);

    [Fact]
    public void FileCorrection_ReusingAnId_IsRefused() =>
        ReconsiderationFiled().Refuse(File(Received.AddDays(10)), DomainError.Codes.ValidationFailed).Field.ShouldBe("correctionId");

    [Fact]
    public void FileCorrection_AfterRejection_IsAccepted() =>
        Rejected().Accept(File(Received.AddDays(10), Guid.NewGuid())).Corrections.Length.ShouldBe(2);

    [Fact]
    public void FileReconsideration_WithinTenDaysOfService_IsAccepted()
    {
        var filedOn = RejectionServed.AddDays(10);
        var state = Rejected().Accept(Reconsider(filedOn), out var events);

        var r = events.ShouldHaveSingleItem().ShouldBeOfType<ReconsiderationFiled>().Reconsideration;
        r.Id.ShouldBe(ReconsiderationId);
        r.CourtCode.ShouldBe(HigherCourt);
        r.RulingDue.DueOn.ShouldBe(filedOn.AddDays(15));
        r.RulingDue.RuleId.ShouldBe(EntryDecider.Rules.ReconsiderationRuling);
        state.Corrections.ShouldHaveSingleItem().Reconsideration.ShouldBe(r);

        // SPC Art. 12: reconsideration does not suspend the listing.
        state.Status.ShouldBe(EntryStatus.Listed);
        state.IsScreened.ShouldBeTrue();
    }

    [Fact]
    public void FileReconsideration_WithoutServiceDate_CountsFromRuling() =>
        Rejected().Refuse(Reconsider(Ruled.AddDays(11)) with { RejectionReceivedOn = null }, DomainError.Codes.WindowClosed);

    [Fact]
    public void FileReconsideration_Late_IsRefused() =>
        Rejected().Refuse(Reconsider(RejectionServed.AddDays(11)), DomainError.Codes.WindowClosed).Field.ShouldBe("filedOn");

    [Fact]
    public void FileReconsideration_BeforeService_IsRefused() =>
        Rejected().Refuse(Reconsider(RejectionServed.AddDays(-1)), DomainError.Codes.InvalidDate);

    [Fact]
    public void FileReconsideration_WithoutGrounds_IsRefused() =>
        Rejected().Refuse(Reconsider(RejectionServed) with { Grounds = "" }, DomainError.Codes.ValidationFailed);

    [Fact]
    public void FileReconsideration_OfUnruledCorrection_IsRefused() =>
        Filed().Refuse(Reconsider(RejectionServed), DomainError.Codes.IllegalTransition);

    [Fact]
    public void FileReconsideration_Twice_IsRefused() =>
        ReconsiderationFiled().Refuse(Reconsider(RejectionServed.AddDays(4)), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Duties_Reconsideration_IsOwnedByHigherCourt()
    {
        var duties = EntryDuties.For(ReconsiderationFiled(), Rules);
        duties.Length.ShouldBe(2);
        var review = duties.Single(d => d.Code == EntryDuties.ReviewCorrection);
        review.OwnerCode.ShouldBe(Court);
        review.MetOn.ShouldBe(Ruled);
        var ruling = duties.Single(d => d.Code == EntryDuties.RuleOnReconsideration);
        ruling.OwnerCode.ShouldBe(HigherCourt);
        ruling.SubjectId.ShouldBe(ReconsiderationId);
        ruling.Due.DueOn.ShouldBe(RejectionServed.AddDays(3 + 15));
        ruling.MetOn.ShouldBeNull();
    }

    [Fact]
    public void RuleOnReconsideration_Accepted_RevokesTheEntry()
    {
        var ruledOn = RejectionServed.AddDays(10);
        var state = ReconsiderationFiled()
            .Accept(new RuleOnReconsideration(CorrectionId, ReconsiderationId, "accepted", ruledOn, "should not have been listed"), out var events);

        events.Length.ShouldBe(2);
        events[0].ShouldBeOfType<ReconsiderationRuled>().Outcome.ShouldBe("accepted");
        events[1].ShouldBeOfType<EntryRevoked>().Reason.ShouldBe(ExitReasons.CorrectionAccepted);
        state.Status.ShouldBe(EntryStatus.Revoked);
        state.ExitedOn.ShouldBe(ruledOn);
        state.Corrections.ShouldHaveSingleItem().Reconsideration!.Status.ShouldBe("accepted");

        EntryDuties.For(state, Rules).Single(d => d.Code == EntryDuties.RuleOnReconsideration).MetOn.ShouldBe(ruledOn);
    }

    [Fact]
    public void RuleOnReconsideration_Rejected_LeavesListingStanding()
    {
        var ruledOn = RejectionServed.AddDays(10);
        var state = ReconsiderationFiled()
            .Accept(new RuleOnReconsideration(CorrectionId, ReconsiderationId, "rejected", ruledOn, "upheld"), out var events);

        events.ShouldHaveSingleItem().ShouldBeOfType<ReconsiderationRuled>();
        state.Status.ShouldBe(EntryStatus.Listed);
        state.IsScreened.ShouldBeTrue();
        var r = state.Corrections.ShouldHaveSingleItem().Reconsideration!;
        r.Status.ShouldBe("rejected");
        r.RuledOn.ShouldBe(ruledOn);
        EntryDuties.For(state, Rules).Single(d => d.Code == EntryDuties.RuleOnReconsideration).StatusOn(ruledOn.AddDays(30)).ShouldBe("met");
    }

    [Fact]
    public void RuleOnReconsideration_WrongId_IsRefused() =>
        ReconsiderationFiled().Refuse(new RuleOnReconsideration(CorrectionId, Guid.NewGuid(), "accepted", RejectionServed.AddDays(5), "x"), DomainError.Codes.IllegalTransition);

    [Fact]
    public void RuleOnReconsideration_UnknownOutcome_IsRefused() =>
        ReconsiderationFiled().Refuse(new RuleOnReconsideration(CorrectionId, ReconsiderationId, "partly", RejectionServed.AddDays(5), "x"), DomainError.Codes.ValidationFailed);

    [Fact]
    public void RuleOnReconsideration_BeforeFiling_IsRefused() =>
        ReconsiderationFiled().Refuse(new RuleOnReconsideration(CorrectionId, ReconsiderationId, "accepted", RejectionServed, "x"), DomainError.Codes.InvalidDate);

    [Fact]
    public void RuleOnReconsideration_Twice_IsRefused() =>
        ReconsiderationFiled()
            .Accept(new RuleOnReconsideration(CorrectionId, ReconsiderationId, "rejected", RejectionServed.AddDays(5), "x"))
            .Refuse(new RuleOnReconsideration(CorrectionId, ReconsiderationId, "accepted", RejectionServed.AddDays(6), "x"), DomainError.Codes.IllegalTransition);

    [Fact]
    public void RuleOnReconsideration_AcceptedAfterEntryDeleted_DoesNotRevoke()
    {
        var ruledOn = RejectionServed.AddDays(10);
        var state = ReconsiderationFiled()
            .Accept(Exit(EntryStatus.Deleted, ExitReasons.EarlyDeletion, RejectionServed.AddDays(5)))
            .Accept(new RuleOnReconsideration(CorrectionId, ReconsiderationId, "accepted", ruledOn, "x"), out var events);
        events.ShouldHaveSingleItem().ShouldBeOfType<ReconsiderationRuled>();
        state.Status.ShouldBe(EntryStatus.Deleted);
    }
}
