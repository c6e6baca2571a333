using System.Collections.Immutable;
using Shixin.Core.Calendar;
using Shixin.Core.Oversight;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Oversight;

/// <summary>The one duty-status rule and the oversight duties derived from recorded facts (issue 12 item 3).</summary>
public class DutyTests
{
    private static readonly DateOnly Due = new(2024, 3, 4);

    [Fact]
    public void A_duty_is_open_through_its_due_date_overdue_from_the_next_day_and_met_once_done_whatever_the_day()
    {
        Duties.StatusOn(Due, null, Due.AddDays(-1)).ShouldBe(DutyStatus.Open);
        Duties.StatusOn(Due, null, Due).ShouldBe(DutyStatus.Open, "a period ends at 24:00 of its last day (Civil Code Art. 203)");
        Duties.StatusOn(Due, null, Due.AddDays(1)).ShouldBe(DutyStatus.Overdue);
        Duties.StatusOn(Due, Due.AddDays(5), Due.AddDays(1)).ShouldBe(DutyStatus.Met);
        Duties.StatusOn(Due, Due.AddDays(5), Due.AddDays(9)).ToApi().ShouldBe("met");
        Duties.MetOnTime(Due, Due).ShouldBeTrue();
        Duties.MetLate(Due, Due).ShouldBeFalse();
        Duties.MetLate(Due, Due.AddDays(1)).ShouldBeTrue();
        Duties.MetOnTime(Due, null).ShouldBeFalse();
        DutyStatus.Overdue.ToApi().ShouldBe("overdue");
        DutyStatus.Open.ToApi().ShouldBe("open");
    }

    [Fact]
    public void Complaints_and_entry_duties_use_the_same_rule()
    {
        ComplaintDecider.IsOverdue(null, Due, Due).ShouldBeFalse();
        ComplaintDecider.IsOverdue(null, Due, Due.AddDays(1)).ShouldBeTrue();
        ComplaintDecider.IsOverdue(Due.AddDays(3), Due, Due.AddDays(9)).ShouldBeFalse();
        var duty = new Shixin.Core.Entries.EntryDuty("court.review-correction", "court", "审查纠正申请", "Review", new Deadline(Due, "correction.review", "seeds", "000"), null, null);
        duty.StatusOn(Due.AddDays(1)).ShouldBe("overdue");
        (duty with { MetOn = Due.AddDays(2) }).MetLate.ShouldBeTrue();
    }

    private static DateTimeOffset At(int month, int day, int hour = 10) => new(2024, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Lifting_a_measure_is_due_a_period_after_the_exit_and_met_by_a_lift_or_keep_after_the_last_application()
    {
        var exited = new DateOnly(2024, 3, 1); // the test rule set counts unit.lift-measure as one calendar day (000 §四(二)5)
        var none = OversightDuties.ForLiftingMeasure([(FeedbackAction.Suspended, At(2, 1))], exited, Rules);
        none.ShouldBeNull("no duty without the unit's report that it applied the measure");

        var open = OversightDuties.ForLiftingMeasure([(FeedbackAction.Applied, At(2, 1))], exited, Rules).ShouldNotBeNull();
        open.Code.ShouldBe("unit.lift-measure");
        open.Due.DueOn.ShouldBe(new DateOnly(2024, 3, 2));
        open.Due.RuleId.ShouldBe("unit.lift-measure");
        open.StatusOn(new DateOnly(2024, 3, 2)).ShouldBe(DutyStatus.Open);
        open.StatusOn(new DateOnly(2024, 3, 3)).ShouldBe(DutyStatus.Overdue);

        var kept = OversightDuties.ForLiftingMeasure([(FeedbackAction.Applied, At(2, 1)), (FeedbackAction.Kept, At(3, 2, 23))], exited, Rules).ShouldNotBeNull();
        kept.MetOn.ShouldBe(new DateOnly(2024, 3, 2), "met on the China date it was reported");
        Duties.MetOnTime(kept.Due.DueOn, kept.MetOn).ShouldBeTrue();

        // A lift before a later re-application does not meet the duty the re-application opened.
        var reapplied = OversightDuties.ForLiftingMeasure(
            [(FeedbackAction.Applied, At(1, 5)), (FeedbackAction.Lifted, At(1, 20)), (FeedbackAction.Applied, At(2, 1))], exited, Rules).ShouldNotBeNull();
        reapplied.MetOn.ShouldBeNull();
        var liftedLate = OversightDuties.ForLiftingMeasure(
            [(FeedbackAction.Applied, At(1, 5)), (FeedbackAction.Lifted, At(1, 20)), (FeedbackAction.Applied, At(2, 1)), (FeedbackAction.Lifted, At(3, 8))], exited, Rules).ShouldNotBeNull();
        liftedLate.MetOn.ShouldBe(new DateOnly(2024, 3, 8));
        Duties.MetLate(liftedLate.Due.DueOn, liftedLate.MetOn).ShouldBeTrue();
    }

    [Fact]
    public void A_unit_owes_a_report_for_every_whole_quarter_since_it_joined_due_30_days_after_the_quarter()
    {
        var joined = new DateOnly(2023, 11, 20);
        var confirmed = new Dictionary<Quarter, DateOnly> { [new Quarter(2023, 4)] = new DateOnly(2024, 1, 15) };

        var duties = OversightDuties.ForQuarters(joined, new DateOnly(2024, 7, 1), confirmed, Rules);

        duties.Select(d => d.Quarter).ShouldBe([new Quarter(2023, 4), new Quarter(2024, 1), new Quarter(2024, 2)], "the joining quarter counts; the running one does not yet");
        duties[0].Duty.StatusOn(new DateOnly(2024, 7, 1)).ShouldBe(DutyStatus.Met);
        duties[1].Duty.Due.DueOn.ShouldBe(new DateOnly(2024, 4, 30), "003 §四(四): 30 days after 31 March");
        duties[1].Duty.StatusOn(new DateOnly(2024, 7, 1)).ShouldBe(DutyStatus.Overdue);
        duties[2].Duty.StatusOn(new DateOnly(2024, 7, 1)).ShouldBe(DutyStatus.Open);
        OversightDuties.ForQuarters(joined, new DateOnly(2023, 12, 31), confirmed, Rules).ShouldBeEmpty("on the quarter's last day it is still running");
    }

    [Fact]
    public void Verifying_an_objection_is_the_executing_courts_duty_met_on_the_verification_date()
    {
        var o = new Objection
        {
            Id = Guid.NewGuid(), Organization = "unit-airline", MeasureId = "flight-ban", ReceivedOn = new DateOnly(2024, 4, 1), Grounds = "已履行",
            VerifyDue = Rules.Due(RuleIds.UnitVerifyObjection, new DateOnly(2024, 4, 1)),
        };
        var duty = OversightDuties.ForObjection(o, Rules);
        duty.Code.ShouldBe("court.verify-objection");
        duty.Due.ShouldBe(o.VerifyDue);
        duty.StatusOn(o.VerifyDue.DueOn.AddDays(1)).ShouldBe(DutyStatus.Overdue);
        OversightDuties.ForObjection(o with { Status = ObjectionStatus.Upheld, VerifiedOn = new DateOnly(2024, 4, 2) }, Rules)
            .StatusOn(new DateOnly(2024, 5, 1)).ShouldBe(DutyStatus.Met);
    }
}
