using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Shixin.Data.Migrations;

/// <summary>
/// Idempotency records say how they replay (issue 11 finding 7): secrets are never kept, a large answer is kept by
/// reference only, and records are pruned by age (the index on created_at serves the pruner).
/// </summary>
internal static class IdempotencyReplaySchema
{
    public static IEnumerable<string> Statements()
    {
        yield return "ALTER TABLE idempotency ADD COLUMN replay TEXT NULL";
        yield return "ALTER TABLE idempotency ADD COLUMN reference TEXT NULL";
        yield return "ALTER TABLE idempotency ADD COLUMN content_type TEXT NULL";
        yield return "CREATE INDEX ix_idempotency_created_at ON idempotency (created_at)";
    }
}

/// <summary>Idempotency replay kinds for SQLite.</summary>
[DbContext(typeof(SqliteShixinDbContext))]
[Migration("20261210000800_IdempotencyReplay")]
public sealed class SqliteIdempotencyReplay : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var sql in IdempotencyReplaySchema.Statements())
        {
            migrationBuilder.Sql(sql);
        }
    }
}

/// <summary>Idempotency replay kinds for PostgreSQL.</summary>
[DbContext(typeof(PostgresShixinDbContext))]
[Migration("20261210000800_IdempotencyReplay")]
public sealed class PostgresIdempotencyReplay : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var sql in IdempotencyReplaySchema.Statements())
        {
            migrationBuilder.Sql(sql);
        }
    }
}
