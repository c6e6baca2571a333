using System.Net;
using System.Text.Json.Nodes;
using static Shixin.Server.Tests.Oversight.OversightApi;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Oversight;

/// <summary>Complaints end to end, credit repair after exit, and special-subject notifications (issue 6 items 2–4).</summary>
public sealed class ComplaintRepairTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Complaint_FromThePublic_IsAnsweredByTheUnitAndMeetsItsDuty(Db db)
    {
        var s = await servers.For(db);
        var unitCode = Unique("unit-cmp-");
        var unit = await s.UnitAsync(unitCode);
        var other = await s.UnitAsync(Unique("unit-cmpx-"));
        var caseNumber = CaseNumber();
        var anonymous = s.Client();

        var filed = await anonymous.PostJson("/api/v1/complaints", new { againstOrganization = unitCode, caseNumber, description = "该失信被执行人仍可购买机票", contact = "13800000000" }).Created();
        var code = filed["trackingCode"].Str();
        code.ShouldNotBeNullOrWhiteSpace();
        filed["status"].Str().ShouldBe("received");
        filed.ContainsKey("contact").ShouldBeFalse("the public view carries no contact data");

        var status = await anonymous.GetCt("/api/v1/complaints/" + code).Ok();
        status["status"].Str().ShouldBe("received");
        status["againstOrganization"].Str().ShouldBe(unitCode);
        status["receivedOn"].Str().ShouldBe(Iso(Today));
        await anonymous.GetCt("/api/v1/complaints/TSNOSUCHCODE").Problem(404);

        await anonymous.PostJson("/api/v1/complaints", new { againstOrganization = "no-such-unit", description = "x", contact = "y" }).Problem(400);
        await anonymous.PostJson("/api/v1/complaints", new { againstOrganization = unitCode }).Problem(400);

        var duty = await unit.DutyAsync("unit.answer-complaint", caseNumber: caseNumber);
        duty["status"].Str().ShouldBe("open");
        duty["dueOn"].Str().ShouldBe(status["dueOn"].Str());
        D(duty["dueOn"].Str()).ShouldBeGreaterThan(Today.AddDays(10), "10 working days are more than 10 calendar days");
        var id = duty["proceedingId"].Str();

        var listed = await (await unit.GetCt("/api/v1/complaints")).Array();
        listed.ShouldHaveSingleItem()!["trackingCode"].Str().ShouldBe(code);
        (await (await other.GetCt("/api/v1/complaints")).Array()).ShouldBeEmpty();

        var resolution = new JsonObject { ["finding"] = "upheld", ["answer"] = "经查属实，已补充实施限制措施", ["answeredOn"] = Iso(Today) };
        var missing = await unit.PostJson("/api/v1/complaints/" + id + "/resolution", resolution.DeepClone()).Problem(400);
        missing["errors"]!["measureApplied"].ShouldNotBeNull();
        (await anonymous.GetCt("/api/v1/complaints/" + code).Ok())["status"].Str().ShouldBe("received");

        resolution["measureApplied"] = FlightMeasure;
        await other.PostJson("/api/v1/complaints/" + id + "/resolution", resolution.DeepClone()).Problem(403);
        var answered = await unit.PostJson("/api/v1/complaints/" + id + "/resolution", resolution.DeepClone()).Ok();
        answered["status"].Str().ShouldBe("answered");
        await unit.PostJson("/api/v1/complaints/" + id + "/resolution", resolution.DeepClone()).Problem(409, "illegal-transition");

        var seen = await anonymous.GetCt("/api/v1/complaints/" + code).Ok();
        seen["status"].Str().ShouldBe("answered");
        seen["answer"].Str().ShouldBe("经查属实，已补充实施限制措施");
        seen["answeredOn"].Str().ShouldBe(Iso(Today));

        var met = await unit.DutyAsync("unit.answer-complaint", caseNumber: caseNumber);
        met["status"].Str().ShouldBe("met");
        met["metOn"].Str().ShouldBe(Iso(Today));

        // The hub sees every complaint.
        (await (await s.Admin.GetCt("/api/v1/complaints")).Array()).ShouldContain(c => c!["trackingCode"].Str() == code);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task CreditRepair_IsRefusedWhileListed_AndDecidedByTheUnitAfterShielding(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var unitCode = Unique("unit-rep-");
        var unit = await s.UnitAsync(unitCode);
        var other = await s.UnitAsync(Unique("unit-repx-"));
        var entry = await court.ListedAsync();

        var application = new { entryId = entry, organization = unitCode, grounds = "已全部履行，申请信用修复" };
        await unit.PostJson("/api/v1/credit-repairs", application).Problem(409, "illegal-transition");
        await unit.PostJson("/api/v1/credit-repairs", new { entryId = Guid.NewGuid(), grounds = "x" }).Problem(404);
        await unit.PostJson("/api/v1/credit-repairs", new { entryId = entry }).Problem(400);

        (await court.ExitAsync(entry, Today, kind: "shield", reason: "fully-performed"))["status"].Str().ShouldBe("shielded");
        var repair = await unit.PostJson("/api/v1/credit-repairs", application).Created();
        repair["status"].Str().ShouldBe("pending");
        repair["organizationCode"].Str().ShouldBe(unitCode);
        var id = repair["id"].Str();

        var decision = new { outcome = "granted", decidedOn = Iso(Today), reasons = "符合信用修复条件" };
        await other.PostJson("/api/v1/credit-repairs/" + id + "/decision", decision).Problem(403);
        await court.Judge.PostJson("/api/v1/credit-repairs/" + id + "/decision", decision).Problem(403);
        await unit.PostJson("/api/v1/credit-repairs/" + id + "/decision", new { outcome = "maybe", decidedOn = Iso(Today) }).Problem(400);
        var decided = await unit.PostJson("/api/v1/credit-repairs/" + id + "/decision", decision).Ok();
        decided["status"].Str().ShouldBe("granted");
        decided["decidedOn"].Str().ShouldBe(Iso(Today));
        await unit.PostJson("/api/v1/credit-repairs/" + id + "/decision", decision).Problem(409, "illegal-transition");

        // Shared with the hub.
        var hubView = (await (await s.Admin.GetCt("/api/v1/credit-repairs")).Array()).Single(r => r!["id"].Str() == id)!;
        hubView["status"].Str().ShouldBe("granted");
        (await (await other.GetCt("/api/v1/credit-repairs")).Array()).ShouldNotContain(r => r!["id"].Str() == id);
    }

    /// <summary>
    /// Issue 11 finding 10: the organization came from the body unchecked (unit A filed into unit B's or a court's
    /// queue), and an unknown or 5,000-character organization was a 500.
    /// </summary>
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task CreditRepair_goes_to_a_registered_unit_and_a_unit_files_into_its_own_queue_only(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var unitCode = Unique("unit-repq-");
        var unit = await s.UnitAsync(unitCode);
        var otherCode = Unique("unit-repo-");
        var other = await s.UnitAsync(otherCode);
        var entry = await court.ListedAsync();
        await court.ExitAsync(entry, Today, kind: "shield", reason: "fully-performed");

        await unit.PostJson("/api/v1/credit-repairs", new { entryId = entry, organization = otherCode, grounds = "x" }).Problem(403, "forbidden");
        await unit.PostJson("/api/v1/credit-repairs", new { entryId = entry, organization = court.Code, grounds = "x" }).Problem(403, "forbidden");
        (await s.Admin.PostJson("/api/v1/credit-repairs", new { entryId = entry, organization = "no-such-unit", grounds = "x" }).Problem(400))
            ["errors"]!["organization"].ShouldNotBeNull();
        (await s.Admin.PostJson("/api/v1/credit-repairs", new { entryId = entry, organization = new string('x', 5000), grounds = "x" }).Problem(400))
            ["errors"]!["organization"].ShouldNotBeNull();
        (await s.Admin.PostJson("/api/v1/credit-repairs", new { entryId = entry, organization = court.Code, grounds = "x" }).Problem(400))
            ["errors"]!["organization"].ShouldNotBeNull("a court does not decide credit repair");
        await s.Admin.PostJson("/api/v1/credit-repairs", new { entryId = entry, grounds = "x" }).Problem(400);
        (await (await other.GetCt("/api/v1/credit-repairs")).Array()).ShouldBeEmpty();

        (await unit.PostJson("/api/v1/credit-repairs", new { entryId = entry, grounds = "已履行" }).Created())["organizationCode"].Str().ShouldBe(unitCode);
        (await s.Admin.PostJson("/api/v1/credit-repairs", new { entryId = entry, organization = otherCode, grounds = "已履行" }).Created())["organizationCode"].Str().ShouldBe(otherCode);
        (await (await other.GetCt("/api/v1/credit-repairs")).Array()).ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task SpecialSubject_GivesTheCourtANotificationDuty_MetByRecordedDelivery(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var otherCourt = await s.CourtAsync();
        var body = Draft(Person(name: "王公仆"));
        body["specialStatus"] = "civil-servant";
        var caseNumber = body["caseNumber"].Str();
        var entry = await court.ListedOnAsync(D("2025-09-26"), body);
        var plain = await court.ListedAsync();

        // Three working days from Friday 26 September 2025: Sunday 28 (worked), Monday 29, Tuesday 30.
        var duty = await court.Judge.DutyAsync("court.notify-special-subject", entry);
        duty["dueOn"].Str().ShouldBe("2025-09-30");
        duty["rule"].Str().ShouldBe("court.notify-special-subject");
        duty["status"].Str().ShouldBe("overdue");
        duty["caseNumber"].Str().ShouldBe(caseNumber);
        (await court.Judge.ObligationsAsync()).ShouldNotContain(o => o["code"].Str() == "court.notify-special-subject" && o["entryId"].StrOrNull() == plain);

        var response = await court.Clerk.GetCt("/api/v1/entries/" + entry + "/special-notification");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        html.ShouldContain("<html lang=\"zh-CN\"");
        html.ShouldContain("王公仆");
        html.ShouldContain("失信被执行人名单");
        html.ShouldContain("所在单位");
        html.ShouldContain(System.Net.WebUtility.HtmlEncode(caseNumber));
        await otherCourt.Clerk.GetCt("/api/v1/entries/" + entry + "/special-notification").Problem(403);
        await court.Clerk.GetCt("/api/v1/entries/" + plain + "/special-notification").Problem(409, "illegal-transition");

        var delivery = new { addressee = "湛江市某局人事处", deliveredOn = Iso(Today), method = "直接送达" };
        await otherCourt.Clerk.PostJson("/api/v1/entries/" + entry + "/special-notification", delivery).Problem(403);
        await court.Clerk.PostJson("/api/v1/entries/" + entry + "/special-notification", new { addressee = "" }).Problem(400);
        await court.Clerk.PostJson("/api/v1/entries/" + entry + "/special-notification", delivery).Created();

        var met = await court.Judge.DutyAsync("court.notify-special-subject", entry);
        met["status"].Str().ShouldBe("met");
        met["metOn"].Str().ShouldBe(Iso(Today));
    }

    /// <summary>A duty is met by a recorded event: its date can be neither in the future nor before the duty arose.</summary>
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task MeetingDates_AreNeitherInTheFutureNorBeforeTheDuty(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var unitCode = Unique("unit-dates-");
        var unit = await s.UnitAsync(unitCode);

        var caseNumber = CaseNumber();
        var code = (await s.Client().PostJson("/api/v1/complaints", new { againstOrganization = unitCode, caseNumber, description = "未限制", contact = "x" }).Created())["trackingCode"].Str();
        var complaint = (await unit.DutyAsync("unit.answer-complaint", caseNumber: caseNumber))["proceedingId"].Str();
        foreach (var bad in new[] { Iso(1), Iso(-1) })
        {
            (await unit.PostJson("/api/v1/complaints/" + complaint + "/resolution", new { finding = "unfounded", answer = "不属实", answeredOn = bad }).Problem(400))
                ["errors"]!["answeredOn"].ShouldNotBeNull(bad);
        }

        (await s.Client().GetCt("/api/v1/complaints/" + code).Ok())["status"].Str().ShouldBe("received");
        (await unit.DutyAsync("unit.answer-complaint", caseNumber: caseNumber))["status"].Str().ShouldBe("open");

        var body = Draft(Person(name: "李党员"));
        body["specialStatus"] = "party-member";
        var entry = await court.ListedOnAsync(Today.AddDays(-3), body);
        foreach (var bad in new[] { Iso(1), Iso(-4) })
        {
            (await court.Clerk.PostJson("/api/v1/entries/" + entry + "/special-notification", new { addressee = "某党支部", deliveredOn = bad }).Problem(400))
                ["errors"]!["deliveredOn"].ShouldNotBeNull(bad);
        }

        (await court.Judge.DutyAsync("court.notify-special-subject", entry))["metOn"].ShouldBeNull();

        var left = await court.ListedAsync();
        await court.ExitAsync(left, Today, kind: "shield", reason: "fully-performed");
        var repair = (await unit.PostJson("/api/v1/credit-repairs", new { entryId = left, grounds = "已履行", appliedOn = Iso(Today) }).Created())["id"].Str();
        foreach (var bad in new[] { Iso(1), Iso(-1) })
        {
            (await unit.PostJson("/api/v1/credit-repairs/" + repair + "/decision", new { outcome = "granted", decidedOn = bad }).Problem(400))
                ["errors"]!["decidedOn"].ShouldNotBeNull(bad);
        }
    }
}
