using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Shixin.Core.Identifiers;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Courts;

/// <summary>POST /api/v1/entries/import: CSV as Excel/WPS export it, NDJSON, atomicity, and size.</summary>
public sealed class ImportTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    internal const string Header = "caseNumber,filingDate,basisNumber,basisIssuer,obligation,performedAmount,unperformedAmount,circumstances,name,idNumber,creditCode,legalRepresentativeName,legalRepresentativeIdNumber,riskNoticeServedOn,decidedOn";

    private static string Row(string obligation, string? idNumber = null, string? decidedOn = null, string? servedOn = null) =>
        string.Join(',', CaseNumber(), "2024-01-05", "(2023)粤0802民初1号", "湛江市赤坎区人民法院", obligation, "0", "5000",
            "capable-but-refuses", "陈大文", idNumber ?? AdultId(), "", "", "", servedOn ?? "", decidedOn ?? "");

    private static string OrgRow(string obligation) =>
        string.Join(',', CaseNumber(), "2024-01-05", "(2023)粤0802民初2号", "湛江市赤坎区人民法院", obligation, "100", "5000",
            "evades-enforcement;violates-property-reporting", "\"湛江市某某贸易有限公司, 分公司\"", "", CreditCode(), "李四", AdultId(), Iso(-10), Iso(-5));

    private static ByteArrayContent Csv(string text, bool bom = true)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var content = new ByteArrayContent(bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        return content;
    }

    private static async Task<JsonArray> ItemsAsync(HttpClient c) => (await c.GetCt("/api/v1/entries?limit=500").Ok())["items"]!.AsArray();

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Csv_with_bom_chinese_text_and_quoted_commas_and_newlines(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var csv = Header + "\r\n"
            + Row("\"支付货款人民币5000元, 并支付利息\r\n（按LPR计算）\"") + "\r\n"
            + Row("\"给付\"\"租金\"\"3000元\"", decidedOn: Iso(-3), servedOn: Iso(-8)) + "\r\n"
            + OrgRow("返还借款") + "\r\n";
        var result = await court.Judge.PostCt("/api/v1/entries/import", Csv(csv)).Ok();
        result["accepted"]!.GetValue<long>().ShouldBe(3, result.ToJsonString());
        result["rejected"]!.AsArray().ShouldBeEmpty();

        var items = await ItemsAsync(court.Clerk);
        items.Count.ShouldBe(3);
        items.Count(i => i!["status"].Str() == "listed").ShouldBe(2);
        items.Count(i => i!["status"].Str() == "draft").ShouldBe(1);
        var entries = new List<JsonObject>();
        foreach (var i in items)
        {
            entries.Add(await court.Clerk.EntryAsync(i!["id"].Str()));
        }

        entries.Select(e => e["obligation"].Str()).ShouldContain("支付货款人民币5000元, 并支付利息\r\n（按LPR计算）");
        entries.Select(e => e["obligation"].Str()).ShouldContain("给付\"租金\"3000元");
        var org = entries.Single(e => e["subject"]!["kind"].Str() == "organization");
        org["subject"]!["name"].Str().ShouldBe("湛江市某某贸易有限公司, 分公司");
        org["relatedPersons"]!.AsArray().Single()!["role"].Str().ShouldBe("legal-representative");
        org["expiresOn"].Str().ShouldBe(Iso(Today.AddDays(-5).AddYears(2)));
        entries.Where(e => e["subject"]!["kind"].Str() == "person").ShouldAllBe(e => e["subject"]!["name"].Str() == "陈大文");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Csv_with_chinese_headers_and_no_bom(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var csv = "案号,立案时间,执行依据文号,做出执行依据单位,生效法律文书确定的义务,未履行部分,失信情形,被执行人姓名/名称,身份证号码\n"
            + string.Join(',', CaseNumber(), "2024-03-01", "(2023)宁0104民初9号", "银川市兴庆区人民法院", "偿还借款", "20000", "violates-consumption-restriction", "马小花", AdultId()) + "\n";
        var result = await court.Clerk.PostCt("/api/v1/entries/import", Csv(csv, bom: false)).Ok();
        result["accepted"]!.GetValue<long>().ShouldBe(1, result.ToJsonString());
        (await ItemsAsync(court.Clerk)).Single()!["subjectName"].Str().ShouldBe("马小花");
    }

    /// <summary>
    /// Issue 15: the import reads the Chinese wording of the draft form (自然人, the circumstance as the national
    /// platform writes it, 男, 公开), and an amount it cannot read ("五万元") is an error on its line, never 0.
    /// </summary>
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Chinese_labels_are_read_and_an_unreadable_amount_is_a_line_error(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        const string header = "案号,立案时间,执行依据文号,做出执行依据单位,生效法律文书确定的义务,已履行部分,未履行部分,失信情形,主体类型,被执行人姓名/名称,身份证号码,公开\n";
        string Line(string unperformed) => string.Join(',', CaseNumber(), "2024-03-01", "(2023)宁0104民初9号", "银川市兴庆区人民法院", "偿还借款", "0",
            unperformed, "有履行能力而拒不履行生效法律文书确定义务", "自然人", "马中文", AdultId(), "公开") + "\n";

        var bad = await court.Clerk.PostCt("/api/v1/entries/import", Csv(header + Line("50000元") + Line("五万元"), bom: false)).Ok();
        bad["accepted"]!.GetValue<long>().ShouldBe(0, bad.ToJsonString());
        var line = bad["rejected"]!.AsArray().Single()!;
        line["line"]!.GetValue<long>().ShouldBe(3);
        line["code"].Str().ShouldBe("unreadable-value");
        line["detail"].Str().ShouldContain("五万元");
        (await ItemsAsync(court.Clerk)).ShouldBeEmpty();

        var good = await court.Clerk.PostCt("/api/v1/entries/import", Csv(header + Line("50000元"), bom: false)).Ok();
        good["accepted"]!.GetValue<long>().ShouldBe(1, good.ToJsonString());
        var id = (await ItemsAsync(court.Clerk)).Single()!["id"].Str();
        var entry = await court.Clerk.GetCt("/api/v1/entries/" + id).Ok();
        entry.ToJsonString().ShouldContain("capable-but-refuses");
        entry.ToJsonString().ShouldContain("50000");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Ndjson(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var a = Draft();
        var b = Draft(Organization(), "obstructs-enforcement");
        b["riskNoticeServedOn"] = Iso(-4);
        b["decidedOn"] = Iso(-2);
        var body = a.ToJsonString() + "\n\n" + b.ToJsonString() + "\n";
        var content = new StringContent(body, Encoding.UTF8, "application/x-ndjson");
        var result = await court.Judge.PostCt("/api/v1/entries/import", content).Ok();
        result["accepted"]!.GetValue<long>().ShouldBe(2, result.ToJsonString());
        var items = await ItemsAsync(court.Clerk);
        items.Select(i => i!["status"].Str()).Order().ShouldBe(["draft", "listed"]);

        // A line that is not JSON is reported by its line number; atomic, so nothing is written.
        var bad = Draft().ToJsonString() + "\n{not json\n";
        var refused = await court.Clerk.PostCt("/api/v1/entries/import", new StringContent(bad, Encoding.UTF8, "application/x-ndjson")).Ok();
        refused["accepted"]!.GetValue<long>().ShouldBe(0);
        var r = refused["rejected"]!.AsArray().Single()!;
        r["line"]!.GetValue<long>().ShouldBe(2);
        r["code"].Str().ShouldBe("invalid-json");
        (await ItemsAsync(court.Clerk)).Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Atomic_by_default_and_good_rows_with_atomic_false(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var goodId = AdultId();
        var badId = goodId[..^1] + (goodId[^1] == '0' ? '1' : '0');

        // Line 1 header, lines 2–3 one record (quoted newline), line 4 good, line 5 bad ID, line 6 good.
        var csv = Header + "\n"
            + Row("\"第一行\n第二行\"") + "\n"
            + Row("偿还借款") + "\n"
            + Row("偿还借款", idNumber: badId) + "\n"
            + Row("偿还借款") + "\n";
        var sequenceBefore = await MetricAsync(s, "shixin_ledger_sequence");
        var atomic = await court.Clerk.PostCt("/api/v1/entries/import", Csv(csv)).Ok();
        atomic["accepted"]!.GetValue<long>().ShouldBe(0, atomic.ToJsonString());
        var rejected = atomic["rejected"]!.AsArray().Single()!;
        rejected["line"]!.GetValue<long>().ShouldBe(5);
        rejected["code"].Str().ShouldBe("invalid-id-number");
        rejected["detail"].Str().ShouldContain("身份证号码");
        var english = (await court.Clerk.PostCt("/api/v1/entries/import?lang=en", Csv(csv)).Ok())["rejected"]!.AsArray().Single()!;
        english["detail"].Str().ShouldContain("idNumber");
        (await ItemsAsync(court.Clerk)).ShouldBeEmpty();
        (await MetricAsync(s, "shixin_ledger_sequence")).ShouldBe(sequenceBefore);

        // A row refused by the state machine (a minor decided) is also line-numbered and atomic.
        var minor = IdBornOn(Today.AddYears(-10));
        var csv2 = Header + "\n" + Row("偿还借款") + "\n" + Row("偿还借款", idNumber: minor, decidedOn: Iso(-1), servedOn: Iso(-2)) + "\n";
        var atomic2 = await court.Judge.PostCt("/api/v1/entries/import", Csv(csv2)).Ok();
        atomic2["accepted"]!.GetValue<long>().ShouldBe(0);
        atomic2["rejected"]!.AsArray().Single()!["line"]!.GetValue<long>().ShouldBe(3);
        atomic2["rejected"]!.AsArray().Single()!["code"].Str().ShouldBe("subject-is-minor");
        (await ItemsAsync(court.Clerk)).ShouldBeEmpty();

        var partial = await court.Clerk.PostCt("/api/v1/entries/import?atomic=false", Csv(csv)).Ok();
        partial["accepted"]!.GetValue<long>().ShouldBe(3, partial.ToJsonString());
        partial["rejected"]!.AsArray().Single()!["line"]!.GetValue<long>().ShouldBe(5);
        (await ItemsAsync(court.Clerk)).Count.ShouldBe(3);
    }

    /// <summary>
    /// Issue 11 finding 1: a clerk-only key listed debtors by importing rows with riskNoticeServedOn and decidedOn,
    /// while the same key gets 403 on /decision. A row with a decision needs court.judge, like the single endpoint.
    /// </summary>
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_clerk_cannot_list_through_the_import(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var decided = Draft();
        decided["riskNoticeServedOn"] = Iso(-4);
        decided["decidedOn"] = Iso(-2);
        var noticed = Draft();
        noticed["riskNoticeServedOn"] = Iso(-4);
        var ndjson = new StringContent(noticed.ToJsonString() + "\n" + decided.ToJsonString() + "\n", Encoding.UTF8, "application/x-ndjson");

        // Atomic (the default): the forbidden line is named and nothing is written.
        var refused = await court.Clerk.PostCt("/api/v1/entries/import", ndjson).Ok();
        refused["accepted"]!.GetValue<long>().ShouldBe(0, refused.ToJsonString());
        var line = refused["rejected"]!.AsArray().ShouldHaveSingleItem()!;
        line["line"]!.GetValue<long>().ShouldBe(2);
        line["code"].Str().ShouldBe("forbidden-row");
        (await ItemsAsync(court.Clerk)).ShouldBeEmpty();

        // CSV and ?atomic=false: the clerk's draft and notice rows go in, the decided row does not.
        var csv = Header + "\n" + Row("偿还借款", servedOn: Iso(-6)) + "\n" + Row("偿还借款", decidedOn: Iso(-1), servedOn: Iso(-6)) + "\n";
        var partial = await court.Clerk.PostCt("/api/v1/entries/import?atomic=false", Csv(csv)).Ok();
        partial["accepted"]!.GetValue<long>().ShouldBe(1, partial.ToJsonString());
        partial["rejected"]!.AsArray().ShouldHaveSingleItem()!["code"].Str().ShouldBe("forbidden-row");
        (await ItemsAsync(court.Clerk)).Select(i => i!["status"].Str()).ShouldBe(["noticed"]);

        // A decided row from a judge lists the debtor.
        var judged = await court.Judge.PostCt("/api/v1/entries/import", Csv(Header + "\n" + Row("偿还借款", decidedOn: Iso(-1), servedOn: Iso(-6)) + "\n")).Ok();
        judged["accepted"]!.GetValue<long>().ShouldBe(1, judged.ToJsonString());
        (await ItemsAsync(court.Clerk)).Count(i => i!["status"].Str() == "listed").ShouldBe(1);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Bad_import_requests_are_client_errors(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        await court.Clerk.PostCt("/api/v1/entries/import", new StringContent("a,b", Encoding.UTF8, "text/plain")).Problem(415, "unsupported-media-type");
        var invalidUtf8 = new ByteArrayContent([.. Encoding.UTF8.GetBytes(Header + "\n"), 0xFF, 0xFE, 0x0A]);
        invalidUtf8.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        await court.Clerk.PostCt("/api/v1/entries/import", invalidUtf8).Problem(400, "invalid-encoding");
        var noHeader = await court.Clerk.PostCt("/api/v1/entries/import", Csv("foo,bar\n1,2\n")).Ok();
        noHeader["rejected"]!.AsArray().Single()!["code"].Str().ShouldBe("invalid-csv-header");
        var empty = await court.Clerk.PostCt("/api/v1/entries/import", Csv("")).Ok();
        empty["accepted"]!.GetValue<long>().ShouldBe(0);
        var ragged = await court.Clerk.PostCt("/api/v1/entries/import", Csv(Header + "\n1,2,3\n")).Ok();
        ragged["rejected"]!.AsArray().Single()!["code"].Str().ShouldBe("invalid-csv-row");
        (await ItemsAsync(court.Clerk)).ShouldBeEmpty();
    }

    private static async Task<double> MetricAsync(ShixinServer s, string name)
    {
        using var c = s.Client();
        var text = await c.GetStringCt("/metrics");
        return Ops.PromText.Value(text, name);
    }
}
