using System.Text.Json;

namespace Shixin.Core.Tests.Catalogs;

/// <summary>
/// The clauses of the shipped catalogs, read from the JSON files themselves (CLAUSES-SCHEMA: one clause per
/// distinct restriction the seed names, each with its own action read from its own words).
/// </summary>
public class ClauseDataTests
{
    private static readonly string[] Actions =
        ["block", "revoke-honour", "strict-review", "quota", "enhanced-supervision", "prudential-reference", "notify", "assist"];

    private static JsonElement Catalog(string id)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "data", "catalogs", id + ".json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    private static IEnumerable<(JsonElement Measure, JsonElement Clause)> Clauses(string catalogId) =>
        Catalog(catalogId).GetProperty("measures").EnumerateArray()
            .SelectMany(m => m.GetProperty("clauses").EnumerateArray().Select(c => (m, c)));

    private static JsonElement Clause(string catalogId, string clauseId) =>
        Clauses(catalogId).Single(x => x.Clause.GetProperty("id").GetString() == clauseId).Clause;

    private static string[] Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];

    // Hand counts from the seed texts; data/catalogs/README.md lists what each item splits into.
    [Theory]
    [InlineData("national-2016", 76)]
    [InlineData("zhanjiang-2019", 74)]
    [InlineData("ningxia-2017", 88)]
    [InlineData("jiangsu-2017", 92)]
    [InlineData("zhaoling-2018", 50)]
    public void Catalog_HasEveryClauseItsSeedNames(string catalogId, int expected) =>
        Clauses(catalogId).Count().ShouldBe(expected);

    [Theory]
    [InlineData("national-2016")]
    [InlineData("zhanjiang-2019")]
    [InlineData("ningxia-2017")]
    [InlineData("jiangsu-2017")]
    [InlineData("zhaoling-2018")]
    public void EveryClause_IsNumberedUnderItsMeasure_QuotesIt_AndTheMeasureTakesItsStrictestAction(string catalogId)
    {
        foreach (var m in Catalog(catalogId).GetProperty("measures").EnumerateArray())
        {
            var id = m.GetProperty("id").GetString()!;
            var clauses = m.GetProperty("clauses").EnumerateArray().ToArray();
            clauses.ShouldNotBeEmpty(id);
            for (var i = 0; i < clauses.Length; i++)
            {
                var c = clauses[i];
                c.GetProperty("id").GetString().ShouldBe($"{id}#{i + 1}");
                m.GetProperty("text").GetString()!.ShouldContain(c.GetProperty("text").GetString()!, Case.Sensitive, $"{id}#{i + 1}");
                Actions.ShouldContain(c.GetProperty("action").GetString()!);
                Strings(c, "subjectKinds").ShouldNotBeEmpty();
                // A clause names its checkpoints explicitly; only assistance and notification may have none.
                c.TryGetProperty("scenarios", out _).ShouldBeTrue($"{id}#{i + 1}");
                if (Strings(c, "scenarios").Length == 0)
                {
                    new[] { "assist", "notify" }.ShouldContain(c.GetProperty("action").GetString()!, $"{id}#{i + 1}");
                }
                (Strings(c, "relatedRoles").Length > 0).ShouldBe(c.TryGetProperty("relatedReach", out _), $"{id}#{i + 1}");
            }
            var strictest = clauses.Select(c => c.GetProperty("action").GetString()!).Where(a => a != "assist")
                .OrderBy(a => Array.IndexOf(Actions, a)).DefaultIfEmpty("assist").First();
            m.GetProperty("action").GetString().ShouldBe(strictest, id);
        }
    }

    [Fact]
    public void EveryClauseScenario_IsDefined_ApartFromRailTicket()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "scenarios.json")));
        var ids = doc.RootElement.GetProperty("scenarios").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToHashSet();
        ids.Add("rail.ticket"); // defined by the clause-aware scenarios (issue 10 item 3)
        foreach (var catalogId in new[] { "national-2016", "zhanjiang-2019", "ningxia-2017", "jiangsu-2017", "zhaoling-2018" })
        {
            foreach (var (_, c) in Clauses(catalogId))
            {
                Strings(c, "scenarios").ShouldAllBe(s => ids.Contains(s), c.GetProperty("id").GetString());
            }
        }
    }

    // The examples issue 10 names, read from the seeds' words.
    [Theory]
    [InlineData("jiangsu-2017/三.四#9", "prudential-reference")] // 入党…的重要参考
    [InlineData("jiangsu-2017/三.二#4", "prudential-reference")] // 金融机构融资授信时审慎性参考
    [InlineData("jiangsu-2017/三.二#5", "strict-review")]        // 从严审核在银行间市场发行债券
    [InlineData("jiangsu-2017/三.六#11", "quota")]               // 旅游等级评定的度假区内…限额控制
    [InlineData("jiangsu-2017/三.三#3", "enhanced-supervision")] // 对进出口货物实施严密监管
    [InlineData("jiangsu-2017/三.五#15", "revoke-honour")]       // 文明单位荣誉称号…予以撤销
    [InlineData("jiangsu-2017/三.七#1", "assist")]
    [InlineData("zhaoling-2018/三.三#4", "prudential-reference")] // 入党…的重要参考
    [InlineData("zhaoling-2018/三.十一#1", "enhanced-supervision")]
    [InlineData("zhaoling-2018/三.十一#7", "block")]              // 禁止担任公司的法定代表人…
    [InlineData("zhaoling-2018/三.十七#4", "strict-review")]      // 引导…可以采取…
    public void Clause_TakesTheActionOfItsOwnWords(string clauseId, string action) =>
        Clause(clauseId.Split('/')[0], clauseId).GetProperty("action").GetString().ShouldBe(action);

    [Fact]
    public void JiangsuBankCredit_IsNeverABlock()
    {
        var credit = Clauses("jiangsu-2017").Where(x => Strings(x.Clause, "scenarios").Contains("bank.credit-approval")).ToList();
        credit.ShouldNotBeEmpty();
        credit.ShouldAllBe(x => x.Clause.GetProperty("action").GetString() != "block");
    }

    [Theory]
    [InlineData("jiangsu-2017/三.五#14", "organizations")]
    [InlineData("jiangsu-2017/三.九#1", "organizations")]
    [InlineData("zhaoling-2018/三.十一#1", "organizations")]
    [InlineData("zhaoling-2018/三.十二#3", "organizations")]
    [InlineData("zhaoling-2018/三.十七#4", "organizations")]
    [InlineData("jiangsu-2017/三.六#2", "officers")]
    [InlineData("zhaoling-2018/三.十#1", "officers")]
    public void Clause_ReachesTheSeedsDirection(string clauseId, string reach) =>
        Clause(clauseId.Split('/')[0], clauseId).GetProperty("relatedReach").GetString().ShouldBe(reach);

    [Fact]
    public void JiangsuHotels_AreFourStarsAndUp_OrFirstClass_AndTrainsAsTheNationalWords()
    {
        Strings(Clause("jiangsu-2017", "jiangsu-2017/三.六#6").GetProperty("when"), "hotelRating").ShouldBe(["4", "5"]);
        Strings(Clause("jiangsu-2017", "jiangsu-2017/三.六#7").GetProperty("when"), "hotelRating").ShouldBe(["first-class"]);
        Strings(Clause("jiangsu-2017", "jiangsu-2017/三.六#3").GetProperty("when"), "seatClass").ShouldBe(["soft-sleeper"]);
        Strings(Clause("jiangsu-2017", "jiangsu-2017/三.六#4").GetProperty("when"), "trainType").ShouldBe(["G"]);
        var emu = Clause("jiangsu-2017", "jiangsu-2017/三.六#5").GetProperty("when");
        Strings(emu, "trainType").ShouldBe(["D", "C"]);
        Strings(emu, "seatClass").ShouldBe(["first", "business"]);
    }
}
