using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Shixin.Data.Migrations;

/// <summary>
/// Covering indexes for the screening snapshot: a node rebuilding its index reads the screened entries' short
/// columns and every subject key in entry order from two narrow index scans, never the wide entry rows; and the
/// list clock's indexes, so that its ticks stay cheap at national scale.
/// </summary>
public static class ScreeningSnapshotSchema
{
    /// <summary>The migration's statements.</summary>
    public static IEnumerable<string> Statements(bool postgres) =>
        [.. CreateIndexes(postgres), "DROP INDEX ix_entries_screened"]; // a prefix of ix_entries_snapshot

    /// <summary>The indexes it creates, also used by the benchmark loader, which drops and rebuilds secondary indexes around a bulk load.</summary>
    public static IEnumerable<string> CreateIndexes(bool postgres) => postgres
        ?
        [
            "CREATE INDEX ix_entries_snapshot ON entries (screened, no) INCLUDE (subject_kind, id, court_code, published_on, publicity, case_number)",
            "CREATE INDEX ix_subject_keys_snapshot ON subject_keys (entry_no) INCLUDE (key, role, via_document)",
            .. ClockIndexes,
        ]
        :
        [
            "CREATE INDEX ix_entries_snapshot ON entries (screened, no, subject_kind, id, court_code, published_on, publicity, case_number)",
            "CREATE INDEX ix_subject_keys_snapshot ON subject_keys (entry_no, key, role, via_document)",
            .. ClockIndexes,
        ];

    // The list clock's two questions (grace period over, term ended) answered from an index, not a scan of the list.
    private static readonly string[] ClockIndexes =
    [
        "CREATE INDEX ix_entries_publish_due ON entries (status, screened, published_on)",
        "CREATE INDEX ix_entries_expiry_due ON entries (status, expires_on)",
    ];
}

/// <summary>Screening snapshot indexes for SQLite.</summary>
[DbContext(typeof(SqliteShixinDbContext))]
[Migration("20261122000300_ScreeningSnapshot")]
public sealed class SqliteScreeningSnapshot : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var sql in ScreeningSnapshotSchema.Statements(postgres: false))
        {
            migrationBuilder.Sql(sql);
        }
    }
}

/// <summary>Screening snapshot indexes for PostgreSQL.</summary>
[DbContext(typeof(PostgresShixinDbContext))]
[Migration("20261122000300_ScreeningSnapshot")]
public sealed class PostgresScreeningSnapshot : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var sql in ScreeningSnapshotSchema.Statements(postgres: true))
        {
            migrationBuilder.Sql(sql);
        }
    }
}
