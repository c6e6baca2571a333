using Microsoft.EntityFrameworkCore;
using Shixin.Core.Calendar;
using Shixin.Core.Entries;
using Shixin.Core.Identifiers;
using Shixin.Core.Oversight;

namespace Shixin.Data.Tests;

/// <summary>
/// Issue 12: objections kept as rows before they became ledger events get their events at start, once, on both
/// databases, so that the entry's state knows them, the court can verify an open one, and the ledger verifies.
/// </summary>
public sealed class ObjectionBackfillTests
{
    private static readonly Guid Open = Guid.Parse("0199a000-0000-7000-8000-0000000000b1");
    private static readonly Guid Upheld = Guid.Parse("0199a000-0000-7000-8000-0000000000b2");

    /// <summary>Two objection rows as a database before issue 12 held them: written straight, no events.</summary>
    private static async Task<EntryRow> OldDatabaseAsync(TestDatabase t)
    {
        var ct = TestDatabase.Ct;
        var id = Guid.Parse("0199a000-0000-7000-8000-0000000000e1");
        (await Ledger.DraftAsync(t.Database, Ledger.PersonDraft(id, new IdentifierGenerator(12), 12), ct)).Error.ShouldBeNull();
        (await Ledger.RunAsync(t.Database, id, Ledger.Notice(), ct)).Error.ShouldBeNull();
        (await Ledger.RunAsync(t.Database, id, Ledger.Decide(), ct)).Error.ShouldBeNull();
        var entry = (await t.EntryAsync(id)).ShouldNotBeNull();
        await using var db = t.Database.CreateContext();
        db.Organizations.Add(new OrganizationRow { Code = "unit-airline", Kind = "unit", Name = "中国民航信息网络股份有限公司", Region = "110000", CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync(ct);
        ObjectionRow Row(Guid oid, DateOnly received) => new()
        {
            Id = oid, OrganizationCode = "unit-airline", EntryId = id, EntryNo = entry.No, MeasureCode = "flight-ban", ReceivedOn = received,
            Grounds = "已履行完毕", CourtCode = TestDatabase.Court, VerifyDueOn = received.AddDays(3), Rule = RuleIds.UnitVerifyObjection,
            Status = ObjectionStatus.Verifying, CreatedAt = new DateTime(2025, 3, 10, 1, 0, 0, DateTimeKind.Utc),
        };
        db.Objections.Add(Row(Open, new DateOnly(2025, 3, 12)));
        var upheld = Row(Upheld, new DateOnly(2025, 3, 10));
        upheld.Status = ObjectionStatus.Upheld;
        upheld.VerifiedOn = new DateOnly(2025, 3, 11);
        upheld.Reasons = "已履行";
        db.Objections.Add(upheld);
        await db.SaveChangesAsync(ct);
        return entry;
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Old_objection_rows_get_filed_and_verified_events_with_list_sequences_once(Db kind)
    {
        await using var t = await TestDatabase.CreateAsync(kind);
        var ct = TestDatabase.Ct;
        var entry = await OldDatabaseAsync(t);
        var headBefore = await t.HeadAsync();

        var first = await ObjectionBackfill.RunAsync(t.Database, TimeProvider.System, Ledger.Rules, ct);

        first.Objections.ShouldBe(2);
        first.Sequences.ShouldBe(3, "two filings and the upheld one's finding");
        first.Refused.ShouldBeEmpty();
        var events = (await t.EventsAsync(entry.Id)).Where(e => e.Type.StartsWith("entry.objection-", StringComparison.Ordinal)).ToList();
        events.Select(e => e.Type).ShouldBe(["entry.objection-filed", "entry.objection-verified", "entry.objection-filed"], "the earlier receipt first");
        events.Select(e => e.Seq).ShouldBe([headBefore + 1, headBefore + 2, headBefore + 3]);
        events[0].ActorOrganization.ShouldBe("unit-airline");
        events[1].ActorOrganization.ShouldBe(TestDatabase.Court);
        (await t.HeadAsync()).ShouldBe(headBefore + 3);

        var after = (await t.EntryAsync(entry.Id)).ShouldNotBeNull();
        var state = LedgerJson.ReadState(after.StateJson);
        state.Objections.Select(o => (o.Id, o.Status, o.VerifiedOn)).OrderBy(x => x.Id).ShouldBe(
            [(Open, ObjectionStatus.Verifying, (DateOnly?)null), (Upheld, ObjectionStatus.Upheld, new DateOnly(2025, 3, 11))]);
        state.Objections.Single(o => o.Id == Open).VerifyDue.DueOn.ShouldBe(new DateOnly(2025, 3, 15), "the due date the court was given is kept");
        after.UnitViewJson.ShouldContain(Open.ToString(), customMessage: "units' checks see the suspension in the entry's unit view");
        await using (var db = t.Database.CreateContext())
        {
            (await db.Objections.CountAsync(ct)).ShouldBe(2, "the rows are kept, not written again");
        }

        (await LedgerVerification.RunAsync(t.Database, ct)).Problems.ShouldBeEmpty();

        var again = await ObjectionBackfill.RunAsync(t.Database, TimeProvider.System, Ledger.Rules, ct);
        again.Objections.ShouldBe(0);
        (await t.HeadAsync()).ShouldBe(headBefore + 3, "a second start adds nothing");

        // The court can now verify the open objection through the decider (before, it found no such objection).
        var verified = await Ledger.RunAsync(t.Database, entry.Id,
            new VerifyObjection(Open, TestDatabase.Court, ObjectionFinding.Rejected, new DateOnly(2025, 3, 13), "理由不成立", new DateOnly(2025, 3, 13)), ct);
        verified.Error.ShouldBeNull();
        await using (var db = t.Database.CreateContext())
        {
            (await db.Objections.SingleAsync(o => o.Id == Open, ct)).Status.ShouldBe(ObjectionStatus.Rejected);
        }
    }
}
