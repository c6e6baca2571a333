using Shixin.Core.Catalogs;

namespace Shixin.Core.Tests.Catalogs;

public class CatalogDataTests
{
    // Hand counts from the seed texts (see data/catalogs/README.md for what counts as a measure).
    [Theory]
    [InlineData("national-2016", 37)]
    [InlineData("zhanjiang-2019", 35)]
    [InlineData("ningxia-2017", 41)]
    [InlineData("jiangsu-2017", 11)]
    [InlineData("zhaoling-2018", 16)]
    public void Catalog_HasEveryMeasureOfItsDocument(string catalogId, int expected) =>
        CatalogFixture.Catalog(catalogId).Measures.Count.ShouldBe(expected);

    [Theory]
    [InlineData("national-2016", "000000")]
    [InlineData("zhanjiang-2019", "440800")]
    [InlineData("ningxia-2017", "640000")]
    [InlineData("jiangsu-2017", "320000")]
    [InlineData("zhaoling-2018", "411104")]
    public void Catalog_CoversItsRegion(string catalogId, string region)
    {
        var catalog = CatalogFixture.Catalog(catalogId);
        catalog.Region.ShouldBe(region);
        catalog.Measures.ShouldAllBe(m => m.Region == region);
    }

    [Fact]
    public void MeasureIds_AreUnique_AndPrefixedByCatalog()
    {
        var all = CatalogFixture.Catalogs.Catalogs.SelectMany(c => c.Measures.Select(m => (c.Id, m.Id))).ToList();
        all.Select(x => x.Item2).Distinct(StringComparer.Ordinal).Count().ShouldBe(all.Count);
        all.ShouldAllBe(x => x.Item2.StartsWith(x.Item1 + "/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("national-2016", "000")]
    [InlineData("zhanjiang-2019", "001")]
    [InlineData("ningxia-2017", "002")]
    [InlineData("jiangsu-2017", "003")]
    [InlineData("zhaoling-2018", "004")]
    public void EveryMeasureText_AppearsVerbatimInItsSeed(string catalogId, string seed)
    {
        var text = CatalogFixture.NormalizedSeed(seed);
        foreach (var m in CatalogFixture.Catalog(catalogId).Measures)
        {
            text.ShouldContain(m.Text, Case.Sensitive, $"{m.Id} text is not in seed {seed}");
            m.Text.Length.ShouldBeGreaterThan(20, m.Id);
        }
    }

    // Samples typed from the seed documents, pinning the exact text of a few measures per document.
    [Theory]
    [InlineData("national-2016/二.七.1", "乘坐火车、飞机限制。限制失信被执行人及失信被执行人的法定代表人、主要负责人、实际控制人、影响债务履行的直接责任人员乘坐列车软卧、G字头动车组列车全部座位、其他动车组列车一等以上座位、民航飞机等非生活和工作必需的消费行为。")]
    [InlineData("national-2016/二.十", "公安、检察机关和人民法院对拒不执行生效判决、裁定以及其他妨碍执行构成犯罪的行为，要及时依法侦查、提起公诉和审判。")]
    [InlineData("national-2016/二.三.2", "担任事业单位法定代表人限制。失信被执行人为个人的，限制其登记为事业单位法定代表人。")]
    [InlineData("zhanjiang-2019/二.七.3", "高消费娱乐限制。限制失信被执行人及失信被执行人的法定代表人、主要负责人、实际控制人、影响债务履行的直接责任人员，在星级以上宾馆、酒店、夜总会、高尔夫球场等高消费场所消费。")]
    [InlineData("zhanjiang-2019/二.一.2", "发行债券限制。对失信被执行人在银行间市场发行债券从严审核，限制失信被执行人公开发行公司债券。")]
    [InlineData("ningxia-2017/二.一.8", "参与工程建设项目的招标投标活动限制。限制失信被执行人投标人、招标代理机构、评标专家以及其他招标从业人员参与工程建设项目的投标活动、招标代理活动、评标活动、招标从业活动。")]
    [InlineData("ningxia-2017/二.六.3", "使用草场限制。限制失信被执行人申报草场征占用项目；限制其申报承担草场保护建设项目。")]
    [InlineData("jiangsu-2017/三.九", "加强日常监管检查。将失信被执行人和以失信被执行人为法定代表人、主要负责人、实际控制人、董事、监事、高级管理人员的单位,作为重点监管对象,加大日常监管力度,提高随机抽查的比例和频次,并可依据相关法律法规对其采取行政监管措施。")]
    [InlineData("jiangsu-2017/三.十", "加大对失信被执行人限制出境、定罪处罚的限制措施,加强刑事惩戒力度,协助控制、查封、扣押相关车辆。公安、检察机关和人民法院对拒不执行生效判决、裁定以及其他妨碍执行构成犯罪的行为,要及时依法侦查、提起公诉和审判。")]
    [InlineData("zhaoling-2018/三.十四", "区教育管理部门限制失信被执行人及失信被执行人的法定代表人、主要负责人、实际控制人、影响债务履行的直接责任人员以其财产支付子女入学就读高收费私立学校。")]
    [InlineData("zhaoling-2018/三.七", "区检察机关对拒不执行判决、裁定以及其他妨害执行构成犯罪的人员及时批捕、起诉；加大执行工作监督力度，规范区法院执行行为，提出合理的检察建议。")]
    public void SampledMeasure_HasTheSeedTextVerbatim(string id, string expected)
    {
        CatalogFixture.Catalogs.TryGetMeasure(id, out var m).ShouldBeTrue(id);
        m.Text.ShouldBe(expected);
    }

    [Fact]
    public void Zhanjiang_NamesResponsibleUnitsPerMeasure_AndKeepsThemOutOfTheText()
    {
        var catalog = CatalogFixture.Catalog("zhanjiang-2019");
        catalog.Measures.ShouldAllBe(m => m.ResponsibleUnits.Count > 0);
        catalog.Measures.ShouldAllBe(m => !m.Text.Contains("责任单位", StringComparison.Ordinal));
        CatalogFixture.Catalogs.TryGetMeasure("zhanjiang-2019/二.七.1", out var flight).ShouldBeTrue();
        flight.ResponsibleUnits.ShouldBe(["市中级人民法院"]);
    }

    [Fact]
    public void HighConsumptionMeasures_ReachTheFourPersonsOfArt3()
    {
        var expected = new[] { RelatedRole.LegalRepresentative, RelatedRole.Principal, RelatedRole.ActualController, RelatedRole.ResponsiblePerson };
        var hc = CatalogFixture.Catalogs.Catalogs.SelectMany(c => c.Measures).Where(m => m.Category == MeasureCategory.HighConsumption).ToList();
        hc.Count.ShouldBeGreaterThan(15);
        hc.ShouldAllBe(m => m.RelatedReach == RelatedReach.Officers && expected.All(r => m.RelatedRoles.Contains(r)) && m.RelatedRoles.Count == 4);
    }

    [Fact]
    public void Scenarios_AreAtLeastForty_WithUniqueIds_AndResolvableMeasures()
    {
        var scenarios = CatalogFixture.Catalogs.Scenarios;
        scenarios.Count.ShouldBeGreaterThanOrEqualTo(40);
        scenarios.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count().ShouldBe(scenarios.Count);
        foreach (var s in scenarios)
        {
            s.MeasureIds.ShouldNotBeEmpty(s.Id);
            foreach (var id in s.MeasureIds)
            {
                CatalogFixture.Catalogs.TryGetMeasure(id, out _).ShouldBeTrue($"{s.Id} cites {id}");
            }
        }
    }

    [Theory]
    [InlineData("civil-aviation.ticket")]
    [InlineData("rail.high-speed-ticket")]
    [InlineData("hotel.star-rated-stay")]
    [InlineData("government-procurement.bid")]
    [InlineData("civil-service.recruitment")]
    [InlineData("bank.credit-approval")]
    [InlineData("real-estate.purchase")]
    [InlineData("company.officer-registration")]
    [InlineData("subsidy.application")]
    [InlineData("honour.nomination")]
    public void ApiScenario_IsDefined(string id) => CatalogFixture.Catalogs.TryGetScenario(id, out _).ShouldBeTrue();

    [Fact]
    public void EveryCategory_IsCoveredByAScenario_AndByAMeasureItCites()
    {
        var c = CatalogFixture.Catalogs;
        foreach (var category in Enum.GetValues<MeasureCategory>())
        {
            c.Scenarios.ShouldContain(s => s.Category == category, category.ToApiName());
            var cited = c.Scenarios.SelectMany(s => s.MeasureIds).Select(id => c.TryGetMeasure(id, out var m) ? m.Category : (MeasureCategory?)null);
            cited.ShouldContain(category, category.ToApiName());
        }
    }

    [Fact]
    public void EveryMeasure_IsCitedByAScenario()
    {
        var cited = CatalogFixture.Catalogs.Scenarios.SelectMany(s => s.MeasureIds).ToHashSet(StringComparer.Ordinal);
        CatalogFixture.Catalogs.Catalogs.SelectMany(c => c.Measures).Where(m => !cited.Contains(m.Id)).Select(m => m.Id).ShouldBeEmpty();
    }

    [Fact]
    public void Loader_RejectsAScenarioCitingAnUnknownMeasure()
    {
        const string catalog = """{"id":"x","title":"t","documentNumber":null,"issuer":"i","issuedOn":"2020-01-01","region":"000000","regionName":"n","measures":[]}""";
        const string scenarios = """{"scenarios":[{"id":"s","titleZh":"z","titleEn":"e","category":"other","subjectKinds":["person"],"measures":["x/一"]}]}""";
        Should.Throw<FormatException>(() => MeasureCatalogs.FromJson([catalog], scenarios)).Message.ShouldContain("x/一");
    }
}
