using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Shixin.Data;

/// <summary>
/// New entries, their events and their keys as a ledger session appends them in bulk (issue 13 item 3), written past the
/// ORM inside the session's transaction: COPY (binary) on PostgreSQL, prepared multi-row INSERTs on SQLite. The rows
/// are the same <see cref="EntryRow"/>, <see cref="LedgerEventRow"/> and <see cref="SubjectKeyRow"/> the ORM writes,
/// in the same textual formats (SQLite: GUIDs upper-case, instants "yyyy-MM-dd HH:mm:ss.FFFFFFF", dates ISO, as EF
/// Core stores them), so every reader sees no difference.
/// </summary>
internal sealed class LedgerBulk : IDisposable
{
    /// <summary>
    /// Parameters per SQLite statement. Microsoft.Data.Sqlite binds each parameter by name, and SQLite finds a name by a
    /// linear scan, so binding costs grow with the square of a statement's parameters: a few rows per statement is the
    /// fastest (measured: 64 entry rows a statement was slower than one).
    /// </summary>
    private const int SqliteParametersPerInsert = 160;

    public List<EntryRow> Entries { get; } = [];
    public List<LedgerEventRow> Events { get; } = [];
    public List<SubjectKeyRow> Keys { get; } = [];

    public bool IsEmpty => Entries.Count == 0 && Events.Count == 0 && Keys.Count == 0;

    private static readonly string[] EntryColumns =
    [
        "id", "no", "court_code", "case_number", "status", "subject_kind", "subject_key", "subject_name", "publicity", "screened",
        "decided_on", "published_on", "expires_on", "exited_on", "version", "created_at", "updated_at", "state_json", "unit_view_json",
    ];

    private static readonly string[] EventColumns =
        ["seq", "entry_id", "type", "occurred_at", "actor_organization", "actor_key", "data_json", "entry_view_json"];

    private static readonly string[] KeyColumns = ["entry_no", "key", "role", "via_document"];

    // SQLite statements, prepared once per session and reused for every flush.
    private readonly Dictionary<(string Table, int Rows), SqliteCommand> _sqlite = [];

    /// <summary>Writes what is buffered, entries first (the events refer to them), and empties the buffers.</summary>
    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        if (IsEmpty)
        {
            return;
        }

        if (connection is NpgsqlConnection pg)
        {
            await CopyAsync(pg, ct);
        }
        else
        {
            await InsertAsync((SqliteConnection)connection, (SqliteTransaction)transaction, ct);
        }

