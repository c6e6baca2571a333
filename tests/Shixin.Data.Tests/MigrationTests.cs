using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Shixin.Data.Tests;

public sealed class MigrationTests
{
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Migrations_apply_to_an_empty_database_and_are_idempotent(Db kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateEmptyAsync(kind);

        await t.Database.MigrateAsync(ct);
        await AssertSchemaAsync(t, ct);

        // A second run (every start of the server) changes nothing and does not fail.
        await t.Database.MigrateAsync(ct);
        await AssertSchemaAsync(t, ct);

        await using var db = t.Database.CreateContext();
        (await db.Database.GetPendingMigrationsAsync(ct)).ShouldBeEmpty();
        (await db.Database.GetAppliedMigrationsAsync(ct)).ShouldBe(["20261122000000_Initial", "20261122000100_Oversight", "20261122000300_ScreeningSnapshot", "20261204000500_StaffSessions", "20261204000600_CourtExemptions", "20261210000700_Investigations"]);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Nodes_starting_together_migrate_once(Db kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateEmptyAsync(kind);

        // Several Shixin nodes share one database and all migrate at start-up.
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => t.Database.MigrateAsync(ct), ct)));

        await AssertSchemaAsync(t, ct);
        await using var db = t.Database.CreateContext();
        (await db.Database.GetAppliedMigrationsAsync(ct)).ShouldBe(["20261122000000_Initial", "20261122000100_Oversight", "20261122000300_ScreeningSnapshot", "20261204000500_StaffSessions", "20261204000600_CourtExemptions", "20261210000700_Investigations"]);
    }

    [Fact]
    public async Task Sqlite_is_in_wal_mode_after_migration()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateEmptyAsync(Db.Sqlite);
        await t.Database.MigrateAsync(ct);
        await t.Database.MigrateAsync(ct);

        // WAL is a property of the file: a brand-new connection sees it.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var db = t.Database.CreateContext();
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        var mode = Convert.ToString(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        mode.ShouldBe("wal");

        // Every connection (not only the one that migrated) commits durably: FULL = 2.
        cmd.CommandText = "PRAGMA synchronous";
        Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture).ShouldBe(2);
    }

    private static async Task AssertSchemaAsync(TestDatabase t, CancellationToken ct)
    {
        await using var db = t.Database.CreateContext();
        (await db.LedgerHead.AsNoTracking().ToListAsync(ct)).ShouldHaveSingleItem().Seq.ShouldBe(0);
        (await db.Organizations.CountAsync(ct)).ShouldBe(0);
        (await db.Entries.CountAsync(ct)).ShouldBe(0);
        (await db.LedgerEvents.CountAsync(ct)).ShouldBe(0);
        (await db.ApiKeys.CountAsync(ct)).ShouldBe(0);
        (await db.Proceedings.CountAsync(ct)).ShouldBe(0);
        (await db.Idempotency.CountAsync(ct)).ShouldBe(0);
        (await db.Audit.CountAsync(ct)).ShouldBe(0);
    }
}
