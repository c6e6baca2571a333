using System.Collections.Immutable;
using Shixin.Core.Entries;
using Shixin.Core.Oversight;
using Shixin.Core.Tests.Entries;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Oversight;

/// <summary>The objection procedure in the pure decider (002 §四(二)3; 003 §三(十二)).</summary>
public class ObjectionTests
{
    private static readonly DateOnly Today = new(2024, 4, 1);
    private static readonly Guid O1 = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private const string Airline = "unit-airline";
    private const string Measure = "flight-ban";

    private static FileObjection File(ImmutableArray<FeedbackAction>? history = null, bool inForce = true, DateOnly? receivedOn = null, string grounds = "已履行完毕", Guid? id = null) =>
        new(id ?? O1, Airline, Measure, "乘坐飞机限制", inForce, history ?? [FeedbackAction.Applied], receivedOn ?? Today, grounds, Today);

    private static VerifyObjection Verify(ObjectionFinding finding = ObjectionFinding.Upheld, DateOnly? on = null, string? court = null) =>
        new(O1, court ?? ListedState().CourtCode, finding, on ?? Today, "经核实", Today);

    [Fact]
    public void File_on_a_listed_entry_suspends_the_measure_for_that_unit_only_as_a_list_change()
    {
        var after = ListedState().Accept(File(), out var events);
        var filed = events.ShouldHaveSingleItem().ShouldBeOfType<ObjectionFiled>();
        filed.ChangesList.ShouldBeTrue("an objection changes what the unit's checks answer, so it carries a list sequence");
        filed.Type.ShouldBe("entry.objection-filed");
        var o = after.Objections.ShouldHaveSingleItem();
        o.Status.ShouldBe(ObjectionStatus.Verifying);
        o.Status.ToApi().ShouldBe("open");
        o.VerifyDue.DueOn.ShouldBe(Today.AddDays(3));
        o.VerifyDue.RuleId.ShouldBe("unit.verify-objection");
        ObjectionDecider.SuspendedFor(after, Airline).ShouldBe([Measure]);
        ObjectionDecider.SuspendedFor(after, "unit-other").ShouldBeEmpty();
        var suspension = UnitEntryView.Of(after).Suspensions.ShouldHaveSingleItem();
        suspension.Organization.ShouldBe(Airline);
        suspension.MeasureCode.ShouldBe(Measure);
    }

    [Fact]
    public void File_is_refused_unless_the_unit_applied_the_measure_and_has_not_lifted_it()
    {
        var listed = ListedState();
        listed.Refuse(File(history: []), OversightCodes.MeasureNotApplied);
        listed.Refuse(File(history: [FeedbackAction.Suspended]), OversightCodes.MeasureNotApplied);
        listed.Refuse(File(history: [FeedbackAction.Lifted, FeedbackAction.Applied]), OversightCodes.MeasureNotApplied);
        listed.Accept(File(history: [FeedbackAction.Resumed, FeedbackAction.Lifted, FeedbackAction.Applied]));
    }

    [Fact]
    public void File_refusals_name_the_rule()
    {
        var listed = ListedState();
        listed.Refuse(File(inForce: false), DomainError.Codes.ValidationFailed).Field.ShouldBe("measureCode");
        listed.Refuse(File(receivedOn: Today.AddDays(1)), DomainError.Codes.InvalidDate).Field.ShouldBe("receivedOn");
        listed.Refuse(File(grounds: " "), DomainError.Codes.ValidationFailed).Field.ShouldBe("grounds");
        NoticedState().Refuse(File(), DomainError.Codes.IllegalTransition);
        listed.Accept(File()).Refuse(File(), OversightCodes.Conflict);
    }

    [Fact]
    public void Verify_upheld_keeps_the_suspension_and_rejected_ends_it()
    {
        var filed = ListedState().Accept(File());
        var upheld = filed.Accept(Verify(ObjectionFinding.Upheld), out var events);
        events.ShouldHaveSingleItem().ShouldBeOfType<ObjectionVerified>().ChangesList.ShouldBeTrue();
        upheld.Objections[0].Status.ShouldBe(ObjectionStatus.Upheld);
        ObjectionDecider.SuspendedFor(upheld, Airline).ShouldBe([Measure]);

        var rejected = filed.Accept(Verify(ObjectionFinding.Rejected));
        rejected.Objections[0].Status.ToApi().ShouldBe("rejected");
        rejected.Objections[0].VerifiedOn.ShouldBe(Today);
        ObjectionDecider.SuspendedFor(rejected, Airline).ShouldBeEmpty();
        UnitEntryView.Of(rejected).Suspensions.ShouldBeEmpty();
    }

