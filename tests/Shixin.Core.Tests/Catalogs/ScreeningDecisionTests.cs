using Shixin.Core.Catalogs;

namespace Shixin.Core.Tests.Catalogs;

public class ScreeningDecisionTests
{
    private const string Lingshou = "130126"; // no local catalog: national only
    private const string Yinchuan = "640104"; // 宁夏银川市兴庆区
    private const string Zhanjiang = "440802"; // 湛江市赤坎区

    private static MeasureCatalogs C => CatalogFixture.Catalogs;

    private static SubjectDecision Decide(string scenario, string region, SubjectKind kind, params MatchCandidate[] hits) =>
        ScreeningDecision.Decide(C, scenario, region, kind, hits);

    [Fact]
    public void PersonDebtor_OnFlight_IsBlocked()
    {
        var d = Decide("civil-aviation.ticket", Lingshou, SubjectKind.Person, new MatchCandidate(1, SubjectKind.Person, RelatedRole.Debtor));
        d.Outcome.ShouldBe(ScreeningOutcome.Block);
        d.Matches.Single().Measures.Select(m => m.Id).ShouldBe(["national-2016/二.七.1"]);
        d.Matches.Single().Measures[0].Source.ShouldBe("中办发〔2016〕64号 二(七)1");
    }

    [Fact]
    public void LegalRepresentative_OfOrganizationDebtor_OnFlight_IsBlocked()
    {
        var d = Decide("civil-aviation.ticket", Lingshou, SubjectKind.Person, new MatchCandidate(2, SubjectKind.Organization, RelatedRole.LegalRepresentative));
        d.Outcome.ShouldBe(ScreeningOutcome.Block);
        d.Matches.Single().Via.ShouldBe(RelatedRole.LegalRepresentative);
    }

    [Fact]
    public void Director_OfOrganizationDebtor_OnFlight_IsClear()
    {
        var d = Decide("civil-aviation.ticket", Lingshou, SubjectKind.Person, new MatchCandidate(3, SubjectKind.Organization, RelatedRole.Director));
        d.Outcome.ShouldBe(ScreeningOutcome.Clear);
        d.Matches.ShouldBeEmpty();
        d.Cleared.Single().Reason.ShouldBe(ClearedReason.NotCovered);
    }

    [Fact]
    public void Organization_WhoseDirectorIsADebtor_GetsEnhancedSupervisionReview()
    {
        var d = Decide("market-supervision.random-inspection", Lingshou, SubjectKind.Organization,
            new MatchCandidate(4, SubjectKind.Person, RelatedRole.Director));
        d.Outcome.ShouldBe(ScreeningOutcome.Review);
        var m = d.Matches.Single().Measures.Single();
        m.Id.ShouldBe("national-2016/二.九");
        m.Action.ShouldBe(MeasureAction.EnhancedSupervision);
    }

    [Fact]
    public void Organization_WhoseDirectorIsADebtor_OnFlight_IsNotReached()
    {
        // Officer-reaching measures never reach an organization via a role, and vice versa.
        var d = Decide("civil-aviation.ticket", Lingshou, SubjectKind.Organization, new MatchCandidate(5, SubjectKind.Person, RelatedRole.LegalRepresentative));
        d.Outcome.ShouldBe(ScreeningOutcome.Clear);
    }

    [Fact]
    public void HumanitarianFlightExemption_LiftsTheBlock()
    {
        var exempt = new HashSet<string>(StringComparer.Ordinal) { "civil-aviation.ticket" };
        var d = Decide("civil-aviation.ticket", Yinchuan, SubjectKind.Person, new MatchCandidate(6, SubjectKind.Person, RelatedRole.Debtor, exempt));
        d.Outcome.ShouldBe(ScreeningOutcome.Clear);
        d.Cleared.Single().Reason.ShouldBe(ClearedReason.Exempted);
    }

    [Fact]
    public void FlightExemption_DoesNotLiftTheHotelRestriction()
    {
        var exempt = new HashSet<string>(StringComparer.Ordinal) { "civil-aviation.ticket" };
        var d = Decide("hotel.star-rated-stay", Lingshou, SubjectKind.Person, new MatchCandidate(7, SubjectKind.Person, RelatedRole.Debtor, exempt));
        d.Outcome.ShouldBe(ScreeningOutcome.Block);
    }

    [Fact]
    public void ExemptionByMeasureId_LiftsOnlyThatMeasure()
    {
        var exempt = new HashSet<string>(StringComparer.Ordinal) { "national-2016/二.七.1" };
        var d = Decide("civil-aviation.ticket", Yinchuan, SubjectKind.Person, new MatchCandidate(8, SubjectKind.Person, RelatedRole.Debtor, exempt));
        d.Outcome.ShouldBe(ScreeningOutcome.Block);
        d.Matches.Single().Measures.Select(m => m.Id).ShouldBe(["ningxia-2017/二.七.1"]);
    }

