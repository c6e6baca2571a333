using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Shixin.Data;

/// <summary>Which database the platform runs on, and how to open it.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Opens contexts for the configured provider and applies migrations.</summary>
public sealed class ShixinDatabase
{
    private readonly DbContextOptions _options;

    public ShixinDatabase(DatabaseProvider provider, string connectionString)
    {
        Provider = provider;
        ConnectionString = connectionString;
        WriteGate = provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;
        if (provider == DatabaseProvider.Sqlite)
        {
            var o = new DbContextOptionsBuilder<SqliteShixinDbContext>();
            o.UseSqlite(connectionString, s => s.CommandTimeout(60));
            o.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
            _options = o.Options;
        }
        else
        {
            var o = new DbContextOptionsBuilder<PostgresShixinDbContext>();
            o.UseNpgsql(connectionString, s => s.CommandTimeout(60));
            o.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
            _options = o.Options;
        }
    }

    public DatabaseProvider Provider { get; }

    /// <summary>
    /// SQLite has one writer at a time; queueing writers here (asynchronously) is fairer and much
    /// faster than letting them spin in SQLite's busy handler. PostgreSQL writers are ordered by the
    /// ledger head row lock instead and do not take this gate.
    /// </summary>
    public SemaphoreSlim? WriteGate { get; } = null;

    public string ConnectionString { get; }

    /// <summary>How long a writer waits for the ledger before it is answered 503 busy (SHIXIN_LEDGER_WAIT_SECONDS).</summary>
    public TimeSpan LedgerWait { get; set; } = TimeSpan.FromSeconds(10);

    private RecordsStore? _records;

    /// <summary>The check records and audit trail that go with this ledger (<see cref="RecordsStore.Beside"/>).</summary>
    public RecordsStore Records => LazyInitializer.EnsureInitialized(ref _records, () => RecordsStore.Beside(this));

    /// <summary>A SQLite database file in the data directory.</summary>
    public static ShixinDatabase SqliteFile(string path) =>
        new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString());

    public ShixinDbContext CreateContext() => Provider == DatabaseProvider.Sqlite
        ? new SqliteShixinDbContext((DbContextOptions<SqliteShixinDbContext>)_options)
        : new PostgresShixinDbContext((DbContextOptions<PostgresShixinDbContext>)_options);

    /// <summary>Creates or upgrades the schema; on SQLite switches the file to WAL first.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var db = CreateContext();
        if (Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers proceed while the single writer commits (ARCHITECTURE.md "Storage").
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=FULL;", ct);
        }

        if (Provider == DatabaseProvider.Postgres)
        {
            // Nodes starting together: one migrates while the others wait, then find nothing to do.
            await using var gate = new Npgsql.NpgsqlConnection(ConnectionString);
            await gate.OpenAsync(ct);
            await using (var lockCmd = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(7367287001)", gate))
            {
                await lockCmd.ExecuteNonQueryAsync(ct);
            }

            try
            {
                await db.Database.MigrateAsync(ct);
            }
            finally
            {
                // Unlock explicitly: a pooled connection keeps its session (and session locks) when closed.
                await using var unlock = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock(7367287001)", gate);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }

            return;
        }

        await db.Database.MigrateAsync(ct);
    }
}
