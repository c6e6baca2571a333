using Shixin.Core.Entries;
using Shixin.Core.Oversight;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Oversight;

/// <summary>Notices and talks (002 §四(四)), quarterly confirmation (003 §四(四)), special-subject notification (SPC Art. 8), feedback.</summary>
public class NoticeAndQuarterTests
{
    private static readonly DateOnly Today = new(2024, 4, 1);

    private static IssueNotice Notice(bool exists = true, string subject = "逾期未解除措施", DateOnly? on = null) =>
        new(Guid.Empty, NoticeKind.Notice, "U-02", exists, on ?? Today, subject, null, "hub", Today);

    [Fact]
    public void Notice_to_a_registered_organization_is_issued()
    {
        var e = NoticeDecider.Decide(Notice()).ShouldAccept();
        e.Kind.ToApi().ShouldBe("notice");
        NoticeKinds.Parse("talk").ShouldBe(NoticeKind.Talk);
    }

    [Fact]
    public void Notice_to_an_unknown_organization_without_subject_or_dated_tomorrow_is_refused()
    {
        NoticeDecider.Decide(Notice(exists: false)).ShouldRefuse("not-found");
        NoticeDecider.Decide(Notice(subject: "")).ShouldRefuse(DomainError.Codes.ValidationFailed, "subject");
        NoticeDecider.Decide(Notice(on: Today.AddDays(1))).ShouldRefuse(DomainError.Codes.InvalidDate, "issuedOn");
    }

    [Theory]
    [InlineData(2, 0, 0, NoticeDecider.TwoNoticesFlag)]
    [InlineData(3, 1, 1, NoticeDecider.TwoNoticesFlag)]
    [InlineData(1, 1, 1, NoticeDecider.TalkWithoutImprovementFlag)]
    [InlineData(1, 1, 0, null)]
    [InlineData(1, 0, 5, null)]
    public void Compliance_flag_follows_two_notices_a_year_or_a_talk_without_improvement(int notices, int talks, int overdue, string? flag) =>
        NoticeDecider.Flag(new ComplianceStanding(notices, talks, overdue)).ShouldBe(flag);

    [Fact]
    public void Quarter_is_confirmed_after_its_last_day_once()
    {
        var q1 = new Quarter(2024, 1);
        q1.LastDay.ShouldBe(new DateOnly(2024, 3, 31));
        Quarter.Of(Today).ShouldBe(new Quarter(2024, 2));
        QuarterlyDecider.Decide(new ConfirmQuarter("unit-rail", q1, false, null, Today)).ShouldAccept().ConfirmedOn.ShouldBe(Today);
        QuarterlyDecider.Decide(new ConfirmQuarter("unit-rail", q1, true, null, Today)).ShouldRefuse(OversightCodes.Conflict);
        QuarterlyDecider.Decide(new ConfirmQuarter("unit-rail", new Quarter(2024, 2), false, null, Today)).ShouldRefuse(DomainError.Codes.ValidationFailed, "quarter");
        QuarterlyDecider.Decide(new ConfirmQuarter("unit-rail", q1, false, null, new DateOnly(2024, 3, 31))).ShouldRefuse(DomainError.Codes.ValidationFailed);
        Quarter.TryCreate(2024, 5, out _).ShouldBeFalse();
        Quarter.TryCreate(null, 1, out _).ShouldBeFalse();
    }

    [Fact]
    public void Special_notification_is_due_for_a_special_status_or_a_restricted_entry()
    {
        var plain = ListedState();
        SpecialNotificationDecider.IsDue(plain).ShouldBeFalse();
        SpecialNotificationDecider.NotDue(plain)!.Code.ShouldBe(DomainError.Codes.IllegalTransition);
        SpecialNotificationDecider.IsDue(plain with { SpecialStatus = "civil-servant" }).ShouldBeTrue();
        SpecialNotificationDecider.IsDue(plain with { Publicity = "restricted" }).ShouldBeTrue();
        SpecialNotificationDecider.Addressee("party-member").ShouldBe("被执行人所在党组织");
    }

    [Fact]
    public void Special_notification_delivery_is_recorded_by_the_executing_court_after_the_decision()
    {
        var s = ListedState() with { SpecialStatus = "civil-servant" };
        RecordDelivery Deliver(DateOnly on, string court = Court) => new(Guid.Empty, court, "人事处", on, null, on.AddDays(5));
        var e = SpecialNotificationDecider.Decide(s, Deliver(Decided)).ShouldAccept();
        e.Method.ShouldBe("送达");
        SpecialNotificationDecider.Decide(s, Deliver(Decided.AddDays(-1))).ShouldRefuse(DomainError.Codes.InvalidDate, "deliveredOn");
        SpecialNotificationDecider.Decide(s, Deliver(Decided, "C-OTHER")).ShouldRefuse(OversightCodes.Forbidden);
        SpecialNotificationDecider.Decide(s, new RecordDelivery(Guid.Empty, Court, "人事处", Decided.AddDays(2), null, Decided)).ShouldRefuse(DomainError.Codes.InvalidDate);
    }

    [Fact]
    public void Feedback_on_an_entry_never_listed_or_kept_without_basis_is_refused()
    {
        var now = new DateTimeOffset(2024, 4, 1, 10, 0, 0, TimeSpan.FromHours(8));
        RecordFeedback Report(bool listed = true, FeedbackAction action = FeedbackAction.Applied, string? basis = null, DateOnly? until = null, DateTimeOffset? at = null) =>
            new(listed, "草稿", "draft", action, basis, until, at ?? now, now);
        FeedbackDecider.Decide(Report()).ShouldAccept();
        FeedbackDecider.Decide(Report(listed: false)).ShouldRefuse(DomainError.Codes.IllegalTransition);
        FeedbackDecider.Decide(Report(action: FeedbackAction.Kept)).ShouldRefuse(DomainError.Codes.ValidationFailed, "legalBasis");
        FeedbackDecider.Decide(Report(action: FeedbackAction.Kept, basis: "《税收征收管理法》第四十四条", until: Today.AddYears(1))).ShouldAccept();
        FeedbackDecider.Decide(Report(at: now.AddMinutes(10))).ShouldRefuse(DomainError.Codes.InvalidDate, "occurredAt");
        FeedbackActions.AppliedAndStanding([FeedbackAction.Suspended, FeedbackAction.Applied]).ShouldBeTrue();
    }
}
