using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Shixin.Data.Migrations;

/// <summary>
/// Server-side staff sessions: the sign-in cookie names a session row, checked on every request, so signing out
/// (or disabling the account) ends the session on every node even if someone kept a copy of the cookie.
/// </summary>
internal static class StaffSessionsSchema
{
    public static IEnumerable<string> Statements(bool postgres)
    {
        var ts = postgres ? "timestamp with time zone" : "TEXT";
        yield return $"""
            CREATE TABLE staff_sessions (
                id TEXT NOT NULL PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id),
                created_at {ts} NOT NULL,
                ended_at {ts} NULL)
            """;
        yield return "CREATE INDEX ix_staff_sessions_user ON staff_sessions (user_id)";
    }
}

/// <summary>Staff sessions for SQLite.</summary>
[DbContext(typeof(SqliteShixinDbContext))]
[Migration("20261204000500_StaffSessions")]
public sealed class SqliteStaffSessions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var sql in StaffSessionsSchema.Statements(postgres: false))
        {
            migrationBuilder.Sql(sql);
        }
    }
}

/// <summary>Staff sessions for PostgreSQL.</summary>
[DbContext(typeof(PostgresShixinDbContext))]
[Migration("20261204000500_StaffSessions")]
public sealed class PostgresStaffSessions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var sql in StaffSessionsSchema.Statements(postgres: true))
        {
            migrationBuilder.Sql(sql);
        }
    }
}
