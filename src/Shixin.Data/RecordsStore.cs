using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Shixin.Data;

/// <summary>
/// One record of the audit trail: who read or checked whom, with the answer. Append-only and hash-chained:
/// <see cref="Hash"/> covers the previous record's hash and every field of this one, so an edited,
/// removed or inserted record breaks the chain from there on (<see cref="AuditChain"/>).
/// </summary>
public sealed class AuditTrailRow
{
    /// <summary>Gap-free position in the trail, handed out by the writer.</summary>
    public long Seq { get; set; }
    public DateTime At { get; set; }
    public required string OrganizationCode { get; set; }
    public string? KeyId { get; set; }

    /// <summary>check, check.batch, check.batch-lines, entry.read, entry.list, public.search, read.refused, subject.status, ...</summary>
    public required string Action { get; set; }

    /// <summary>Keyed hash of the subject's identifier (<see cref="SubjectHasher"/>); never the number itself.</summary>
    public string? Subject { get; set; }

    /// <summary>The identifier with its middle hidden, for a reader of the trail.</summary>
    public string? SubjectMask { get; set; }
    public string? Target { get; set; }
    public string? Scenario { get; set; }
    public string? Reference { get; set; }
    public string? Outcome { get; set; }
    public long? ListSeq { get; set; }
    public string? EntryNos { get; set; }

    /// <summary>The check (or batch) this record belongs to.</summary>
    public Guid? CheckId { get; set; }

    /// <summary>A batch chunk's subjects: 8 bytes of keyed hash per checked line, in line order.</summary>
    public byte[]? Subjects { get; set; }
    public string? Detail { get; set; }

    /// <summary>For a write's audit row copied from the ledger's <c>audit</c> table: that row's id (the copy's cursor).</summary>
    public long? SourceId { get; set; }

    /// <summary>SHA-256 over the previous record's hash and this record's fields.</summary>
    public byte[] Hash { get; set; } = [];
}

/// <summary>
/// Where check records and the audit trail live. On SQLite a file of its own beside the ledger
/// (<c>records.db</c>) with its own writer, so that a check never queues behind a ledger write such as a
/// long import; on PostgreSQL tables in the same database, written without touching the ledger head lock.
/// </summary>
public sealed class RecordsStore
{
    private readonly DbContextOptions _options;

    public RecordsStore(DatabaseProvider provider, string connectionString)
    {
        Provider = provider;
        ConnectionString = connectionString;
        if (provider == DatabaseProvider.Sqlite)
        {
            var o = new DbContextOptionsBuilder<RecordsDbContext>();
            o.UseSqlite(connectionString, s => s.CommandTimeout(60));
            _options = o.Options;
        }
        else
        {
            var o = new DbContextOptionsBuilder<RecordsDbContext>();
            o.UseNpgsql(connectionString, s => s.CommandTimeout(60));
            _options = o.Options;
        }
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The records store that goes with a ledger database: <c>records.db</c> in the same directory, or the same PostgreSQL database.</summary>
    public static RecordsStore Beside(ShixinDatabase ledger)
    {
        if (ledger.Provider == DatabaseProvider.Postgres)
        {
            return new RecordsStore(DatabaseProvider.Postgres, ledger.ConnectionString);
        }

        var main = new SqliteConnectionStringBuilder(ledger.ConnectionString);
        var dir = Path.GetDirectoryName(Path.GetFullPath(main.DataSource)) ?? ".";
        return new RecordsStore(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dir, "records.db"),
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString());
    }

    public RecordsDbContext CreateContext() => new(_options, Provider == DatabaseProvider.Sqlite);

    /// <summary>Creates or upgrades the store's schema (its own numbered steps, recorded in <c>records_schema</c>).</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var conn = OpenConnection();
        await conn.OpenAsync(ct);
        var postgres = Provider == DatabaseProvider.Postgres;
        if (!postgres)
        {
            await ExecAsync(conn, "PRAGMA journal_mode=WAL", ct);
        }
        else
        {
            // Nodes starting together: one migrates, the others then find nothing to do.
            await ExecAsync(conn, "SELECT pg_advisory_lock(7367287002)", ct);
        }

