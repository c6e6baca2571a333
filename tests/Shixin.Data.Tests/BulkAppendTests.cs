using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shixin.Core.Entries;
using Shixin.Core.Identifiers;

namespace Shixin.Data.Tests;

/// <summary>
/// Issue 13 item 3: a bulk import appends new entries past the ORM (COPY on PostgreSQL, multi-row INSERTs on SQLite).
/// Every reader (feed, snapshot, index load, <c>shixin verify</c>) reads the same tables, so the rows must be exactly
/// those the ORM path writes, byte for byte, and the ledger's guarantees (gap-free sequences, all or nothing) must hold.
/// </summary>
public sealed class BulkAppendTests
{
    /// <summary>A clock that stands still, so that two ledgers written at different moments hold the same instants.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly TimeProvider Clock = new FixedTime(new DateTimeOffset(2025, 3, 3, 6, 7, 8, 123, TimeSpan.Zero).AddTicks(4567));

    /// <summary>The same entries each time: drafts only, noticed, and listed (one list-changing event).</summary>
    private static List<(Guid Id, List<EntryEvent> Events)> Entries(int count)
    {
        var ids = new IdentifierGenerator(77);
        var result = new List<(Guid, List<EntryEvent>)>();
        for (var i = 0; i < count; i++)
        {
            var id = new Guid(i + 1, 0x1234, 0x5678, 0xAB, 0xCD, 0xEF, 0x01, 0x23, 0x45, 0x67, 0x89);
            var draft = Ledger.PersonDraft(id, ids, 1000 + i, "赵六" + i.ToString(CultureInfo.InvariantCulture));
            var commands = new List<EntryCommand> { new DraftEntry(draft, [], Ledger.Filed) };
            if (i % 3 >= 1)
            {
                commands.Add(Ledger.Notice());
            }

            if (i % 3 == 2)
            {
                commands.Add(Ledger.Decide());
            }

            EntryState? state = null;
            var events = new List<EntryEvent>();
            foreach (var c in commands)
            {
                var d = EntryDecider.Decide(state, c, Ledger.Rules);
                d.Error.ShouldBeNull();
                events.AddRange(d.Events);
                state = EntryDecider.Fold(state, d.Events);
            }

            result.Add((id, events));
        }

        return result;
    }

    private static async Task WriteAsync(TestDatabase t, List<(Guid Id, List<EntryEvent> Events)> entries, bool bulk, int flushEvery)
    {
        var ct = TestDatabase.Ct;
        await using var s = await LedgerSession.BeginAsync(t.Database, Clock, ct);
        var n = 0;
        foreach (var (id, events) in entries)
        {
            if (bulk)
            {
                s.AppendNew(id, events, Ledger.Clerk);
            }
            else
            {
                s.Stage(id, null, events, Ledger.Clerk).Error.ShouldBeNull();
            }

            if (++n % flushEvery == 0)
            {
                await s.FlushAsync(ct);
            }
        }

        await s.CommitAsync(ct);
    }

    /// <summary>Every column of every row of a table, as text, in a stable order.</summary>
    private static async Task<List<string>> DumpAsync(TestDatabase t, string sql)
    {
        var ct = TestDatabase.Ct;
        await using var db = t.Database.CreateContext();
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        var rows = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var cells = new string[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var v = reader.GetValue(i);
                cells[i] = reader.GetName(i) + "=" + (v is DBNull ? "NULL" : Convert.ToString(v, CultureInfo.InvariantCulture)
                    + ":" + reader.GetFieldType(i).Name);
            }

            rows.Add(string.Join(" | ", cells));
        }

        return rows;
    }

    private static async Task<List<string>> DumpLedgerAsync(TestDatabase t) =>
    [
        .. await DumpAsync(t, "SELECT * FROM entries ORDER BY no"),
        .. await DumpAsync(t, "SELECT * FROM ledger_events ORDER BY id"),
        .. await DumpAsync(t, "SELECT * FROM subject_keys ORDER BY entry_no, key, role"),
        .. await DumpAsync(t, "SELECT * FROM ledger_head"),
    ];

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Bulk_appended_entries_are_the_rows_the_orm_writes(Db kind)
    {
        // 45 entries, flushed every 20: full multi-row statements and one-row remainders on SQLite, several COPYs on PostgreSQL.
        var entries = Entries(45);
        await using var orm = await TestDatabase.CreateAsync(kind);
        await using var bulk = await TestDatabase.CreateAsync(kind);
        await WriteAsync(orm, entries, bulk: false, flushEvery: 20);
        await WriteAsync(bulk, entries, bulk: true, flushEvery: 20);

        var expected = await DumpLedgerAsync(orm);
        var actual = await DumpLedgerAsync(bulk);
        expected.Count.ShouldBeGreaterThan(45 * 3);
        actual.ShouldBe(expected);

        // 15 listed entries, one list-changing event each, sequences 1–15 in entry order.
        (await bulk.ListSequencesAsync(TestDatabase.Ct)).ShouldBe(Enumerable.Range(1, 15).Select(i => (long)i));
        var verified = await LedgerVerification.RunAsync(bulk.Database, TestDatabase.Ct);
        verified.Problems.ShouldBeEmpty();
        verified.Entries.ShouldBe(45);

        // The ORM reads the bulk rows back (the formats are its own).
        await using var db = bulk.Database.CreateContext();
        var row = await db.Entries.AsNoTracking().SingleAsync(e => e.Id == entries[2].Id, TestDatabase.Ct);
        row.Status.ShouldBe("listed");
        // PostgreSQL keeps microseconds; the ORM path is rounded the same way (the dumps above are equal).
        row.CreatedAt.ShouldBe(Clock.GetUtcNow().UtcDateTime, TimeSpan.FromMilliseconds(1));
        row.DecidedOn.ShouldBe(Ledger.Decided);
        LedgerJson.ReadState(row.StateJson).Subject.Name.ShouldBe("赵六2");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_bulk_append_disposed_without_commit_leaves_nothing_and_no_gap(Db kind)
    {
        var ct = TestDatabase.Ct;
        await using var t = await TestDatabase.CreateAsync(kind);
        var ids = new IdentifierGenerator(78);
        await Ledger.ListAsync(t.Database, Ledger.PersonDraft(Guid.NewGuid(), ids, 1), ct);

        await using (var s = await LedgerSession.BeginAsync(t.Database, Clock, ct))
        {
            foreach (var (id, events) in Entries(30))
            {
                s.AppendNew(id, events, Ledger.Clerk);
            }

            await s.FlushAsync(ct);
            s.Head.ShouldBe(11);
            (await s.Db.Entries.CountAsync(ct)).ShouldBe(31);
        }

        (await t.EntryCountAsync()).ShouldBe(1);
        (await t.HeadAsync()).ShouldBe(1);
        var next = await Ledger.ListAsync(t.Database, Ledger.PersonDraft(Guid.NewGuid(), ids, 2), ct);
        next.Events.Last().Seq.ShouldBe(2);
        (await t.ListSequencesAsync(ct)).ShouldBe([1, 2]);
    }
}
