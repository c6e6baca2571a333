using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using static Shixin.Server.Tests.Oversight.OversightApi;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Oversight;

/// <summary>
/// Feedback from units, the duty to lift a measure once the entry leaves the list (1 working day, rule set seeds),
/// and objections that suspend a measure while the executing court verifies (API.md "Feedback, objections").
/// </summary>
public sealed class FeedbackDutyTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Feedback_IsRecordedAndValidated(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var unit = await s.UnitAsync(Unique("unit-fb-"));
        var entry = await court.ListedAsync();

        var recorded = await (await unit.FeedbackAsync(entry, "applied", Noon(Today.AddDays(-1)))).Json(HttpStatusCode.Created);
        recorded["entryId"].Str().ShouldBe(entry);
        recorded["measureCode"].Str().ShouldBe(FlightMeasure);
        recorded["action"].Str().ShouldBe("applied");
        recorded["id"].Str().ShouldNotBeNullOrWhiteSpace();

        var kept = await (await unit.FeedbackAsync(entry, "kept", legalBasis: "《民用航空法》第X条", keepUntil: Iso(30))).Json(HttpStatusCode.Created);
        kept["legalBasis"].Str().ShouldBe("《民用航空法》第X条");
        kept["keepUntil"].Str().ShouldBe(Iso(30));

        // A check answers clause codes; feedback sent with one is recorded against the clause's measure.
        var byClause = await (await unit.PostJson("/api/v1/feedback", new { entryId = entry, measureCode = FlightMeasure + "#1", action = "applied" }))
            .Json(HttpStatusCode.Created);
        byClause["measureCode"].Str().ShouldBe(FlightMeasure);

        var unknownMeasure = await unit.PostJson("/api/v1/feedback", new { entryId = entry, measureCode = "no-such/measure", action = "applied" }).Problem(400);
        unknownMeasure["errors"]!["measureCode"].ShouldNotBeNull();
        var keptBare = await unit.FeedbackAsync(entry, "kept").Problem(400);
        keptBare["errors"]!["legalBasis"].ShouldNotBeNull();
        (await unit.FeedbackAsync(entry, "kept", legalBasis: "依据")).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "kept without keepUntil");
        await unit.FeedbackAsync(entry, "forgotten").Problem(400);
        await unit.FeedbackAsync(Guid.NewGuid().ToString(), "applied").Problem(404, "not-found");

        var checkerOnly = await s.UnitAsync(Unique("unit-chk-"), "unit.checker");
        await checkerOnly.FeedbackAsync(entry, "applied").Problem(403);
        await court.Clerk.FeedbackAsync(entry, "applied").Problem(403);
        (await s.Client().FeedbackAsync(entry, "applied")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var mine = await (await unit.GetCt("/api/v1/feedback")).Array();
        mine.Select(f => f!["action"].Str()).Order(StringComparer.Ordinal).ShouldBe(["applied", "applied", "kept"]);
    }

    [Theory]
    [InlineData(Db.Sqlite, "2025-11-14", "2025-11-17")] // Friday → Monday
    [InlineData(Db.Postgres, "2025-11-14", "2025-11-17")]
    [InlineData(Db.Sqlite, "2025-09-30", "2025-10-09")] // before National Day: 1–8 October 2025 are holidays (data/holidays/2025.json)
    [InlineData(Db.Postgres, "2025-09-30", "2025-10-09")]
    [InlineData(Db.Sqlite, "2025-09-26", "2025-09-28")] // Friday before National Day: Sunday 28 September 2025 is a working day
    [InlineData(Db.Postgres, "2025-09-26", "2025-09-28")]
    public async Task EntryLeavingTheList_GivesTheApplyingUnitADutyToLiftWithinOneWorkingDay(Db db, string exitOn, string dueOn)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var unit = await s.UnitAsync(Unique("unit-lift-"));
        var bystander = await s.UnitAsync(Unique("unit-by-"));
        var exit = D(exitOn);
        var entry = await court.ListedOnAsync(exit.AddDays(-20));
        await (await unit.FeedbackAsync(entry, "applied", Noon(exit.AddDays(-10)))).Json(HttpStatusCode.Created);

        // Still listed: nothing to lift yet.
        (await unit.ObligationsAsync()).ShouldNotContain(o => o["code"].Str() == "unit.lift-measure" && o["entryId"].StrOrNull() == entry);

        await court.ExitAsync(entry, exit);
        var duty = await unit.DutyAsync("unit.lift-measure", entry);
        duty["dueOn"].Str().ShouldBe(dueOn);
        duty["rule"].Str().ShouldBe("unit.lift-measure");
        duty["ruleSet"].Str().ShouldBe("seeds");
        duty["owner"].Str().ShouldNotBeNullOrWhiteSpace();
        duty["measureCode"].Str().ShouldBe(FlightMeasure);
        duty["status"].Str().ShouldBe("overdue");
        (await unit.ObligationsAsync("overdue")).ShouldContain(o => o["code"].Str() == "unit.lift-measure" && o["entryId"].StrOrNull() == entry);
        (await unit.ObligationsAsync("open")).ShouldNotContain(o => o["code"].Str() == "unit.lift-measure" && o["entryId"].StrOrNull() == entry);

        // A unit that never reported the measure applied owes nothing.
        (await bystander.ObligationsAsync()).ShouldNotContain(o => o["code"].Str() == "unit.lift-measure");

        await (await unit.FeedbackAsync(entry, "lifted", Now())).Json(HttpStatusCode.Created);
        var met = await unit.DutyAsync("unit.lift-measure", entry);
        met["status"].Str().ShouldBe("met");
        met["metOn"].Str().ShouldBe(Iso(Today));
        (await unit.ObligationsAsync("met")).ShouldContain(o => o["code"].Str() == "unit.lift-measure" && o["entryId"].StrOrNull() == entry);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task LiftDutyDueTomorrow_IsOpen(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var unit = await s.UnitAsync(Unique("unit-open-"));
        var entry = await court.ListedAsync(decidedDaysAgo: 10);
        await (await unit.FeedbackAsync(entry, "applied", Noon(Today.AddDays(-5)))).Json(HttpStatusCode.Created);
        await court.ExitAsync(entry, Today);

        var duty = await unit.DutyAsync("unit.lift-measure", entry);
        D(duty["dueOn"].Str()).ShouldBeGreaterThan(Today);
        duty["status"].Str().ShouldBe("open");
        duty["metOn"].ShouldBeNull();
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Objection_SuspendsTheMeasureUntilTheCourtRejectsIt(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var otherCourt = await s.CourtAsync();
        var unit = await s.UnitAsync(Unique("unit-obj-"));
        var idNumber = AdultId();
        var entry = await court.ListedOnAsync(D("2025-09-10"), Draft(Person(idNumber)));
        await s.CaughtUpAsync();

        var before = await unit.CheckOneAsync(idNumber);
        before["outcome"].Str().ShouldBe("block");
        before["matches"]!.AsArray().ShouldHaveSingleItem()!["entryId"].Str().ShouldBe(entry);

        // The unit applied the measure (its feedback), then the debtor objected to it.
        await (await unit.FeedbackAsync(entry, "applied", Noon(D("2025-09-20")))).Json(HttpStatusCode.Created);

        // Received on the eve of National Day: three working days are 9, 10 and 11 October (a Saturday worked in 2025).
        var objection = await unit.PostJson("/api/v1/objections", new { entryId = entry, measureCode = FlightMeasure, receivedOn = "2025-09-30", grounds = "债务已清偿" }).Created();
        objection["status"].Str().ShouldBe("open");
        objection["suspended"]!.GetValue<bool>().ShouldBeTrue();
        objection["court"].Str().ShouldBe(court.Code);
        objection["verifyDueOn"].Str().ShouldBe("2025-10-11");
        var objectionId = objection["id"].Str();

        var during = await unit.CheckOneAsync(idNumber);
        during["outcome"].Str().ShouldBe("clear");
        during["matches"]!.AsArray().ShouldBeEmpty();
        var cleared = during["cleared"]!.AsArray().ShouldHaveSingleItem()!;
        cleared["entryId"].Str().ShouldBe(entry);
        cleared["reason"].Str().ShouldBe("suspended");

        var duty = await court.Judge.DutyAsync("court.verify-objection", entry, proceedingId: objectionId);
        duty["dueOn"].Str().ShouldBe("2025-10-11");
        duty["status"].Str().ShouldBe("overdue");
        duty["measureCode"].Str().ShouldBe(FlightMeasure);
        (await otherCourt.Judge.ObligationsAsync()).ShouldNotContain(o => o["code"].Str() == "court.verify-objection");

        var verification = new { outcome = "rejected", verifiedOn = Iso(Today), reasons = "经核实，债务尚未履行" };
        await otherCourt.Judge.PostJson("/api/v1/objections/" + objectionId + "/verification", verification).Problem(403);
        await court.Clerk.PostJson("/api/v1/objections/" + objectionId + "/verification", verification).Problem(403);
        (await unit.CheckOneAsync(idNumber))["outcome"].Str().ShouldBe("clear", "a refused verification changes nothing");

        var rejected = await court.Judge.PostJson("/api/v1/objections/" + objectionId + "/verification", verification).Ok();
        rejected["status"].Str().ShouldBe("rejected");
        rejected["suspended"]!.GetValue<bool>().ShouldBeFalse();
        await court.Judge.PostJson("/api/v1/objections/" + objectionId + "/verification", verification).Problem(409, "illegal-transition");

        var after = await unit.CheckOneAsync(idNumber);
        after["outcome"].Str().ShouldBe("block");
        after["matches"]!.AsArray().ShouldHaveSingleItem()!["entryId"].Str().ShouldBe(entry);
        after["cleared"]!.AsArray().ShouldBeEmpty();

        var metDuty = await court.Judge.DutyAsync("court.verify-objection", entry, proceedingId: objectionId);
        metDuty["status"].Str().ShouldBe("met");
        metDuty["metOn"].Str().ShouldBe(Iso(Today));
    }

    /// <summary>
    /// Objections are ledger events with list sequences (issue 12): filing and verifying each advance the list, the feed
    /// carries them with the objecting unit's suspension (not the debtor's grounds), a check reports a sequence at or after
    /// the filing, and GET /subjects/status at the check's instant names the objection that cleared the hit.
    /// </summary>
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Objection_is_a_list_event_and_subject_status_explains_the_check_it_suspended(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var unitCode = Unique("unit-objseq-");
        var unit = await s.UnitAsync(unitCode);
        var idNumber = AdultId();
        var entry = await court.ListedOnAsync(Today.AddDays(-20), Draft(Person(idNumber)));
        await s.CaughtUpAsync();
        await (await unit.FeedbackAsync(entry, "applied", Noon(Today.AddDays(-10)))).Json(HttpStatusCode.Created);

        var filed = await unit.PostJson("/api/v1/objections", new { entryId = entry, measureCode = FlightMeasure, receivedOn = Iso(-1), grounds = "债务已清偿，病历附后" }).Created();
        var filedSeq = filed["listSequence"]!.GetValue<long>();
        filedSeq.ShouldBeGreaterThan(0);

        var check = await unit.PostJson("/api/v1/checks", new { scenario = Flight, reference = "order-2", subjects = new[] { new { idNumber } } }).Ok();
        check["listSequence"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(filedSeq, "the check reflects the objection's list change");
        var result = check["results"]!.AsArray().ShouldHaveSingleItem()!;
        result["outcome"].Str().ShouldBe("clear");
        result["cleared"]!.AsArray().ShouldHaveSingleItem()!["reason"].Str().ShouldBe("suspended");

        // The feed carries the event with the unit's suspension; the grounds stay with the court and the unit.
        var feed = await unit.GetCt("/api/v1/feed?after=" + (filedSeq - 1).ToString(CultureInfo.InvariantCulture)).Ok();
        var ev = feed["events"]!.AsArray().First(e => e!["seq"]!.GetValue<long>() == filedSeq)!;
        ev["type"].Str().ShouldBe("entry.objection-filed");
        var suspension = ev["entry"]!["suspensions"]!.AsArray().ShouldHaveSingleItem()!;
        suspension["organization"].Str().ShouldBe(unitCode);
        suspension["measureCode"].Str().ShouldBe(FlightMeasure);
        ev.ToJsonString().ShouldNotContain("病历");

        await Task.Delay(30, TestContext.Current.CancellationToken);
        var verified = await court.Judge.PostJson("/api/v1/objections/" + filed["id"].Str() + "/verification", new { outcome = "rejected", verifiedOn = Iso(Today) }).Ok();
        var verifiedSeq = verified["listSequence"]!.GetValue<long>();
        verifiedSeq.ShouldBeGreaterThan(filedSeq);
        (await unit.CheckOneAsync(idNumber))["outcome"].Str().ShouldBe("block");

        // Replayed at the suspended check's instant: listed, with the objection that suspended the unit's measure then.
        var at = Uri.EscapeDataString(check["checkedAt"].Str());
        var then = await s.Admin.GetCt("/api/v1/subjects/status?idNumber=" + idNumber + "&at=" + at).Ok();
        then["listed"]!.GetValue<bool>().ShouldBeTrue();
        var objectionThen = then["entries"]!.AsArray().ShouldHaveSingleItem()!["objections"]!.AsArray().ShouldHaveSingleItem()!;
        objectionThen["organization"].Str().ShouldBe(unitCode);
        objectionThen["measureCode"].Str().ShouldBe(FlightMeasure);
        objectionThen["status"].Str().ShouldBe("open");
        objectionThen["suspended"]!.GetValue<bool>().ShouldBeTrue();
        objectionThen["filedSeq"]!.GetValue<long>().ShouldBe(filedSeq);
        objectionThen["verifiedSeq"].ShouldBeNull();

        var now = await s.Admin.GetCt("/api/v1/subjects/status?idNumber=" + idNumber).Ok();
        var objectionNow = now["entries"]!.AsArray().ShouldHaveSingleItem()!["objections"]!.AsArray().ShouldHaveSingleItem()!;
        objectionNow["status"].Str().ShouldBe("rejected");
        objectionNow["suspended"]!.GetValue<bool>().ShouldBeFalse();
        objectionNow["verifiedSeq"]!.GetValue<long>().ShouldBe(verifiedSeq);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Objection_IsValidated(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var unit = await s.UnitAsync(Unique("unit-objv-"));
        var entry = await court.ListedAsync();
        await (await unit.FeedbackAsync(entry, "applied", Now())).Json(HttpStatusCode.Created);
        var problem = await unit.PostJson("/api/v1/objections", new { entryId = entry, measureCode = "nope", receivedOn = "2025-13-40", grounds = "" }).Problem(400);
        problem["errors"]!["measureCode"].ShouldNotBeNull();
        problem["errors"]!["receivedOn"].ShouldNotBeNull();
        await unit.PostJson("/api/v1/objections", new { entryId = Guid.NewGuid(), measureCode = FlightMeasure, receivedOn = Iso(Today), grounds = "理由" }).Problem(404);
        (await unit.PostJson("/api/v1/objections", new { entryId = entry, measureCode = FlightMeasure, receivedOn = Iso(1), grounds = "理由" }).Problem(400))
            ["errors"]!["receivedOn"].ShouldNotBeNull("an objection is not received tomorrow");
        await court.Clerk.PostJson("/api/v1/objections", new { entryId = entry, measureCode = FlightMeasure, receivedOn = Iso(Today), grounds = "理由" }).Problem(403);
    }

    /// <summary>The court's verification meets its duty: its date lies neither in the future nor before the objection was received.</summary>
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Verification_DateIsNeitherInTheFutureNorBeforeReceipt(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var unit = await s.UnitAsync(Unique("unit-objd-"));
        var entry = await court.ListedAsync();
        await (await unit.FeedbackAsync(entry, "applied", Now())).Json(HttpStatusCode.Created);
        var objection = (await unit.PostJson("/api/v1/objections", new { entryId = entry, measureCode = FlightMeasure, receivedOn = Iso(-2), grounds = "理由" }).Created())["id"].Str();
        foreach (var bad in new[] { Iso(1), Iso(-3) })
        {
            (await court.Judge.PostJson("/api/v1/objections/" + objection + "/verification", new { outcome = "upheld", verifiedOn = bad }).Problem(400))
                ["errors"]!["verifiedOn"].ShouldNotBeNull(bad);
        }

        (await court.Judge.DutyAsync("court.verify-objection", entry, proceedingId: objection))["metOn"].ShouldBeNull();
        (await court.Judge.PostJson("/api/v1/objections/" + objection + "/verification", new { outcome = "upheld", verifiedOn = Iso(-2) }).Ok())["status"].Str().ShouldBe("upheld");
    }

    /// <summary>
    /// Issue 11 finding 2: any unit.checker key (a county credit office) objected to the airline measure and every
    /// airline's check answered clear. Now only a unit.feedback key of a unit that reported applying the measure to the
    /// entry may object, on a listed entry, and the suspension covers that unit's own checks of the subject only.
    /// </summary>
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Objection_comes_from_the_applying_unit_and_suspends_only_its_own_application(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var airline = await s.UnitAsync(Unique("unit-air-"));
        var otherAirline = await s.UnitAsync(Unique("unit-air2-"));
        var county = await s.UnitAsync(Unique("unit-county-"));
        var checkerOnly = await s.UnitAsync(Unique("unit-chk-"), "unit.checker");
        var idNumber = AdultId();
        var entry = await court.ListedAsync(Draft(Person(idNumber)));
        await s.CaughtUpAsync();
        await (await airline.FeedbackAsync(entry, "applied", Now())).Json(HttpStatusCode.Created);
        var objection = new { entryId = entry, measureCode = FlightMeasure, receivedOn = Iso(Today), grounds = "债务已清偿" };

        await checkerOnly.PostJson("/api/v1/objections", objection).Problem(403, "forbidden");
        await county.PostJson("/api/v1/objections", objection).Problem(409, "measure-not-applied");
        await court.Judge.PostJson("/api/v1/objections", objection).Problem(403, "forbidden");
        (await county.CheckOneAsync(idNumber))["outcome"].Str().ShouldBe("block", "refused objections suspend nothing");

        (await airline.PostJson("/api/v1/objections", objection).Created())["organization"].Str().ShouldNotBeNullOrWhiteSpace();
        var mine = await airline.CheckOneAsync(idNumber);
        mine["outcome"].Str().ShouldBe("clear");
        mine["cleared"]!.AsArray().ShouldHaveSingleItem()!["reason"].Str().ShouldBe("suspended");
        foreach (var other in new[] { otherAirline, county, checkerOnly })
        {
            (await other.CheckOneAsync(idNumber))["outcome"].Str().ShouldBe("block", "another unit's checks are not suspended");
        }

        // A measure the unit no longer applies (lifted) is not objected to.
        await (await otherAirline.FeedbackAsync(entry, "applied", Now().AddSeconds(-30))).Json(HttpStatusCode.Created);
        await (await otherAirline.FeedbackAsync(entry, "lifted", Now())).Json(HttpStatusCode.Created);
        await otherAirline.PostJson("/api/v1/objections", objection).Problem(409, "measure-not-applied");
    }

    /// <summary>Feedback and objections concern listed entries, never drafts or noticed entries (issue 11 finding 2).</summary>
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Feedback_and_objections_are_refused_on_entries_never_listed(Db db)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var unit = await s.UnitAsync(Unique("unit-draft-"));
        var draft = await court.DraftAsync();
        var noticed = await court.DraftAsync();
        await court.Clerk.PostJson("/api/v1/entries/" + noticed + "/risk-notice", new { servedOn = Iso(-1) }).Ok();
        foreach (var entry in new[] { draft, noticed })
        {
            await unit.FeedbackAsync(entry, "applied", Now()).Problem(409, "illegal-transition");
            await unit.PostJson("/api/v1/objections", new { entryId = entry, measureCode = FlightMeasure, receivedOn = Iso(Today), grounds = "理由" })
                .Problem(409, "illegal-transition");
        }

        (await (await unit.GetCt("/api/v1/feedback")).Array()).ShouldBeEmpty();
    }
}
