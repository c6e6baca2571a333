using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Courts;

/// <summary>The outcome of running a command: the new state and events, or a problem to return.</summary>
public sealed record CommandOutcome(EntryState? State, ImmutableArray<StoredEvent> Events, IResult? Problem)
{
    /// <summary>The list sequence of the write's last list event; null when it appended none (API.md "Consistency").</summary>
    public long? ListSequence => Events.IsDefaultOrEmpty ? null : Events.LastOrDefault(e => e.Seq is not null)?.Seq;

    /// <summary>The China date the command ran on (the injected clock's), for views that depend on the day.</summary>
    public DateOnly Today { get; init; }
}

/// <summary>Runs court commands against the ledger: scope checks, the pure decision, and one transaction.</summary>
public sealed class EntryService(ShixinDatabase database, LegalEntryRules rules, TimeProvider time, LedgerSignal signal, ShixinMetrics metrics,
    Units.IndexFollower follower, Hub.DutyProjection duties, ILogger<EntryService> logger)
{
    /// <summary>The duties the ledger implies, projected with their own cursor (obligations, queue, compliance).</summary>
    public Hub.DutyProjection DutyProjection => duties;

    /// <summary>How long a write waits for this node's index to take in its list events before it answers anyway.</summary>
    public static readonly TimeSpan ReflectTimeout = TimeSpan.FromSeconds(2);

    public LegalEntryRules Rules => rules;

    public DateOnly Today => ChinaTime.Today(time);

    /// <summary>The injected clock (tests shift it), for rows written beside a command.</summary>
    public TimeProvider Time => time;

    /// <summary>What a command builder returns: a command to decide, or a problem.</summary>
    public readonly record struct Build(EntryCommand? Command, IResult? Problem)
    {
        public static implicit operator Build(EntryCommand c) => new(c, null);

        public static Build Fail(IResult problem) => new(null, problem);
    }

    /// <summary>
    /// Loads the entry under the ledger lock, builds the command, decides it and commits; answers once this node's index
    /// reflects the write (after the ledger lock is released).
    /// </summary>
    public async Task<CommandOutcome> RunAsync(
        Guid entryId,
        Caller caller,
        string auditAction,
        Func<LedgerSession, EntryState?, Task<Build>> build,
        Action<LedgerSession, EntryState, ImmutableArray<StoredEvent>>? alsoWrite,
        CancellationToken ct)
    {
        var outcome = await CommitAsync(entryId, caller, auditAction, build, alsoWrite, ct);
        await ReflectAsync(outcome.ListSequence);
        return outcome;
    }

    private async Task<CommandOutcome> CommitAsync(
        Guid entryId,
        Caller caller,
        string auditAction,
        Func<LedgerSession, EntryState?, Task<Build>> build,
        Action<LedgerSession, EntryState, ImmutableArray<StoredEvent>>? alsoWrite,
        CancellationToken ct)
    {
        await using var session = await LedgerSession.BeginAsync(database, time, ct);
        var state = await session.LoadAsync(entryId, ct);
        var built = await build(session, state);
        if (built.Problem is not null)
        {
            return new CommandOutcome(state, [], built.Problem) { Today = Today };
        }

        var result = session.Apply(entryId, state, built.Command!, rules, caller.Actor);
        if (result.IsRefused)
        {
            return new CommandOutcome(state, [], Problems.From(result.Error!)) { Today = Today };
        }

        alsoWrite?.Invoke(session, result.State!, result.Events);
        Audit.Stage(session.Db, caller, auditAction, "entry:" + entryId.ToString(), string.Join(",", result.Events.Select(e => e.Type)), time);
        await session.CommitAsync(ct);
        metrics.LedgerCommitted(session.Head);
        signal.Notify(session.Head);
        return new CommandOutcome(result.State, result.Events, null) { Today = Today };
    }

    /// <summary>
    /// A node reflects its own acknowledged writes (API.md "Consistency"): the write answers once this node's screening index
    /// has applied its list sequence, so a check the same client sends next already sees it. Bounded: a node whose index is
    /// still loading or stuck answers after <see cref="ReflectTimeout"/> (the write is committed either way) and logs it.
    /// </summary>
    public async Task ReflectAsync(long? listSequence)
    {
        if (listSequence is not { } seq || !follower.IsLoaded)
        {
            return;
        }

        if (!await follower.WaitForAsync(seq, ReflectTimeout))
        {
            logger.LogWarning("The screening index did not reach list sequence {Sequence} within {Timeout}; the write answers anyway", seq, ReflectTimeout);
        }
    }

    /// <summary>A command on an existing entry of the caller's own court.</summary>
    public Task<CommandOutcome> RunOwnAsync(Guid entryId, Caller caller, string auditAction, Func<EntryState, EntryCommand> command, CancellationToken ct) =>
        RunAsync(entryId, caller, auditAction, (_, s) => Task.FromResult(
            s is null ? Build.Fail(Problems.NotFound(new("该名单条目", "entry " + entryId.ToString())))
            : !string.Equals(s.CourtCode, caller.OrganizationCode, StringComparison.Ordinal)
                ? Build.Fail(Problems.Forbidden(new("该名单条目属于其他法院，只有执行法院可以办理", "the entry belongs to another court; only the executing court may change it")))
                : (Build)command(s)), null, ct);

    public async Task<EntryState?> LoadAsync(Guid id, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var row = await db.Entries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        return row is null ? null : LedgerJson.ReadState(row.StateJson);
    }

    public async Task<ImmutableArray<HistoryItem>> HistoryAsync(Guid id, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var rows = await db.LedgerEvents.AsNoTracking().Where(e => e.EntryId == id).OrderBy(e => e.Id).ToListAsync(ct);
        return [.. rows.Select(HistoryMapping.Of)];
    }

    public ImmutableArray<DutyView> Duties(EntryState s) =>
        [.. EntryDuties.For(s, rules).Select(d => DutyView.Of(d, Today))];

    /// <summary>Who may read an entry: its court, a higher court hearing a reconsideration on it, and the hub.</summary>
    public static bool MayRead(Caller caller, EntryState s) =>
        caller.HasAny(Roles.HubAdmin, Roles.HubAuditor)
        || (caller.HasAny(Roles.CourtClerk, Roles.CourtJudge)
            && (string.Equals(s.CourtCode, caller.OrganizationCode, StringComparison.Ordinal)
                || s.Corrections.Any(c => c.Reconsideration is { } r && string.Equals(r.CourtCode, caller.OrganizationCode, StringComparison.Ordinal))));
}
