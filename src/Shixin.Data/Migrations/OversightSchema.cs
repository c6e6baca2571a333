using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Shixin.Data.Migrations;

/// <summary>Oversight tables: complaints, credit repairs, notices and talks, special-subject notifications, quarterly confirmations.</summary>
internal static class OversightSchema
{
    public static IEnumerable<string> Statements(bool postgres)
    {
        var uuid = postgres ? "uuid" : "TEXT";
        var ts = postgres ? "timestamp with time zone" : "TEXT";
        var date = postgres ? "date" : "TEXT";
        const string text = "TEXT";
        yield return $"""
            CREATE TABLE complaints (
                id {uuid} NOT NULL PRIMARY KEY,
                tracking_code {text} NOT NULL UNIQUE,
                against_organization {text} NOT NULL REFERENCES organizations(code),
                case_number {text} NULL,
                description {text} NOT NULL,
                contact {text} NOT NULL,
                status {text} NOT NULL,
                received_on {date} NOT NULL,
                due_on {date} NOT NULL,
                rule {text} NOT NULL,
                finding {text} NULL,
                measure_applied {text} NULL,
                answer {text} NULL,
                answered_on {date} NULL,
                created_at {ts} NOT NULL)
            """;
        yield return "CREATE INDEX ix_complaints_org ON complaints (against_organization, status)";
        yield return $"""
            CREATE TABLE credit_repairs (
                id {uuid} NOT NULL PRIMARY KEY,
                entry_id {uuid} NOT NULL REFERENCES entries(id),
                organization_code {text} NOT NULL REFERENCES organizations(code),
                grounds {text} NOT NULL,
                status {text} NOT NULL,
                applied_on {date} NOT NULL,
                decided_on {date} NULL,
                reasons {text} NULL,
                created_at {ts} NOT NULL)
            """;
        yield return $"""
            CREATE TABLE notices (
                id {uuid} NOT NULL PRIMARY KEY,
                kind {text} NOT NULL,
                organization_code {text} NOT NULL REFERENCES organizations(code),
                issued_on {date} NOT NULL,
                subject {text} NOT NULL,
                detail {text} NULL,
                issued_by {text} NOT NULL,
                created_at {ts} NOT NULL)
            """;
        yield return $"""
            CREATE TABLE special_notifications (
                id {uuid} NOT NULL PRIMARY KEY,
                entry_id {uuid} NOT NULL REFERENCES entries(id),
                addressee {text} NOT NULL,
                delivered_on {date} NOT NULL,
                method {text} NOT NULL,
                recorded_by {text} NOT NULL,
                created_at {ts} NOT NULL)
            """;
        yield return $"""
            CREATE TABLE report_confirmations (
                organization_code {text} NOT NULL REFERENCES organizations(code),
                year integer NOT NULL,
                quarter integer NOT NULL,
                confirmed_on {date} NOT NULL,
                note {text} NULL,
                PRIMARY KEY (organization_code, year, quarter))
            """;
    }
}

/// <summary>Oversight tables for SQLite.</summary>
[DbContext(typeof(SqliteShixinDbContext))]
[Migration("20261122000100_Oversight")]
public sealed class SqliteOversight : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var sql in OversightSchema.Statements(postgres: false))
        {
            migrationBuilder.Sql(sql);
        }
    }
}

/// <summary>Oversight tables for PostgreSQL.</summary>
[DbContext(typeof(PostgresShixinDbContext))]
[Migration("20261122000100_Oversight")]
public sealed class PostgresOversight : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var sql in OversightSchema.Statements(postgres: true))
        {
            migrationBuilder.Sql(sql);
        }
    }
}
