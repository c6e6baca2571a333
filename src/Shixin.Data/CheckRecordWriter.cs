using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Shixin.Data;

/// <summary>
/// Group commit for the audit trail (check records and every audited read): callers enqueue and wait; one
/// writer drains everything queued, chains it onto the trail and commits it in a single transaction, so each
/// record is durable before its response while the cost of a commit is shared by all that arrived meanwhile.
/// It writes to the <see cref="RecordsStore"/>, never the ledger: on SQLite a file of its own, so a check
/// never waits for a ledger write (an import, say) to release the ledger's single writer.
/// </summary>
public sealed class CheckRecordWriter : IAsyncDisposable
{
    private readonly RecordsStore _store;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(200_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Task _loop;
    private long _written;
    private long _commits;

    public CheckRecordWriter(RecordsStore store, SubjectHasher hasher)
    {
        _store = store;
        Hasher = hasher;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The keyed hash the trail uses for identifiers.</summary>
    public SubjectHasher Hasher { get; }

    /// <summary>Records written since start.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Transactions committed since start (records per commit = Written / Commits).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Completes once the check records are committed to the trail.</summary>
    public Task RecordAsync(IReadOnlyList<CheckRecordRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }

        var trail = new AuditTrailRow[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            trail[i] = ToTrail(rows[i]);
        }

        return AppendAsync(trail, ct);
    }

    /// <summary>Completes once the records are committed to the trail (their Seq and Hash are set by the writer).</summary>
    public async Task AppendAsync(IReadOnlyList<AuditTrailRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var pending = new Pending(rows, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, ct);
        await pending.Done.Task.WaitAsync(ct);
    }

    private AuditTrailRow ToTrail(CheckRecordRow r)
    {
        var isSubject = string.Equals(r.Action, "check", StringComparison.Ordinal);
        return new AuditTrailRow
        {
            At = AuditChain.Truncate(r.CheckedAt),
            OrganizationCode = r.OrganizationCode,
            KeyId = r.KeyId,
            Action = r.Action,
            Subject = isSubject ? Hasher.Hash(r.SubjectKey) : null,
            SubjectMask = isSubject ? SubjectHasher.Mask(r.SubjectKey) : null,
            Target = "check:" + (r.BatchId ?? r.Id).ToString(),
            Scenario = r.Scenario,
            Reference = r.Reference,
            Outcome = r.Outcome,
            ListSeq = r.ListSeq,
            EntryNos = r.EntryNos,
            CheckId = r.BatchId ?? r.Id,
            Subjects = r.Subjects,
            Detail = r.Detail,
        };
    }

    private async Task LoopAsync()
    {
        var batch = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var rows = 0;
            while (rows < 50_000 && _queue.Reader.TryRead(out var p))
            {
                batch.Add(p);
                rows += p.Rows.Count;
            }

            try
            {
                await WriteAsync(batch);
                Interlocked.Add(ref _written, rows);
                Interlocked.Increment(ref _commits);
                foreach (var p in batch)
                {
                    p.Done.TrySetResult();
                }
            }
            catch (Exception ex)
            {
                foreach (var p in batch)
                {
                    p.Done.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>
    /// Chains the batch onto the trail's last record, read inside the same transaction; returns the rows to insert. Copies of
    /// ledger audit rows already in the trail (another node copied them first) are left out.
    /// </summary>
    private static async Task<List<AuditTrailRow>> ChainAsync(DbConnection conn, DbTransaction tx, List<Pending> batch)
    {
        long lastSeq = 0;
        var lastHash = AuditChain.Genesis;
        long copied = 0;
        await using (var cmd = conn.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1";
            await using var reader = await cmd.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                (lastSeq, lastHash) = (reader.GetInt64(0), (byte[])reader.GetValue(1));
            }
        }

        if (batch.Any(p => p.Rows.Any(r => r.SourceId is not null)))
        {
            copied = await CopiedThroughAsync(conn, tx);
        }

        var rows = new List<AuditTrailRow>();
        foreach (var p in batch)
        {
            foreach (var r in p.Rows)
            {
                if (r.SourceId is { } source)
                {
                    if (source <= copied)
                    {
                        continue;
                    }

                    copied = source;
                }

                r.Seq = ++lastSeq;
                r.Hash = AuditChain.Compute(lastHash, r);
                lastHash = r.Hash;
                rows.Add(r);
            }
        }

        return rows;
    }

    /// <summary>The id of the last ledger audit row copied into the trail.</summary>
    public static async Task<long> CopiedThroughAsync(DbConnection conn, DbTransaction? tx)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT COALESCE(MAX(source_id), 0) FROM audit_trail WHERE source_id IS NOT NULL";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        if (_store.Provider == DatabaseProvider.Postgres)
        {
            await using var conn = new NpgsqlConnection(_store.ConnectionString);
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            // Writers on every node take turns at the trail's end; this lock is the trail's, never the ledger head's.
            await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(7367287003)", conn, tx))
            {
                await lockCmd.ExecuteNonQueryAsync();
            }

            var rows = await ChainAsync(conn, tx, batch);
            // COPY is the cheapest way into PostgreSQL.
            await using (var import = await conn.BeginBinaryImportAsync(
                "COPY audit_trail (seq, at, organization_code, key_id, action, subject, subject_mask, target, scenario, reference, outcome, list_seq, entry_nos, check_id, subjects, detail, source_id, hash) FROM STDIN (FORMAT BINARY)"))
            {
                {
                    foreach (var r in rows)
                    {
                        await import.StartRowAsync();
                        await import.WriteAsync(r.Seq, NpgsqlDbType.Bigint);
                        await import.WriteAsync(r.At, NpgsqlDbType.TimestampTz);
                        await import.WriteAsync(r.OrganizationCode, NpgsqlDbType.Text);
                        await Nullable(import, r.KeyId);
                        await import.WriteAsync(r.Action, NpgsqlDbType.Text);
                        await Nullable(import, r.Subject);
                        await Nullable(import, r.SubjectMask);
                        await Nullable(import, r.Target);
                        await Nullable(import, r.Scenario);
                        await Nullable(import, r.Reference);
                        await Nullable(import, r.Outcome);
                        await (r.ListSeq is { } ls ? import.WriteAsync(ls, NpgsqlDbType.Bigint) : import.WriteNullAsync());
                        await Nullable(import, r.EntryNos);
                        await (r.CheckId is { } c ? import.WriteAsync(c, NpgsqlDbType.Uuid) : import.WriteNullAsync());
                        await (r.Subjects is { } s ? import.WriteAsync(s, NpgsqlDbType.Bytea) : import.WriteNullAsync());
                        await Nullable(import, r.Detail);
                        await (r.SourceId is { } src ? import.WriteAsync(src, NpgsqlDbType.Bigint) : import.WriteNullAsync());
                        await import.WriteAsync(r.Hash, NpgsqlDbType.Bytea);
                    }
                }

                await import.CompleteAsync();
            }

            await tx.CommitAsync();
            return;
        }

        try
        {
            _sqlite ??= new SqliteInserter(_store.ConnectionString);
            _sqlite.Write(batch);
        }
        catch
        {
            // A failed commit may leave the kept connection unusable: the next batch opens a fresh one.
            _sqlite?.Dispose();
            _sqlite = null;
            throw;
        }
    }

    private SqliteInserter? _sqlite;

    /// <summary>
    /// The SQLite path keeps one connection and one prepared insert for the life of the writer: a commit of a few
    /// dozen checks then costs little more than the rows themselves, and every waiting check answers sooner.
    /// </summary>
    private sealed class SqliteInserter : IDisposable
    {
        private static readonly string[] Columns =
            ["seq", "at", "organization_code", "key_id", "action", "subject", "subject_mask", "target", "scenario", "reference", "outcome", "list_seq", "entry_nos", "check_id", "subjects", "detail", "source_id", "hash"];

        private readonly SqliteConnection _conn;
        private readonly SqliteCommand _insert;
        private readonly SqliteParameter[] _ps;

        public SqliteInserter(string connectionString)
        {
            _conn = new SqliteConnection(connectionString);
            _conn.Open();
            using (var pragma = _conn.CreateCommand())
            {
                // In WAL mode NORMAL keeps a commit across a process crash (it is in the WAL before the
                // call returns) and skips the per-commit fsync; only a power loss can take the newest records.
                pragma.CommandText = "PRAGMA synchronous=NORMAL";
                pragma.ExecuteNonQuery();
            }

            _insert = _conn.CreateCommand();
            _insert.CommandText = "INSERT INTO audit_trail (" + string.Join(", ", Columns) + ") VALUES (" + string.Join(", ", Columns.Select(c => "$" + c)) + ")";
            _ps = [.. Columns.Select(c => _insert.Parameters.Add(new SqliteParameter { ParameterName = "$" + c }))];
            _insert.Prepare();
        }

        public void Write(List<Pending> batch)
        {
            using var tx = _conn.BeginTransaction();
            var rows = ChainAsync(_conn, tx, batch).GetAwaiter().GetResult();
            _insert.Transaction = tx;
            {
                foreach (var r in rows)
                {
                    _ps[0].Value = r.Seq;
                    _ps[1].Value = r.At.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
                    _ps[2].Value = r.OrganizationCode;
                    _ps[3].Value = (object?)r.KeyId ?? DBNull.Value;
                    _ps[4].Value = r.Action;
                    _ps[5].Value = (object?)r.Subject ?? DBNull.Value;
                    _ps[6].Value = (object?)r.SubjectMask ?? DBNull.Value;
                    _ps[7].Value = (object?)r.Target ?? DBNull.Value;
                    _ps[8].Value = (object?)r.Scenario ?? DBNull.Value;
                    _ps[9].Value = (object?)r.Reference ?? DBNull.Value;
                    _ps[10].Value = (object?)r.Outcome ?? DBNull.Value;
                    _ps[11].Value = (object?)r.ListSeq ?? DBNull.Value;
                    _ps[12].Value = (object?)r.EntryNos ?? DBNull.Value;
                    _ps[13].Value = r.CheckId is { } c ? c.ToString().ToUpperInvariant() : DBNull.Value;
                    _ps[14].Value = (object?)r.Subjects ?? DBNull.Value;
                    _ps[15].Value = (object?)r.Detail ?? DBNull.Value;
                    _ps[16].Value = (object?)r.SourceId ?? DBNull.Value;
                    _ps[17].Value = r.Hash;
                    _insert.ExecuteNonQuery();
                }
            }

            tx.Commit();
            _insert.Transaction = null;
        }

        public void Dispose()
        {
            _insert.Dispose();
            _conn.Dispose();
        }
    }

    private static Task Nullable(NpgsqlBinaryImporter import, string? value) =>
        value is null ? import.WriteNullAsync() : import.WriteAsync(value, NpgsqlDbType.Text);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _sqlite?.Dispose();
        _sqlite = null;
    }

    private sealed record Pending(IReadOnlyList<AuditTrailRow> Rows, TaskCompletionSource Done);
}
