using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Shixin.Data;

/// <summary>
/// Group commit for check records: callers enqueue and wait; one writer drains everything queued
/// and commits it in a single transaction, so each check is durable before its response while
/// the cost of a commit is shared by all checks that arrived meanwhile.
/// </summary>
public sealed class CheckRecordWriter : IAsyncDisposable
{
    private readonly ShixinDatabase _database;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(200_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Task _loop;
    private long _written;
    private long _commits;

    public CheckRecordWriter(ShixinDatabase database)
    {
        _database = database;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Records written since start.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Transactions committed since start (records per commit = Written / Commits).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Completes once the records are committed.</summary>
    public async Task RecordAsync(IReadOnlyList<CheckRecordRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var pending = new Pending(rows, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, ct);
        await pending.Done.Task.WaitAsync(ct);
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

    private async Task WriteAsync(List<Pending> batch)
    {
        if (_database.Provider == DatabaseProvider.Postgres)
        {
            await using var db = _database.CreateContext();
            await db.Database.OpenConnectionAsync();
            var npg = (NpgsqlConnection)db.Database.GetDbConnection();
            // COPY is the cheapest way into PostgreSQL; it commits as one statement.
            await using var import = await npg.BeginBinaryImportAsync(
                "COPY check_records (id, organization_code, scenario, reference, subject_key, outcome, list_seq, checked_at, entry_nos, batch_id) FROM STDIN (FORMAT BINARY)");
            foreach (var p in batch)
            {
                foreach (var r in p.Rows)
                {
                    await import.StartRowAsync();
                    await import.WriteAsync(r.Id, NpgsqlDbType.Uuid);
                    await import.WriteAsync(r.OrganizationCode, NpgsqlDbType.Text);
                    await import.WriteAsync(r.Scenario, NpgsqlDbType.Text);
                    await WriteNullableAsync(import, r.Reference);
                    await import.WriteAsync(r.SubjectKey, NpgsqlDbType.Text);
                    await import.WriteAsync(r.Outcome, NpgsqlDbType.Text);
                    await import.WriteAsync(r.ListSeq, NpgsqlDbType.Bigint);
                    await import.WriteAsync(r.CheckedAt, NpgsqlDbType.TimestampTz);
                    await WriteNullableAsync(import, r.EntryNos);
                    if (r.BatchId is { } b)
                    {
                        await import.WriteAsync(b, NpgsqlDbType.Uuid);
                    }
                    else
                    {
                        await import.WriteNullAsync();
                    }
                }
            }

            await import.CompleteAsync();
            return;
        }

        var gate = _database.WriteGate!;
        await gate.WaitAsync();
        try
        {
            WriteSqlite(batch);
        }
        catch
        {
            // A failed commit may leave the kept connection unusable: the next batch opens a fresh one.
            _sqlite?.Dispose();
            _sqlite = null;
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    private SqliteInserter? _sqlite;

    /// <summary>
    /// The SQLite path keeps one connection and one prepared insert for the life of the writer: a commit of a few
    /// dozen checks then costs little more than the rows themselves, and every waiting check answers sooner.
    /// </summary>
    private void WriteSqlite(List<Pending> batch)
    {
        _sqlite ??= new SqliteInserter(_database.ConnectionString);
        _sqlite.Write(batch);
    }

    private sealed class SqliteInserter : IDisposable
    {
        private readonly Microsoft.Data.Sqlite.SqliteConnection _conn;
        private readonly Microsoft.Data.Sqlite.SqliteCommand _insert;
        private readonly Microsoft.Data.Sqlite.SqliteParameter[] _ps;

        public SqliteInserter(string connectionString)
        {
            _conn = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
            _conn.Open();
            using (var pragma = _conn.CreateCommand())
            {
                // In WAL mode NORMAL keeps a commit across a process crash (it is in the WAL before the
                // call returns) and skips the per-commit fsync; only a power loss can take the newest checks.
                pragma.CommandText = "PRAGMA synchronous=NORMAL";
                pragma.ExecuteNonQuery();
            }

            _insert = _conn.CreateCommand();
            _insert.CommandText = "INSERT INTO check_records (id, organization_code, scenario, reference, subject_key, outcome, list_seq, checked_at, entry_nos, batch_id) "
                + "VALUES ($id, $org, $scenario, $reference, $subject, $outcome, $seq, $at, $entries, $batch)";
            _ps = [.. new[] { "$id", "$org", "$scenario", "$reference", "$subject", "$outcome", "$seq", "$at", "$entries", "$batch" }
                .Select(n => _insert.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter { ParameterName = n }))];
            _insert.Prepare();
        }

        public void Write(List<Pending> batch)
        {
            using var tx = _conn.BeginTransaction();
            _insert.Transaction = tx;
            foreach (var p in batch)
            {
                foreach (var r in p.Rows)
                {
                    _ps[0].Value = r.Id.ToString().ToUpperInvariant();
                    _ps[1].Value = r.OrganizationCode;
                    _ps[2].Value = r.Scenario;
                    _ps[3].Value = (object?)r.Reference ?? DBNull.Value;
                    _ps[4].Value = r.SubjectKey;
                    _ps[5].Value = r.Outcome;
                    _ps[6].Value = r.ListSeq;
                    _ps[7].Value = r.CheckedAt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
                    _ps[8].Value = (object?)r.EntryNos ?? DBNull.Value;
                    _ps[9].Value = r.BatchId is { } b ? b.ToString().ToUpperInvariant() : DBNull.Value;
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

    private static Task WriteNullableAsync(NpgsqlBinaryImporter import, string? value) =>
        value is null ? import.WriteNullAsync() : import.WriteAsync(value, NpgsqlDbType.Text);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _sqlite?.Dispose();
        _sqlite = null;
    }

    private sealed record Pending(IReadOnlyList<CheckRecordRow> Rows, TaskCompletionSource Done);
}
