using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Data;
using Shixin.Screening;
using Shixin.Server.Ops;

namespace Shixin.Server.Units;

/// <summary>
/// Keeps this node's screening index caught up with the ledger: it loads a snapshot at start, then
/// applies every list change by sequence, woken by local commits and polling for other nodes' commits.
/// Replaying a change the snapshot already reflects is harmless: a projection replaces the entry whole.
/// </summary>
public sealed class IndexFollower(ShixinDatabase database, LedgerSignal signal, ShixinMetrics metrics, EntryDetails details, EntryCards cards,
    CourtExemptionBook exemptions, ObjectionSuspensions suspensions, TimeProvider time, ILogger<IndexFollower> logger)
    : BackgroundService
{
    private Dictionary<string, string> _courtNames = new(StringComparer.Ordinal);

    private ScreeningIndex _index = ScreeningIndex.CreateEmpty();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _ledgerHead;

    public ScreeningIndex Index => Volatile.Read(ref _index);

    public bool IsLoaded => _loaded.Task.IsCompleted;

    /// <summary>Completes when the first snapshot is in memory.</summary>
    public Task Loaded => _loaded.Task;

    /// <summary>How often to look for commits made by other nodes.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan LastBuildTime { get; private set; }

    // Completed (and replaced) each time the index advances; waiters for a sequence watch it.
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Completed (and replaced) when a waiter needs a sequence the index does not reflect yet: the loop reads the ledger
    // at once instead of at its next poll (another node's commit may not have been announced here yet).
    private TaskCompletionSource _wanted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Waits until the index reflects at least the given list sequence, at most <paramref name="timeout"/>; true when it does.
    /// Used by writes (a node reflects its own acknowledged writes) and by checks with <c>minSequence</c>.
    /// </summary>
    public async Task<bool> WaitForAsync(long sequence, TimeSpan timeout, CancellationToken ct = default)
    {
        if (Index.Sequence >= sequence)
        {
            return true;
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var advanced = Volatile.Read(ref _advanced).Task;
            if (Index.Sequence >= sequence)
            {
                return true;
            }

            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            Volatile.Read(ref _wanted).TrySetResult();
            await Task.WhenAny(advanced, Task.Delay(left < TimeSpan.FromMilliseconds(50) ? left : TimeSpan.FromMilliseconds(50), ct));
            ct.ThrowIfCancellationRequested();
        }
    }

    private void Advanced() =>
        Interlocked.Exchange(ref _advanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Gauge("shixin_index_keys", "Keys in this node's screening index.", () => Index.KeyCount);
        metrics.Gauge("shixin_index_sequence", "List sequence this node's screening index reflects.", () => Index.Sequence);
        metrics.Gauge("shixin_index_lag", "List changes committed but not yet in this node's index.",
            () => Math.Max(0, Math.Max(Interlocked.Read(ref _ledgerHead), metrics.LedgerSequence) - Index.Sequence));
        metrics.Gauge("shixin_index_bytes", "Approximate memory of this node's screening index.", () => Index.ApproximateBytes);
        metrics.Gauge("shixin_entry_cards", "Screened entries whose explanation this node holds in memory.", () => cards.Count);
        metrics.Gauge("shixin_entry_cards_bytes", "Approximate memory of this node's entry cards.", () => cards.ApproximateBytes);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await LoadSnapshotAsync(stoppingToken);
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may not be migrated yet on first start.
                logger.LogWarning(ex, "Index snapshot not loaded yet; retrying");
                await Task.Delay(200, stoppingToken);
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.NextAsync();
            var wanted = Volatile.Read(ref _wanted);
            try
            {
                while (await CatchUpAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Index follower could not read the ledger; will retry");
            }

            await Task.WhenAny(wake, wanted.Task, Task.Delay(PollInterval, stoppingToken));
            if (wanted.Task.IsCompleted)
            {
                // Asked for: the next turn reads the ledger at once; later askers complete the fresh source.
                Interlocked.CompareExchange(ref _wanted, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wanted);
            }
        }
    }

    private async Task LoadSnapshotAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        long head;
        await using (var db = database.CreateContext())
        {
            head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync(ct);
        }

        // Objections stand beside the index: loaded from the same head on, and replayed by the catch-up like entries.
        await using (var db = database.CreateContext())
        {
            await suspensions.LoadAllAsync(db, ct);
        }

        var builder = new ScreeningIndexBuilder();
        var index = builder.Build(ReadSnapshot(ct).ToBlockingEnumerable(ct), head);
        Volatile.Write(ref _index, index);
        Interlocked.Exchange(ref _ledgerHead, head);
        LastBuildTime = watch.Elapsed;
        Advanced();
        logger.LogInformation("Screening index loaded: {Keys} keys at list sequence {Sequence} in {Ms} ms", index.KeyCount, head, watch.ElapsedMilliseconds);
        _loaded.TrySetResult();
    }

    /// <summary>
    /// Every screened entry with its keys, in entry order, from two narrow index scans merged here: this thread reads
    /// the entries' short columns (keeping each entry's card for explanations), another reads and packs every subject
    /// key, so that the two halves of a rebuild use both cores. Both scans start after the head was read, so any change
    /// they straddle is replayed by the catch-up that follows.
    /// </summary>
    private async IAsyncEnumerable<EntryProjection> ReadSnapshot([EnumeratorCancellation] CancellationToken ct)
    {
        await LoadCourtNamesAsync(ct);
        var exempt = await StandingExemptionsAsync(null, ct);
        var screened = database.Provider == DatabaseProvider.Postgres ? "TRUE" : "1";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<PackedKey[]>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ReadKeysAsync(channel.Writer, stop.Token), stop.Token);
        try
        {
            await using var entryDb = database.CreateContext();
            await entryDb.Database.OpenConnectionAsync(ct);
            await using var entryCmd = entryDb.Database.GetDbConnection().CreateCommand();
            entryCmd.CommandText = "SELECT no, subject_kind, id, court_code, published_on, publicity, case_number FROM entries WHERE screened = " + screened + " ORDER BY no";
            entryCmd.CommandTimeout = 0;
            await using var entries = await entryCmd.ExecuteReaderAsync(ct);
            var keys = new KeyCursor(channel.Reader);
            var more = await keys.MoveNextAsync(ct);
            var subjects = new List<EntrySubject>();
            while (await entries.ReadAsync(ct))
            {
                var no = entries.GetInt64(0);
                var kind = string.Equals(entries.GetString(1), "person", StringComparison.Ordinal) ? DebtorKind.Person : DebtorKind.Organization;
                var court = entries.GetString(3);
                cards.Set(no, entries.GetGuid(2), entries.GetString(6), court, CourtName(court),
                    entries.IsDBNull(4) ? null : entries.GetFieldValue<DateOnly>(4), string.Equals(entries.GetString(5), "restricted", StringComparison.Ordinal));

                // Keys of entries that are not screened are skipped; the keys of this entry are collected.
                subjects.Clear();
                while (more && keys.Current.No <= no)
                {
                    if (keys.Current.No == no)
                    {
                        Add(subjects, keys.Current);
                    }

                    more = await keys.MoveNextAsync(ct);
                }

                yield return new EntryProjection(no, true, kind, BindDocuments(subjects), exempt.GetValueOrDefault(no));
            }
        }
        finally
        {
            // The keys of unscreened entries after the last screened one are not needed.
            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Reads and packs every subject key in entry order, in blocks (the rebuild's second thread).</summary>
    private async Task ReadKeysAsync(ChannelWriter<PackedKey[]> output, CancellationToken ct)
    {
        try
        {
            await using var db = database.CreateContext();
            await db.Database.OpenConnectionAsync(ct);
            await using var cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.CommandText = "SELECT entry_no, key, role, via_document FROM subject_keys ORDER BY entry_no";
            cmd.CommandTimeout = 0;
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var block = new PackedKey[4096];
            var n = 0;
            while (await reader.ReadAsync(ct))
            {
                if (!TryPackRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), out block[n]))
                {
                    continue;
                }

                if (++n == block.Length)
                {
                    await output.WriteAsync(block, ct);
                    block = new PackedKey[block.Length];
                    n = 0;
                }
            }

            await output.WriteAsync(block[..n], ct);
            output.Complete();
        }
        catch (Exception ex)
        {
            output.Complete(ex);
            throw;
        }
    }

    private readonly record struct PackedKey(long No, SubjectKey Key, SubjectRole Role, bool ViaDocument);

    /// <summary>Walks the key blocks one key at a time.</summary>
    private sealed class KeyCursor(ChannelReader<PackedKey[]> reader)
    {
        private PackedKey[] _block = [];
        private int _at = -1;

        public PackedKey Current => _block[_at];

        public async ValueTask<bool> MoveNextAsync(CancellationToken ct)
        {
            if (++_at < _block.Length)
            {
                return true;
            }

            while (await reader.WaitToReadAsync(ct))
            {
                if (reader.TryRead(out var next) && next.Length > 0)
                {
                    _block = next;
                    _at = 0;
                    return true;
                }
            }

            return false;
        }
    }

    private string CourtName(string code) => _courtNames.TryGetValue(code, out var name) ? name : code;

    private async Task LoadCourtNamesAsync(CancellationToken ct)
    {
        await using var db = database.CreateContext();
        _courtNames = await db.Organizations.AsNoTracking().ToDictionaryAsync(o => o.Code, o => o.Name, StringComparer.Ordinal, ct);
    }

    /// <summary>Applies the next batch of list changes; returns how many events it read.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct)
    {
        var index = Index;
        var from = index.Sequence;
        await using var db = database.CreateContext();
        var events = await db.LedgerEvents.AsNoTracking().Where(e => e.Seq > from).OrderBy(e => e.Seq)
            .Select(e => new { Seq = e.Seq!.Value, e.EntryId }).Take(10_000).ToListAsync(ct);
        if (events.Count == 0)
        {
            return 0;
        }

        var through = events[^1].Seq;
        var ids = events.Select(e => e.EntryId).Distinct().ToList();
        var changes = new List<EntryProjection>(ids.Count);
        foreach (var chunk in ids.Chunk(500))
        {
            var entries = await db.Entries.AsNoTracking().Where(e => chunk.Contains(e.Id))
                .Select(e => new { e.No, e.Id, e.Screened, e.SubjectKind, e.CourtCode, e.CaseNumber, e.PublishedOn, e.Publicity }).ToListAsync(ct);
            if (entries.Any(e => !_courtNames.ContainsKey(e.CourtCode)))
            {
                await LoadCourtNamesAsync(ct);
            }

            var nos = entries.Select(e => e.No).ToList();
            var keys = await db.SubjectKeys.AsNoTracking().Where(k => nos.Contains(k.EntryNo)).ToListAsync(ct);
            var exempt = await StandingExemptionsAsync(nos, ct);
            var byEntry = keys.ToLookup(k => k.EntryNo);
            foreach (var e in entries)
            {
                var subjects = new List<EntrySubject>();
                foreach (var k in byEntry[e.No])
                {
                    if (TryPackRow(e.No, k.Key, k.Role, k.ViaDocument, out var packed))
                    {
                        Add(subjects, packed);
                    }
                }

                // The card changes before the index does, so a hit is always explained from memory.
                if (e.Screened)
                {
                    cards.Set(e.No, e.Id, e.CaseNumber, e.CourtCode, CourtName(e.CourtCode), e.PublishedOn,
                        string.Equals(e.Publicity, "restricted", StringComparison.Ordinal));
                }
                else
                {
                    cards.Remove(e.No);
                }

                changes.Add(new EntryProjection(e.No, e.Screened,
                    string.Equals(e.SubjectKind, "person", StringComparison.Ordinal) ? DebtorKind.Person : DebtorKind.Organization, BindDocuments(subjects),
                    exempt.GetValueOrDefault(e.No)));
                details.Forget(e.No);
            }
        }

        // Objection events change what checks answer: the touched entries' suspensions are refreshed before the index
        // reports their sequence, so a check at sequence N honours every objection up to N.
        await suspensions.RefreshAsync(db, [.. changes.Select(c => c.ExternalId)], ct);
        index.Apply(changes, through);
        Interlocked.Exchange(ref _ledgerHead, Math.Max(Interlocked.Read(ref _ledgerHead), through));
        Advanced();
        return events.Count;
    }

    /// <summary>
    /// The court exemptions not ended by a judge and not lapsed more than a day ago, of the given entries (all when null),
    /// by entry number; registered in the exemption book before the index sees their numbers. A lapsed one the index
    /// still holds is harmless: a check honours an exemption only inside its window.
    /// </summary>
    private async Task<Dictionary<long, List<Exemption>>> StandingExemptionsAsync(List<long>? nos, CancellationToken ct)
    {
        var since = ChinaTime.Today(time).AddDays(-1);
        await using var db = database.CreateContext();
        var q = db.CourtExemptions.AsNoTracking().Where(x => x.EndedAt == null && x.ValidUntil >= since);
        if (nos is not null)
        {
            q = q.Where(x => nos.Contains(x.EntryNo));
        }

        var result = new Dictionary<long, List<Exemption>>();
        foreach (var row in await q.ToListAsync(ct))
        {
            if (exemptions.TryProject(row, out var exemption))
            {
                if (!result.TryGetValue(row.EntryNo, out var list))
                {
                    result[row.EntryNo] = list = [];
                }

                list.Add(exemption);
            }
            else
            {
                logger.LogWarning("Court exemption {Id} has an unreadable key or number; not honoured", row.Id);
            }
        }

        return result;
    }

    /// <summary>A stored key row as a packed key with its role; false (logged) when the stored text does not parse.</summary>
    private bool TryPackRow(long no, string text, string role, bool viaDocument, out PackedKey packed)
    {
        if (!ScreeningKeys.TryPack(text, out var key))
        {
            logger.LogWarning("Entry {No} has an unreadable key {Key}; skipped", no, text);
            packed = default;
            return false;
        }

        packed = new PackedKey(no, key, ScreeningKeys.Role(role), viaDocument);
        return true;
    }

    private static void Add(List<EntrySubject> subjects, in PackedKey k) => subjects.Add(new EntrySubject(k.Key, k.Role, k.ViaDocument));

    /// <summary>
    /// An entry's subjects, each passport bound to the listed person's ID of the same role so that the ID's exemptions
    /// cover it too; done once all the entry's keys are in, whatever order they were read in.
    /// </summary>
    private static EntrySubject[] BindDocuments(List<EntrySubject> subjects)
    {
        var result = subjects.ToArray();
        for (var i = 0; i < result.Length; i++)
        {
            if (result[i].ViaDocument)
            {
                var role = result[i].Role;
                var id = subjects.FirstOrDefault(s => s.Key.Kind == Screening.SubjectKind.ResidentId && !s.ViaDocument && s.Role == role);
                result[i] = result[i] with { BoundTo = id.Key };
            }
        }

        return result;
    }

}
