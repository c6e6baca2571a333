using Shixin.Core.Oversight;

namespace Shixin.Data;

/// <summary>A complaint that a unit did not apply a measure (002 §四(二)8), followed by a tracking code.</summary>
public sealed class ComplaintRow
{
    public Guid Id { get; set; }
    public required string TrackingCode { get; set; }
    public required string AgainstOrganization { get; set; }
    public string? CaseNumber { get; set; }
    public required string Description { get; set; }
    public required string Contact { get; set; }

    /// <summary>Projected from the complaint's decider (<see cref="ComplaintDecider"/>); stored by its API name.</summary>
    public ComplaintStage Status { get; set; }
    public DateOnly ReceivedOn { get; set; }
    public DateOnly DueOn { get; set; }
    public required string Rule { get; set; }
    public ComplaintFinding? Finding { get; set; }
    public string? MeasureApplied { get; set; }
    public string? Answer { get; set; }
    public DateOnly? AnsweredOn { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A credit repair application (信用修复, 002 §四(二)6) and the unit's decision.</summary>
public sealed class CreditRepairRow
{
    public Guid Id { get; set; }
    public Guid EntryId { get; set; }
    public required string OrganizationCode { get; set; }
    public required string Grounds { get; set; }

    /// <summary>Projected from <see cref="RepairDecider"/>; stored by its API name.</summary>
    public RepairStatus Status { get; set; }
    public DateOnly AppliedOn { get; set; }
    public DateOnly? DecidedOn { get; set; }
    public string? Reasons { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A notice (通报) or a talk (约谈) the hub issued to an organization (002 §四(四)).</summary>
public sealed class NoticeRow
{
    public Guid Id { get; set; }

    /// <summary>通报 or 约谈; stored by its API name.</summary>
    public NoticeKind Kind { get; set; }
    public required string OrganizationCode { get; set; }
    public DateOnly IssuedOn { get; set; }
    public required string Subject { get; set; }
    public string? Detail { get; set; }
    public required string IssuedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>Delivery of a special-subject notification (SPC Art. 8; 003 §三(八)).</summary>
public sealed class SpecialNotificationRow
{
    public Guid Id { get; set; }
    public Guid EntryId { get; set; }
    public required string Addressee { get; set; }
    public DateOnly DeliveredOn { get; set; }
    public required string Method { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A unit's confirmation of its quarterly report (003 §四(四)).</summary>
public sealed class ReportConfirmationRow
{
    public required string OrganizationCode { get; set; }
    public int Year { get; set; }
    public int Quarter { get; set; }
    public DateOnly ConfirmedOn { get; set; }
    public string? Note { get; set; }
}
