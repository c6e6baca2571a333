using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Shixin.Core.Entries;
using Shixin.Core.Identifiers;

namespace Shixin.Data.Tests;

/// <summary>
/// Issue requirement: "Sequences are gap-free and in commit order even with concurrent writers —
/// prove it with a test that writes from many tasks at once, on both databases".
/// </summary>
public sealed class ConcurrencyTests
{
    private const int Writers = 16;
    private const int EntriesPerWriter = 20;
    private const int Readers = 2;

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Concurrent_writers_get_gap_free_sequences_in_commit_order(Db kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(kind);
        var db = t.Database;

        var entryIds = new ConcurrentBag<(Guid Id, bool Exited)>();
        var writersDone = new CancellationTokenSource();
        var observations = new int[Readers];
        var clock = Stopwatch.StartNew();

        // Readers: every observation of the list must be exactly 1..max. A hole would mean a later
        // sequence became visible before an earlier one, i.e. sequences were not in commit order.
        var readers = Enumerable.Range(0, Readers).Select(r => Task.Run(async () =>
        {
            await using var ctx = db.CreateContext();
            var conn = ctx.Database.GetDbConnection();
            await conn.OpenAsync(ct);
            long lastMax = 0;
            while (true)
            {
                var done = writersDone.IsCancellationRequested;
                var seqs = await TestDatabase.ReadSequencesAsync(conn, ct);
                for (var i = 0; i < seqs.Count; i++)
                {
                    if (seqs[i] != i + 1)
                    {
                        throw new ShouldAssertException(
                            $"reader {r} saw sequence {seqs[i]} at position {i + 1} (observation {observations[r] + 1}, {seqs.Count} sequences): a hole");
                    }
                }

                // The visible list only grows: no reader ever sees the ledger go back.
                seqs.Count.ShouldBeGreaterThanOrEqualTo((int)lastMax);
                lastMax = seqs.Count;
                observations[r]++;
                if (done)
                {
                    return;
                }

                await Task.Delay(10, ct);
            }
        }, ct)).ToArray();

        // Writers: each drafts, notices and decides its entries (one session per command), exits every
        // fourth, all at the same time as the other writers.
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var ids = new IdentifierGenerator(1000 + w);
            for (var i = 0; i < EntriesPerWriter; i++)
            {
                var draft = Ledger.PersonDraft(Guid.NewGuid(), ids, (w * 1000) + i, "被执行人" + w + "-" + i);
                var listed = await Ledger.ListAsync(db, draft, ct);
                listed.Events.Select(e => e.Type).ShouldBe([EntryEventTypes.Decided, EntryEventTypes.Listed]);
                listed.Events[1].Seq.ShouldNotBeNull();
                var exit = i % 4 == 0;
                if (exit)
                {
                    var r = await Ledger.AcceptAsync(db, draft.Id, Ledger.Shield(), ct);
                    r.Events.ShouldHaveSingleItem().Seq.ShouldNotBeNull();
                }

                entryIds.Add((draft.Id, exit));
            }
        }, ct)).ToArray();

        try
        {
            await Task.WhenAll(writers);
        }
        finally
        {
            await writersDone.CancelAsync();
        }

        var writeTime = clock.Elapsed;
        await Task.WhenAll(readers);

        // Final state: 1..N with N = number of list-changing events, and the head agrees.
        var exits = entryIds.Count(e => e.Exited);
        var expected = (Writers * EntriesPerWriter) + exits;
        var all = await t.ListSequencesAsync(ct);
        all.ShouldBe(Enumerable.Range(1, expected).Select(i => (long)i));
        (await t.HeadAsync()).ShouldBe(expected);

        await using (var ctx = db.CreateContext())
        {
            var rows = await ctx.LedgerEvents.AsNoTracking().ToListAsync(ct);
            rows.Count.ShouldBe((Writers * EntriesPerWriter * 4) + exits);

            // Exactly the list-changing events carry a sequence.
            foreach (var row in rows)
            {
                (row.Seq is not null).ShouldBe(EntryEventTypes.IsListChange(row.Type), row.Type);
            }

            // Commit order: appending (row id) and sequencing agree, because both happen under the head lock.
            var bySeq = rows.Where(r => r.Seq is not null).OrderBy(r => r.Seq).Select(r => r.Id).ToList();
            bySeq.ShouldBe(bySeq.Order().ToList());

            var entries = await ctx.Entries.AsNoTracking().ToDictionaryAsync(e => e.Id, ct);
            entries.Count.ShouldBe(Writers * EntriesPerWriter);
            var byEntry = rows.ToLookup(r => r.EntryId);
            foreach (var (id, exited) in entryIds)
            {
                var events = byEntry[id].OrderBy(e => e.Id).ToList();
                string[] types = exited
                    ? [EntryEventTypes.Drafted, EntryEventTypes.RiskNoticeServed, EntryEventTypes.Decided, EntryEventTypes.Listed, EntryEventTypes.Shielded]
                    : [EntryEventTypes.Drafted, EntryEventTypes.RiskNoticeServed, EntryEventTypes.Decided, EntryEventTypes.Listed];
                events.Select(e => e.Type).ShouldBe(types);
                var seqs = events.Where(e => e.Seq is not null).Select(e => e.Seq!.Value).ToList();
                seqs.ShouldBe(seqs.Order().ToList());

                // The stored state is exactly the fold of the stored events.
                var folded = EntryDecider.Fold(null, events.Select(e => LedgerJson.ReadEvent(e.DataJson)));
                var row = entries[id];
                row.StateJson.ShouldBe(LedgerJson.WriteState(folded));
                var state = LedgerJson.ReadState(row.StateJson);
                state.Status.ShouldBe(exited ? EntryStatus.Shielded : EntryStatus.Listed);
                row.Status.ShouldBe(state.Status.ToApi());
                row.Screened.ShouldBe(!exited);
                row.Version.ShouldBe(types.Length);
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{kind}: {Writers} writers x {EntriesPerWriter} entries, {expected} list sequences, {entryIds.Count * 3 + exits} transactions in {writeTime.TotalSeconds:F1} s; reader observations: {string.Join(", ", observations)}");
        observations.ShouldAllBe(o => o > 1);
    }
}
