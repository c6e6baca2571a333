using Microsoft.EntityFrameworkCore;
using Shixin.Core.Oversight;

namespace Shixin.Data;

/// <summary>The EF Core model of the ledger and its companions; one subclass per provider carries its migrations.</summary>
public abstract class ShixinDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<OrganizationRow> Organizations => Set<OrganizationRow>();
    public DbSet<ApiKeyRow> ApiKeys => Set<ApiKeyRow>();
    public DbSet<EntryRow> Entries => Set<EntryRow>();
    public DbSet<LedgerEventRow> LedgerEvents => Set<LedgerEventRow>();
    public DbSet<LedgerHeadRow> LedgerHead => Set<LedgerHeadRow>();
    public DbSet<ProceedingRow> Proceedings => Set<ProceedingRow>();
    public DbSet<IdempotencyRow> Idempotency => Set<IdempotencyRow>();
    public DbSet<AuditRow> Audit => Set<AuditRow>();
    public DbSet<SubjectKeyRow> SubjectKeys => Set<SubjectKeyRow>();
    public DbSet<SubscriptionRow> Subscriptions => Set<SubscriptionRow>();
    public DbSet<FeedbackRow> Feedback => Set<FeedbackRow>();
    public DbSet<ObjectionRow> Objections => Set<ObjectionRow>();
    public DbSet<ComplaintRow> Complaints => Set<ComplaintRow>();
    public DbSet<CreditRepairRow> CreditRepairs => Set<CreditRepairRow>();
    public DbSet<NoticeRow> Notices => Set<NoticeRow>();
    public DbSet<SpecialNotificationRow> SpecialNotifications => Set<SpecialNotificationRow>();
    public DbSet<ReportConfirmationRow> ReportConfirmations => Set<ReportConfirmationRow>();
    public DbSet<UserRow> Users => Set<UserRow>();
    public DbSet<CourtExemptionRow> CourtExemptions => Set<CourtExemptionRow>();
    public DbSet<StaffSessionRow> StaffSessions => Set<StaffSessionRow>();
    public DbSet<InvestigationRow> Investigations => Set<InvestigationRow>();
    public DbSet<InvestigationTaskRow> InvestigationTasks => Set<InvestigationTaskRow>();
    public DbSet<InvestigationRouteRow> InvestigationRoutes => Set<InvestigationRouteRow>();
    public DbSet<ControlRow> Controls => Set<ControlRow>();

    /// <summary>True on PostgreSQL; a few statements differ by provider.</summary>
    public abstract bool IsPostgres { get; }

    private static Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<T> MapSnakeCase<T>(ModelBuilder b, string table, System.Linq.Expressions.Expression<Func<T, object?>> key)
        where T : class
    {
        var e = b.Entity<T>();
        e.ToTable(table);
        e.HasKey(key);
        foreach (var p in typeof(T).GetProperties())
        {
            e.Property(p.Name).HasColumnName(SnakeCase(p.Name));
        }

        return e;
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    protected override void OnModelCreating(ModelBuilder b)
    {
        // Every table's columns are its row type's properties in snake_case; only keys and generation differ.
        MapSnakeCase<OrganizationRow>(b, "organizations", x => x.Code);
        MapSnakeCase<ApiKeyRow>(b, "api_keys", x => x.Id);
        MapSnakeCase<EntryRow>(b, "entries", x => x.Id);
        MapSnakeCase<LedgerEventRow>(b, "ledger_events", x => x.Id).Property(x => x.Id).ValueGeneratedOnAdd();

        // Declared so that EF inserts a new entry before its events (the database checks the reference too).
        b.Entity<LedgerEventRow>().HasOne<EntryRow>().WithMany().HasForeignKey(x => x.EntryId);
        MapSnakeCase<LedgerHeadRow>(b, "ledger_head", x => x.Id).Property(x => x.Id).ValueGeneratedNever();
        MapSnakeCase<SubjectKeyRow>(b, "subject_keys", x => new { x.EntryNo, x.Key, x.Role });
        MapSnakeCase<SubscriptionRow>(b, "subscriptions", x => x.Id);
        MapSnakeCase<FeedbackRow>(b, "feedback", x => x.Id);
        MapSnakeCase<ObjectionRow>(b, "objections", x => x.Id);
        MapSnakeCase<ComplaintRow>(b, "complaints", x => x.Id);
        MapSnakeCase<CreditRepairRow>(b, "credit_repairs", x => x.Id);
        MapSnakeCase<NoticeRow>(b, "notices", x => x.Id);
        MapSnakeCase<SpecialNotificationRow>(b, "special_notifications", x => x.Id);
        MapSnakeCase<ReportConfirmationRow>(b, "report_confirmations", x => new { x.OrganizationCode, x.Year, x.Quarter });
        MapSnakeCase<ProceedingRow>(b, "proceedings", x => x.Id);
        MapSnakeCase<IdempotencyRow>(b, "idempotency", x => new { x.OrganizationCode, x.Key });
        MapSnakeCase<UserRow>(b, "users", x => x.Id);
        MapSnakeCase<StaffSessionRow>(b, "staff_sessions", x => x.Id);
        MapSnakeCase<AuditRow>(b, "audit", x => x.Id).Property(x => x.Id).ValueGeneratedOnAdd();
        MapSnakeCase<CourtExemptionRow>(b, "court_exemptions", x => x.No).Property(x => x.No).ValueGeneratedOnAdd();

        // Investigations and controls (issue 14): the version guards against two answers overwriting each other.
        MapSnakeCase<InvestigationRow>(b, "investigations", x => x.Id).Property(x => x.Version).IsConcurrencyToken();
        MapSnakeCase<InvestigationTaskRow>(b, "investigation_tasks", x => x.Id);
        // Declared so that EF inserts a request before its tasks (the database checks the reference too).
        b.Entity<InvestigationTaskRow>().HasOne<InvestigationRow>().WithMany().HasForeignKey(x => x.InvestigationId);
        MapSnakeCase<InvestigationRouteRow>(b, "investigation_routes", x => new { x.Region, x.Kind, x.UnitCode });
        MapSnakeCase<ControlRow>(b, "controls", x => x.Id).Property(x => x.Version).IsConcurrencyToken();

        // Oversight states are typed in code (Shixin.Core.Oversight) and stored by their API names, as before: the
        // columns stay text, and a stored value the code cannot read fails loudly instead of becoming a default.
        b.Entity<FeedbackRow>().Property(x => x.Action).HasConversion(v => v.ToApi(), v => FeedbackActions.Parse(v));
        b.Entity<ObjectionRow>().Property(x => x.Status).HasConversion(v => v.ToApi(), v => ObjectionNames.Parse(v));
        b.Entity<ComplaintRow>().Property(x => x.Status).HasConversion(v => v.ToApi(), v => ComplaintNames.ParseStatus(v));
        b.Entity<ComplaintRow>().Property(x => x.Finding).HasConversion(v => v!.Value.ToApi(), v => ComplaintNames.ParseFinding(v));
        b.Entity<CreditRepairRow>().Property(x => x.Status).HasConversion(v => v.ToApi(), v => RepairNames.ParseStatus(v));
        b.Entity<NoticeRow>().Property(x => x.Kind).HasConversion(v => v.ToApi(), v => NoticeKinds.Parse(v));
    }
}

/// <summary>The SQLite flavour (embedded default).</summary>
public sealed class SqliteShixinDbContext(DbContextOptions<SqliteShixinDbContext> options) : ShixinDbContext(options)
{
    public override bool IsPostgres => false;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite keeps instants as text without a zone; everything we write is UTC, so read it back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>The PostgreSQL flavour (production and scale-out).</summary>
public sealed class PostgresShixinDbContext(DbContextOptions<PostgresShixinDbContext> options) : ShixinDbContext(options)
{
    public override bool IsPostgres => true;
}