        try
        {
            await ExecAsync(conn, "CREATE TABLE IF NOT EXISTS records_schema (version integer NOT NULL PRIMARY KEY)", ct);
            await using var read = conn.CreateCommand();
            read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM records_schema";
            var version = Convert.ToInt32(await read.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            var steps = RecordsSchema.Steps(postgres);
            for (var v = version; v < steps.Count; v++)
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                foreach (var sql in steps[v])
                {
                    await ExecAsync(conn, sql, ct, tx);
                }

                await ExecAsync(conn, "INSERT INTO records_schema (version) VALUES (" + (v + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ")", ct, tx);
                await tx.CommitAsync(ct);
            }
        }
        finally
        {
            if (postgres)
            {
                await ExecAsync(conn, "SELECT pg_advisory_unlock(7367287002)", CancellationToken.None);
            }
        }

        if (!postgres)
        {
            RestrictFile();
        }
    }

    /// <summary>The records file holds who checked whom: readable by the service account only.</summary>
    private void RestrictFile()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
        foreach (var f in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(f))
            {
                File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }

    internal DbConnection OpenConnection() => Provider == DatabaseProvider.Sqlite
        ? new SqliteConnection(ConnectionString)
        : new Npgsql.NpgsqlConnection(ConnectionString);

    private static async Task ExecAsync(DbConnection conn, string sql, CancellationToken ct, DbTransaction? tx = null)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>The records store's schema steps; each runs once, in order.</summary>
internal static class RecordsSchema
{
    public static IReadOnlyList<string[]> Steps(bool postgres)
    {
        var uuid = postgres ? "uuid" : "TEXT";
        var ts = postgres ? "timestamp with time zone" : "TEXT";
        var blob = postgres ? "bytea" : "BLOB";
        var seq = postgres ? "bigint NOT NULL PRIMARY KEY" : "INTEGER NOT NULL PRIMARY KEY";
        return
        [
            [
                $"""
                CREATE TABLE audit_trail (
                    seq {seq},
                    at {ts} NOT NULL,
                    organization_code TEXT NOT NULL,
                    key_id TEXT NULL,
                    action TEXT NOT NULL,
                    subject TEXT NULL,
                    subject_mask TEXT NULL,
                    target TEXT NULL,
                    scenario TEXT NULL,
                    reference TEXT NULL,
                    outcome TEXT NULL,
                    list_seq bigint NULL,
                    entry_nos TEXT NULL,
                    check_id {uuid} NULL,
                    subjects {blob} NULL,
                    detail TEXT NULL,
                    source_id bigint NULL,
                    hash {blob} NOT NULL)
                """,
                "CREATE INDEX ix_audit_trail_check ON audit_trail (check_id)",
                "CREATE INDEX ix_audit_trail_subject ON audit_trail (subject)",
                "CREATE INDEX ix_audit_trail_action_at ON audit_trail (action, at)",
                "CREATE INDEX ix_audit_trail_source ON audit_trail (source_id) WHERE source_id IS NOT NULL",
            ],
        ];
    }
}

/// <summary>Reads the records store (reports, the dashboard, GET /checks/{id}, GET /audit).</summary>
public sealed class RecordsDbContext(DbContextOptions options, bool sqlite) : DbContext(options)
{
    public DbSet<AuditTrailRow> Trail => Set<AuditTrailRow>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (sqlite)
        {
            // SQLite keeps instants as text without a zone; everything written is UTC.
            configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        var e = b.Entity<AuditTrailRow>();
        e.ToTable("audit_trail");
        e.HasKey(x => x.Seq);
        e.Property(x => x.Seq).ValueGeneratedNever();
        foreach (var p in typeof(AuditTrailRow).GetProperties())
        {
            e.Property(p.Name).HasColumnName(string.Concat(p.Name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString())));
        }
    }

    // Caches the model per provider: the flag changes the model, so it must be part of the cache key.
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.ReplaceService<Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory, CacheKeys>()
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    internal bool IsSqlite => sqlite;

    private sealed class CacheKeys : Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime) => (context.GetType(), ((RecordsDbContext)context).IsSqlite, designTime);
    }

    private sealed class UtcConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>