    [Fact]
    public void SuspendedMeasure_UnderObjection_DoesNotCount()
    {
        var suspended = new HashSet<string>(StringComparer.Ordinal) { "national-2016/二.七.1" };
        var d = Decide("civil-aviation.ticket", Lingshou, SubjectKind.Person, new MatchCandidate(9, SubjectKind.Person, RelatedRole.Debtor, null, suspended));
        d.Outcome.ShouldBe(ScreeningOutcome.Clear);
        d.Cleared.Single().Reason.ShouldBe(ClearedReason.Suspended);
    }

    [Fact]
    public void NingxiaOnlyMeasure_AppliesInYinchuan_NotInZhanjiang()
    {
        var hit = new MatchCandidate(10, SubjectKind.Person, RelatedRole.Debtor);
        var yinchuan = Decide("construction.tender", Yinchuan, SubjectKind.Person, hit);
        yinchuan.Outcome.ShouldBe(ScreeningOutcome.Block);
        yinchuan.Matches.Single().Measures.Select(m => m.Id).ShouldBe(["ningxia-2017/二.一.8"]);

        var zhanjiang = Decide("construction.tender", Zhanjiang, SubjectKind.Person, hit);
        zhanjiang.Outcome.ShouldBe(ScreeningOutcome.Clear);
        zhanjiang.Cleared.Single().Reason.ShouldBe(ClearedReason.NotCovered);
    }

    [Fact]
    public void UnknownScenario_IsAClearError()
    {
        var ex = Should.Throw<UnknownScenarioException>(() => Decide("casino.entry", Lingshou, SubjectKind.Person));
        ex.ScenarioId.ShouldBe("casino.entry");
        ex.Message.ShouldContain("casino.entry");
    }

    [Fact]
    public void NoHits_IsClear_AndShared()
    {
        Decide("civil-aviation.ticket", Lingshou, SubjectKind.Person).ShouldBeSameAs(SubjectDecision.NoHits);
    }

    [Fact]
    public void Outcome_IsTheStrictestOverAllHits()
    {
        // A bank checks an applicant organization that is itself a debtor (strict review, 000 §二(五)3) and whose director
        // is a debtor too (the query of the applicant's officers: a reference); the strictest of the two decides.
        var d = Decide("bank.credit-approval", Lingshou, SubjectKind.Organization,
            new MatchCandidate(11, SubjectKind.Organization, RelatedRole.Debtor),
            new MatchCandidate(12, SubjectKind.Person, RelatedRole.Director));
        d.Outcome.ShouldBe(ScreeningOutcome.Review);
        d.Matches.Select(m => m.Outcome).ShouldBe([ScreeningOutcome.Review, ScreeningOutcome.Reference]);
        d.Cleared.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(MeasureAction.Block, ScreeningOutcome.Block)]
    [InlineData(MeasureAction.RevokeHonour, ScreeningOutcome.Block)]
    [InlineData(MeasureAction.StrictReview, ScreeningOutcome.Review)]
    [InlineData(MeasureAction.Quota, ScreeningOutcome.Review)]
    [InlineData(MeasureAction.EnhancedSupervision, ScreeningOutcome.Review)]
    [InlineData(MeasureAction.PrudentialReference, ScreeningOutcome.Reference)]
    [InlineData(MeasureAction.Notify, ScreeningOutcome.Reference)]
    [InlineData(MeasureAction.Assist, ScreeningOutcome.Reference)]
    public void ActionOutcomeTable(MeasureAction action, ScreeningOutcome outcome) =>
        ScreeningDecision.OutcomeOf(action).ShouldBe(outcome);

    [Fact]
    public void ForRegion_District_UsesNationalProvinceCityAndDistrictCatalogs()
    {
        C.ForRegion("411104").Select(c => c.Id).ShouldBe(["national-2016", "zhaoling-2018"]);
        C.ForRegion(Yinchuan).Select(c => c.Id).ShouldBe(["national-2016", "ningxia-2017"]);
        C.ForRegion(Zhanjiang).Select(c => c.Id).ShouldBe(["national-2016", "zhanjiang-2019"]);
        C.ForRegion("320506").Select(c => c.Id).ShouldBe(["national-2016", "jiangsu-2017"]);
        C.ForRegion(Lingshou).Select(c => c.Id).ShouldBe(["national-2016"]);
        C.ForRegion(Yinchuan).ShouldBeSameAs(C.ForRegion(Yinchuan));
    }

    [Fact]
    public void RegionCodes_Enclosing_AndValidation()
    {
        RegionCodes.Enclosing("640104").ShouldBe(["000000", "640000", "640100", "640104"]);
        RegionCodes.Enclosing("640100").ShouldBe(["000000", "640000", "640100"]);
        RegionCodes.Enclosing("000000").ShouldBe(["000000"]);
        Should.Throw<ArgumentException>(() => RegionCodes.Enclosing("64010"));
        RegionCodes.IsValid("64010a").ShouldBeFalse();
    }

    [Fact]
    public void ApiNames_RoundTrip()
    {
        foreach (var r in Enum.GetValues<RelatedRole>())
        {
            ApiNames.TryParse(r.ToApiName(), out RelatedRole back).ShouldBeTrue();
            back.ShouldBe(r);
        }
        RelatedRole.LegalRepresentative.ToApiName().ShouldBe("legal-representative");
        MeasureCategory.AssistanceAndExit.ToApiName().ShouldBe("assistance-and-exit");
    }
}
