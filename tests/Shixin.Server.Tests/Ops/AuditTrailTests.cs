using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Shixin.Cli;
using Shixin.Data;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Ops;

/// <summary>
/// Issue 11 F9: one append-only, hash-chained trail of who read or checked whom, with the answer; identifiers only as
/// keyed hashes and masks; `shixin verify` finds an edit or a gap; a check can be read back by the unit that made it
/// and hub auditors only.
/// </summary>
public sealed class AuditTrailTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    private const string Scenario = "civil-aviation.ticket";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Checks_reads_searches_and_refusals_are_in_the_trail_with_the_number_never_in_clear(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var otherCourt = await s.CourtAsync();
        var unit = await s.OrganizationAsync("unit", Unique("unit-"), "640000", null, "unit.checker");
        var otherUnit = await s.OrganizationAsync("unit", Unique("unit-"), "640000", null, "unit.checker");
        var idNumber = AdultId();
        var entryId = await court.ListedAsync(Draft(Person(idNumber, "王五")));

        // A single check that hits (once this node's index has the listing), and a batch with the same person among others.
        JsonObject check;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            check = await unit.PostJson("/api/v1/checks", new { scenario = Scenario, reference = "order-1", subjects = new[] { new { idNumber } } }).Ok();
        }
        while (check["results"]![0]!["matches"]!.AsArray().Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(10));
        var checkId = check["checkId"].Str();
        var batchResponse = await unit.PostAsync("/api/v1/checks/batch?scenario=" + Scenario,
            new StringContent("idNumber\n" + AdultId() + "\n" + idNumber + "\n" + AdultId() + "\n", Encoding.UTF8, "text/csv"), Ct);
        batchResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        var batchId = batchResponse.Headers.GetValues("X-Check-Id").Single();
        await batchResponse.Content.ReadAsStringAsync(Ct);

        // A staff read, a status query, a public search, and two refused reads.
        await court.Judge.EntryAsync(entryId);
        await s.Admin.GetCt("/api/v1/subjects/status?idNumber=" + idNumber).Ok();
        using var anonymous = s.Client();
        (await anonymous.GetCt("/api/v1/public/search?name=" + Uri.EscapeDataString("王五") + "&idNumber=" + idNumber).Ok())["items"]!.AsArray().Count.ShouldBe(1);
        (await anonymous.GetCt("/api/v1/entries/" + entryId)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await otherCourt.Judge.GetCt("/api/v1/entries/" + entryId)).StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);

        // Everything about this person, found by the number (keyed hash), batch lines included.
        var about = await AllAsync(s, "&idNumber=" + idNumber);
        var actions = about.Select(i => i["action"].Str()).ToList();
        actions.ShouldContain("check");
        actions.ShouldContain("check.batch-lines");
        actions.ShouldContain("entry.read");
        actions.ShouldContain("subject.status");
        var search = about.Single(i => i["action"].Str() == "public.search");
        search["organization"].Str().ShouldBe("public");
        search["outcome"].Str().ShouldBe("found");
        var single = about.Single(i => i["action"].Str() == "check" && i["checkId"].Str() == checkId);
        single["organization"].Str().ShouldNotBeNullOrEmpty();
        single["outcome"].Str().ShouldBe(check["results"]![0]!["outcome"].Str());
        single["listSequence"]!.GetValue<long>().ShouldBe(check["listSequence"]!.GetValue<long>());
        single["subjectMasked"].Str().ShouldStartWith("id:" + idNumber[..4]);
        about.Single(i => i["action"].Str() == "entry.read")["outcome"].Str().ShouldBe("listed");
        about.Single(i => i["action"].Str() == "check.batch-lines")["checkId"].Str().ShouldBe(batchId);

        // The whole trail holds the number only hashed: not in any record, nor in the database's trail table.
        var all = await AllAsync(s, "");
        var text = new JsonArray([.. all.Select(i => i.DeepClone())]).ToJsonString();
        text.ShouldNotContain(idNumber);
        all.ShouldContain(i => i["action"].Str() == "read.refused" && i["outcome"].Str() == "401" && i["target"].Str() == "GET /api/v1/entries/" + entryId);
        all.ShouldContain(i => i["action"].Str() == "read.refused" && i["organization"].Str() == otherCourt.Code);

        // Nor in the stored rows themselves (issue 11 F9: subject.status rows held the full number in clear), in the
        // trail or in the ledger's audit table it is copied from.
        var store = s.Get<ShixinDatabase>().Records;
        (await ScalarAsync(store, "SELECT CAST(COUNT(*) AS TEXT) FROM audit_trail WHERE COALESCE(subject, '') || COALESCE(subject_mask, '') || COALESCE(target, '') "
            + "|| COALESCE(reference, '') || COALESCE(entry_nos, '') || COALESCE(detail, '') LIKE '%" + idNumber + "%'")).ShouldBe("0");
        await using (var ledger = s.Get<ShixinDatabase>().CreateContext())
        {
            (await ledger.Audit.CountAsync(a => a.Target.Contains(idNumber) || (a.Detail != null && a.Detail.Contains(idNumber)), Ct)).ShouldBe(0);
        }

        // Writes are in the same trail, in order after their transactions commit.
        all.ShouldContain(i => i["action"].Str() == "entry.decide" && i["target"].Str() == "entry:" + entryId);
        all.Select(i => i["id"]!.GetValue<long>()).ShouldBeInOrder();

        // Reading a check back: the unit that made it and hub auditors; 404 for anyone else, as if it did not exist.
        var recorded = await unit.GetCt("/api/v1/checks/" + checkId).Ok();
        recorded["listSequence"]!.GetValue<long>().ShouldBe(check["listSequence"]!.GetValue<long>());
        recorded["outcome"].Str().ShouldBe(check["results"]![0]!["outcome"].Str());
        recorded["results"]!.AsArray().Single()!["subjectMasked"].Str().ShouldNotContain(idNumber);
        recorded["results"]![0]!["matches"]!.AsArray().Select(m => m!["entryId"].Str()).ShouldBe(
            check["results"]![0]!["matches"]!.AsArray().Select(m => m!["entryId"].Str()));
        recorded.ToJsonString().ShouldNotContain(idNumber);
        (await s.Admin.GetCt("/api/v1/checks/" + checkId).Ok())["checkId"].Str().ShouldBe(checkId);
        await otherUnit.GetCt("/api/v1/checks/" + checkId).Problem(404, "not-found");
        await court.Judge.GetCt("/api/v1/checks/" + checkId).Problem(404, "not-found");
        await unit.GetCt("/api/v1/checks/" + Guid.NewGuid()).Problem(404, "not-found");
        (await anonymous.GetCt("/api/v1/checks/" + checkId)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var batch = await unit.GetCt("/api/v1/checks/" + batchId).Ok();
        batch["batch"]!["linesRecorded"]!.GetValue<long>().ShouldBe(3);

        // The trail is the hub auditors'.
        await court.Judge.GetCt("/api/v1/audit").Problem(403, "forbidden");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Shixin_verify_finds_an_edited_and_a_missing_record(Db db)
    {
        await using var s = await ShixinServer.StartAsync(db);
        var unit = await s.OrganizationAsync("unit", Unique("unit-"), "640000", null, "unit.checker");
        for (var i = 0; i < 5; i++)
        {
            await unit.PostJson("/api/v1/checks", new { scenario = Scenario, subjects = new[] { new { idNumber = AdultId() }, new { idNumber = AdultId() } } }).Ok();
        }

        var store = s.Get<ShixinDatabase>().Records;
        string[] args = db == Db.Postgres ? ["verify", "--postgres", store.ConnectionString] : ["verify", "--data-dir", DataDir(store)];
        var (code, text) = await VerifyAsync(args);
        code.ShouldBe(CliApp.Intact, text);
        text.ShouldContain("intact");

        // An edited answer: a "clear" turned into "block" after the fact.
        var seq = long.Parse(await ScalarAsync(store, "SELECT CAST(MIN(seq) AS TEXT) FROM audit_trail WHERE action = 'check'"), System.Globalization.CultureInfo.InvariantCulture);
        var at = seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var original = await ScalarAsync(store, "SELECT outcome FROM audit_trail WHERE seq = " + at);
        await ExecAsync(store, "UPDATE audit_trail SET outcome = 'block' WHERE seq = " + at);
        (code, text) = await VerifyAsync(args);
        code.ShouldBe(CliApp.Broken, text);
        text.ShouldContain("BROKEN at record " + at);

        // Put back, the chain holds again; a record removed leaves a gap that verify names.
        await ExecAsync(store, "UPDATE audit_trail SET outcome = '" + original + "' WHERE seq = " + at);
        (code, _) = await VerifyAsync(args);
        code.ShouldBe(CliApp.Intact);
        var next = (seq + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ExecAsync(store, "DELETE FROM audit_trail WHERE seq = " + next);
        (code, text) = await VerifyAsync(args);
        code.ShouldBe(CliApp.Broken, text);
        text.ShouldContain("BROKEN at record " + next);
        text.ShouldContain("missing");

        // A missing records file is not "intact".
        (code, _) = await VerifyAsync(["verify", "--data-dir", Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N"))]);
        code.ShouldBe(CliApp.CannotRun);
    }

    private static string DataDir(RecordsStore store) => Path.GetDirectoryName(new SqliteConnectionStringBuilder(store.ConnectionString).DataSource)!;

    private static async Task<(int Code, string Text)> VerifyAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString() + error.ToString());
    }

    private static async Task ExecAsync(RecordsStore store, string sql)
    {
        await using var db = store.CreateContext();
        await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, sql, Ct);
    }

    private static async Task<string> ScalarAsync(RecordsStore store, string sql)
    {
        await using var db = store.CreateContext();
        var conn = Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(db.Database);
        await conn.OpenAsync(Ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return (string)(await cmd.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<List<JsonObject>> AllAsync(ShixinServer s, string filter)
    {
        var items = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var page = await s.Admin.GetCt("/api/v1/audit?limit=1000" + filter + (cursor is null ? "" : "&cursor=" + cursor)).Ok();
            items.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);
        return items;
    }
}
