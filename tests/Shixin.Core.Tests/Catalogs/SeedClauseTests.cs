using Shixin.Core.Catalogs;

namespace Shixin.Core.Tests.Catalogs;

/// <summary>
/// The clauses of 000 (national), 001 (Zhanjiang) and 002 (Ningxia) as shipped: every clause quotes its seed, and
/// the checks issue 10 names answer as the seeds' words say (data/catalogs/README.md lists the readings taken).
/// </summary>
public class SeedClauseTests
{
    private const string Beijing = "110101";     // no local catalog: the national one alone
    private const string Zhanjiang = "440802";   // 赤坎区: national + 湛江
    private const string Ningxia = "640104";     // 兴庆区: national + 宁夏

    private static MeasureCatalogs C => CatalogFixture.Catalogs;

    private static CheckContext Ctx(string scenario, params (string Field, string Value)[] pairs) =>
        C.ParseContext(scenario, pairs.Select(p => new KeyValuePair<string, string?>(p.Field, p.Value)));

    private static SubjectDecision Debtor(string scenario, string region, SubjectKind kind = SubjectKind.Person, CheckContext? context = null) =>
        ScreeningDecision.Decide(C, scenario, region, kind, [new MatchCandidate(1, kind, RelatedRole.Debtor)], context ?? CheckContext.Empty);

    /// <summary>An organization checked with its officers, one of whom (in <paramref name="role"/>) is a listed person.</summary>
    private static SubjectDecision OrganizationThroughOfficer(string scenario, string region, RelatedRole role) =>
        ScreeningDecision.Decide(C, scenario, region, SubjectKind.Organization, [new MatchCandidate(1, SubjectKind.Person, role, Officer: 0)]);

    private static string[] Ids(SubjectDecision d) => [.. d.Matches.SelectMany(m => m.Clauses).Select(c => c.Id)];

    [Theory]
    [InlineData("national-2016", "000")]
    [InlineData("zhanjiang-2019", "001")]
    [InlineData("ningxia-2017", "002")]
    public void EveryClauseText_IsInItsMeasure_AndInTheSeed(string catalogId, string seed)
    {
        var text = CatalogFixture.NormalizedSeed(seed);
        var measures = CatalogFixture.Catalog(catalogId).Measures;
        foreach (var m in measures)
        {
            text.ShouldContain(m.Text, Case.Sensitive, $"{m.Id} is not in seed {seed}");
            m.Clauses.ShouldNotBeEmpty(m.Id);
            m.Clauses.ShouldAllBe(c => !c.IsImplicit, m.Id);
            foreach (var c in m.Clauses)
            {
                m.Text.ShouldContain(c.Text, Case.Sensitive, c.Id);
            }
        }
    }

    [Theory]
    [InlineData(Beijing)]
    [InlineData(Zhanjiang)]
    [InlineData(Ningxia)]
    public void FinancialInstitutions_ABankIsAReference_AnInsurerOrGuarantorIsBlocked(string region)
    {
        // 000 §二(一)1: 设立银行业金融机构…审慎性参考; 限制…设立融资性担保公司、保险公司.
        Debtor("finance.institution-establishment", region).Outcome.ShouldBe(ScreeningOutcome.Reference);
        Debtor("finance.guarantee-insurance-establishment", region).Outcome.ShouldBe(ScreeningOutcome.Block);
    }

    [Theory]
    [InlineData(Beijing)]
    [InlineData(Zhanjiang)]
    [InlineData(Ningxia)]
    public void Bonds_InterbankIsStrictReview_PublicCorporateIsBlocked(string region)
    {
        // 000 §二(一)2: 银行间市场发行债券从严审核，限制…公开发行公司债券.
        Debtor("bond.interbank-issuance", region, SubjectKind.Organization).Outcome.ShouldBe(ScreeningOutcome.Review);
        Debtor("bond.issuance", region, SubjectKind.Organization).Outcome.ShouldBe(ScreeningOutcome.Block);
    }

    [Theory]
    [InlineData("G", "second", "二.七.1#3")]
    [InlineData("D", "first", "二.七.1#4")]
    [InlineData("C", "business", "二.七.1#4")]
    [InlineData("K", "soft-sleeper", "二.七.1#2")]
    [InlineData("D", "soft-sleeper", "二.七.1#2")]
    public void Rail_BlocksTheSeatsTheSeedNames(string train, string seat, string clause)
    {
        var d = Debtor("rail.ticket", Beijing, context: Ctx("rail.ticket", ("trainType", train), ("seatClass", seat)));
        d.Outcome.ShouldBe(ScreeningOutcome.Block);
        Ids(d).ShouldBe(["national-2016/" + clause]);
    }

    [Theory]
    [InlineData("D", "second")]
    [InlineData("C", "second")]
    [InlineData("K", "hard-sleeper")]
    [InlineData("T", "hard-seat")]
    public void Rail_LeavesOtherSeatsOpen(string train, string seat) =>
        Debtor("rail.ticket", Beijing, context: Ctx("rail.ticket", ("trainType", train), ("seatClass", seat))).Outcome.ShouldBe(ScreeningOutcome.Clear);