        Entries.Clear();
        Events.Clear();
        Keys.Clear();
    }

    public void Dispose()
    {
        foreach (var c in _sqlite.Values)
        {
            c.Dispose();
        }

        _sqlite.Clear();
    }

    private async Task CopyAsync(NpgsqlConnection pg, CancellationToken ct)
    {
        // COPY runs inside the connection's open transaction: the session's commit or rollback covers it.
        if (Entries.Count > 0)
        {
            await using var w = await pg.BeginBinaryImportAsync("COPY entries (" + string.Join(", ", EntryColumns) + ") FROM STDIN (FORMAT BINARY)", ct);
            foreach (var e in Entries)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(e.No, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(e.CourtCode, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.CaseNumber, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.Status, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.SubjectKind, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.SubjectKey, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.SubjectName, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.Publicity, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.Screened, NpgsqlDbType.Boolean, ct);
                await WriteDateAsync(w, e.DecidedOn, ct);
                await WriteDateAsync(w, e.PublishedOn, ct);
                await WriteDateAsync(w, e.ExpiresOn, ct);
                await WriteDateAsync(w, e.ExitedOn, ct);
                await w.WriteAsync(e.Version, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(e.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(e.UpdatedAt, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(e.StateJson, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.UnitViewJson, NpgsqlDbType.Text, ct);
            }

            await w.CompleteAsync(ct);
        }

        if (Events.Count > 0)
        {
            await using var w = await pg.BeginBinaryImportAsync("COPY ledger_events (" + string.Join(", ", EventColumns) + ") FROM STDIN (FORMAT BINARY)", ct);
            foreach (var e in Events)
            {
                await w.StartRowAsync(ct);
                if (e.Seq is { } seq)
                {
                    await w.WriteAsync(seq, NpgsqlDbType.Bigint, ct);
                }
                else
                {
                    await w.WriteNullAsync(ct);
                }

                await w.WriteAsync(e.EntryId, NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(e.Type, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.OccurredAt, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(e.ActorOrganization, NpgsqlDbType.Text, ct);
                await WriteTextAsync(w, e.ActorKey, ct);
                await w.WriteAsync(e.DataJson, NpgsqlDbType.Text, ct);
                await WriteTextAsync(w, e.EntryViewJson, ct);
            }

            await w.CompleteAsync(ct);
        }

        if (Keys.Count > 0)
        {
            await using var w = await pg.BeginBinaryImportAsync("COPY subject_keys (" + string.Join(", ", KeyColumns) + ") FROM STDIN (FORMAT BINARY)", ct);
            foreach (var k in Keys)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(k.EntryNo, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(k.Key, NpgsqlDbType.Text, ct);
                await w.WriteAsync(k.Role, NpgsqlDbType.Text, ct);
                await w.WriteAsync(k.ViaDocument, NpgsqlDbType.Boolean, ct);
            }

            await w.CompleteAsync(ct);
        }
    }

    private static async Task WriteDateAsync(NpgsqlBinaryImporter w, DateOnly? d, CancellationToken ct)
    {
        if (d is { } v)
        {
            await w.WriteAsync(v, NpgsqlDbType.Date, ct);
        }
        else
        {
            await w.WriteNullAsync(ct);
        }
    }

    private static async Task WriteTextAsync(NpgsqlBinaryImporter w, string? s, CancellationToken ct)
    {
        if (s is null)
        {
            await w.WriteNullAsync(ct);
        }
        else
        {
            await w.WriteAsync(s, NpgsqlDbType.Text, ct);
        }
    }

    private async Task InsertAsync(SqliteConnection conn, SqliteTransaction tx, CancellationToken ct)
    {
        await InsertRowsAsync(conn, tx, "entries", EntryColumns, Entries, BindEntry, ct);
        await InsertRowsAsync(conn, tx, "ledger_events", EventColumns, Events, BindEvent, ct);
        await InsertRowsAsync(conn, tx, "subject_keys", KeyColumns, Keys, BindKey, ct);
    }

    private async Task InsertRowsAsync<T>(SqliteConnection conn, SqliteTransaction tx, string table, string[] columns, List<T> rows,
        Action<SqliteParameterCollection, int, T> bind, CancellationToken ct)
    {
        var at = 0;
        while (at < rows.Count)
        {
            // Full statements of SqliteParametersPerInsert / columns rows, then one-row statements for the rest; each shape prepared once.
            var full = Math.Max(1, SqliteParametersPerInsert / columns.Length);
            var n = rows.Count - at >= full ? full : 1;
            var cmd = Command(conn, tx, table, columns, n);
            for (var r = 0; r < n; r++)
            {
                bind(cmd.Parameters, r * columns.Length, rows[at + r]);
            }

            await cmd.ExecuteNonQueryAsync(ct);
            at += n;
        }
    }

    private SqliteCommand Command(SqliteConnection conn, SqliteTransaction tx, string table, string[] columns, int rows)
    {
        if (_sqlite.TryGetValue((table, rows), out var cmd))
        {
            cmd.Transaction = tx;
            return cmd;
        }

        var sql = new System.Text.StringBuilder("INSERT INTO ").Append(table).Append(" (").Append(string.Join(", ", columns)).Append(") VALUES ");
        cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        var p = 0;
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                var name = "$p" + p.ToString(CultureInfo.InvariantCulture);
                sql.Append(c == 0 ? "" : ", ").Append(name);
                cmd.Parameters.Add(new SqliteParameter(name, null));
                p++;
            }

            sql.Append(')');
        }

        cmd.CommandText = sql.ToString();
        cmd.Prepare();
        _sqlite[(table, rows)] = cmd;
        return cmd;
    }

    // EF Core's SQLite formats: GUID as upper-case text, instants as "yyyy-MM-dd HH:mm:ss.FFFFFFF" (UTC), dates ISO, booleans 0/1.
    private static object Guid(Guid g) => g.ToString().ToUpperInvariant();

    private static object Instant(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static object Date(DateOnly? d) => d is { } v ? v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value;

    private static object Text(string? s) => s is null ? DBNull.Value : s;

    private static void BindEntry(SqliteParameterCollection p, int o, EntryRow e)
    {
        p[o].Value = Guid(e.Id);
        p[o + 1].Value = e.No;
        p[o + 2].Value = e.CourtCode;
        p[o + 3].Value = e.CaseNumber;
        p[o + 4].Value = e.Status;
        p[o + 5].Value = e.SubjectKind;
        p[o + 6].Value = e.SubjectKey;
        p[o + 7].Value = e.SubjectName;
        p[o + 8].Value = e.Publicity;
        p[o + 9].Value = e.Screened ? 1L : 0L;
        p[o + 10].Value = Date(e.DecidedOn);
        p[o + 11].Value = Date(e.PublishedOn);
        p[o + 12].Value = Date(e.ExpiresOn);
        p[o + 13].Value = Date(e.ExitedOn);
        p[o + 14].Value = (long)e.Version;
        p[o + 15].Value = Instant(e.CreatedAt);
        p[o + 16].Value = Instant(e.UpdatedAt);
        p[o + 17].Value = e.StateJson;
        p[o + 18].Value = e.UnitViewJson;
    }

    private static void BindEvent(SqliteParameterCollection p, int o, LedgerEventRow e)
    {
        p[o].Value = e.Seq is { } s ? s : DBNull.Value;
        p[o + 1].Value = Guid(e.EntryId);
        p[o + 2].Value = e.Type;
        p[o + 3].Value = Instant(e.OccurredAt);
        p[o + 4].Value = e.ActorOrganization;
        p[o + 5].Value = Text(e.ActorKey);
        p[o + 6].Value = e.DataJson;
        p[o + 7].Value = Text(e.EntryViewJson);
    }

    private static void BindKey(SqliteParameterCollection p, int o, SubjectKeyRow k)
    {
        p[o].Value = k.EntryNo;
        p[o + 1].Value = k.Key;
        p[o + 2].Value = k.Role;
        p[o + 3].Value = k.ViaDocument ? 1L : 0L;
    }
}
