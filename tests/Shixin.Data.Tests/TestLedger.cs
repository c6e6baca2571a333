using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Shixin.Core.Calendar;
using Shixin.Core.Entries;
using Shixin.Core.Identifiers;
using Shixin.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Shixin.Data.Tests;

/// <summary>The two databases every data test runs on.</summary>
public enum Db
{
    Sqlite,
    Postgres,
}

/// <summary>A fresh, migrated database with one court, on either provider; deletes the SQLite file afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string Court = "C-TEST-01";

    private readonly string? _sqlitePath;

    private TestDatabase(ShixinDatabase database, string? sqlitePath)
    {
        Database = database;
        _sqlitePath = sqlitePath;
    }

    public ShixinDatabase Database { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An empty database (not migrated); PostgreSQL skips visibly when no binaries exist.</summary>
    public static async Task<TestDatabase> CreateEmptyAsync(Db kind)
    {
        if (kind == Db.Sqlite)
        {
            var path = Path.Combine(Path.GetTempPath(), "shixin-data-" + Guid.NewGuid().ToString("N") + ".db");
            return new TestDatabase(ShixinDatabase.SqliteFile(path), path);
        }

        var pg = await PostgresCluster.SharedAsync();
        Assert.SkipUnless(pg.Available, pg.SkipReason ?? "");
        var cs = await pg.CreateDatabaseAsync("shixin_data");
        return new TestDatabase(new ShixinDatabase(DatabaseProvider.Postgres, cs), null);
    }

    /// <summary>A migrated database holding the test court.</summary>
    public static async Task<TestDatabase> CreateAsync(Db kind)
    {
        var t = await CreateEmptyAsync(kind);
        await t.Database.MigrateAsync(Ct);
        await using var db = t.Database.CreateContext();
        db.Organizations.Add(new OrganizationRow
        {
            Code = Court,
            Kind = "court",
            Name = "北京市东城区人民法院",
            Region = "110101",
            CreatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync(Ct);
        return t;
    }

    public ValueTask DisposeAsync()
    {
        if (_sqlitePath is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                try
                {
                    File.Delete(_sqlitePath + suffix);
                }
                catch (IOException)
                {
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public async Task<long> HeadAsync()
    {
        await using var db = Database.CreateContext();
        return await db.LedgerHead.AsNoTracking().Where(h => h.Id == 1).Select(h => h.Seq).SingleAsync(Ct);
    }

    public async Task<int> EventCountAsync()
    {
        await using var db = Database.CreateContext();
        return await db.LedgerEvents.CountAsync(Ct);
    }

    public async Task<int> EntryCountAsync()
    {
        await using var db = Database.CreateContext();
        return await db.Entries.CountAsync(Ct);
    }

    /// <summary>All list sequences in order, read with plain SQL as a feed consumer would.</summary>
    public async Task<List<long>> ListSequencesAsync(CancellationToken ct)
    {
        await using var db = Database.CreateContext();
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        return await ReadSequencesAsync(conn, ct);
    }

    public static async Task<List<long>> ReadSequencesAsync(DbConnection conn, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT seq FROM ledger_events WHERE seq IS NOT NULL ORDER BY seq";
        var seqs = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            seqs.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
        }

        return seqs;
    }

    /// <summary>The events of one entry in append order.</summary>
    public async Task<List<LedgerEventRow>> EventsAsync(Guid entryId)
    {
        await using var db = Database.CreateContext();
        return await db.LedgerEvents.AsNoTracking().Where(e => e.EntryId == entryId).OrderBy(e => e.Id).ToListAsync(Ct);
    }

    public async Task<EntryRow?> EntryAsync(Guid entryId)
    {
        await using var db = Database.CreateContext();
        return await db.Entries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == entryId, Ct);
    }
}

/// <summary>The real rules, valid drafts, and a helper that drives one command through one ledger session.</summary>
public static class Ledger
{
    public static readonly Actor Clerk = new("court", null);

    public static readonly DateOnly Filed = new(2025, 1, 10);
    public static readonly DateOnly Noticed = new(2025, 2, 3);
    public static readonly DateOnly Decided = new(2025, 3, 3);
    public static readonly DateOnly Exited = new(2025, 4, 1);

    private static readonly Lazy<IEntryRules> LazyRules = new(() =>
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "data");
        var holidays = new HolidayCalendarBuilder();
        foreach (var f in Directory.GetFiles(Path.Combine(dir, "holidays"), "*.json").Order(StringComparer.Ordinal))
        {
            holidays.AddJson(File.ReadAllText(f), Path.GetFileName(f));
        }

        var ruleSet = RuleSetCatalog.FromJson(File.ReadAllText(Path.Combine(dir, "rules", "rule-sets.json"))).Get("seeds");
        return new LegalEntryRules(new LegalCalendar(holidays.Build()), ruleSet);
    });

    public static IEntryRules Rules => LazyRules.Value;

    /// <summary>A valid person draft with a generated resident ID; Chinese names throughout.</summary>
    public static EntryState PersonDraft(Guid id, IdentifierGenerator ids, int caseNo, string name = "张三")
    {
        var rid = ids.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1990, 1, 1));
        return new EntryState
        {
            Id = id,
            CourtCode = TestDatabase.Court,
            CaseNumber = "（2025）京0101执" + caseNo.ToString(CultureInfo.InvariantCulture) + "号",
            FilingDate = Filed,
            BasisDocument = new BasisDocument("（2024）京0101民初45号", "北京市东城区人民法院"),
            Obligation = "支付货款100000元及利息",
            Performance = new Performance(0m, 100000m),
            Circumstances = [Circumstances.ViolatesPropertyReporting],
            Subject = new EntrySubject
            {
                Kind = "person",
                Name = name,
                IdNumber = rid.Value,
                Gender = rid.Sex == Sex.Male ? "male" : "female",
                BirthDate = rid.BirthDate,
            },
        };
    }

    public static ServeRiskNotice Notice() => new(Noticed, Noticed);

    public static DecideListing Decide() => new(Decided, null, null, null, Decided);

    // A guarantee, not performance: the test debtor has a term, which Art. 10 ¶1 events do not end early (SPC Art. 10 ¶2).
    public static ExitEntry Shield() => new(EntryStatus.Shielded, ExitReasons.GuaranteeProvided, Exited, "已提供执行担保", Exited);

    /// <summary>Runs one command in its own committed session.</summary>
    public static Task<LedgerResult> RunAsync(ShixinDatabase db, Guid id, EntryCommand command, CancellationToken ct) =>
        RunAsync(db, id, (_, _) => Task.FromResult(command), ct);

    /// <summary>Runs one command built inside the session (e.g. a draft that needs the prior listings) and commits.</summary>
    public static async Task<LedgerResult> RunAsync(ShixinDatabase db, Guid id, Func<LedgerSession, EntryState?, Task<EntryCommand>> command, CancellationToken ct)
    {
        await using var s = await LedgerSession.BeginAsync(db, TimeProvider.System, ct);
        var state = await s.LoadAsync(id, ct);
        var r = s.Apply(id, state, await command(s, state), Rules, Clerk);
        await s.CommitAsync(ct);
        return r;
    }

    /// <summary>Drafts an entry, asking the session for prior listings as the server does.</summary>
    public static Task<LedgerResult> DraftAsync(ShixinDatabase db, EntryState draft, CancellationToken ct) =>
        RunAsync(db, draft.Id, async (s, _) =>
            new DraftEntry(draft, await s.PriorListingsAsync(draft.Subject.Key, draft.CaseNumber, ct), Filed), ct);

    /// <summary>Runs a command and fails the test when it is refused.</summary>
    public static async Task<LedgerResult> AcceptAsync(ShixinDatabase db, Guid id, EntryCommand command, CancellationToken ct)
    {
        var r = await RunAsync(db, id, command, ct);
        r.Error.ShouldBeNull(command.GetType().Name + " was refused");
        return r;
    }

    /// <summary>Drafts, serves the notice and decides: the entry ends up listed (one list-changing event).</summary>
    public static async Task<LedgerResult> ListAsync(ShixinDatabase db, EntryState draft, CancellationToken ct)
    {
        (await DraftAsync(db, draft, ct)).Error.ShouldBeNull();
        await AcceptAsync(db, draft.Id, Notice(), ct);
        return await AcceptAsync(db, draft.Id, Decide(), ct);
    }
}
