using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Shixin.Core;
using Shixin.Core.Entries;

namespace Shixin.Data;

/// <summary>The ledger stayed taken by another writer for longer than a writer waits (answered 503 busy with Retry-After).</summary>
public sealed class LedgerBusyException(TimeSpan waited)
    : Exception("the ledger is busy with another write (waited " + waited.TotalSeconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture) + " s); try again shortly")
{
    public TimeSpan Waited { get; } = waited;
}

/// <summary>Who is acting: the caller's organization and key.</summary>
public sealed record Actor(string OrganizationCode, string? KeyId);

/// <summary>An event as the ledger holds it: with its list sequence (null for procedural steps).</summary>
public sealed record StoredEvent(long? Seq, Guid EntryId, string Type, DateTime OccurredAt, string ActorOrganization, EntryEvent Event);

/// <summary>The result of one command against the ledger.</summary>
public sealed record LedgerResult(EntryState? State, ImmutableArray<StoredEvent> Events, DomainError? Error)
{
    public bool IsRefused => Error is not null;
}

/// <summary>
/// One ledger transaction. Opening it locks the ledger head row, which orders all writers:
/// list sequences are therefore gap-free and handed out in commit order on both providers.
/// </summary>
public sealed class LedgerSession : IAsyncDisposable
{
    private readonly IDbContextTransaction _tx;
    private readonly TimeProvider _time;
    private readonly Dictionary<Guid, (EntryRow Row, EntryState State)> _staged = [];
    private readonly HashSet<string> _stagedSubjectCases = new(StringComparer.Ordinal);
    private bool _committed;
    private readonly HashSet<Guid> _dirty = [];
    private SemaphoreSlim? _gate;
    private LedgerBulk? _bulk;

    private LedgerSession(ShixinDbContext db, IDbContextTransaction tx, long head, long entries, TimeProvider time)
    {
        Db = db;
        _tx = tx;
        Head = head;
        StartHead = head;
        _entries = entries;
        _startEntries = entries;
        _time = time;
    }

    private long _entries;
    private readonly long _startEntries;

    public ShixinDbContext Db { get; }

    /// <summary>The PostgreSQL notification channel on which commits announce the new list head.</summary>
    public const string LedgerChannel = "shixin_ledger";

    /// <summary>The last list sequence handed out, including this session's uncommitted ones.</summary>
    public long Head { get; private set; }

    public long StartHead { get; }

    public static async Task<LedgerSession> BeginAsync(ShixinDatabase database, TimeProvider time, CancellationToken ct)
    {
        // A writer waits for the ledger at most LedgerWait, then is told to come back (503 busy), never left to time out.
        if (database.WriteGate is { } gate && !await gate.WaitAsync(database.LedgerWait, ct))
        {
            throw new LedgerBusyException(database.LedgerWait);
        }

        var db = database.CreateContext();
        try
        {
            // SQLite: BEGIN IMMEDIATE takes the write lock now. PostgreSQL: the row lock below
            // makes later writers wait until this transaction ends.
            var tx = await db.Database.BeginTransactionAsync(ct);
            if (db.IsPostgres)
            {
                var ms = ((long)database.LedgerWait.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ExecuteAsync(db, tx, "SET LOCAL lock_timeout = " + ms, ct);
            }

            var (head, entries) = await HeadAsync(db, tx, ct);
            return new LedgerSession(db, tx, head, entries, time) { _gate = database.WriteGate };
        }
        catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.LockNotAvailable)
        {
            await db.DisposeAsync();
            throw new LedgerBusyException(database.LedgerWait);
        }
        catch
        {
            await db.DisposeAsync();
            database.WriteGate?.Release();
            throw;
        }
    }

    /// <summary>Loads an entry's state, seeing this session's own staged changes.</summary>
    public async Task<EntryState?> LoadAsync(Guid id, CancellationToken ct)
    {
        if (_staged.TryGetValue(id, out var staged))
        {
            return staged.State;
        }

        var row = await Db.Entries.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (row is null)
        {
            return null;
        }

        var state = LedgerJson.ReadState(row.StateJson);
        _staged[id] = (row, state);
        return state;
    }