    [Fact]
    public void Verify_is_for_the_executing_court_once_and_not_before_receipt()
    {
        var filed = ListedState().Accept(File(receivedOn: Today.AddDays(-2)));
        filed.Refuse(Verify(court: "court-elsewhere"), OversightCodes.Forbidden);
        filed.Refuse(Verify(on: Today.AddDays(-3)), DomainError.Codes.InvalidDate).Field.ShouldBe("verifiedOn");
        filed.Refuse(Verify(on: Today.AddDays(1)), DomainError.Codes.InvalidDate);
        filed.Accept(Verify()).Refuse(Verify(), DomainError.Codes.IllegalTransition);
        ListedState().Refuse(Verify(), "not-found");
    }

    [Fact]
    public void Objection_events_round_trip_through_the_ledger_json()
    {
        var filed = ListedState().Accept(File(), out var events);
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)
        {
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower) },
        };
        var json = System.Text.Json.JsonSerializer.Serialize<EntryEvent>(events[0], options);
        json.ShouldContain("\"type\":\"entry.objection-filed\"");
        var back = System.Text.Json.JsonSerializer.Deserialize<EntryEvent>(json, options).ShouldBeOfType<ObjectionFiled>();
        back.Objection.ShouldBe(filed.Objections[0]);
    }

    private static Objection Recorded(Guid id, ObjectionStatus status, DateOnly receivedOn, DateOnly? verifiedOn = null, string? reasons = null) => new()
    {
        Id = id, Organization = Airline, MeasureId = Measure, ReceivedOn = receivedOn, Grounds = "已履行完毕",
        VerifyDue = new Shixin.Core.Calendar.Deadline(receivedOn.AddDays(3), "unit.verify-objection", "seeds", "002 §四(二)3"),
        Status = status, VerifiedOn = verifiedOn, Reasons = reasons,
    };

    [Fact]
    public void Adopt_records_old_objection_rows_as_filed_then_verified_events_that_rebuild_the_same_objections()
    {
        var o2 = Guid.Parse("00000000-0000-0000-0000-0000000000a2");
        var o3 = Guid.Parse("00000000-0000-0000-0000-0000000000a3");
        var upheld = Recorded(o2, ObjectionStatus.Upheld, Today.AddDays(-5), Today.AddDays(-3), "已履行");
        var open = Recorded(O1, ObjectionStatus.Verifying, Today.AddDays(-1));
        var rejected = Recorded(o3, ObjectionStatus.Rejected, Today.AddDays(-9), Today.AddDays(-8), "理由不成立");

        var adoption = ObjectionDecider.Adopt(ListedState(), [open, upheld, rejected]);

        adoption.Refused.ShouldBeEmpty();
        adoption.Events.Select(e => e.Type).ShouldBe(["entry.objection-filed", "entry.objection-verified", "entry.objection-filed", "entry.objection-verified", "entry.objection-filed"],
            "oldest received first; each finding right after its filing");
        adoption.Events.ShouldAllBe(e => e.ChangesList);
        var after = EntryDecider.Fold(ListedState(), adoption.Events);
        after.Objections.OrderBy(o => o.Id).ShouldBe(new[] { open, upheld, rejected }.OrderBy(o => o.Id), "folding the events gives back the recorded objections");
        ObjectionDecider.SuspendedFor(after, Airline).ShouldBe(new HashSet<string> { Measure }, customMessage: "the open and the upheld objection suspend; the rejected one does not");
    }

    [Fact]
    public void Adopt_skips_objections_the_entry_already_holds_and_refuses_a_finding_without_its_date()
    {
        var filed = ListedState().Accept(File());
        var broken = Recorded(Guid.Parse("00000000-0000-0000-0000-0000000000a4"), ObjectionStatus.Upheld, Today.AddDays(-2));

        var adoption = ObjectionDecider.Adopt(filed, [filed.Objections[0], broken]);

        adoption.Events.ShouldBeEmpty("the filed objection is already the entry's; the broken one is not guessed");
        adoption.Refused.ShouldHaveSingleItem().Id.ShouldBe(broken.Id);
        adoption.Refused[0].Reason.ShouldContain("without a verification date");
    }
}
