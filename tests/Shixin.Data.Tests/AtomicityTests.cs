using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Core.Identifiers;

namespace Shixin.Data.Tests;

/// <summary>Refusals, rollbacks and flushed-but-uncommitted imports leave no trace and no gap.</summary>
public sealed class AtomicityTests
{
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_refused_command_writes_nothing_and_leaves_no_gap(Db kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(kind);
        var ids = new IdentifierGenerator(7);
        var first = Ledger.PersonDraft(Guid.NewGuid(), ids, 1);
        (await Ledger.ListAsync(t.Database, first, ct)).Events[1].Seq.ShouldBe(1);

        var second = Ledger.PersonDraft(Guid.NewGuid(), ids, 2, "李四");
        (await Ledger.DraftAsync(t.Database, second, ct)).Error.ShouldBeNull();
        var before = await t.EntryAsync(second.Id);
        var eventsBefore = await t.EventCountAsync();

        // A decision without a risk notice (000 §四(二)3) is refused.
        var refused = await Ledger.RunAsync(t.Database, second.Id, Ledger.Decide(), ct);
        refused.IsRefused.ShouldBeTrue();
        refused.Error!.Code.ShouldBe(DomainError.Codes.IllegalTransition);
        refused.Events.ShouldBeEmpty();

        // So is an exit of an entry that is not listed, and a second draft of an existing entry.
        (await Ledger.RunAsync(t.Database, second.Id, Ledger.Shield(), ct)).IsRefused.ShouldBeTrue();
        (await Ledger.DraftAsync(t.Database, second, ct)).IsRefused.ShouldBeTrue();

        (await t.EventCountAsync()).ShouldBe(eventsBefore);
        (await t.EventsAsync(second.Id)).Select(e => e.Type).ShouldBe([EntryEventTypes.Drafted]);
        var after = (await t.EntryAsync(second.Id)).ShouldNotBeNull();
        after.Status.ShouldBe("draft");
        after.Version.ShouldBe(before!.Version);
        after.UpdatedAt.ShouldBe(before.UpdatedAt);
        after.StateJson.ShouldBe(before.StateJson);
        (await t.HeadAsync()).ShouldBe(1);

        // The next writer gets the next sequence.
        await Ledger.AcceptAsync(t.Database, second.Id, Ledger.Notice(), ct);
        var listed = await Ledger.AcceptAsync(t.Database, second.Id, Ledger.Decide(), ct);
        listed.Events.Select(e => e.Seq).ShouldBe([null, 2]);
        (await t.ListSequencesAsync(ct)).ShouldBe([1, 2]);
        (await t.HeadAsync()).ShouldBe(2);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_session_refused_between_accepted_commands_keeps_its_sequences_contiguous(Db kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(kind);
        var ids = new IdentifierGenerator(8);
        var a = Ledger.PersonDraft(Guid.NewGuid(), ids, 1);
        var b = Ledger.PersonDraft(Guid.NewGuid(), ids, 2);
        await Ledger.DraftAsync(t.Database, a, ct);
        await Ledger.AcceptAsync(t.Database, a.Id, Ledger.Notice(), ct);
        await Ledger.DraftAsync(t.Database, b, ct);

        await using (var s = await LedgerSession.BeginAsync(t.Database, TimeProvider.System, ct))
        {
            var sb = await s.LoadAsync(b.Id, ct);
            s.Apply(b.Id, sb, Ledger.Decide(), Ledger.Rules, Ledger.Clerk).IsRefused.ShouldBeTrue();
            var sa = await s.LoadAsync(a.Id, ct);
            var r = s.Apply(a.Id, sa, Ledger.Decide(), Ledger.Rules, Ledger.Clerk);
            r.Events.Select(e => e.Seq).ShouldBe([null, 1]);
            s.Apply(a.Id, r.State, Ledger.Decide(), Ledger.Rules, Ledger.Clerk).IsRefused.ShouldBeTrue();
            var exit = s.Apply(a.Id, r.State, Ledger.Shield(), Ledger.Rules, Ledger.Clerk);
            exit.Events.ShouldHaveSingleItem().Seq.ShouldBe(2);
            await s.CommitAsync(ct);
        }

        (await t.ListSequencesAsync(ct)).ShouldBe([1, 2]);
        (await t.HeadAsync()).ShouldBe(2);
        (await t.EntryAsync(b.Id))!.Status.ShouldBe("draft");
        (await t.EntryAsync(a.Id))!.Status.ShouldBe("shielded");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_session_disposed_without_commit_leaves_nothing(Db kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(kind);
        var ids = new IdentifierGenerator(9);
        var listed = Ledger.PersonDraft(Guid.NewGuid(), ids, 1);
        await Ledger.ListAsync(t.Database, listed, ct);
        var noticed = Ledger.PersonDraft(Guid.NewGuid(), ids, 2);
        await Ledger.DraftAsync(t.Database, noticed, ct);
        await Ledger.AcceptAsync(t.Database, noticed.Id, Ledger.Notice(), ct);
        var snapshot = await SnapshotAsync(t);

        // The "crash": the session does its work and is torn down before CommitAsync.
        await using (var s = await LedgerSession.BeginAsync(t.Database, TimeProvider.System, ct))
        {
            var fresh = Ledger.PersonDraft(Guid.NewGuid(), ids, 3);
            s.Apply(fresh.Id, null, new DraftEntry(fresh, [], Ledger.Filed), Ledger.Rules, Ledger.Clerk).IsRefused.ShouldBeFalse();
            var n = await s.LoadAsync(noticed.Id, ct);
            s.Apply(noticed.Id, n, Ledger.Decide(), Ledger.Rules, Ledger.Clerk).Events[1].Seq.ShouldBe(2);
            var l = await s.LoadAsync(listed.Id, ct);
            s.Apply(listed.Id, l, Ledger.Shield(), Ledger.Rules, Ledger.Clerk).Events[0].Seq.ShouldBe(3);
            s.Head.ShouldBe(3);
        }

        (await SnapshotAsync(t)).ShouldBe(snapshot);

        // The next writer continues from the committed head: no gap where the lost work was.
        var r = await Ledger.AcceptAsync(t.Database, noticed.Id, Ledger.Decide(), ct);
        r.Events[1].Seq.ShouldBe(2);
        (await t.ListSequencesAsync(ct)).ShouldBe([1, 2]);
        (await t.HeadAsync()).ShouldBe(2);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_writer_waiting_behind_a_crashed_session_takes_the_next_sequence(Db kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(kind);
        var ids = new IdentifierGenerator(13);
        await Ledger.ListAsync(t.Database, Ledger.PersonDraft(Guid.NewGuid(), ids, 1), ct);
        var waiting = Ledger.PersonDraft(Guid.NewGuid(), ids, 2);
        await Ledger.DraftAsync(t.Database, waiting, ct);
        await Ledger.AcceptAsync(t.Database, waiting.Id, Ledger.Notice(), ct);
        var doomed = Ledger.PersonDraft(Guid.NewGuid(), ids, 3);
        await Ledger.DraftAsync(t.Database, doomed, ct);
        await Ledger.AcceptAsync(t.Database, doomed.Id, Ledger.Notice(), ct);

        Task<LedgerResult> second;
        await using (var s = await LedgerSession.BeginAsync(t.Database, TimeProvider.System, ct))
        {
            var d = await s.LoadAsync(doomed.Id, ct);
            s.Apply(doomed.Id, d, Ledger.Decide(), Ledger.Rules, Ledger.Clerk).Events[1].Seq.ShouldBe(2);
            await s.FlushAsync(ct);

            // Another writer starts now and must wait for the head lock.
            second = Task.Run(() => Ledger.AcceptAsync(t.Database, waiting.Id, Ledger.Decide(), ct), ct);
            await Task.Delay(400, ct);
            second.IsCompleted.ShouldBeFalse("a second writer got past the ledger head lock while a session held it");
        }

        var r = await second;
        r.Events[1].Seq.ShouldBe(2);
        (await t.ListSequencesAsync(ct)).ShouldBe([1, 2]);
        (await t.HeadAsync()).ShouldBe(2);
        (await t.EntryAsync(doomed.Id))!.Status.ShouldBe("noticed");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task An_entry_of_an_unknown_court_is_rejected_by_the_database(Db kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(kind);
        var draft = Ledger.PersonDraft(Guid.NewGuid(), new IdentifierGenerator(14), 1) with { CourtCode = "C-NOWHERE" };
        await using (var s = await LedgerSession.BeginAsync(t.Database, TimeProvider.System, ct))
        {
            s.Apply(draft.Id, null, new DraftEntry(draft, [], Ledger.Filed), Ledger.Rules, Ledger.Clerk).Error.ShouldBeNull();
            await Should.ThrowAsync<DbUpdateException>(() => s.CommitAsync(ct));
        }

        (await t.EntryCountAsync()).ShouldBe(0);
        (await t.EventCountAsync()).ShouldBe(0);
        (await t.HeadAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_flushed_import_disposed_without_commit_leaves_nothing(Db kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(kind);
        var ids = new IdentifierGenerator(10);
        await Ledger.ListAsync(t.Database, Ledger.PersonDraft(Guid.NewGuid(), ids, 1), ct);
        var snapshot = await SnapshotAsync(t);

        await using (var s = await LedgerSession.BeginAsync(t.Database, TimeProvider.System, ct))
        {
            // Import style: many entries in one transaction, flushed in batches.
            var imported = new List<Guid>();
            for (var i = 0; i < 12; i++)
            {
                var d = Ledger.PersonDraft(Guid.NewGuid(), ids, 100 + i, "王五" + i);
                var state = s.Apply(d.Id, null, new DraftEntry(d, await s.PriorListingsAsync(d.Subject.Key, d.CaseNumber, ct), Ledger.Filed), Ledger.Rules, Ledger.Clerk).State;
                state = s.Apply(d.Id, state, Ledger.Notice(), Ledger.Rules, Ledger.Clerk).State;
                s.Apply(d.Id, state, Ledger.Decide(), Ledger.Rules, Ledger.Clerk).Error.ShouldBeNull();
                imported.Add(d.Id);
                if (i % 4 == 3)
                {
                    await s.FlushAsync(ct);
                }
            }

            s.Head.ShouldBe(13);

            // Inside the transaction the flushed rows are there; outside nobody sees them.
            (await s.LoadAsync(imported[0], ct))!.Status.ShouldBe(EntryStatus.Listed);
            (await s.Db.LedgerEvents.CountAsync(ct)).ShouldBe(snapshot.Events + (12 * 4));
            (await SnapshotAsync(t)).ShouldBe(snapshot);

            // Work after the flush continues the session's own sequence.
            var after = s.Apply(imported[0], await s.LoadAsync(imported[0], ct), Ledger.Shield(), Ledger.Rules, Ledger.Clerk);
            after.Events.ShouldHaveSingleItem().Seq.ShouldBe(14);
            await s.FlushAsync(ct);
        }

        (await SnapshotAsync(t)).ShouldBe(snapshot);
        var next = await Ledger.ListAsync(t.Database, Ledger.PersonDraft(Guid.NewGuid(), ids, 2), ct);
        next.Events[1].Seq.ShouldBe(2);
        (await t.ListSequencesAsync(ct)).ShouldBe([1, 2]);
    }

    private static async Task<Snapshot> SnapshotAsync(TestDatabase t)
    {
        await using var db = t.Database.CreateContext();
        var ct = TestContext.Current.CancellationToken;
        var entries = await db.Entries.AsNoTracking().OrderBy(e => e.Id).Select(e => e.Id + "|" + e.Status + "|" + e.Version + "|" + e.StateJson).ToListAsync(ct);
        return new Snapshot(
            await t.HeadAsync(),
            await db.LedgerEvents.CountAsync(ct),
            string.Join("\n", entries.Order(StringComparer.Ordinal)));
    }

    private sealed record Snapshot(long Head, int Events, string Entries);
}
