using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Shixin.Cli;
using Shixin.Data;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Ops;

/// <summary>
/// The <c>shixin</c> command against a real server on 127.0.0.1 (issue 12 item 6): keys, import, batch check, export and
/// revocation through the API with the caller's own key, then <c>verify</c> over the same database.
/// </summary>
public sealed class CliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Header = "caseNumber,filingDate,basisNumber,basisIssuer,obligation,performedAmount,unperformedAmount,circumstances,name,idNumber,riskNoticeServedOn,decidedOn";

    private static string Row(string idNumber, string unperformed = "5000") =>
        string.Join(',', CaseNumber(), "2024-01-05", "(2023)粤0802民初1号", "湛江市赤坎区人民法院", "支付货款", "0", unperformed,
            "capable-but-refuses", "陈大文", idNumber, Iso(-8), Iso(-3));

    [Fact]
    public async Task Help_lists_every_command()
    {
        var (code, text) = await RunAsync("--help");
        code.ShouldBe(0);
        foreach (var command in new[] { "verify", "calendar", "import", "check", "export", "keys", "demo" })
        {
            text.ShouldContain(command);
        }

        (code, text) = await RunAsync("keys", "--help");
        text.ShouldContain("create");
        text.ShouldContain("revoke");
    }

    [Fact]
    public async Task Calendar_status_warns_when_next_years_notice_is_missing()
    {
        // 2027's State Council notice is not in data/holidays (DOMAIN.md "Time"): late 2026 has a gap, mid 2025 none.
        var (code, text) = await RunAsync(new FixedTime(new DateTimeOffset(2026, 12, 5, 2, 0, 0, TimeSpan.Zero)), "calendar", "status");
        code.ShouldBe(CliApp.CalendarGap, text);
        text.ShouldContain("2007–2026");
        text.ShouldContain("2026-12-19");
        text.ShouldContain("缺少 2027 年");

        (code, text) = await RunAsync(new FixedTime(new DateTimeOffset(2025, 6, 1, 2, 0, 0, TimeSpan.Zero)), "calendar", "status");
        code.ShouldBe(CliApp.Intact, text);
        text.ShouldNotContain("警告");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Court_imports_unit_checks_and_exports_then_verify_finds_the_ledger_intact_and_an_edit(Db db)
    {
        await using var s = await ShixinServer.StartAsync(db);
        var url = s.BaseAddress.ToString();
        var courtCode = Unique("zj-cli-");
        await s.OrganizationAsync("court", courtCode, "440802", null, "court.clerk");
        var unit = await s.OrganizationAsync("unit", Unique("unit-cli-"), "440802", null, "unit.checker");
        var unitKey = unit.DefaultRequestHeaders.Authorization!.Parameter!;

        // keys create: the hub issues a judge's key; the key is printed once.
        var (code, text) = await RunAsync("keys", "create", courtCode, "--role", "court.judge", "--server", url, "--key", ShixinServer.AdminKey);
        code.ShouldBe(CliApp.Intact, text);
        var judgeKey = Line(text, "key (shown once): ");
        var judgeKeyId = Line(text, "key id: ");

        var dir = Directory.CreateTempSubdirectory("shixin-cli-").FullName;
        try
        {
            // import: a bad amount refuses the whole atomic file and names the line; nothing is written.
            var listed = new[] { AdultId(), AdultId() };
            var bad = Path.Combine(dir, "bad.csv");
            await File.WriteAllTextAsync(bad, Header + "\r\n" + Row(listed[0]) + "\r\n" + Row(AdultId(), "五万元") + "\r\n", new UTF8Encoding(true), Ct);
            (code, text) = await RunAsync("import", bad, "--server", url, "--key", judgeKey);
            code.ShouldBe(CliApp.LineErrors, text);
            text.ShouldContain("line 3");
            text.ShouldContain("五万元");
            var judge = s.Client(judgeKey);
            (await judge.GetCt("/api/v1/entries?limit=10").Ok())["items"]!.AsArray().ShouldBeEmpty();

            var good = Path.Combine(dir, "good.csv");
            await File.WriteAllTextAsync(good, Header + "\r\n" + Row(listed[0]) + "\r\n" + Row(listed[1]) + "\r\n", new UTF8Encoding(true), Ct);
            (code, text) = await RunAsync("import", good, "--server", url, "--key", judgeKey);
            code.ShouldBe(CliApp.Intact, text);
            text.ShouldContain("已导入 2 条");

            // check: two listed debtors and one stranger, for an air ticket.
            var customers = Path.Combine(dir, "customers.csv");
            await File.WriteAllTextAsync(customers, "idNumber,name\n" + listed[0] + ",陈大文\n" + AdultId() + ",路人甲\n" + listed[1] + ",陈大文\n", Ct);
            var results = Path.Combine(dir, "results.csv");
            (code, text) = await RunAsync("check", customers, "--scenario", "civil-aviation.ticket", "--out", results, "--server", url, "--key", unitKey);
            code.ShouldBe(CliApp.Intact, text);
            text.ShouldContain("阻断 (block): 2");
            text.ShouldContain("通过 (clear): 1");
            (await File.ReadAllLinesAsync(results, Ct)).Length.ShouldBe(4);
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(results).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, "results hold listed people's matches");
            }

            // export: the snapshot holds both entries.
            var snapshot = Path.Combine(dir, "snapshot.ndjson");
            (code, text) = await RunAsync("export", "snapshot", "--out", snapshot, "--server", url, "--key", unitKey);
            code.ShouldBe(CliApp.Intact, text);
            var lines = await File.ReadAllLinesAsync(snapshot, Ct);
            lines.Count(l => l.Length > 0).ShouldBe(2);

            // export daily: today's change file (CSV with BOM, Chinese headers) names both listed debtors' cases.
            var daily = Path.Combine(dir, "daily.csv");
            (code, text) = await RunAsync("export", "daily", "--date", Iso(0), "--out", daily, "--server", url, "--key", unitKey);
            code.ShouldBe(CliApp.Intact, text);
            var dailyBytes = await File.ReadAllBytesAsync(daily, Ct);
            dailyBytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
            var dailyText = Encoding.UTF8.GetString(dailyBytes, 3, dailyBytes.Length - 3);
            dailyText.ShouldContain("案号");
            foreach (var caseNumber in (await File.ReadAllLinesAsync(good, Ct)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]))
            {
                dailyText.ShouldContain(caseNumber);
            }

            (code, text) = await RunAsync("export", "daily", "--date", "2026-13-01", "--server", url, "--key", unitKey);
            code.ShouldBe(CliApp.CannotRun, text);
            text.ShouldContain("YYYY-MM-DD");

            // keys revoke: the judge's key stops working; the CLI says the platform refused it.
            (code, text) = await RunAsync("keys", "revoke", judgeKeyId, "--server", url, "--key", ShixinServer.AdminKey);
            code.ShouldBe(CliApp.Intact, text);
            (code, text) = await RunAsync("import", good, "--server", url, "--key", judgeKey);
            code.ShouldBe(CliApp.Refused, text);
            text.ShouldContain("401");

            // A unit's key cannot import: the CLI passes the same authorization rule as the API.
            (code, text) = await RunAsync("import", good, "--server", url, "--key", unitKey);
            code.ShouldBe(CliApp.Refused, text);
            text.ShouldContain("403");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        // verify: the audit chain and the ledger hold; an entry's state edited behind the ledger's back is found.
        var database = s.Get<ShixinDatabase>();
        string[] where = db == Db.Postgres ? ["--postgres", database.ConnectionString] : ["--data-dir", DataDir(database)];
        (code, text) = await RunAsync(["verify", .. where]);
        code.ShouldBe(CliApp.Intact, text);
        text.ShouldContain("ledger intact: 2 entries");
        text.ShouldContain("audit trail intact");

        await using (var ctx = database.CreateContext())
        {
            await ctx.Database.ExecuteSqlRawAsync("UPDATE entries SET state_json = REPLACE(state_json, '5000', '1') WHERE no = (SELECT MIN(no) FROM entries)", Ct);
        }

        (code, text) = await RunAsync(["verify", "--ledger-only", .. where]);
        code.ShouldBe(CliApp.Broken, text);
        text.ShouldContain("the stored state differs from its replayed events");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Demo_seeds_the_running_servers_database_and_a_court_key_imports_straight_into_the_ledger(Db db)
    {
        // A running server and the command on the same database, as one more node: the server sees what the command wrote.
        await using var s = await ShixinServer.StartAsync(db);
        var database = s.Get<ShixinDatabase>();
        string[] where = db == Db.Postgres ? ["--postgres", database.ConnectionString] : ["--data-dir", DataDir(database)];

        // demo: the server's --demo seeder, loaded into the empty list; the demo court's key then works on the server.
        var (code, text) = await RunAsync(["demo", .. where]);
        code.ShouldBe(CliApp.Intact, text);
        text.ShouldContain("demo data: 300 entries");
        var court = s.Client(Hosting.DemoData.CourtKey(Hosting.DemoData.MainCourt));
        (await court.GetCt("/api/v1/entries?limit=1").Ok())["items"]!.AsArray().Count.ShouldBe(1);
        (code, text) = await RunAsync(["demo", .. where]);
        code.ShouldBe(CliApp.Intact, text);
        text.ShouldContain("demo data: 300 entries", customMessage: "a second run loads nothing more");

        var dir = Directory.CreateTempSubdirectory("shixin-cli-local-").FullName;
        try
        {
            var listed = new[] { AdultId(), AdultId() };
            var good = Path.Combine(dir, "good.csv");
            await File.WriteAllTextAsync(good, Header + "\r\n" + LocalRow(listed[0]) + "\r\n" + LocalRow(listed[1]) + "\r\n", new UTF8Encoding(true), Ct);

            // No key, a unit's key, an unknown key: the same rule as the API (a court's clerk or judge), nothing written.
            (code, text) = await RunAsync(["import", good, .. where]);
            code.ShouldBe(CliApp.CannotRun, text);
            text.ShouldContain("--key");
            (code, text) = await RunAsync(["import", good, "--key", Hosting.DemoData.UnitKey("unit-travelsky"), .. where]);
            code.ShouldBe(CliApp.Refused, text);
            text.ShouldContain("only a court's clerk or judge imports entries");
            (code, text) = await RunAsync(["import", good, "--key", "sx_not-a-key", .. where]);
            code.ShouldBe(CliApp.Refused, text);
            text.ShouldContain("unknown or revoked");

            // A line the platform cannot read refuses the atomic file and is named; nothing is written.
            var bad = Path.Combine(dir, "bad.ndjson");
            await File.WriteAllTextAsync(bad, "{\"caseNumber\":\"x\"}\n", Ct);
            var key = Hosting.DemoData.CourtKey(Hosting.DemoData.MainCourt);
            (code, text) = await RunAsync(["import", bad, "--key", key, .. where]);
            code.ShouldBe(CliApp.LineErrors, text);
            text.ShouldContain("line 1");
            text.ShouldContain("nothing was written");

            (code, text) = await RunAsync(["import", good, "--key", key, .. where]);
            code.ShouldBe(CliApp.Intact, text);
            text.ShouldContain("accepted 2, rejected 0");

            // The running server answers for the imported subjects: the ledger took them as the court's key.
            var hub = s.Client(ShixinServer.AdminKey);
            foreach (var id in listed)
            {
                var status = await hub.GetCt("/api/v1/subjects/status?idNumber=" + id).Ok();
                status["listed"]!.GetValue<bool>().ShouldBeTrue(status.ToJsonString());
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        (code, text) = await RunAsync(["verify", "--ledger-only", .. where]);
        code.ShouldBe(CliApp.Intact, text);
        text.ShouldContain("ledger intact: 302 entries");
    }

    private static string LocalRow(string idNumber) =>
        string.Join(',', "(2024)粤0802执" + (700000 + Next()).ToString(CultureInfo.InvariantCulture) + "号", "2024-01-05", "(2023)粤0802民初1号",
            "湛江市赤坎区人民法院", "支付货款", "0", "5000", "capable-but-refuses", "陈大文", idNumber, Iso(-8), Iso(-3));

    private static string DataDir(ShixinDatabase database) =>
        Path.GetDirectoryName(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource)!;

    private static string Line(string text, string after)
    {
        var start = text.IndexOf(after, StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, text);
        start += after.Length;
        var end = text.IndexOf('\n', start);
        return text[start..(end < 0 ? text.Length : end)].Trim();
    }

    private static Task<(int Code, string Text)> RunAsync(params string[] args) => RunAsync(TimeProvider.System, args);

    private static async Task<(int Code, string Text)> RunAsync(TimeProvider time, params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await CliApp.RunAsync(args, output, error, time);
        return (code, output.ToString() + error.ToString());
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
