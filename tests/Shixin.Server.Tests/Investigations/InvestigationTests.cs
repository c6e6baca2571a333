using System.Net;
using System.Text.Json.Nodes;
using Shixin.Core.Entries;
using static Shixin.Server.Tests.Oversight.OversightApi;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Investigations;

/// <summary>
/// Enforcement investigation and control over HTTP (issue 14, API.md "Enforcement investigation and control"): routing,
/// who sees which task and which findings, the audit of every findings read, the renewal duty of a freeze, and the
/// no-property-found exit that needs two empty searches on record.
/// </summary>
public sealed class InvestigationTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    private sealed record Setup(Court Court, string BankCode, HttpClient Bank, string RegistryCode, HttpClient Registry);

    /// <summary>A court in 640104 (银川市兴庆区) with a bank and a real-estate registry routed to it, at province and city level.</summary>
    private static async Task<Setup> SetupAsync(ShixinServer s)
    {
        var courtCode = Unique("court-inv-");
        var clerk = await s.OrganizationAsync("court", courtCode, "640104", null, "court.clerk");
        var judge = await s.KeyAsync(courtCode, "court.judge");
        var bankCode = Unique("bank-");
        var bank = await s.OrganizationAsync("unit", bankCode, "640000", null, "unit.assist");
        var registryCode = Unique("registry-");
        var registry = await s.OrganizationAsync("unit", registryCode, "640100", null, "unit.assist");
        var table = await s.Admin.SendCt(new HttpRequestMessage(HttpMethod.Put, "/api/v1/investigation-routes")
        {
            Content = JsonContent(new
            {
                routes = new[]
                {
                    new { region = "640000", kind = "deposits", unitCode = bankCode },
                    new { region = "640100", kind = "real-estate", unitCode = registryCode },
                },
            }),
        });
        table.StatusCode.ShouldBe(HttpStatusCode.OK, await table.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return new Setup(new Court(courtCode, clerk, judge), bankCode, bank, registryCode, registry);
    }

    private static System.Net.Http.Json.JsonContent JsonContent(object body) => System.Net.Http.Json.JsonContent.Create(body, options: ShixinServer.Json);

    private static Task<HttpResponseMessage> Ask(Court court, string caseNumber, string idNumber, params string[] kinds) =>
        court.Clerk.PostJson("/api/v1/investigations", new { caseNumber, subject = new { idNumber, name = "张三" }, kinds });

    private static string Now => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<List<JsonObject>> Tasks(HttpClient unit, string? status = null) =>
        [.. (await unit.GetCt("/api/v1/investigations" + (status is null ? "" : "?status=" + status)).Ok())["items"]!.AsArray().Select(i => i!.AsObject())];

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_court_asks_a_bank_and_a_registry_each_sees_its_own_task_and_only_the_court_sees_the_findings(Db db)
    {
        var s = await servers.For(db);
        var x = await SetupAsync(s);
        var idNumber = AdultId();
        var caseNumber = CaseNumber();

        var request = await Ask(x.Court, caseNumber, idNumber, "deposits", "real-estate").Created();
        var id = request["id"].Str();
        request["status"].Str().ShouldBe("open");
        var tasks = request["tasks"]!.AsArray().Select(t => t!.AsObject()).ToList();
        tasks.Select(t => (t["unit"].Str(), t["kind"].Str())).ShouldBe([(x.BankCode, "deposits"), (x.RegistryCode, "real-estate")], ignoreOrder: true);
        // Seven working days (investigation.answer, a platform default) on the legal calendar: never earlier than a week on.
        tasks.ShouldAllBe(t => DateOnly.Parse(t["dueOn"].Str(), System.Globalization.CultureInfo.InvariantCulture) >= Today.AddDays(7));

        // Each unit sees only its own task, with the subject it is to search.
        var bankTask = (await Tasks(x.Bank)).Single(t => t["investigationId"].Str() == id);
        bankTask["kind"].Str().ShouldBe("deposits");
        bankTask["subject"]!["idNumber"].Str().ShouldBe(idNumber);
        (await Tasks(x.Bank)).ShouldAllBe(t => t["unit"].Str() == x.BankCode);
        var registryTask = (await Tasks(x.Registry)).Single(t => t["investigationId"].Str() == id);
        registryTask["kind"].Str().ShouldBe("real-estate");

        // A unit cannot answer another unit's task, nor read the request.
        await x.Registry.PostJson("/api/v1/investigation-tasks/" + bankTask["id"].Str() + "/answer", new { answeredAt = Now, noneFound = true }).Problem(403);
        await x.Bank.GetCt("/api/v1/investigations/" + id).Problem(403);

        // The bank finds a deposit; the registry finds nothing.
        var answered = await x.Bank.PostJson("/api/v1/investigation-tasks/" + bankTask["id"].Str() + "/answer", new
        {
            answeredAt = Now,
            noneFound = false,
            findings = new[] { new { kind = "deposits", institution = "宁夏银行兴庆支行", holderName = "张三", identifier = "6228480012345678", amount = 52300.45m, currency = "CNY", asOf = Iso(Today) } },
        }).Ok();
        answered["status"].Str().ShouldBe("answered");
        await x.Registry.PostJson("/api/v1/investigation-tasks/" + registryTask["id"].Str() + "/answer", new { answeredAt = Now, noneFound = true }).Ok();
        // Answering twice is refused; nothing changes.
        await x.Registry.PostJson("/api/v1/investigation-tasks/" + registryTask["id"].Str() + "/answer", new { answeredAt = Now, noneFound = true }).Problem(409, "already-answered");
        (await Tasks(x.Registry, "answered")).ShouldContain(t => t["id"].Str() == registryTask["id"].Str());
        (await Tasks(x.Registry, "open")).ShouldNotContain(t => t["id"].Str() == registryTask["id"].Str());

        // The court sees both answers.
        var seen = await x.Court.Judge.GetCt("/api/v1/investigations/" + id).Ok();
        seen["status"].Str().ShouldBe("answered");
        var byKind = seen["tasks"]!.AsArray().ToDictionary(t => t!["kind"].Str());
        byKind["deposits"]!["findings"]!.AsArray().Single()!["amount"]!.GetValue<decimal>().ShouldBe(52300.45m);
        byKind["real-estate"]!["noneFound"]!.GetValue<bool>().ShouldBeTrue();
        byKind["real-estate"]!["findings"]!.AsArray().ShouldBeEmpty();
        (await x.Court.Clerk.GetCt("/api/v1/investigations?status=answered").Ok())["items"]!.AsArray().ShouldContain(i => i!["id"].Str() == id);

        // Another court and another unit are refused; a hub auditor may read.
        var other = await s.CourtAsync();
        await other.Judge.GetCt("/api/v1/investigations/" + id).Problem(403);
        (await other.Clerk.GetCt("/api/v1/investigations").Ok())["items"]!.AsArray().ShouldNotContain(i => i!["id"].Str() == id);
        var otherUnit = await s.OrganizationAsync("unit", Unique("unit-other-"), "640000", null, "unit.assist");
        (await Tasks(otherUnit)).ShouldBeEmpty();
        await otherUnit.PostJson("/api/v1/investigation-tasks/" + bankTask["id"].Str() + "/answer", new { answeredAt = Now, noneFound = true }).Problem(403);
        var auditorCode = Unique("hub-aud-");
        var auditor = await s.OrganizationAsync("hub", auditorCode, "000000", null, "hub.auditor");
        (await auditor.GetCt("/api/v1/investigations/" + id).Ok())["id"].Str().ShouldBe(id);

        // Every read of the findings is in the audit trail, under the debtor.
        var trail = (await s.Admin.GetCt("/api/v1/audit?limit=1000&idNumber=" + idNumber).Ok())["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        trail.Where(a => a["action"].Str() == "investigation.read" && a["target"].Str() == "investigation:" + id)
            .Select(a => a["organization"].Str()).ShouldBe([x.Court.Code, auditorCode], ignoreOrder: true);

        // Findings never reach the public query.
        var publicPage = await (await s.Client().GetCt("/api/v1/public/search?name=张三&idNumber=" + idNumber)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        publicPage.ShouldNotContain("6228480012345678");
        publicPage.ShouldNotContain("52300");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Bad_requests_and_answers_are_problems_with_stable_codes(Db db)
    {
        var s = await servers.For(db);
        var x = await SetupAsync(s);
        await Ask(x.Court, CaseNumber(), AdultId(), "lottery").Problem(400, "unknown-investigation-kind");
        await Ask(x.Court, CaseNumber(), AdultId(), "vehicles").Problem(422, "no-route");
        await Ask(x.Court, "not a case", AdultId(), "deposits").Problem(400);
        await Ask(x.Court, CaseNumber(), "123", "deposits").Problem(400);
        await x.Bank.PostJson("/api/v1/investigations", new { caseNumber = CaseNumber(), subject = new { idNumber = AdultId(), name = "张三" }, kinds = new[] { "deposits" } }).Problem(403);

        var request = await Ask(x.Court, CaseNumber(), AdultId(), "deposits").Created();
        var task = request["tasks"]![0]!["id"].Str();
        await x.Bank.PostJson("/api/v1/investigation-tasks/" + task + "/answer", new { answeredAt = Now, noneFound = false }).Problem(400, "inconsistent-answer");
        await x.Bank.PostJson("/api/v1/investigation-tasks/" + task + "/answer", new { answeredAt = "2025-03-04 10:00", noneFound = true }).Problem(400, "invalid-date");
        var bad = await x.Bank.PostJson("/api/v1/investigation-tasks/" + task + "/answer", new
        {
            answeredAt = Now,
            noneFound = false,
            findings = new[] { new { kind = "deposits", institution = "", holderName = "张三", identifier = "1", asOf = "yesterday" } },
        }).Problem(400);
        bad["errors"]!["findings[0].institution"].ShouldNotBeNull();
        bad["errors"]!["findings[0].asOf"].ShouldNotBeNull();
        await x.Bank.PostJson("/api/v1/investigation-tasks/" + Guid.NewGuid() + "/answer", new { answeredAt = Now, noneFound = true }).Problem(404, "not-found");
        (await Tasks(x.Bank, "open")).ShouldContain(t => t["id"].Str() == task, "nothing half-written");
        await s.Admin.SendCt(new HttpRequestMessage(HttpMethod.Put, "/api/v1/investigation-routes")
        {
            Content = JsonContent(new { routes = new[] { new { region = "64", kind = "deposits", unitCode = "nobody" } } }),
        }).Problem(400);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_freeze_carried_out_opens_a_renewal_duty_before_its_term_ends(Db db)
    {
        var s = await servers.For(db);
        var x = await SetupAsync(s);
        var request = await Ask(x.Court, CaseNumber(), AdultId(), "deposits").Created();
        var task = request["tasks"]![0]!["id"].Str();
        await x.Bank.PostJson("/api/v1/investigation-tasks/" + task + "/answer", new
        {
            answeredAt = Now,
            noneFound = false,
            findings = new[] { new { kind = "deposits", institution = "宁夏银行", holderName = "张三", identifier = "6228", amount = 1000m, asOf = Iso(Today) } },
        }).Ok();

        await x.Court.Clerk.PostJson("/api/v1/controls", new { investigationTaskId = task, kind = "freeze", target = "6228", rulingNumber = "(2025)宁0104执1号之一" }).Problem(403);
        await x.Court.Judge.PostJson("/api/v1/controls", new { investigationTaskId = task, kind = "freeze", target = "6228", rulingNumber = "r", until = Iso(Today.AddYears(1).AddDays(1)) })
            .Problem(422, "control-term-exceeds-maximum");
        var control = await x.Court.Judge.PostJson("/api/v1/controls", new { investigationTaskId = task, kind = "freeze", target = "6228", amount = 1000m, rulingNumber = "(2025)宁0104执1号之一" }).Created();
        control["unit"].Str().ShouldBe(x.BankCode);
        control["propertyKind"].Str().ShouldBe("deposits");
        var controlId = control["task"]!["id"].Str();
        (await (await x.Bank.GetCt("/api/v1/obligations?status=open")).Array()).ShouldContain(d => d!["proceedingId"].StrOrNull() == controlId && d!["code"].Str() == "unit.answer-control");

        await x.Registry.PostJson("/api/v1/control-tasks/" + controlId + "/answer", new { outcome = "executed", executedAt = Now }).Problem(403);
        await x.Bank.PostJson("/api/v1/control-tasks/" + controlId + "/answer", new { outcome = "refused", executedAt = Now }).Problem(400);
        var executed = await x.Bank.PostJson("/api/v1/control-tasks/" + controlId + "/answer", new { outcome = "executed", executedAt = Now, amount = 1000m }).Ok();
        executed["status"].Str().ShouldBe("executed");

        // Art. 485: a freeze of bank deposits runs one year at most; the court renews before it lapses.
        var lapses = DateOnly.Parse(executed["lapsesOn"].Str(), System.Globalization.CultureInfo.InvariantCulture);
        lapses.ShouldBe(Today.AddYears(1));
        var duty = (await (await x.Court.Judge.GetCt("/api/v1/obligations")).Array()).Single(d => d!["proceedingId"].StrOrNull() == controlId)!.AsObject();
        duty["code"].Str().ShouldBe("court.renew-control");
        duty["rule"].Str().ShouldBe("control.renewal-margin");
        var due = DateOnly.Parse(duty["dueOn"].Str(), System.Globalization.CultureInfo.InvariantCulture);
        due.ShouldBeLessThan(lapses);
        // Counted on the legal calendar: the due day is a working day and ten working days lie from it up to the lapse.
        var calendar = s.Get<LegalEntryRules>().Calendar;
        calendar.Holidays.IsRestDay(due).ShouldBeFalse();
        calendar.CountWorkingDays(due.AddDays(-1), lapses.AddDays(-1)).ShouldBe(10);
        duty["provisional"]!.GetValue<bool>().ShouldBe(!calendar.Holidays.CoversRange(due, lapses));

        // A renewal carried out meets the duty.
        var renew = await x.Court.Judge.PostJson("/api/v1/controls", new { controlId, kind = "renew", target = "6228", rulingNumber = "(2025)宁0104执1号之二" }).Created();
        await x.Bank.PostJson("/api/v1/control-tasks/" + renew["id"].Str() + "/answer", new { outcome = "executed", executedAt = Now }).Ok();
        var after = await (await x.Court.Judge.GetCt("/api/v1/obligations")).Array();
        after.Single(d => d!["proceedingId"].StrOrNull() == controlId)!["status"].Str().ShouldBe("met");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task An_exit_for_no_property_found_needs_two_empty_searches_on_record(Db db)
    {
        var s = await servers.For(db);
        var x = await SetupAsync(s);
        var idNumber = AdultId();
        var draft = Draft(Person(idNumber));
        var caseNumber = draft["caseNumber"].Str();
        var entry = await x.Court.ListedAsync(draft);
        var exit = new { kind = "delete", reason = "no-property-found", effectiveOn = Iso(Today) };

        async Task EmptySearchAsync()
        {
            var r = await Ask(x.Court, caseNumber, idNumber, "deposits", "real-estate").Created();
            foreach (var t in r["tasks"]!.AsArray())
            {
                var unit = t!["unit"].Str() == x.BankCode ? x.Bank : x.Registry;
                await unit.PostJson("/api/v1/investigation-tasks/" + t["id"].Str() + "/answer", new { answeredAt = Now, noneFound = true }).Ok();
            }
        }

        var none = await x.Court.Judge.PostJson("/api/v1/entries/" + entry + "/exit", exit).Problem(422, "not-enough-searches");
        none["detail"].Str().ShouldContain("本案已有0次（共0次查询）");
        await EmptySearchAsync();
        // A search still open does not count.
        await Ask(x.Court, caseNumber, idNumber, "deposits").Created();
        await x.Court.Judge.PostJson("/api/v1/entries/" + entry + "/exit", exit).Problem(422, "not-enough-searches");
        (await x.Court.Judge.EntryAsync(entry))["status"].Str().ShouldBe("listed");

        await EmptySearchAsync();
        var deleted = await x.Court.Judge.PostJson("/api/v1/entries/" + entry + "/exit", exit).Ok();
        deleted["status"].Str().ShouldBe("deleted");

        // An override with a reason lets the exit through and is recorded in the history.
        var other = Draft(Person());
        var second = await x.Court.ListedAsync(other);
        var overridden = await x.Court.Judge.PostJson("/api/v1/entries/" + second + "/exit",
            new { kind = "delete", reason = "no-property-found", effectiveOn = Iso(Today), searchOverride = "经最高人民法院总对总系统两次查询未发现财产" }).Ok();
        overridden["status"].Str().ShouldBe("deleted");
        (await x.Court.Judge.EntryAsync(second))["history"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ShouldContain("经最高人民法院总对总系统两次查询未发现财产");
    }
}

/// <summary>Batch answers (NDJSON and CSV) for units whose systems answer many tasks at once.</summary>
public sealed class BatchAnswerTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    private static string Now => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_unit_answers_many_tasks_in_one_upload_and_a_bad_line_leaves_only_its_task_open(Db db)
    {
        var s = await servers.For(db);
        var courtCode = Unique("court-batch-");
        var clerk = await s.OrganizationAsync("court", courtCode, "640104", null, "court.clerk");
        var bankCode = Unique("bank-batch-");
        var bank = await s.OrganizationAsync("unit", bankCode, "640000", null, "unit.assist");
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var r = await clerk.PostJson("/api/v1/investigations", new { caseNumber = CaseNumber(), subject = new { idNumber = AdultId(), name = "张三" }, kinds = new[] { "deposits" }, units = new[] { bankCode } }).Created();
            ids.Add(r["tasks"]![0]!["id"].Str());
        }

        var ndjson = "{\"taskId\":\"" + ids[0] + "\",\"answeredAt\":\"" + Now + "\",\"noneFound\":true}\n"
            + "{\"taskId\":\"" + ids[1] + "\",\"answeredAt\":\"" + Now + "\",\"noneFound\":false}\n"
            + "not json\n";
        var result = await (await bank.PostCt("/api/v1/investigation-tasks/answers", new StringContent(ndjson, System.Text.Encoding.UTF8, "application/x-ndjson"))).Json(HttpStatusCode.OK);
        result["accepted"]!.GetValue<int>().ShouldBe(1);
        result["rejected"]!.AsArray().Select(r => (r!["line"]!.GetValue<long>(), r["code"].Str())).ShouldBe([(2L, "inconsistent-answer"), (3L, "invalid-line")]);

        var csv = "\uFEFFtaskId,answeredAt,noneFound,kind,institution,holderName,identifier,amount,currency,asOf,details\r\n"
            + ids[2] + "," + Now + ",false,deposits,宁夏银行,张三,6228001,100.50,CNY," + Iso(Today) + ",\r\n"
            + ids[2] + "," + Now + ",false,deposits,宁夏银行,张三,6228002,7,CNY," + Iso(Today) + ",\"活期, 已冻结\"\r\n"
            + ids[3] + "," + Now + ",true,,,,,,,,\r\n";
        var csvResult = await (await bank.PostCt("/api/v1/investigation-tasks/answers", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"))).Json(HttpStatusCode.OK);
        csvResult["accepted"]!.GetValue<int>().ShouldBe(2);
        csvResult["rejected"]!.AsArray().ShouldBeEmpty();

        // Another assisting unit cannot answer the bank's task through the batch path either: its line is refused, the task stays open.
        var otherUnit = await s.OrganizationAsync("unit", Unique("bank-other-"), "640000", null, "unit.assist");
        var foreign = await (await otherUnit.PostCt("/api/v1/investigation-tasks/answers", new StringContent(
            "{\"taskId\":\"" + ids[1] + "\",\"answeredAt\":\"" + Now + "\",\"noneFound\":true}\n", System.Text.Encoding.UTF8, "application/x-ndjson"))).Json(HttpStatusCode.OK);
        foreign["accepted"]!.GetValue<int>().ShouldBe(0);
        foreign["rejected"]!.AsArray().Select(r => (r!["line"]!.GetValue<long>(), r["code"].Str())).ShouldBe([(1L, "forbidden")]);

        var open = (await bank.GetCt("/api/v1/investigations?status=open").Ok())["items"]!.AsArray().Select(i => i!["id"].Str()).ToList();
        open.ShouldBe([ids[1]]);
        var court = await s.KeyAsync(courtCode, "court.judge");
        var third = (await bank.GetCt("/api/v1/investigations").Ok())["items"]!.AsArray().Single(i => i!["id"].Str() == ids[2])!["investigationId"].Str();
        var seen = await court.GetCt("/api/v1/investigations/" + third).Ok();
        seen["tasks"]![0]!["findings"]!.AsArray().Select(f => f!["identifier"].Str()).ShouldBe(["6228001", "6228002"]);

        await (await bank.PostCt("/api/v1/investigation-tasks/answers", new StringContent("x", System.Text.Encoding.UTF8, "text/plain"))).Problem(415);
        await (await clerk.PostCt("/api/v1/investigation-tasks/answers", new StringContent(ndjson, System.Text.Encoding.UTF8, "application/x-ndjson"))).Problem(403);
    }
}
