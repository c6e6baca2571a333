using Microsoft.EntityFrameworkCore;
using Shixin.Core.Entries;

namespace Shixin.Data;

/// <summary>
/// <c>shixin verify</c>'s ledger half: list sequences are gap-free and match the head (ARCHITECTURE.md: one sequence in
/// commit order), and every entry's stored state and projection columns are what replaying its events gives
/// (the entry decider's <see cref="EntryDecider.Evolve"/> is the only source of a state).
/// </summary>
public static class LedgerVerification
{
    public sealed record Result(long Events, long Entries, long HeadSeq, IReadOnlyList<string> Problems)
    {
        public bool Intact => Problems.Count == 0;
    }

    // Enough to locate a damage; a wholly broken ledger need not print millions of lines.
    private const int MaxProblems = 50;

    public static async Task<Result> RunAsync(ShixinDatabase database, CancellationToken ct)
    {
        var problems = new List<string>();
        await using var db = database.CreateContext();

        var head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstOrDefaultAsync(ct);
        long expected = 1;
        long events = 0;
        await foreach (var seq in db.LedgerEvents.AsNoTracking().Where(e => e.Seq != null).OrderBy(e => e.Seq).Select(e => e.Seq!.Value).AsAsyncEnumerable().WithCancellation(ct))
        {
            events++;
            if (seq != expected && problems.Count < MaxProblems)
            {
                problems.Add(seq < expected
                    ? $"名单序号 {seq} 重复 / list sequence {seq} appears twice"
                    : $"名单序号 {expected}–{seq - 1} 缺失 / list sequences {expected}–{seq - 1} are missing");
            }

            expected = seq + 1;
        }

        if (expected - 1 != head)
        {
            problems.Add($"账本头为 {head}，最后的名单序号为 {expected - 1} / the ledger head says {head}, the last list sequence is {expected - 1}");
        }

        // Replay entry by entry, in the order the ledger wrote them.
        long entries = 0;
        var rows = db.Entries.AsNoTracking().OrderBy(e => e.No)
            .Select(e => new { e.Id, e.No, e.Status, e.SubjectKey, e.Screened, e.ExpiresOn, e.ExitedOn, e.StateJson }).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(ct))
        {
            entries++;
            await using var perEntry = database.CreateContext();
            EntryState? state = null;
            var stored = await perEntry.LedgerEvents.AsNoTracking().Where(e => e.EntryId == row.Id).OrderBy(e => e.Id)
                .Select(e => e.DataJson).ToListAsync(ct);
            try
            {
                foreach (var json in stored)
                {
                    state = EntryDecider.Evolve(state, LedgerJson.ReadEvent(json));
                }
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException or InvalidOperationException or NotSupportedException)
            {
                Add(problems, $"条目 {row.Id} 的事件无法重放 / the events of entry {row.Id} do not replay: {ex.Message}");
                continue;
            }

            if (state is null)
            {
                Add(problems, $"条目 {row.Id} 没有事件 / entry {row.Id} has no events");
                continue;
            }

            var replayed = LedgerJson.WriteState(state);
            var held = LedgerJson.WriteState(LedgerJson.ReadState(row.StateJson));
            if (!string.Equals(replayed, held, StringComparison.Ordinal))
            {
                Add(problems, $"条目 {row.Id} 的状态与事件重放结果不符 / entry {row.Id}: the stored state differs from its replayed events");
            }

            // The columns the index and the queries read are the state's projection (LedgerSession.Project).
            if (row.Status != state.Status.ToApi() || row.SubjectKey != state.Subject.Key || row.Screened != state.IsScreened
                || row.ExpiresOn != state.ExpiresOn || row.ExitedOn != state.ExitedOn)
            {
                Add(problems, $"条目 {row.Id} 的查询列与其状态不符 / entry {row.Id}: status, subject, screening or dates differ from its state");
            }
        }

        return new Result(events, entries, head, problems);
    }

    private static void Add(List<string> problems, string problem)
    {
        if (problems.Count < MaxProblems)
        {
            problems.Add(problem);
        }
    }
}
