using Shixin.Core.Calendar;
using Shixin.Core.Oversight;

namespace Shixin.Core.Tests.Oversight;

/// <summary>The complaint procedure (002 §四(二)8): received, investigated, answered once.</summary>
public class ComplaintTests
{
    private static readonly DateOnly Today = new(2024, 4, 1);
    private static readonly Guid C1 = Guid.Parse("00000000-0000-0000-0000-0000000000c1");
    private const string Unit = "unit-airline";

    private static FileComplaint File(bool isUnit = true, string description = "仍可购票") =>
        new(C1, "TS2345678ABC", Unit, isUnit, null, description, "13800138000", new Deadline(Today.AddDays(14), "unit.answer-complaint", "test", "002 §四(二)8"), Today);

    private static AnswerComplaint Answer(ComplaintFinding finding = ComplaintFinding.Unfounded, string? measure = null, DateOnly? on = null, string org = Unit) =>
        new(org, finding, measure, "经核查不属实", on ?? Today, Today);

    private static ComplaintState Received() => ComplaintDecider.Evolve(null, ComplaintDecider.Decide(null, File()).ShouldAccept());

    [Fact]
    public void File_against_a_registered_unit_is_received_with_its_answer_due()
    {
        var state = Received();
        state.Status.ShouldBe(ComplaintStage.Received);
        state.Status.ToApi().ShouldBe("received");
        state.DueOn.ShouldBe(Today.AddDays(14));
        state.IsOverdueOn(Today.AddDays(14)).ShouldBeFalse();
        state.IsOverdueOn(Today.AddDays(15)).ShouldBeTrue();
    }

    [Fact]
    public void File_against_an_unregistered_organization_or_without_text_is_refused_on_the_field()
    {
        ComplaintDecider.Decide(null, File(isUnit: false)).ShouldRefuse(DomainError.Codes.ValidationFailed, "againstOrganization");
        ComplaintDecider.Decide(null, File(description: "")).ShouldRefuse(DomainError.Codes.ValidationFailed, "description");
    }

    [Fact]
    public void Answer_by_the_unit_closes_the_complaint_and_stops_it_being_overdue()
    {
        var answered = ComplaintDecider.Evolve(Received(), ComplaintDecider.Decide(Received(), Answer()).ShouldAccept());
        answered.Status.ToApi().ShouldBe("answered");
        answered.IsOverdueOn(Today.AddDays(30)).ShouldBeFalse();
        ComplaintDecider.Decide(answered, Answer()).ShouldRefuse(DomainError.Codes.IllegalTransition);
    }

    [Fact]
    public void Upheld_complaint_must_name_the_measure_now_applied()
    {
        // 002 §四(二)8: 对应当惩戒而未实施的，应当及时进行惩戒并告知投诉举报人.
        ComplaintDecider.Decide(Received(), Answer(ComplaintFinding.Upheld)).ShouldRefuse(DomainError.Codes.ValidationFailed, "measureApplied");
        var e = ComplaintDecider.Decide(Received(), Answer(ComplaintFinding.Upheld, "乘坐飞机限制")).ShouldAccept().ShouldBeOfType<ComplaintAnswered>();
        e.MeasureApplied.ShouldBe("乘坐飞机限制");
    }

    [Fact]
    public void Answer_by_another_unit_or_out_of_time_is_refused()
    {
        ComplaintDecider.Decide(Received(), Answer(org: "unit-other")).ShouldRefuse(OversightCodes.Forbidden);
        ComplaintDecider.Decide(Received(), Answer(on: Today.AddDays(1))).ShouldRefuse(DomainError.Codes.InvalidDate, "answeredOn");
        ComplaintDecider.Decide(Received(), Answer(on: Today.AddDays(-1))).ShouldRefuse(DomainError.Codes.InvalidDate, "answeredOn");
        ComplaintDecider.Decide(null, Answer()).ShouldRefuse("not-found");
    }
}
