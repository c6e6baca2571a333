using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shixin.Server.Tests.Units;
using static Shixin.Server.Tests.Units.ScreeningWorld;

namespace Shixin.Server.Tests.Hub;

/// <summary>GET /api/v1/subjects/status?at=: whether a subject was listed at a past instant, replayed from the ledger.</summary>
public sealed class SubjectStatusTests(WorldFixture worlds) : IClassFixture<WorldFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Rfc3339(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);

    private static async Task<JsonObject> StatusAsync(HttpClient c, string query, DateTimeOffset at)
    {
        var response = await c.GetAsync("/api/v1/subjects/status?" + query + "&at=" + Uri.EscapeDataString(Rfc3339(at)), Ct);
        await Ensure(response, HttpStatusCode.OK, "status");
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
    }

    /// <summary>An instant strictly between operations, whatever the clocks' resolution.</summary>
    private static async Task<DateTimeOffset> InstantAsync()
    {
        await Task.Delay(30, Ct);
        var t = DateTimeOffset.UtcNow;
        await Task.Delay(30, Ct);
        return t;
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task PersonStatus_FollowsListingAndRevocation(Db db)
    {
        var w = await worlds.GetAsync(db);
        var id = w.NewPersonId();
        var beforeListing = await InstantAsync();
        var entry = await w.NoticedAsync(Person(id));
        var beforeDecision = await InstantAsync();
        await w.DecideAsync(entry);
        var whileListed = await InstantAsync();
        await w.ExitAsync(entry, "revoke", "wrongly-listed");
        var afterRevocation = await InstantAsync();

        foreach (var c in new[] { w.Court, w.Server.Admin })
        {
            var before = await StatusAsync(c, "idNumber=" + id, beforeListing);
            before["listed"]!.GetValue<bool>().ShouldBeFalse();
            before["subject"]!.GetValue<string>().ShouldBe("id:" + id);

            var drafted = await StatusAsync(c, "idNumber=" + id, beforeDecision);
            drafted["listed"]!.GetValue<bool>().ShouldBeFalse();

            var during = await StatusAsync(c, "idNumber=" + id, whileListed);
            during["listed"]!.GetValue<bool>().ShouldBeTrue();
            var e = during["entries"]!.AsArray().ShouldHaveSingleItem()!;
            e["entryId"]!.GetValue<string>().ShouldBe(entry.ToString());
            e["listedAt"]!.GetValue<bool>().ShouldBeTrue();
            e["via"]!.GetValue<string>().ShouldBe("debtor");
            e["caseNumber"]!.GetValue<string>().ShouldStartWith("(2024)宁0104执");
            DateTimeOffset.Parse(e["listedSince"]!.GetValue<string>(), CultureInfo.InvariantCulture).ShouldBeInRange(beforeDecision, whileListed);
            during["listSequence"]!.GetValue<long>().ShouldBeGreaterThan(0);

            var after = await StatusAsync(c, "idNumber=" + id, afterRevocation);
            after["listed"]!.GetValue<bool>().ShouldBeFalse();
            var gone = after["entries"]!.AsArray().ShouldHaveSingleItem()!;
            gone["entryId"]!.GetValue<string>().ShouldBe(entry.ToString());
            gone["listedAt"]!.GetValue<bool>().ShouldBeFalse();
            gone["leftAs"]!.GetValue<string>().ShouldContain("revoked");
            after["listSequence"]!.GetValue<long>().ShouldBeGreaterThan(during["listSequence"]!.GetValue<long>());
        }
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task OrganizationAndItsLegalRepresentative_ByWhichEntries(Db db)
    {
        var w = await worlds.GetAsync(db);
        var credit = w.NewCreditCode();
        var rep = w.NewPersonId();
        var before = await InstantAsync();
        var orgEntry = await w.ListAsync(Organization(credit.Value, rep));
        var ownEntry = await w.ListAsync(Person(rep));
        var now = await InstantAsync();

        var org = await StatusAsync(w.Court, "creditCode=" + credit.Value, now);
        org["listed"]!.GetValue<bool>().ShouldBeTrue();
        var oe = org["entries"]!.AsArray().ShouldHaveSingleItem()!;
        oe["entryId"]!.GetValue<string>().ShouldBe(orgEntry.ToString());
        oe["via"]!.GetValue<string>().ShouldBe("debtor");

        var person = await StatusAsync(w.Court, "idNumber=" + rep, now);
        person["listed"]!.GetValue<bool>().ShouldBeTrue();
        var entries = person["entries"]!.AsArray().Select(x => x!.AsObject()).ToArray();
        entries.Length.ShouldBe(2);
        entries.Single(x => x["entryId"]!.GetValue<string>() == orgEntry.ToString())["via"]!.GetValue<string>().ShouldBe("legal-representative");
        entries.Single(x => x["entryId"]!.GetValue<string>() == ownEntry.ToString())["via"]!.GetValue<string>().ShouldBe("debtor");
        entries.ShouldAllBe(x => x["listedAt"]!.GetValue<bool>());

        (await StatusAsync(w.Court, "creditCode=" + credit.Value, before))["listed"]!.GetValue<bool>().ShouldBeFalse();
        (await StatusAsync(w.Court, "idNumber=" + rep, before))["listed"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task UnknownSubject_IsNotListed_AndBadInputIs400(Db db)
    {
        var w = await worlds.GetAsync(db);
        var unknown = await StatusAsync(w.Court, "idNumber=" + w.NewPersonId(), DateTimeOffset.UtcNow);
        unknown["listed"]!.GetValue<bool>().ShouldBeFalse();
        unknown["entries"]!.AsArray().ShouldBeEmpty();

        var badId = await w.Court.GetAsync("/api/v1/subjects/status?idNumber=123", Ct);
        badId.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var badAt = await w.Court.GetAsync("/api/v1/subjects/status?idNumber=" + w.NewPersonId() + "&at=yesterday", Ct);
        badAt.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var anonymous = w.Server.Client();
        (await anonymous.GetAsync("/api/v1/subjects/status?idNumber=" + w.NewPersonId(), Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    /// <summary>
    /// Issue 11 finding 5: any unit key read every court's entries, drafts included, with case numbers. Now units are
    /// refused, and a court sees only its own entries' rows; the hub sees all.
    /// </summary>
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Units_are_refused_and_a_court_sees_only_its_own_entries(Db db)
    {
        var w = await worlds.GetAsync(db);
        var id = w.NewPersonId();
        var listed = await w.ListAsync(Person(id));
        var otherCode = "court-other-" + Guid.NewGuid().ToString("N")[..8];
        var other = await w.Server.OrganizationAsync("court", otherCode, "640104", null, "court.clerk", "court.judge");
        var now = await InstantAsync();

        foreach (var unit in new[] { w.Ningxia, w.Zhanjiang, w.Beijing })
        {
            var refused = await unit.GetAsync("/api/v1/subjects/status?idNumber=" + id, Ct);
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        var foreign = await StatusAsync(other, "idNumber=" + id, now);
        foreign["entries"]!.AsArray().ShouldBeEmpty();
        foreign["listed"]!.GetValue<bool>().ShouldBeFalse("another court learns nothing about this court's entries");

        (await StatusAsync(w.Court, "idNumber=" + id, now))["entries"]!.AsArray().ShouldHaveSingleItem()!["entryId"]!.GetValue<string>().ShouldBe(listed.ToString());
        (await StatusAsync(w.Server.Admin, "idNumber=" + id, now))["listed"]!.GetValue<bool>().ShouldBeTrue();
    }
}
