using System.Text.Json;
using Shixin.Core.Catalogs;

namespace Shixin.Core.Tests.Catalogs;

/// <summary>
/// The clause-level decision rule on a small inline catalog shaped like 000 §二(七)1, 二(七)2, 二(九) and a court-assist
/// measure, so each branch is pinned whatever the shipped catalogs' transcription looks like.
/// </summary>
public class ClauseDecisionTests
{
    private const string Region = "130126";
    private const string Flights = "national-2016/二.七.1";

    private static readonly string ContextJson = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "context-fields.json"));

    private static readonly string[] HighConsumptionRoles = ["legal-representative", "principal", "actual-controller", "responsible-person"];
    private static readonly string[] OrganizationRoles = ["legal-representative", "principal", "actual-controller", "director", "supervisor", "senior-manager"];

    private static object Clause(string id, string text, string action, object? when = null, string[]? scenarios = null, string[]? roles = null,
        string? reach = null, string[]? kinds = null) => new Dictionary<string, object?>
    {
        ["id"] = id, ["text"] = text, ["action"] = action, ["subjectKinds"] = kinds ?? ["person", "organization"],
        ["relatedRoles"] = roles ?? HighConsumptionRoles, ["relatedReach"] = reach ?? "officers", ["when"] = when, ["scenarios"] = scenarios,
    };

    private static object Measure(string id, string category, string text, string action, object[]? clauses, string[]? roles = null, string reach = "officers") =>
        new Dictionary<string, object?>
        {
            ["id"] = id, ["category"] = category, ["categoryZh"] = "类", ["title"] = "标题", ["titleEn"] = "Title", ["text"] = text,
            ["action"] = action, ["subjectKinds"] = new[] { "person", "organization" }, ["relatedRoles"] = roles ?? HighConsumptionRoles,
            ["relatedReach"] = reach, ["responsibleUnits"] = Array.Empty<string>(), ["region"] = "000000", ["source"] = "中办发〔2016〕64号 " + id,
            ["clauses"] = clauses,
        };

    private const string FlightText = "限制乘坐飞机、列车软卧、G字头动车组列车全部座位、其他动车组列车一等以上座位等。";
    private const string HotelText = "限制在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费。";
    private const string SupervisionText = "将失信被执行人和以失信被执行人为法定代表人、主要负责人、实际控制人、董事、监事、高级管理人员的单位，列为重点监管对象。";
    private const string AssistText = "协助查询失信被执行人的财产，并通报其所在单位。";

    internal static object[] DefaultMeasures() =>
    [
        Measure(Flights, "high-consumption", FlightText, "block",
        [
            Clause(Flights + "#1", "限制乘坐飞机", "block", scenarios: ["civil-aviation.ticket"]),
            Clause(Flights + "#2", "列车软卧", "block", new { seatClass = new[] { "soft-sleeper" } }, ["rail.ticket"]),
            Clause(Flights + "#3", "G字头动车组列车全部座位", "block", new { trainType = new[] { "G" } }, ["rail.ticket"]),
            Clause(Flights + "#4", "其他动车组列车一等以上座位", "block",
                new { trainType = new[] { "D", "C" }, seatClass = new[] { "first", "business" } }, ["rail.ticket"]),
        ]),
        Measure("national-2016/二.七.2", "high-consumption", HotelText, "block",
        [
            Clause("national-2016/二.七.2#1", "星级以上宾馆、酒店", "block", new { hotelRating = new[] { "1", "2", "3", "4", "5", "first-class" } },
                ["hotel.star-rated-stay"]),
        ]),
        Measure("national-2016/二.九", "routine-supervision", SupervisionText, "enhanced-supervision",
        [
            Clause("national-2016/二.九#1", "将失信被执行人和以失信被执行人为法定代表人、主要负责人、实际控制人、董事、监事、高级管理人员的单位，列为重点监管对象",
                "enhanced-supervision", scenarios: ["market-supervision.random-inspection"], roles: OrganizationRoles, reach: "organizations"),
        ], OrganizationRoles, "organizations"),
        Measure("national-2016/二.八.1", "assistance-and-exit", AssistText, "notify",
        [
            Clause("national-2016/二.八.1#1", "协助查询失信被执行人的财产", "assist", scenarios: ["court-assist.property-query"], roles: [], kinds: ["person"]),
            Clause("national-2016/二.八.1#2", "通报其所在单位", "notify", scenarios: ["court-assist.property-query"], roles: [], kinds: ["person"]),
        ]),
    ];

    internal static string CatalogJson(params object[] measures) => JsonSerializer.Serialize(new
    {
        id = "national-2016", title = "意见", documentNumber = "中办发〔2016〕64号", issuer = "中办 国办", issuedOn = "2016-09-25",
        region = "000000", regionName = "全国", measures,
    }, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });

    internal static string ScenariosJson(params (string Id, string[] Measures, string[] Context)[] scenarios) => JsonSerializer.Serialize(new
    {
        scenarios = scenarios.Select(s => new
        {
            id = s.Id, titleZh = s.Id, titleEn = s.Id, category = "high-consumption", subjectKinds = new[] { "person", "organization" },
            measures = s.Measures, context = s.Context,
        }),
    });

    private static readonly (string, string[], string[])[] DefaultScenarios =
    [
        ("civil-aviation.ticket", [], []),
        ("rail.ticket", [], ["trainType", "seatClass"]),
        ("hotel.star-rated-stay", [], ["hotelRating"]),
        ("market-supervision.random-inspection", [], []),
        ("court-assist.property-query", [], []),
    ];

    private static readonly MeasureCatalogs C = MeasureCatalogs.FromJson([CatalogJson(DefaultMeasures())], ScenariosJson(DefaultScenarios), ContextJson);

    private static CheckContext Ctx(string scenario, params (string Field, string Value)[] pairs) =>
        C.ParseContext(scenario, pairs.Select(p => new KeyValuePair<string, string?>(p.Field, p.Value)));

    private static SubjectDecision Debtor(string scenario, CheckContext context) =>
        ScreeningDecision.Decide(C, scenario, Region, SubjectKind.Person, [new MatchCandidate(1, SubjectKind.Person, RelatedRole.Debtor)], context);

    [Fact]
    public void GTrain_SecondClass_Blocks_ByTheGClause()
    {
        var d = Debtor("rail.ticket", Ctx("rail.ticket", ("trainType", "G"), ("seatClass", "second")));
        d.Outcome.ShouldBe(ScreeningOutcome.Block);
        d.Matches.Single().Clauses.Select(c => c.Id).ShouldBe([Flights + "#3"]);
        d.Matches.Single().Clauses.Single().Text.ShouldBe("G字头动车组列车全部座位");
        d.Matches.Single().NeedsContext.ShouldBeEmpty();
    }

    [Fact]
    public void DTrain_SecondClass_Clears_OutsideContext()
    {
        // 000 §二(七)1 restricts 其他动车组列车一等以上座位 only: a second-class seat on a D train is open.
        var d = Debtor("rail.ticket", Ctx("rail.ticket", ("trainType", "D"), ("seatClass", "second")));
        d.Outcome.ShouldBe(ScreeningOutcome.Clear);
        d.Matches.ShouldBeEmpty();
        d.Cleared.Single().Reason.ShouldBe(ClearedReason.OutsideContext);
    }

    [Theory]
    [InlineData("D", "first")]
    [InlineData("C", "business")]
    public void OtherEmu_FirstClassOrAbove_Blocks(string train, string seat)
    {
        var d = Debtor("rail.ticket", Ctx("rail.ticket", ("trainType", train), ("seatClass", seat)));
        d.Outcome.ShouldBe(ScreeningOutcome.Block);
        d.Matches.Single().Clauses.Select(c => c.Id).ShouldBe([Flights + "#4"]);
    }

    [Fact]
    public void SoftSleeper_OnAKTrain_Blocks_HardSleeperClears()
    {
        var soft = Debtor("rail.ticket", Ctx("rail.ticket", ("trainType", "K"), ("seatClass", "soft-sleeper")));
        soft.Outcome.ShouldBe(ScreeningOutcome.Block);
        soft.Matches.Single().Clauses.Select(c => c.Id).ShouldBe([Flights + "#2"]);

        Debtor("rail.ticket", Ctx("rail.ticket", ("trainType", "K"), ("seatClass", "hard-sleeper"))).Outcome.ShouldBe(ScreeningOutcome.Clear);
    }

    [Fact]
    public void MissingContext_BlocksAsTheStrictestCase_AndNamesTheFields()
    {
        var none = Debtor("rail.ticket", CheckContext.Empty);
        none.Outcome.ShouldBe(ScreeningOutcome.Block);
        none.Matches.Single().Clauses.Count.ShouldBe(3);
        none.Matches.Single().NeedsContext.ShouldBe(["seatClass", "trainType"]);

        // Knowing the train is a D narrows it to the seat: the G clause drops out, the seat is still needed.
        var dOnly = Debtor("rail.ticket", Ctx("rail.ticket", ("trainType", "D")));
        dOnly.Outcome.ShouldBe(ScreeningOutcome.Block);
        dOnly.Matches.Single().Clauses.Select(c => c.Id).ShouldBe([Flights + "#2", Flights + "#4"]);
        dOnly.Matches.Single().NeedsContext.ShouldBe(["seatClass"]);
    }

    [Theory]
    [InlineData("none", ScreeningOutcome.Clear)]
    [InlineData("1", ScreeningOutcome.Block)]
    [InlineData("5", ScreeningOutcome.Block)]
    [InlineData("first-class", ScreeningOutcome.Block)]
    public void Hotel_StarRatedOrAbove_Blocks(string rating, ScreeningOutcome expected) =>
        Debtor("hotel.star-rated-stay", Ctx("hotel.star-rated-stay", ("hotelRating", rating))).Outcome.ShouldBe(expected);

    [Fact]
    public void Hotel_WithoutRating_Blocks_AndAsksForIt()
    {
        var d = Debtor("hotel.star-rated-stay", CheckContext.Empty);
        d.Outcome.ShouldBe(ScreeningOutcome.Block);
        d.Matches.Single().NeedsContext.ShouldBe(["hotelRating"]);
    }

    [Fact]
    public void AssistClause_NeverReachesTheOutcome_TheNotifyClauseDoes()
    {
        var d = Debtor("court-assist.property-query", CheckContext.Empty);
        d.Outcome.ShouldBe(ScreeningOutcome.Reference);
        d.Matches.Single().Clauses.Select(c => c.Id).ShouldBe(["national-2016/二.八.1#2"]);
        C.ApplicableClauses("court-assist.property-query", Region).ShouldAllBe(c => !c.IsAssist);
        C.TryGetClause("national-2016/二.八.1#1", out var assist).ShouldBeTrue();
        assist.IsAssist.ShouldBeTrue();
    }

    [Fact]
    public void OnlyAssistClauses_ClearAsNotCovered()
    {
        var c = MeasureCatalogs.FromJson([CatalogJson(Measure("national-2016/二.八.2", "assistance-and-exit", AssistText, "assist",
            [Clause("national-2016/二.八.2#1", "协助查询失信被执行人的财产", "assist", roles: [], kinds: ["person"])]))],
            ScenariosJson(("court-assist.property-query", ["national-2016/二.八.2"], [])), ContextJson);
        var d = ScreeningDecision.Decide(c, "court-assist.property-query", Region, SubjectKind.Person,
            [new MatchCandidate(1, SubjectKind.Person, RelatedRole.Debtor)], CheckContext.Empty);
        d.Outcome.ShouldBe(ScreeningOutcome.Clear);
        d.Cleared.Single().Reason.ShouldBe(ClearedReason.NotCovered);
    }

    [Fact]
    public void Officers_PersonHitAsLegalRepresentativeOfAnOrganizationDebtor_IsBlockedOnFlights()
    {
        var d = ScreeningDecision.Decide(C, "civil-aviation.ticket", Region, SubjectKind.Person,
            [new MatchCandidate(2, SubjectKind.Organization, RelatedRole.LegalRepresentative)], CheckContext.Empty);
        d.Outcome.ShouldBe(ScreeningOutcome.Block);
        d.Matches.Single().Via.ShouldBe(RelatedRole.LegalRepresentative);

        // A director is not among 000 §二(七)'s four roles.
        ScreeningDecision.Decide(C, "civil-aviation.ticket", Region, SubjectKind.Person,
            [new MatchCandidate(3, SubjectKind.Organization, RelatedRole.Director)], CheckContext.Empty).Outcome.ShouldBe(ScreeningOutcome.Clear);
    }

    [Fact]
    public void Organizations_WhoseDirectorIsADebtor_GetEnhancedSupervision_ViaTheOfficer()
    {
        var d = ScreeningDecision.Decide(C, "market-supervision.random-inspection", Region, SubjectKind.Organization,
            [new MatchCandidate(4, SubjectKind.Person, RelatedRole.Director, Officer: 1)], CheckContext.Empty);
        d.Outcome.ShouldBe(ScreeningOutcome.Review);
        var m = d.Matches.Single();
        m.Via.ShouldBe(RelatedRole.Director);
        m.Officer.ShouldBe(1);
        m.Clauses.Single().Action.ShouldBe(MeasureAction.EnhancedSupervision);
    }

    [Fact]
    public void OrganizationDirection_NeverReachesHighConsumption_AndOfficerDirectionNeverReachesOrganizations()
    {
        // An organization whose legal representative is a debtor is not itself restricted from flights.
        ScreeningDecision.Decide(C, "civil-aviation.ticket", Region, SubjectKind.Organization,
            [new MatchCandidate(5, SubjectKind.Person, RelatedRole.LegalRepresentative, Officer: 0)], CheckContext.Empty)
            .Outcome.ShouldBe(ScreeningOutcome.Clear);
        // A director of an organization debtor is not made a supervision target by 二(九) (it reaches organizations).
        ScreeningDecision.Decide(C, "market-supervision.random-inspection", Region, SubjectKind.Person,
            [new MatchCandidate(6, SubjectKind.Organization, RelatedRole.Director)], CheckContext.Empty)
            .Outcome.ShouldBe(ScreeningOutcome.Clear);
    }

    [Theory]
    [InlineData(Flights + "#3")]
    [InlineData(Flights)]
    [InlineData("high-consumption")]
    [InlineData("rail.ticket")]
    public void Exemption_ByClauseMeasureCategoryOrScenario_Clears(string key)
    {
        var d = ScreeningDecision.Decide(C, "rail.ticket", Region, SubjectKind.Person,
            [new MatchCandidate(7, SubjectKind.Person, RelatedRole.Debtor, new HashSet<string>(StringComparer.Ordinal) { key })],
            Ctx("rail.ticket", ("trainType", "G"), ("seatClass", "first")));
        d.Outcome.ShouldBe(ScreeningOutcome.Clear);
        d.Cleared.Single().Reason.ShouldBe(ClearedReason.Exempted);
    }

    [Fact]
    public void ClauseExemption_LeavesTheOtherClausesStanding()
    {
        var d = ScreeningDecision.Decide(C, "rail.ticket", Region, SubjectKind.Person,
            [new MatchCandidate(8, SubjectKind.Person, RelatedRole.Debtor, new HashSet<string>(StringComparer.Ordinal) { Flights + "#3" })],
            CheckContext.Empty);
        d.Outcome.ShouldBe(ScreeningOutcome.Block);
        d.Matches.Single().Clauses.Select(c => c.Id).ShouldBe([Flights + "#2", Flights + "#4"]);
    }

    [Fact]
    public void SuspendedClause_UnderObjection_Clears()
    {
        var d = ScreeningDecision.Decide(C, "civil-aviation.ticket", Region, SubjectKind.Person,
            [new MatchCandidate(9, SubjectKind.Person, RelatedRole.Debtor, null, new HashSet<string>(StringComparer.Ordinal) { Flights + "#1" })],
            CheckContext.Empty);
        d.Outcome.ShouldBe(ScreeningOutcome.Clear);
        d.Cleared.Single().Reason.ShouldBe(ClearedReason.Suspended);
    }

    [Fact]
    public void Context_UnknownFieldOrValue_OrAFieldTheScenarioDoesNotTake_IsRefused()
    {
        C.TryParseContext("rail.ticket", [new("trainType", "X")], out _, out var bad).ShouldBeFalse();
        bad!.Field.ShouldBe("trainType");
        bad.MessageZh.ShouldContain("车次类型");
        C.TryParseContext("rail.ticket", [new("wagon", "1")], out _, out var unknown).ShouldBeFalse();
        unknown!.Field.ShouldBe("wagon");
        C.TryParseContext("civil-aviation.ticket", [new("trainType", "G")], out _, out _).ShouldBeFalse();
        Should.Throw<InvalidContextException>(() => Ctx("hotel.star-rated-stay", ("hotelRating", "6")));
        // A blank value is a field not given (an empty CSV cell).
        C.TryParseContext("rail.ticket", [new("trainType", "")], out var blank, out _).ShouldBeTrue();
        blank.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Scenario_ListsTheContextFieldsItsClausesUse()
    {
        C.TryGetScenario("rail.ticket", out var rail).ShouldBeTrue();
        rail.Context.ShouldBe(["trainType", "seatClass"]);
        // Declared nothing, but a clause tests hotelRating: the scenario lists it anyway.
        var c = MeasureCatalogs.FromJson([CatalogJson(DefaultMeasures())],
            ScenariosJson([.. DefaultScenarios.Select(s => s with { Item3 = Array.Empty<string>() })]), ContextJson);
        c.TryGetScenario("hotel.star-rated-stay", out var hotel).ShouldBeTrue();
        hotel.Context.ShouldBe(["hotelRating"]);
        hotel.MeasureIds.ShouldBe(["national-2016/二.七.2"]);
    }

    [Fact]
    public void MeasureWithoutClauses_IsOneImplicitClause_InheritingItsScenarios()
    {
        var c = MeasureCatalogs.FromJson([CatalogJson(Measure(Flights, "high-consumption", FlightText, "block", null))],
            ScenariosJson(("rail.ticket", [Flights], ["trainType"])), ContextJson);
        c.TryGetMeasure(Flights, out var m).ShouldBeTrue();
        var only = m.Clauses.ShouldHaveSingleItem();
        only.Id.ShouldBe(Flights + "#1");
        only.IsImplicit.ShouldBeTrue();
        only.Text.ShouldBe(FlightText);
        c.ApplicableClauses("rail.ticket", Region).ShouldBe([only]);
        // Without the split, a D second-class ticket still blocks, as before.
        ScreeningDecision.Decide(c, "rail.ticket", Region, SubjectKind.Person, [new MatchCandidate(1, SubjectKind.Person, RelatedRole.Debtor)],
            c.ParseContext("rail.ticket", [new("trainType", "D")])).Outcome.ShouldBe(ScreeningOutcome.Block);
    }

    [Fact]
    public void ClauseWithoutScenarios_InheritsItsMeasures()
    {
        var c = MeasureCatalogs.FromJson([CatalogJson(Measure(Flights, "high-consumption", FlightText, "block",
            [Clause(Flights + "#1", "限制乘坐飞机", "block"), Clause(Flights + "#2", "列车软卧", "block", scenarios: ["rail.ticket"])]))],
            ScenariosJson(("civil-aviation.ticket", [Flights], []), ("rail.ticket", [], [])), ContextJson);
        c.ApplicableClauses("civil-aviation.ticket", Region).Select(x => x.Id).ShouldBe([Flights + "#1"]);
        c.ApplicableClauses("rail.ticket", Region).Select(x => x.Id).ShouldBe([Flights + "#2"]);
    }

    public static TheoryData<string, string> BadCatalogs => new()
    {
        { "not below", CatalogJson(Measure(Flights, "high-consumption", FlightText, "block", [Clause("national-2016/二.七.2#1", "限制乘坐飞机", "block")])) },
        { "not a part of the measure's text", CatalogJson(Measure(Flights, "high-consumption", FlightText, "block", [Clause(Flights + "#1", "限制乘坐轮船", "block")])) },
        { "strictest clause", CatalogJson(Measure(Flights, "high-consumption", FlightText, "block",
            [Clause(Flights + "#1", "限制乘坐飞机", "prudential-reference")])) },
        { "strictest clause", CatalogJson(Measure(Flights, "high-consumption", FlightText, "prudential-reference",
            [Clause(Flights + "#1", "限制乘坐飞机", "block"), Clause(Flights + "#2", "列车软卧", "prudential-reference")])) },
        { "unknown context field 'wagon'", CatalogJson(Measure(Flights, "high-consumption", FlightText, "block",
            [Clause(Flights + "#1", "列车软卧", "block", new { wagon = new[] { "1" } })])) },
        { "'X' is not a value", CatalogJson(Measure(Flights, "high-consumption", FlightText, "block",
            [Clause(Flights + "#1", "列车软卧", "block", new { trainType = new[] { "X" } })])) },
        { "Duplicate clause id", CatalogJson(Measure(Flights, "high-consumption", FlightText, "block",
            [Clause(Flights + "#1", "列车软卧", "block"), Clause(Flights + "#1", "限制乘坐飞机", "block")])) },
        { "unknown scenario 'casino.entry'", CatalogJson(Measure(Flights, "high-consumption", FlightText, "block",
            [Clause(Flights + "#1", "列车软卧", "block", scenarios: ["casino.entry"])])) },
    };

    [Theory]
    [MemberData(nameof(BadCatalogs))]
    public void Loader_RefusesBadClauses(string message, string catalog) =>
        Should.Throw<FormatException>(() => MeasureCatalogs.FromJson([catalog], ScenariosJson(("rail.ticket", [], [])), ContextJson))
            .Message.ShouldContain(message);

    [Fact]
    public void Loader_AcceptsAnyOfTheStrictestActions_ForTheMeasure()
    {
        // revoke-honour and block answer the same at the counter; either may stand for the measure.
        Should.NotThrow(() => MeasureCatalogs.FromJson([CatalogJson(Measure(Flights, "high-consumption", FlightText, "revoke-honour",
            [Clause(Flights + "#1", "限制乘坐飞机", "block"), Clause(Flights + "#2", "列车软卧", "revoke-honour")]))],
            ScenariosJson(("rail.ticket", [], [])), ContextJson));
    }

    [Fact]
    public void Scenario_WithAnUnknownContextField_IsRefused() =>
        Should.Throw<FormatException>(() => MeasureCatalogs.FromJson([CatalogJson(DefaultMeasures())],
            ScenariosJson([.. DefaultScenarios, ("x.y", [], ["wagon"])]), ContextJson)).Message.ShouldContain("wagon");
}