    /// <summary>Earlier entries of the same debtor in the same case (re-listing rules, SPC Art. 10).</summary>
    public async Task<ImmutableArray<PriorListing>> PriorListingsAsync(string subjectKey, string caseNumber, CancellationToken ct)
    {
        if (_stagedSubjectCases.Contains(subjectKey + "|" + caseNumber))
        {
            // Another row of this same session already drafted it.
            return [new PriorListing(Guid.Empty, EntryStatus.Draft, null, null)];
        }

        return await ReadPriorListingsAsync(Db, subjectKey, caseNumber, ct);
    }

    /// <summary>Debtor-and-case pairs of the entries created after entry number <paramref name="entryNo"/> (what other writers added meanwhile).</summary>
    public async Task<HashSet<string>> SubjectCasesAfterAsync(long entryNo, CancellationToken ct) =>
        (await Db.Entries.AsNoTracking().Where(e => e.No > entryNo).Select(e => new { e.SubjectKey, e.CaseNumber }).ToListAsync(ct))
            .Select(x => x.SubjectKey + "|" + x.CaseNumber).ToHashSet(StringComparer.Ordinal);

    /// <summary>The entries already held for this debtor and case, read outside any session (an import prepares its rows with it before taking the ledger).</summary>
    public static async Task<ImmutableArray<PriorListing>> ReadPriorListingsAsync(ShixinDbContext db, string subjectKey, string caseNumber, CancellationToken ct)
    {
        var rows = await db.Entries.AsNoTracking()
            .Where(e => e.SubjectKey == subjectKey && e.CaseNumber == caseNumber)
            .Select(e => new { e.Id, e.Status, e.StateJson })
            .ToListAsync(ct);
        return [.. rows.Select(r =>
        {
            var s = LedgerJson.ReadState(r.StateJson);
            return new PriorListing(r.Id, s.Status, s.ExitReason, s.ExitedOn);
        })];
    }

    /// <summary>
    /// The entries already held for many debtor-and-case pairs at once, read outside any session: a bulk import asks
    /// once per few hundred rows instead of once per row (issue 13). Pairs with no entry are absent from the answer.
    /// </summary>
    public static async Task<Dictionary<(string SubjectKey, string CaseNumber), ImmutableArray<PriorListing>>> ReadPriorListingsAsync(
        ShixinDbContext db, IReadOnlyCollection<(string SubjectKey, string CaseNumber)> pairs, CancellationToken ct)
    {
        var found = new Dictionary<(string, string), ImmutableArray<PriorListing>>();
        var wanted = pairs.ToHashSet();
        foreach (var chunk in wanted.Select(p => p.SubjectKey).Distinct(StringComparer.Ordinal).Chunk(500))
        {
            // The narrow columns first (ix_entries_subject_case); the state only of the entries in a wanted case.
            var hits = (await db.Entries.AsNoTracking().Where(e => chunk.Contains(e.SubjectKey))
                    .Select(e => new { e.Id, e.SubjectKey, e.CaseNumber }).ToListAsync(ct))
                .Where(e => wanted.Contains((e.SubjectKey, e.CaseNumber)))
                .ToList();
            if (hits.Count == 0)
            {
                continue;
            }

            var ids = hits.Select(h => h.Id).ToList();
            var states = await db.Entries.AsNoTracking().Where(e => ids.Contains(e.Id)).Select(e => new { e.Id, e.StateJson }).ToDictionaryAsync(e => e.Id, e => e.StateJson, ct);
            foreach (var g in hits.GroupBy(h => (h.SubjectKey, h.CaseNumber)))
            {
                found[g.Key] = [.. g.Select(h =>
                {
                    var s = LedgerJson.ReadState(states[h.Id]);
                    return new PriorListing(h.Id, s.Status, s.ExitReason, s.ExitedOn);
                })];
            }
        }

        return found;
    }

    /// <summary>
    /// Appends a new entry whose events were decided in full before the ledger was taken (a bulk import), the same rows
    /// as <see cref="Stage"/> would write, buffered and written in bulk at the next flush or commit (COPY on PostgreSQL,
    /// prepared multi-row INSERTs on SQLite). List sequences and the entry number are handed out here, under the lock.
    /// </summary>
    public void AppendNew(Guid entryId, IReadOnlyList<EntryEvent> events, Actor actor)
    {
        if (events.Any(e => e is ExemptionGranted or ExemptionEnded))
        {
            // court_exemptions rows go through the ORM path.
            Stage(entryId, null, events, actor);
            return;
        }

        var bulk = _bulk ??= new LedgerBulk();
        var now = _time.GetUtcNow().UtcDateTime;
        EntryState? running = null;
        string? lastView = null;
        var last = events.Count - 1;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            long? seq = e.ChangesList ? ++Head : null;
            running = EntryDecider.Evolve(running, e);
            string? view = null;
            if (seq is not null)
            {
                view = LedgerJson.WriteUnitView(running!);
                if (i == last)
                {
                    lastView = view;
                }
            }

            bulk.Events.Add(new LedgerEventRow
            {
                Seq = seq,
                EntryId = entryId,
                Type = e.Type,
                OccurredAt = now,
                ActorOrganization = actor.OrganizationCode,
                ActorKey = actor.KeyId,
                DataJson = LedgerJson.WriteEvent(e),
                EntryViewJson = view,
            });
        }