    [Fact]
    public void Flight_IsClauseOne_AndReachesAnOrganizationDebtorsLegalRepresentative()
    {
        var d = ScreeningDecision.Decide(C, "civil-aviation.ticket", Beijing, SubjectKind.Person,
            [new MatchCandidate(1, SubjectKind.Organization, RelatedRole.LegalRepresentative)]);
        d.Outcome.ShouldBe(ScreeningOutcome.Block);
        Ids(d).ShouldBe(["national-2016/二.七.1#1"]);
    }

    [Theory]
    [InlineData("none", ScreeningOutcome.Clear)]
    [InlineData("1", ScreeningOutcome.Block)]
    [InlineData("3", ScreeningOutcome.Block)]
    [InlineData("5", ScreeningOutcome.Block)]
    [InlineData("first-class", ScreeningOutcome.Block)]
    public void Hotels_StarRatedOrNationalFirstClass(string rating, ScreeningOutcome expected) =>
        Debtor("hotel.star-rated-stay", Beijing, context: Ctx("hotel.star-rated-stay", ("hotelRating", rating))).Outcome.ShouldBe(expected);

    [Fact]
    public void Hotel_WithoutRating_AnswersTheStrictestCase_AndAsksForIt()
    {
        var d = Debtor("hotel.star-rated-stay", Beijing);
        d.Outcome.ShouldBe(ScreeningOutcome.Block);
        d.Matches.Single().NeedsContext.ShouldBe(["hotelRating"]);
    }

    [Fact]
    public void Credit_DebtorApplicantIsStrictReview_ApplicantWithADebtorDirectorIsAReference()
    {
        // 000 §二(五)3: 查询拟授信对象及其…董事、监事、高级管理人员…; 对拟授信对象为失信被执行人的，要从严审核.
        var own = Debtor("bank.credit-approval", Beijing, SubjectKind.Organization);
        own.Outcome.ShouldBe(ScreeningOutcome.Review);
        Ids(own).ShouldContain("national-2016/二.五.3#2");
        var viaDirector = OrganizationThroughOfficer("bank.credit-approval", Beijing, RelatedRole.Director);
        viaDirector.Outcome.ShouldBe(ScreeningOutcome.Reference);
        Ids(viaDirector).ShouldBe(["national-2016/二.五.3#1"]);
    }

    [Theory]
    [InlineData("market-supervision.random-inspection", RelatedRole.Supervisor, ScreeningOutcome.Review, "national-2016/二.九#1")]
    [InlineData("honour.nomination", RelatedRole.SeniorManager, ScreeningOutcome.Block, "national-2016/二.五.1#2")]
    [InlineData("policy-support.application", RelatedRole.ActualController, ScreeningOutcome.Reference, "national-2016/二.二.2#1")]
    public void OrganizationsWhoseOfficerIsADebtor_AreReached(string scenario, RelatedRole role, ScreeningOutcome outcome, string clause)
    {
        var d = OrganizationThroughOfficer(scenario, Beijing, role);
        d.Outcome.ShouldBe(outcome);
        Ids(d).ShouldContain(clause);
    }

    [Theory]
    [InlineData("licensing.regulated-industry", ScreeningOutcome.Review)]   // 药品、食品安全行业从严审批
    [InlineData("licensing.hazardous-industry", ScreeningOutcome.Block)]    // 限制…危险化学品…等行业
    [InlineData("customs.enterprise-certification", ScreeningOutcome.Block)]
    [InlineData("customs.clearance", ScreeningOutcome.Review)]              // 严密监管
    [InlineData("tourism.rated-venue-consumption", ScreeningOutcome.Review)] // 限额控制
    [InlineData("party.membership", ScreeningOutcome.Reference)]             // 重要参考
    [InlineData("lawyer.honour-evaluation", ScreeningOutcome.Block)]
    public void NationalClauses_TakeTheOutcomeOfTheirOwnWords(string scenario, ScreeningOutcome expected) =>
        Debtor(scenario, Beijing, C.TryGetScenario(scenario, out var s) && s.SubjectKinds.Contains(SubjectKind.Person) ? SubjectKind.Person : SubjectKind.Organization)
            .Outcome.ShouldBe(expected);

    [Theory]
    [InlineData("vehicle.transfer-registration")]   // 协助查封、扣押…车辆: on the court's seizure, not the listing
    [InlineData("listed-company.equity-incentive")] // 协助中止/协助终止
    public void AssistanceOnly_IsNoCheckOutcome(string scenario)
    {
        var d = Debtor(scenario, Beijing);
        d.Outcome.ShouldBe(ScreeningOutcome.Clear);
        d.Cleared.Single().Reason.ShouldBe(ClearedReason.NotCovered);
    }

