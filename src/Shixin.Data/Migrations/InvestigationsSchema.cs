using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Shixin.Data.Migrations;

/// <summary>Enforcement investigation and control (执行查控, issue 14): requests, their tasks, controls and the routing table.</summary>
internal static class InvestigationsSchema
{
    public static IEnumerable<string> Statements(bool postgres)
    {
        var uuid = postgres ? "uuid" : "TEXT";
        var ts = postgres ? "timestamp with time zone" : "TEXT";
        var date = postgres ? "date" : "TEXT";
        var boolean = postgres ? "boolean" : "INTEGER";
        const string text = "TEXT";
        yield return $"""
            CREATE TABLE investigations (
                id {uuid} PRIMARY KEY,
                court_code {text} NOT NULL,
                case_number {text} NOT NULL,
                entry_id {uuid} NULL,
                subject_key {text} NOT NULL,
                requested_on {date} NOT NULL,
                version integer NOT NULL,
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                state_json {text} NOT NULL)
            """;

        // A court's list, and the searches on record for a case (the no-property-found exit reads them).
        yield return "CREATE INDEX ix_investigations_court_case ON investigations (court_code, case_number)";
        yield return $"""
            CREATE TABLE investigation_tasks (
                id {uuid} PRIMARY KEY,
                investigation_id {uuid} NOT NULL REFERENCES investigations(id),
                court_code {text} NOT NULL,
                unit_code {text} NOT NULL,
                kind {text} NOT NULL,
                due_on {date} NOT NULL,
                answered_on {date} NULL,
                none_found {boolean} NULL)
            """;

        // A unit's queue.
        yield return "CREATE INDEX ix_investigation_tasks_unit ON investigation_tasks (unit_code, answered_on, due_on)";
        yield return "CREATE INDEX ix_investigation_tasks_investigation ON investigation_tasks (investigation_id)";
        yield return $"""
            CREATE TABLE investigation_routes (
                region {text} NOT NULL,
                kind {text} NOT NULL,
                unit_code {text} NOT NULL REFERENCES organizations(code),
                updated_at {ts} NOT NULL,
                PRIMARY KEY (region, kind, unit_code))
            """;
        yield return $"""
            CREATE TABLE controls (
                id {uuid} PRIMARY KEY,
                court_code {text} NOT NULL,
                unit_code {text} NOT NULL,
                kind {text} NOT NULL,
                of_control_id {uuid} NULL,
                due_on {date} NOT NULL,
                outcome {text} NULL,
                lapses_on {date} NULL,
                version integer NOT NULL,
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                state_json {text} NOT NULL)
            """;
        yield return "CREATE INDEX ix_controls_court ON controls (court_code)";
        yield return "CREATE INDEX ix_controls_unit ON controls (unit_code, outcome)";
    }
}

/// <summary>Investigations and controls for SQLite.</summary>
[DbContext(typeof(SqliteShixinDbContext))]
[Migration("20261210000700_Investigations")]
public sealed class SqliteInvestigations : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var sql in InvestigationsSchema.Statements(postgres: false))
        {
            migrationBuilder.Sql(sql);
        }
    }
}

/// <summary>Investigations and controls for PostgreSQL.</summary>
[DbContext(typeof(PostgresShixinDbContext))]
[Migration("20261210000700_Investigations")]
public sealed class PostgresInvestigations : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var sql in InvestigationsSchema.Statements(postgres: true))
        {
            migrationBuilder.Sql(sql);
        }
    }
}
