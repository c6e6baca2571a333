using System.Text.Json;
using System.Text.Json.Serialization;
using Shixin.Core.Catalogs;

namespace Shixin.Core.Tests.Catalogs;

/// <summary>
/// The legal outcomes table (data/legal-outcomes.json, issue 10 item 2) run against the pure decision rule with the
/// shipped catalogs: one row per case, each expectation read from the seed words its `basis` cites.
/// </summary>
public class LegalOutcomesTests
{
    internal sealed record Expected(string Outcome, string[] Clauses, string[]? NeedsContext, string? Cleared);

    internal sealed record OutcomeCase(
        string Id, string Scenario, string Region, string RegionName, string Subject, string Via, string DebtorKind, string Direction,
        Dictionary<string, string>? Context, string[]? Exemptions, string[]? Suspended, Expected Expected, string Basis, string? Note);

    private sealed record Table(OutcomeCase[] Cases);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    internal static readonly Lazy<OutcomeCase[]> Cases = new(() =>
        JsonSerializer.Deserialize<Table>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "legal-outcomes.json")), Json)!.Cases);

    public static TheoryData<string> CaseIds() => [.. Cases.Value.Select(c => c.Id)];

    private static T Parse<T>(string name, Func<string, (bool, T)> parse)
    {
        var (ok, value) = parse(name);
        ok.ShouldBeTrue($"unknown name '{name}'");
        return value;
    }

    private static SubjectKind Kind(string name) => Parse(name, n => (ApiNames.TryParse(n, out SubjectKind k), k));

    private static RelatedRole Role(string name) => Parse(name, n => (ApiNames.TryParse(n, out RelatedRole r), r));

    /// <summary>Decides one case with the pure rule, as a unit in the case's region would be answered.</summary>
    internal static SubjectDecision Decide(OutcomeCase c)
    {
        var catalogs = CatalogFixture.Catalogs;
        var context = catalogs.ParseContext(c.Scenario, (c.Context ?? []).Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));
        var candidate = new MatchCandidate(
            EntryRef: 1,
            DebtorKind: Kind(c.DebtorKind),
            Via: Role(c.Via),
            Exemptions: c.Exemptions?.ToHashSet(StringComparer.Ordinal),
            Suspended: c.Suspended?.ToHashSet(StringComparer.Ordinal),
            Officer: c.Direction == "organization-of-officer" ? 0 : -1);
        return ScreeningDecision.Decide(catalogs, c.Scenario, c.Region, Kind(c.Subject), [candidate], context);
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case_AnswersAsTheSeedsSay(string id)
    {
        var c = Cases.Value.Single(x => x.Id == id);
        var d = Decide(c);
        var why = $"case {c.Id}: {c.Scenario} in {c.Region} ({c.Direction} via {c.Via}); basis {c.Basis}";
        d.Outcome.ToApiName().ShouldBe(c.Expected.Outcome, why);
        if (c.Expected.Outcome == "clear")
        {
            d.Matches.ShouldBeEmpty(why);
            var cleared = d.Cleared.ShouldHaveSingleItem(why);
            if (c.Expected.Cleared is { } reason)
            {
                ReasonName(cleared.Reason).ShouldBe(reason, why);
            }
            return;
        }
        var match = d.Matches.ShouldHaveSingleItem(why);
        match.Clauses.Select(x => x.Id).Order(StringComparer.Ordinal).ShouldBe(c.Expected.Clauses.Order(StringComparer.Ordinal), why);
        match.NeedsContext.Order(StringComparer.Ordinal).ShouldBe((c.Expected.NeedsContext ?? []).Order(StringComparer.Ordinal), why);
        match.Officer.ShouldBe(c.Direction == "organization-of-officer" ? 0 : -1, why);
    }

    internal static string ReasonName(ClearedReason reason) => reason switch
    {
        ClearedReason.NotCovered => "not-covered",
        ClearedReason.Exempted => "exempted",
        ClearedReason.Suspended => "suspended",
        ClearedReason.OutsideContext => "outside-context",
        _ => reason.ToString(),
    };

    [Fact]
    public void Table_CoversWhatIssue10Asks()
    {
        var cases = Cases.Value;
        cases.Length.ShouldBeGreaterThanOrEqualTo(150);
        cases.Select(c => c.Id).Distinct().Count().ShouldBe(cases.Length);
        // All five seed regions and one no seed covers (national catalog only).
        cases.Select(c => c.Region).Distinct().Order().ShouldBe(["130126", "320500", "411104", "440802", "510100", "640104"]);
        // Every outcome, every action producing one, both role directions, every context field, missing context,
        // exemptions and objections.
        cases.Select(c => c.Expected.Outcome).Distinct().Order().ShouldBe(["block", "clear", "reference", "review"]);
        var actions = cases.SelectMany(c => c.Expected.Clauses).Select(id =>
        {
            CatalogFixture.Catalogs.TryGetClause(id, out var clause).ShouldBeTrue($"table names unknown clause {id}");
            return clause.Action.ToApiName();
        }).Distinct().Order();
        actions.ShouldBe(["block", "enhanced-supervision", "notify", "prudential-reference", "quota", "revoke-honour", "strict-review"]);
        cases.Select(c => c.Direction).Distinct().Order().ShouldBe(["debtor", "officer-of-debtor", "organization-of-officer"]);
        cases.SelectMany(c => c.Context?.Keys.AsEnumerable() ?? []).Distinct().Order().ShouldBe(["hotelRating", "seatClass", "stateOwned", "trainType"]);
        cases.SelectMany(c => c.Expected.NeedsContext ?? []).Distinct().Order().ShouldBe(["hotelRating", "seatClass", "stateOwned", "trainType"]);
        cases.Select(c => c.Expected.Cleared).OfType<string>().Distinct().Order().ShouldBe(["exempted", "not-covered", "outside-context", "suspended"]);
        // Every scenario the table names exists; every case cites its seed.
        foreach (var c in cases)
        {
            CatalogFixture.Catalogs.TryGetScenario(c.Scenario, out _).ShouldBeTrue(c.Id);
            c.Basis.ShouldNotBeNullOrWhiteSpace(c.Id);
        }
    }
}