    [Fact]
    public void StateAssetTransaction_OnlyForStateProperty()
    {
        Debtor("state-assets.transaction", Beijing, SubjectKind.Organization, Ctx("state-assets.transaction", ("stateOwned", "true")))
            .Outcome.ShouldBe(ScreeningOutcome.Block);
        Debtor("state-assets.transaction", Beijing, SubjectKind.Organization, Ctx("state-assets.transaction", ("stateOwned", "false")))
            .Outcome.ShouldBe(ScreeningOutcome.Clear);
    }

    [Theory]
    [InlineData(Zhanjiang, "zhanjiang-2019")]
    [InlineData(Ningxia, "ningxia-2017")]
    public void LocalRail_AsTheNationalWords(string region, string catalog)
    {
        var d = Debtor("rail.ticket", region, context: Ctx("rail.ticket", ("trainType", "G"), ("seatClass", "second")));
        d.Outcome.ShouldBe(ScreeningOutcome.Block);
        Ids(d).ShouldBe(["national-2016/二.七.1#3", catalog + "/二.七.1#3"]);
        Debtor("rail.ticket", region, context: Ctx("rail.ticket", ("trainType", "D"), ("seatClass", "second"))).Outcome.ShouldBe(ScreeningOutcome.Clear);
    }

    [Theory]
    [InlineData(Zhanjiang, "zhanjiang-2019/二.五.3#1")]
    [InlineData(Ningxia, "ningxia-2017/二.五.3#1")]
    public void LocalCredit_ReachesOrganizationsWhoseOfficerIsADebtor(string region, string clause)
    {
        var d = OrganizationThroughOfficer("bank.credit-approval", region, RelatedRole.Supervisor);
        d.Outcome.ShouldBe(ScreeningOutcome.Reference);
        Ids(d).ShouldContain(clause);
    }

    [Fact]
    public void Zhanjiang_SpendingInAStarHotel_ButNotInAnUnratedOne()
    {
        // 001 §二(七)3: 在星级以上宾馆、酒店、夜总会、高尔夫球场等高消费场所消费.
        var starred = Debtor("venue.luxury-entertainment", Zhanjiang, context: Ctx("venue.luxury-entertainment", ("hotelRating", "4")));
        starred.Outcome.ShouldBe(ScreeningOutcome.Block);
        Ids(starred).ShouldContain("zhanjiang-2019/二.七.3#1");
        var unrated = Debtor("venue.luxury-entertainment", Zhanjiang, context: Ctx("venue.luxury-entertainment", ("hotelRating", "none")));
        Ids(unrated).ShouldNotContain("zhanjiang-2019/二.七.3#1");
    }

    [Fact]
    public void Ningxia_OrganizationDebtorsOfficer_CannotTakeAStateOwnedPost_ButAPrivateOne()
    {
        // 002 §二(三)1: 失信被执行人为单位的，限制其法定代表人…担任国有独资公司、国有资本控股公司董事…
        SubjectDecision Officer(string stateOwned) => ScreeningDecision.Decide(C, "company.officer-registration", Ningxia, SubjectKind.Person,
            [new MatchCandidate(1, SubjectKind.Organization, RelatedRole.LegalRepresentative)], Ctx("company.officer-registration", ("stateOwned", stateOwned)));
        var soe = Officer("true");
        soe.Outcome.ShouldBe(ScreeningOutcome.Block);
        Ids(soe).ShouldBe(["ningxia-2017/二.三.1#2", "ningxia-2017/二.三.1#3"]);
        Officer("false").Outcome.ShouldBe(ScreeningOutcome.Clear);
    }

    [Theory]
    [InlineData("licensing.tobacco-fire-franchise", ScreeningOutcome.Block)]     // 限制…获得烟草、消防等行业特许经营
    [InlineData("construction.tender", ScreeningOutcome.Block)]                  // 二(一)8
    [InlineData("housing.homestead-or-affordable-housing", ScreeningOutcome.Block)]
    [InlineData("civil-affairs.record-query", ScreeningOutcome.Clear)]           // 二(九)2: assistance only
    public void Ningxia_LocalSteps(string scenario, ScreeningOutcome expected) =>
        Debtor(scenario, Ningxia).Outcome.ShouldBe(expected);

    [Fact]
    public void Ningxia_ADeputyWhoLeadsAnOrganizationDebtor_IsHandledNotRefused()
    {
        // 002 §二(三)7: 如失信被执行人或其法定代表人…为党代表、人大代表和政协委员的，由相应的党组织、人大、政协…处理.
        var d = ScreeningDecision.Decide(C, "representative.nomination", Ningxia, SubjectKind.Person,
            [new MatchCandidate(1, SubjectKind.Organization, RelatedRole.LegalRepresentative)]);
        d.Outcome.ShouldBe(ScreeningOutcome.Reference);
        Ids(d).ShouldBe(["ningxia-2017/二.三.7#2"]);
    }
}
