using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Courts;

/// <summary>
/// Issue 13 item 3: an import appended in bulk (COPY / multi-row INSERTs) keeps the ledger exact as seen from outside:
/// gap-free feed sequences in file order, every listed row screened, one audit row per committed chunk, a replay under
/// the same Idempotency-Key changes nothing, and a debtor-and-case pair repeated later in the file (in another read
/// batch of prior listings) is refused on its own line as when rows were handled one at a time.
/// </summary>
public sealed class ImportLedgerTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    // More than the import's chunk (2,000 rows a transaction when not atomic) and its read batch (500 lines).
    private const int Rows = 4_500;

    private static string Row(string caseNumber, string idNumber, bool decided) =>
        string.Join(',', caseNumber, "2024-01-05", "(2023)粤0802民初1号", "湛江市赤坎区人民法院", "偿还借款", "0", "5000",
            "capable-but-refuses", "陈大文", idNumber, "", "", "", Iso(-6), decided ? Iso(-1) : "");

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_bulk_import_keeps_the_feed_the_audit_and_idempotency_exact(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var unit = await s.OrganizationAsync("unit", Unique("unit-imp-"), "440802", null, "unit.checker", "unit.subscriber");
        var after = (await unit.GetCt("/api/v1/feed?after=0&limit=10000").Ok())["next"]!.GetValue<long>();

        // Every fourth row a notice only (no list sequence); line 2 + 3,000 repeats line 2's debtor and case.
        var ids = new List<string>();
        var cases = new List<string>();
        var csv = new StringBuilder(ImportTests.Header).Append('\n');
        for (var i = 0; i < Rows; i++)
        {
            var repeat = i == 3_000;
            ids.Add(repeat ? ids[0] : AdultId());
            cases.Add(repeat ? cases[0] : CaseNumber());
            csv.Append(Row(cases[i], ids[i], decided: i % 4 != 3)).Append('\n');
        }

        var listedRows = Enumerable.Range(0, Rows).Where(i => i % 4 != 3 && i != 3_000).ToList();
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Request()
        {
            var m = new HttpRequestMessage(HttpMethod.Post, "/api/v1/entries/import?atomic=false")
            {
                Content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"),
            };
            m.Headers.Add("Idempotency-Key", key);
            return m;
        }

        var first = await court.Judge.SendCt(Request());
        var firstBody = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        first.StatusCode.ShouldBe(HttpStatusCode.OK, firstBody);
        var result = JsonNode.Parse(firstBody)!;
        result["accepted"]!.GetValue<long>().ShouldBe(Rows - 1, firstBody[..Math.Min(firstBody.Length, 2000)]);
        var refused = result["rejected"]!.AsArray().ShouldHaveSingleItem()!;
        refused["line"]!.GetValue<long>().ShouldBe(3_002);
        refused["code"].Str().ShouldBe("duplicate-entry");

        // The feed: one event per listed row, sequences gap-free from the head before, in file order.
        var events = new List<JsonNode>();
        var cursor = after;
        while (true)
        {
            var page = await unit.GetCt("/api/v1/feed?after=" + cursor.ToString(CultureInfo.InvariantCulture) + "&limit=1000").Ok();
            var items = page["events"]!.AsArray();
            if (items.Count == 0)
            {
                break;
            }

            events.AddRange(items.Select(e => e!));
            cursor = page["next"]!.GetValue<long>();
        }

        events.Select(e => e["seq"]!.GetValue<long>()).ShouldBe(Enumerable.Range(1, listedRows.Count).Select(i => after + i));
        events.ShouldAllBe(e => e["type"].Str() == "entry.listed");
        events.Select(e => e["entryId"].Str()).Distinct().Count().ShouldBe(listedRows.Count);
        var last = await court.Clerk.EntryAsync(events[^1]["entryId"].Str());
        last["status"].Str().ShouldBe("listed");
        last["caseNumber"].Str().ShouldBe(cases[listedRows[^1]]);

        // Every listed debtor is screened at once, first and last; a notice-only row is not.
        foreach (var i in new[] { listedRows[0], listedRows[^1] })
        {
            var check = await unit.PostJson("/api/v1/checks", new { scenario = "civil-aviation.ticket", subjects = new[] { new { idNumber = ids[i] } } }).Ok();
            check["results"]!.AsArray().ShouldHaveSingleItem()!["outcome"].Str().ShouldBe("block");
        }

        var notice = await unit.PostJson("/api/v1/checks", new { scenario = "civil-aviation.ticket", subjects = new[] { new { idNumber = ids[3] } } }).Ok();
        notice["results"]!.AsArray().ShouldHaveSingleItem()!["outcome"].Str().ShouldNotBe("block");

        // A replay answers the first response and writes nothing.
        var replay = await court.Judge.SendCt(Request());
        (await replay.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe(firstBody);
        replay.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        (await unit.GetCt("/api/v1/feed?after=" + cursor.ToString(CultureInfo.InvariantCulture) + "&limit=10").Ok())["events"]!.AsArray().ShouldBeEmpty();

        // One audit row per committed chunk, with its count.
        var audit = new List<JsonObject>();
        string? next = "0";
        while (next is not null)
        {
            var page = await s.Admin.GetCt("/api/v1/audit?limit=1000&cursor=" + next).Ok();
            audit.AddRange(page["items"]!.AsArray().Select(a => a!.AsObject()).Where(a => a["action"].Str() == "entry.import" && a["organization"].Str() == court.Code));
            next = page["next"]?.GetValue<string>();
        }

        // The rejected count is the file's so far: line 3,002 was refused before the first chunk was written.
        audit.Select(a => a["detail"].Str()).ShouldBe(["2000 accepted, 1 rejected", "2000 accepted, 1 rejected", "499 accepted, 1 rejected"]);
    }
}
