using Microsoft.EntityFrameworkCore;

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
    public DbSet<CheckRecordRow> CheckRecords => Set<CheckRecordRow>();
    public DbSet<SubscriptionRow> Subscriptions => Set<SubscriptionRow>();
    public DbSet<FeedbackRow> Feedback => Set<FeedbackRow>();
    public DbSet<ObjectionRow> Objections => Set<ObjectionRow>();
    public DbSet<ComplaintRow> Complaints => Set<ComplaintRow>();
    public DbSet<CreditRepairRow> CreditRepairs => Set<CreditRepairRow>();
    public DbSet<NoticeRow> Notices => Set<NoticeRow>();
    public DbSet<SpecialNotificationRow> SpecialNotifications => Set<SpecialNotificationRow>();
    public DbSet<ReportConfirmationRow> ReportConfirmations => Set<ReportConfirmationRow>();
    public DbSet<UserRow> Users => Set<UserRow>();

    /// <summary>True on PostgreSQL; a few statements differ by provider.</summary>
    public abstract bool IsPostgres { get; }

    private static void MapSnakeCase<T>(ModelBuilder b, string table, System.Linq.Expressions.Expression<Func<T, object?>> key)
        where T : class
    {
        var e = b.Entity<T>();
        e.ToTable(table);
        e.HasKey(key);
        foreach (var p in typeof(T).GetProperties())
        {
            e.Property(p.Name).HasColumnName(SnakeCase(p.Name));
        }
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<OrganizationRow>(e =>
        {
            e.ToTable("organizations");
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasColumnName("code");
            e.Property(x => x.Kind).HasColumnName("kind");
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.Region).HasColumnName("region");
            e.Property(x => x.ParentCode).HasColumnName("parent_code");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });
        b.Entity<ApiKeyRow>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.OrganizationCode).HasColumnName("organization_code");
            e.Property(x => x.KeyHash).HasColumnName("key_hash");
            e.Property(x => x.Roles).HasColumnName("roles");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.RevokedAt).HasColumnName("revoked_at");
        });
        b.Entity<EntryRow>(e =>
        {
            e.ToTable("entries");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.No).HasColumnName("no");
            e.Property(x => x.CourtCode).HasColumnName("court_code");
            e.Property(x => x.CaseNumber).HasColumnName("case_number");
            e.Property(x => x.Status).HasColumnName("status");
            e.Property(x => x.SubjectKind).HasColumnName("subject_kind");
            e.Property(x => x.SubjectKey).HasColumnName("subject_key");
            e.Property(x => x.SubjectName).HasColumnName("subject_name");
            e.Property(x => x.Publicity).HasColumnName("publicity");
            e.Property(x => x.Screened).HasColumnName("screened");
            e.Property(x => x.DecidedOn).HasColumnName("decided_on");
            e.Property(x => x.PublishedOn).HasColumnName("published_on");
            e.Property(x => x.ExpiresOn).HasColumnName("expires_on");
            e.Property(x => x.ExitedOn).HasColumnName("exited_on");
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            e.Property(x => x.StateJson).HasColumnName("state_json");
            e.Property(x => x.UnitViewJson).HasColumnName("unit_view_json");
        });
        b.Entity<LedgerEventRow>(e =>
        {
            e.ToTable("ledger_events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
            e.Property(x => x.Seq).HasColumnName("seq");
            e.Property(x => x.EntryId).HasColumnName("entry_id");
            e.Property(x => x.Type).HasColumnName("type");
            e.Property(x => x.OccurredAt).HasColumnName("occurred_at");
            e.Property(x => x.ActorOrganization).HasColumnName("actor_organization");
            e.Property(x => x.ActorKey).HasColumnName("actor_key");
            e.Property(x => x.DataJson).HasColumnName("data_json");
            e.Property(x => x.EntryViewJson).HasColumnName("entry_view_json");
            // Declared so that EF inserts a new entry before its events (the database checks the reference too).
            e.HasOne<EntryRow>().WithMany().HasForeignKey(x => x.EntryId);
        });
        b.Entity<LedgerHeadRow>(e =>
        {
            e.ToTable("ledger_head");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.Seq).HasColumnName("seq");
            e.Property(x => x.Entries).HasColumnName("entries");
        });
        b.Entity<SubjectKeyRow>(e =>
        {
            e.ToTable("subject_keys");
            e.HasKey(x => new { x.EntryNo, x.Key, x.Role });
            e.Property(x => x.EntryNo).HasColumnName("entry_no");
            e.Property(x => x.Key).HasColumnName("key");
            e.Property(x => x.Role).HasColumnName("role");
            e.Property(x => x.ViaDocument).HasColumnName("via_document");
        });
        b.Entity<CheckRecordRow>(e =>
        {
            e.ToTable("check_records");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.OrganizationCode).HasColumnName("organization_code");
            e.Property(x => x.Scenario).HasColumnName("scenario");
            e.Property(x => x.Reference).HasColumnName("reference");
            e.Property(x => x.SubjectKey).HasColumnName("subject_key");
            e.Property(x => x.Outcome).HasColumnName("outcome");
            e.Property(x => x.ListSeq).HasColumnName("list_seq");
            e.Property(x => x.CheckedAt).HasColumnName("checked_at");
            e.Property(x => x.EntryNos).HasColumnName("entry_nos");
            e.Property(x => x.BatchId).HasColumnName("batch_id");
        });
        b.Entity<SubscriptionRow>(e =>
        {
            e.ToTable("subscriptions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.OrganizationCode).HasColumnName("organization_code");
            e.Property(x => x.Url).HasColumnName("url");
            e.Property(x => x.SecretsJson).HasColumnName("secrets_json");
            e.Property(x => x.Types).HasColumnName("types");
            e.Property(x => x.Cursor).HasColumnName("cursor");
            e.Property(x => x.PendingThrough).HasColumnName("pending_through");
            e.Property(x => x.Status).HasColumnName("status");
            e.Property(x => x.Failures).HasColumnName("failures");
            e.Property(x => x.FirstFailureAt).HasColumnName("first_failure_at");
            e.Property(x => x.NextAttemptAt).HasColumnName("next_attempt_at");
            e.Property(x => x.LastAttemptAt).HasColumnName("last_attempt_at");
            e.Property(x => x.LastDeliveredAt).HasColumnName("last_delivered_at");
            e.Property(x => x.LastError).HasColumnName("last_error");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });
        b.Entity<FeedbackRow>(e =>
        {
            e.ToTable("feedback");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.OrganizationCode).HasColumnName("organization_code");
            e.Property(x => x.EntryId).HasColumnName("entry_id");
            e.Property(x => x.MeasureCode).HasColumnName("measure_code");
            e.Property(x => x.Action).HasColumnName("action");
            e.Property(x => x.OccurredAt).HasColumnName("occurred_at");
            e.Property(x => x.CheckId).HasColumnName("check_id");
            e.Property(x => x.Note).HasColumnName("note");
            e.Property(x => x.LegalBasis).HasColumnName("legal_basis");
            e.Property(x => x.KeepUntil).HasColumnName("keep_until");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });
        b.Entity<ObjectionRow>(e =>
        {
            e.ToTable("objections");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.OrganizationCode).HasColumnName("organization_code");
            e.Property(x => x.EntryId).HasColumnName("entry_id");
            e.Property(x => x.EntryNo).HasColumnName("entry_no");
            e.Property(x => x.MeasureCode).HasColumnName("measure_code");
            e.Property(x => x.ReceivedOn).HasColumnName("received_on");
            e.Property(x => x.Grounds).HasColumnName("grounds");
            e.Property(x => x.CourtCode).HasColumnName("court_code");
            e.Property(x => x.VerifyDueOn).HasColumnName("verify_due_on");
            e.Property(x => x.Rule).HasColumnName("rule");
            e.Property(x => x.Status).HasColumnName("status");
            e.Property(x => x.VerifiedOn).HasColumnName("verified_on");
            e.Property(x => x.Reasons).HasColumnName("reasons");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });
        MapSnakeCase<ComplaintRow>(b, "complaints", x => x.Id);
        MapSnakeCase<CreditRepairRow>(b, "credit_repairs", x => x.Id);
        MapSnakeCase<NoticeRow>(b, "notices", x => x.Id);
        MapSnakeCase<SpecialNotificationRow>(b, "special_notifications", x => x.Id);
        MapSnakeCase<ReportConfirmationRow>(b, "report_confirmations", x => new { x.OrganizationCode, x.Year, x.Quarter });
        b.Entity<ProceedingRow>(e =>
        {
            e.ToTable("proceedings");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.EntryId).HasColumnName("entry_id");
            e.Property(x => x.CorrectionId).HasColumnName("correction_id");
            e.Property(x => x.Kind).HasColumnName("kind");
            e.Property(x => x.CourtCode).HasColumnName("court_code");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });
        b.Entity<IdempotencyRow>(e =>
        {
            e.ToTable("idempotency");
            e.HasKey(x => new { x.OrganizationCode, x.Key });
            e.Property(x => x.OrganizationCode).HasColumnName("organization_code");
            e.Property(x => x.Key).HasColumnName("key");
            e.Property(x => x.RequestHash).HasColumnName("request_hash");
            e.Property(x => x.StatusCode).HasColumnName("status_code");
            e.Property(x => x.ResponseJson).HasColumnName("response_json");
            e.Property(x => x.Location).HasColumnName("location");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });
        b.Entity<UserRow>(e =>
        {
            e.ToTable("users");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.UserName).HasColumnName("user_name");
            e.Property(x => x.OrganizationCode).HasColumnName("organization_code");
            e.Property(x => x.DisplayName).HasColumnName("display_name");
            e.Property(x => x.PasswordHash).HasColumnName("password_hash");
            e.Property(x => x.Roles).HasColumnName("roles");
            e.Property(x => x.FailedCount).HasColumnName("failed_count");
            e.Property(x => x.LockedUntil).HasColumnName("locked_until");
            e.Property(x => x.LastSignInAt).HasColumnName("last_sign_in_at");
            e.Property(x => x.DisabledAt).HasColumnName("disabled_at");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });
        b.Entity<AuditRow>(e =>
        {
            e.ToTable("audit");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
            e.Property(x => x.At).HasColumnName("at");
            e.Property(x => x.OrganizationCode).HasColumnName("organization_code");
            e.Property(x => x.KeyId).HasColumnName("key_id");
            e.Property(x => x.Action).HasColumnName("action");
            e.Property(x => x.Target).HasColumnName("target");
            e.Property(x => x.Detail).HasColumnName("detail");
        });
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
