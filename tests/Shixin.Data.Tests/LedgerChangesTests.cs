using Shixin.Core.Identifiers;

namespace Shixin.Data.Tests;

/// <summary>Issue 12 item 3: a projection's cursor over the ledger sees every entry an event touched after it, procedural events included.</summary>
public sealed class LedgerChangesTests
{
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_cursor_reads_all_entries_first_then_only_those_touched_since_including_events_without_a_list_sequence(Db kind)
    {
        await using var t = await TestDatabase.CreateAsync(kind);
        var ct = TestDatabase.Ct;
        var ids = new IdentifierGenerator(31);
        var a = Guid.Parse("0199a000-0000-7000-8000-0000000000c1");
        var b = Guid.Parse("0199a000-0000-7000-8000-0000000000c2");
        (await Ledger.DraftAsync(t.Database, Ledger.PersonDraft(a, ids, 31, "甲"), ct)).Error.ShouldBeNull();
        (await Ledger.DraftAsync(t.Database, Ledger.PersonDraft(b, ids, 32, "乙"), ct)).Error.ShouldBeNull();

        var (first, all) = await LedgerChanges.SinceAsync(t.Database, 0, ct);
        all.Select(e => e.Id).ShouldBe([a, b]);
        first.ShouldBeGreaterThan(0);

        // Serving the risk notice is procedural (no list sequence) but changes the entry: the cursor must see it.
        var noticed = await Ledger.RunAsync(t.Database, b, Ledger.Notice(), ct);
        noticed.Error.ShouldBeNull();
        noticed.Events.ShouldAllBe(e => e.Seq == null);
        var (second, touched) = await LedgerChanges.SinceAsync(t.Database, first, ct);
        touched.ShouldHaveSingleItem().Id.ShouldBe(b);
        touched[0].StateJson.ShouldContain("2025-02-03");
        second.ShouldBeGreaterThan(first);

        var (third, none) = await LedgerChanges.SinceAsync(t.Database, second, ct);
        none.ShouldBeEmpty();
        third.ShouldBe(second);
    }
}