/// Keyed hashes of identifiers for the trail (HMAC-SHA256 with a server secret): whoever holds the secret can
/// find every record about a given number; nobody can turn a record back into the number.
/// </summary>
public sealed class SubjectHasher(byte[] secret)
{
    /// <summary>The trail's subject: 128 bits of HMAC as hex.</summary>
    public string Hash(string subjectKey) => Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(subjectKey)).AsSpan(0, 16));

    /// <summary>The compact form for a batch line: the first 8 bytes of the same HMAC.</summary>
    public void Short(string subjectKey, Span<byte> destination) => Short(Encoding.UTF8.GetBytes(subjectKey), destination);

    /// <summary>The compact form from the identifier's UTF-8 text (the batch path writes it without allocating).</summary>
    public void Short(ReadOnlySpan<byte> subjectKeyUtf8, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[32];
        HMACSHA256.HashData(secret, subjectKeyUtf8, full);
        full[..8].CopyTo(destination);
    }

    /// <summary>Whether a batch chunk's compact subjects include this identifier.</summary>
    public bool InBatch(string subjectKey, byte[]? subjects)
    {
        if (subjects is null)
        {
            return false;
        }

        Span<byte> s = stackalloc byte[8];
        Short(subjectKey, s);
        for (var i = 0; i + 8 <= subjects.Length; i += 8)
        {
            if (subjects.AsSpan(i, 8).SequenceEqual(s))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The identifier with its middle hidden: kind, first four and last two characters (never the birth date of an ID number).
    /// </summary>
    public static string Mask(string subjectKey)
    {
        var colon = subjectKey.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? "" : subjectKey[..(colon + 1)];
        var value = colon < 0 ? subjectKey : subjectKey[(colon + 1)..];
        return value.Length <= 6 ? kind + new string('*', value.Length) : kind + value[..4] + new string('*', value.Length - 6) + value[^2..];
    }

    /// <summary>The secret from <c>SHIXIN_AUDIT_KEY</c> (base64), or a file in the data directory made on first start.</summary>
    public static SubjectHasher Load(string? configured, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new SubjectHasher(Convert.FromBase64String(configured.Trim()));
        }

        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "audit-hmac.key");
        if (!File.Exists(path))
        {
            var fresh = RandomNumberGenerator.GetBytes(32);
            using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                f.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(fresh)));
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return new SubjectHasher(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }
}

/// <summary>The trail's hash chain: how a record's hash is made, and how the whole chain is checked.</summary>
public static class AuditChain
{
    /// <summary>The hash before the first record.</summary>
    public static readonly byte[] Genesis = new byte[32];

    /// <summary>SHA-256 over the previous hash, the sequence and every field (length-prefixed, so no two records encode alike).</summary>
    public static byte[] Compute(ReadOnlySpan<byte> previous, AuditTrailRow r)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(previous);
        Span<byte> n = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(n, r.Seq);
        h.AppendData(n);
        BinaryPrimitives.WriteInt64BigEndian(n, Micros(r.At));
        h.AppendData(n);
        foreach (var s in new[] { r.OrganizationCode, r.KeyId, r.Action, r.Subject, r.SubjectMask, r.Target, r.Scenario, r.Reference, r.Outcome,
            r.ListSeq?.ToString(System.Globalization.CultureInfo.InvariantCulture), r.EntryNos, r.CheckId?.ToString(), r.Detail,
            r.SourceId?.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            Field(h, s is null ? null : Encoding.UTF8.GetBytes(s));
        }

        Field(h, r.Subjects);
        return h.GetHashAndReset();
    }

    /// <summary>Instants are kept to the microsecond, which both databases store exactly.</summary>
    public static DateTime Truncate(DateTime at) => new(at.Ticks - at.Ticks % 10, DateTimeKind.Utc);

    private static long Micros(DateTime at) => at.Ticks / 10;

    private static void Field(IncrementalHash h, byte[]? value)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, value is null ? -1 : value.Length);
        h.AppendData(len);
        if (value is not null)
        {
            h.AppendData(value);
        }
    }

    /// <summary>The outcome of checking the chain.</summary>
    public sealed record Verification(bool Intact, long Records, long? FirstBadSeq, string? Problem, long LastSeq);

    /// <summary>Reads the whole trail in order and recomputes every hash; stops at the first break.</summary>
    public static async Task<Verification> VerifyAsync(RecordsStore store, CancellationToken ct)
    {
        await using var db = store.CreateContext();
        var previous = Genesis;
        long expected = 1;
        long count = 0;
        await foreach (var r in db.Trail.AsNoTracking().OrderBy(x => x.Seq).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (r.Seq != expected)
            {
                return new Verification(false, count, expected, r.Seq > expected
                    ? $"records {expected}–{r.Seq - 1} are missing"
                    : $"record {r.Seq} is out of order", expected - 1);
            }

            var hash = Compute(previous, r);
            if (!hash.AsSpan().SequenceEqual(r.Hash))
            {
                return new Verification(false, count, r.Seq, $"record {r.Seq} does not match its hash: it, or one before it, was changed", r.Seq - 1);
            }

            previous = hash;
            expected++;
            count++;
        }

        return new Verification(true, count, null, null, expected - 1);
    }
}