        var next = running ?? throw new InvalidOperationException("no events to append");
        var row = new EntryRow
        {
            Id = entryId,
            No = ++_entries,
            CourtCode = next.CourtCode,
            CaseNumber = next.CaseNumber,
            Status = next.Status.ToApi(),
            SubjectKind = next.Subject.Kind,
            SubjectKey = next.Subject.Key,
            SubjectName = next.Subject.Name,
            Publicity = next.Publicity,
            CreatedAt = now,
            StateJson = LedgerJson.WriteState(next),
            // The unit view after the last event is the entry's own; written once when it is the same state.
            UnitViewJson = lastView ?? LedgerJson.WriteUnitView(next),
        };
        Project(row, next, now);
        bulk.Entries.Add(row);
        foreach (var k in EntryKeys.Of(next))
        {
            bulk.Keys.Add(new SubjectKeyRow { EntryNo = row.No, Key = k.Text, Role = k.Role, ViaDocument = k.ViaDocument });
        }

        _stagedSubjectCases.Add(next.Subject.Key + "|" + next.CaseNumber);
    }

    /// <summary>Rows appended by <see cref="AppendNew"/> and not yet written.</summary>
    public int Appended => _bulk?.Entries.Count ?? 0;

    private async Task WriteBulkAsync(CancellationToken ct)
    {
        if (_bulk is { IsEmpty: false } bulk)
        {
            await bulk.WriteAsync(Db.Database.GetDbConnection(), _tx.GetDbTransaction(), ct);
        }
    }

    /// <summary>Decides a command and stages the new state and events; nothing is written on refusal.</summary>
    public LedgerResult Apply(Guid entryId, EntryState? state, EntryCommand command, IEntryRules rules, Actor actor)
    {
        var decision = EntryDecider.Decide(state, command, rules);
        return decision.IsRefused ? new LedgerResult(state, [], decision.Error) : Stage(entryId, state, decision.Events, actor);
    }

    /// <summary>
    /// Stages the events that record objections kept as rows before they were events (<see cref="ObjectionBackfill"/>):
    /// the rows already say what the events say, so they are kept as they are instead of written again.
    /// </summary>
    public LedgerResult Adopt(Guid entryId, EntryState state, IReadOnlyList<EntryEvent> events, Actor actor)
    {
        _adoptingRows = true;
        try
        {
            return Stage(entryId, state, events, actor);
        }
        finally
        {
            _adoptingRows = false;
        }
    }

    private bool _adoptingRows;

    /// <summary>Stages events already decided from <paramref name="state"/> (a bulk import decides a row's steps first).</summary>
    public LedgerResult Stage(Guid entryId, EntryState? state, IReadOnlyList<EntryEvent> events, Actor actor)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var stored = ImmutableArray.CreateBuilder<StoredEvent>(events.Count);
        var running = state;
        foreach (var e in events)
        {
            long? seq = e.ChangesList ? ++Head : null;
            running = EntryDecider.Evolve(running, e);
            Db.LedgerEvents.Add(new LedgerEventRow
            {
                Seq = seq,
                EntryId = entryId,
                Type = e.Type,
                OccurredAt = now,
                ActorOrganization = actor.OrganizationCode,
                ActorKey = actor.KeyId,
                DataJson = LedgerJson.WriteEvent(e),
                EntryViewJson = seq is null ? null : LedgerJson.WriteUnitView(running!),
            });
            stored.Add(new StoredEvent(seq, entryId, e.Type, now, actor.OrganizationCode, e));
        }

        var next = running ?? throw new InvalidOperationException("no events to stage");
        if (_staged.TryGetValue(entryId, out var existing))
        {
            var before = state is null ? [] : EntryKeys.Of(state);
            Project(existing.Row, next, now);
            _staged[entryId] = (existing.Row, next);
            var after = EntryKeys.Of(next);
            if (!before.SequenceEqual(after))
            {
                // An amendment changed who the entry screens; replace its keys.
                var no = existing.Row.No;
                Db.SubjectKeys.RemoveRange(Db.SubjectKeys.Local.Where(k => k.EntryNo == no).ToList());
                Db.SubjectKeys.RemoveRange(Db.SubjectKeys.Where(k => k.EntryNo == no).ToList());
                AddKeys(existing.Row.No, after);
            }
        }
        else
        {
            var row = new EntryRow
            {
                Id = entryId,
                No = ++_entries,
                CourtCode = next.CourtCode,
                CaseNumber = next.CaseNumber,
                Status = next.Status.ToApi(),
                SubjectKind = next.Subject.Kind,
                SubjectKey = next.Subject.Key,
                SubjectName = next.Subject.Name,
                Publicity = next.Publicity,
                CreatedAt = now,
                StateJson = "",
            };
            Project(row, next, now);
            Db.Entries.Add(row);
            AddKeys(row.No, EntryKeys.Of(next));
            _staged[entryId] = (row, next);
            _stagedSubjectCases.Add(next.Subject.Key + "|" + next.CaseNumber);
        }

        StageExemptions(_staged[entryId].Row, events, now);
        StageObjections(_staged[entryId].Row, events, now);
        _dirty.Add(entryId);
        return new LedgerResult(next, stored.ToImmutable(), null);
    }

    /// <summary>Writes what is staged so far (inside the transaction) and forgets tracked rows, for long imports.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await WriteBulkAsync(ct);
        SerializeDirty();
        await Db.SaveChangesAsync(ct);
        Db.ChangeTracker.Clear();
        _staged.Clear();
    }

    /// <summary>Advances the head and commits; the list sequences become visible together.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        // Bulk-appended entries first: rows staged through the ORM (the audit, any event) may refer to them.
        await WriteBulkAsync(ct);
        SerializeDirty();
        await Db.SaveChangesAsync(ct);
        if (Head != StartHead || _entries != _startEntries)
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            await ExecuteAsync(Db, _tx, "UPDATE ledger_head SET seq = " + Head.ToString(inv) + ", entries = " + _entries.ToString(inv) + " WHERE id = 1", ct);
            if (Db.IsPostgres && Head != StartHead)
            {
                // Delivered at commit to every node that listens: they follow at once instead of at the next poll.
                await ExecuteAsync(Db, _tx, "SELECT pg_notify('" + LedgerChannel + "', '" + Head.ToString(inv) + "')", ct);
            }
        }

        await _tx.CommitAsync(ct);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            try
            {
                await _tx.RollbackAsync();
            }
            catch (InvalidOperationException)
            {
                // The connection already failed; the database discards the transaction.
            }
            catch (DbException)
            {
            }
        }

        _bulk?.Dispose();
        await _tx.DisposeAsync();
        await Db.DisposeAsync();
        Interlocked.Exchange(ref _gate, null)?.Release();
    }

    /// <summary>Keeps <c>court_exemptions</c> in step with the exemption events, in the same transaction.</summary>
    private void StageExemptions(EntryRow entry, IReadOnlyList<EntryEvent> events, DateTime now)
    {
        foreach (var e in events)
        {
            if (e is ExemptionGranted g)
            {
                var x = g.Exemption;
                Db.CourtExemptions.Add(new CourtExemptionRow
                {
                    Id = x.Id, EntryId = entry.Id, EntryNo = entry.No, CourtCode = entry.CourtCode,
                    SubjectKey = EntryKey.Prefix(SubjectKeyKind.ResidentId) + x.IdNumber, Kind = x.Kind,
                    Scenarios = string.Join(',', x.Scenarios), ValidFrom = x.ValidFrom, ValidUntil = x.ValidUntil, GrantedAt = now,
                });
            }
            else if (e is ExemptionEnded ended)
            {
                var row = Db.CourtExemptions.Local.FirstOrDefault(r => r.Id == ended.ExemptionId)
                    ?? Db.CourtExemptions.FirstOrDefault(r => r.Id == ended.ExemptionId)
                    ?? throw new InvalidOperationException("court_exemptions has no row for exemption " + ended.ExemptionId.ToString());
                row.EndedAt = now;
            }
        }
    }

    /// <summary>
    /// Keeps <c>objections</c> (what the lists, the court's queue and the duty pages read) in step with the objection
    /// events, in the same transaction. The events are the record; the rows can be rebuilt from them.
    /// </summary>
    private void StageObjections(EntryRow entry, IReadOnlyList<EntryEvent> events, DateTime now)
    {
        if (_adoptingRows)
        {
            return;
        }

        foreach (var e in events)
        {
            if (e is Core.Oversight.ObjectionFiled f)
            {
                var o = f.Objection;
                Db.Objections.Add(new ObjectionRow
                {
                    Id = o.Id, OrganizationCode = o.Organization, EntryId = entry.Id, EntryNo = entry.No, MeasureCode = o.MeasureId, ReceivedOn = o.ReceivedOn,
                    Grounds = o.Grounds, CourtCode = entry.CourtCode, VerifyDueOn = o.VerifyDue.DueOn, Rule = o.VerifyDue.RuleId, Status = o.Status, CreatedAt = now,
                });
            }
            else if (e is Core.Oversight.ObjectionVerified v)
            {
                var row = Db.Objections.Local.FirstOrDefault(r => r.Id == v.ObjectionId)
                    ?? Db.Objections.FirstOrDefault(r => r.Id == v.ObjectionId)
                    ?? throw new InvalidOperationException("objections has no row for objection " + v.ObjectionId.ToString());
                row.Status = v.Finding == Core.Oversight.ObjectionFinding.Upheld ? Core.Oversight.ObjectionStatus.Upheld : Core.Oversight.ObjectionStatus.Rejected;
                row.VerifiedOn = v.VerifiedOn;
                row.Reasons = v.Reasons;
            }
        }
    }

    private void AddKeys(long no, ImmutableArray<EntryKey> keys)
    {
        foreach (var k in keys)
        {
            Db.SubjectKeys.Add(new SubjectKeyRow { EntryNo = no, Key = k.Text, Role = k.Role, ViaDocument = k.ViaDocument });
        }
    }

    private static void Project(EntryRow row, EntryState s, DateTime now)
    {
        row.CaseNumber = s.CaseNumber;
        row.Status = s.Status.ToApi();
        row.SubjectKey = s.Subject.Key;
        row.SubjectName = s.Subject.Name;
        row.Publicity = s.Publicity;
        row.Screened = s.IsScreened;
        row.DecidedOn = s.DecidedOn;
        row.PublishedOn = s.PublishedOn;
        row.ExpiresOn = s.ExpiresOn;
        row.ExitedOn = s.ExitedOn;
        row.Version = s.Version;
        row.UpdatedAt = now;
    }

    /// <summary>Serialises each changed entry once, however many commands touched it in this session.</summary>
    private void SerializeDirty()
    {
        foreach (var id in _dirty)
        {
            var (row, state) = _staged[id];
            row.StateJson = LedgerJson.WriteState(state);
            row.UnitViewJson = LedgerJson.WriteUnitView(state);
        }

        _dirty.Clear();
    }

    private static async Task<(long Seq, long Entries)> HeadAsync(ShixinDbContext db, IDbContextTransaction tx, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx.GetDbTransaction();
        cmd.CommandText = "UPDATE ledger_head SET seq = seq WHERE id = 1 RETURNING seq, entries";
        cmd.CommandTimeout = 0; // lock_timeout bounds the wait (PostgreSQL); SQLite's gate was taken before
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidOperationException("ledger_head is missing; the database was not migrated");
        }

        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task ExecuteAsync(ShixinDbContext db, IDbContextTransaction tx, string sql, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx.GetDbTransaction();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>How states and events are serialised in the ledger (camelCase, ISO dates).</summary>
public static class LedgerJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        // Keep Chinese text readable in the database.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string WriteState(EntryState s) => JsonSerializer.Serialize(s, Options);

    public static EntryState ReadState(string json) =>
        JsonSerializer.Deserialize<EntryState>(json, Options) ?? throw new InvalidDataException("empty entry state");

    public static string WriteEvent(EntryEvent e) => JsonSerializer.Serialize(e, Options);

    public static string WriteUnitView(EntryState s) => JsonSerializer.Serialize(UnitEntryView.Of(s), Options);

    public static EntryEvent ReadEvent(string json) =>
        JsonSerializer.Deserialize<EntryEvent>(json, Options) ?? throw new InvalidDataException("empty event");
}
