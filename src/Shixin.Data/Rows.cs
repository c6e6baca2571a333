namespace Shixin.Data;

/// <summary>A court, unit or hub: one organization, one account (002 §一(二)).</summary>
public sealed class OrganizationRow
{
    public required string Code { get; set; }
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public required string Region { get; set; }
    public string? ParentCode { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>An API key: stored as a SHA-256 hash, shown to its owner once.</summary>
public sealed class ApiKeyRow
{
    public required string Id { get; set; }
    public required string OrganizationCode { get; set; }
    public required string KeyHash { get; set; }
    public required string Roles { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>The current state of an entry; the ledger events are the history.</summary>
public sealed class EntryRow
{
    public Guid Id { get; set; }

    /// <summary>A dense integer handed out in ledger order; the screening index refers to entries by it.</summary>
    public long No { get; set; }
    public required string CourtCode { get; set; }
    public required string CaseNumber { get; set; }
    public required string Status { get; set; }
    public required string SubjectKind { get; set; }
    public required string SubjectKey { get; set; }
    public required string SubjectName { get; set; }
    public required string Publicity { get; set; }
    public bool Screened { get; set; }
    public DateOnly? DecidedOn { get; set; }
    public DateOnly? PublishedOn { get; set; }
    public DateOnly? ExpiresOn { get; set; }
    public DateOnly? ExitedOn { get; set; }
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string StateJson { get; set; }

    /// <summary>What units receive about the entry (see <c>UnitEntryView</c>), kept ready for snapshots.</summary>
    public string UnitViewJson { get; set; } = "";
}

/// <summary>One ledger event. List-changing events carry the gap-free list sequence.</summary>
public sealed class LedgerEventRow
{
    public long Id { get; set; }
    public long? Seq { get; set; }
    public Guid EntryId { get; set; }
    public required string Type { get; set; }
    public DateTime OccurredAt { get; set; }
    public required string ActorOrganization { get; set; }
    public string? ActorKey { get; set; }
    public required string DataJson { get; set; }

    /// <summary>For list-changing events: the unit view of the entry right after the event (the feed serves it as is).</summary>
    public string? EntryViewJson { get; set; }
}

/// <summary>The single row that hands out list sequences; its lock orders all ledger writers.</summary>
public sealed class LedgerHeadRow
{
    public int Id { get; set; }
    public long Seq { get; set; }
    public long Entries { get; set; }
}

/// <summary>One identifier an entry screens under (debtor, bound document or related person), for index loads and history queries.</summary>
public sealed class SubjectKeyRow
{
    public long EntryNo { get; set; }
    public required string Key { get; set; }
    public required string Role { get; set; }
    public bool ViaDocument { get; set; }
}

/// <summary>
/// One screening check of one subject, as the check paths hand it to <see cref="CheckRecordWriter"/>, which writes it
/// to the audit trail (subject hashed and masked) by group commit before the response.
/// </summary>
public sealed class CheckRecordRow
{
    public Guid Id { get; set; }

    /// <summary>check (one subject), check.batch (a batch's summary) or check.batch-lines (a chunk's compact subjects).</summary>
    public string Action { get; set; } = "check";
    public string? KeyId { get; set; }

    /// <summary>For check.batch-lines: 8 bytes of keyed hash per checked line (<see cref="SubjectHasher.Short"/>).</summary>
    public byte[]? Subjects { get; set; }
    public required string OrganizationCode { get; set; }
    public required string Scenario { get; set; }
    public string? Reference { get; set; }

    /// <summary>The first answer's media type (a small batch replays as the CSV or NDJSON it was).</summary>
    public string? ContentType { get; set; }
    public required string SubjectKey { get; set; }
    public required string Outcome { get; set; }
    public long ListSeq { get; set; }
    public DateTime CheckedAt { get; set; }
    public string? EntryNos { get; set; }
    public Guid? BatchId { get; set; }

    /// <summary>The business context the check gave, as JSON (<c>{"context":{…}}</c>); null for none. Kept in the trail's detail.</summary>
    public string? Detail { get; set; }
}

/// <summary>Finds the entry a correction or reconsideration belongs to, and the court that must rule.</summary>
public sealed class ProceedingRow
{
    public Guid Id { get; set; }
    public Guid EntryId { get; set; }
    public Guid CorrectionId { get; set; }
    public required string Kind { get; set; }
    public required string CourtCode { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// A court exemption as the screening follower reads it: written by the ledger session in the same transaction as the
/// <c>entry.exemption-granted</c> / <c>entry.exemption-ended</c> events, so that a node rebuilding its index needs no
/// entry state. <see cref="No"/> is the small number the screening index refers to it by.
/// </summary>
public sealed class CourtExemptionRow
{
    public long No { get; set; }
    public Guid Id { get; set; }
    public Guid EntryId { get; set; }
    public long EntryNo { get; set; }
    public required string CourtCode { get; set; }

    /// <summary>The exempted person's key as in <c>subject_keys</c> (<c>id:…</c>).</summary>
    public required string SubjectKey { get; set; }
    public required string Kind { get; set; }

    /// <summary>Scenario ids, comma-separated.</summary>
    public required string Scenarios { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly ValidUntil { get; set; }
    public DateTime GrantedAt { get; set; }
    public DateTime? EndedAt { get; set; }
}

/// <summary>A remembered response to a write carrying an Idempotency-Key.</summary>
public sealed class IdempotencyRow
{
    public required string OrganizationCode { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public int StatusCode { get; set; }
    public string? ResponseJson { get; set; }
    public string? Location { get; set; }

    /// <summary>
    /// How a replay answers (issue 11 finding 7): null replays <see cref="ResponseJson"/>; "secret-withheld" means the
    /// answer carried a secret (an API key, a webhook secret) that was cut out before storing, so a replay says what
    /// was created and that the secret cannot be shown again; "too-large" means the answer was over the replay cap
    /// and only its status and <see cref="Reference"/> (a check id) were kept.
    /// </summary>
    public string? Replay { get; set; }

    /// <summary>Where the first answer can still be read when its body was not kept (the batch's check id).</summary>
    public string? Reference { get; set; }

    /// <summary>The first answer's media type (a small batch replays as the CSV or NDJSON it was).</summary>
    public string? ContentType { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>One audit record: every write, every staff read of personal data.</summary>
public sealed class AuditRow
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string OrganizationCode { get; set; }
    public string? KeyId { get; set; }
    public required string Action { get; set; }
    public required string Target { get; set; }
    public string? Detail { get; set; }
}

/// <summary>A unit's webhook subscription: where to deliver, how far it got, and how delivery is going.</summary>
public sealed class SubscriptionRow
{
    public Guid Id { get; set; }
    public required string OrganizationCode { get; set; }
    public required string Url { get; set; }
    public required string SecretsJson { get; set; }
    public string? Types { get; set; }
    public long Cursor { get; set; }

    /// <summary>The last sequence of a batch that failed: retries resend exactly that batch, under the same event id.</summary>
    public long? PendingThrough { get; set; }
    public required string Status { get; set; }
    public int Failures { get; set; }
    public DateTime? FirstFailureAt { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public DateTime? LastDeliveredAt { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A unit's report of what it did about a measure (反馈): applied, lifted, suspended, resumed or kept.</summary>
public sealed class FeedbackRow
{
    public Guid Id { get; set; }
    public required string OrganizationCode { get; set; }
    public Guid EntryId { get; set; }
    public required string MeasureCode { get; set; }

    /// <summary>Stored by its API name (applied, lifted, suspended, resumed, kept).</summary>
    public Shixin.Core.Oversight.FeedbackAction Action { get; set; }
    public DateTime OccurredAt { get; set; }
    public Guid? CheckId { get; set; }
    public string? Note { get; set; }
    public string? LegalBasis { get; set; }
    public DateOnly? KeepUntil { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// An objection to a measure (异议), as the lists and duty pages read it: a projection of the entry's
/// <c>entry.objection-filed</c> / <c>entry.objection-verified</c> events, written by the ledger session in the same transaction.
/// </summary>
public sealed class ObjectionRow
{
    public Guid Id { get; set; }
    public required string OrganizationCode { get; set; }
    public Guid EntryId { get; set; }
    public long EntryNo { get; set; }
    public required string MeasureCode { get; set; }
    public DateOnly ReceivedOn { get; set; }
    public required string Grounds { get; set; }
    public required string CourtCode { get; set; }
    public DateOnly VerifyDueOn { get; set; }
    public required string Rule { get; set; }

    /// <summary>Projected from the entry's objection events by the ledger session; stored by its API name (open, upheld, rejected).</summary>
    public Shixin.Core.Oversight.ObjectionStatus Status { get; set; }
    public DateOnly? VerifiedOn { get; set; }
    public string? Reasons { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A staff account for the web consoles: one person, bound to one organization and its roles.</summary>
public sealed class UserRow
{
    public required string Id { get; set; }
    public required string UserName { get; set; }
    public required string OrganizationCode { get; set; }
    public required string DisplayName { get; set; }
    public required string PasswordHash { get; set; }
    public required string Roles { get; set; }
    public int FailedCount { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime? LastSignInAt { get; set; }
    public DateTime? DisabledAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A staff sign-in session: the cookie carries its id; signing out ends it server-side.</summary>
public sealed class StaffSessionRow
{
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? EndedAt { get; set; }
}
