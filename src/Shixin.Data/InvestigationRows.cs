namespace Shixin.Data;

/// <summary>A court's investigation request (执行查控); the state, with its tasks and answers, is kept as JSON.</summary>
public sealed class InvestigationRow
{
    public Guid Id { get; set; }
    public required string CourtCode { get; set; }
    public required string CaseNumber { get; set; }
    public Guid? EntryId { get; set; }
    public required string SubjectKey { get; set; }
    public DateOnly RequestedOn { get; set; }

    /// <summary>Bumped on every answer: two units answering tasks of one request at once must not overwrite each other.</summary>
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string StateJson { get; set; }
}

/// <summary>One task of a request, kept beside the state so a unit's queue is one indexed query.</summary>
public sealed class InvestigationTaskRow
{
    public Guid Id { get; set; }
    public Guid InvestigationId { get; set; }
    public required string CourtCode { get; set; }
    public required string UnitCode { get; set; }
    public required string Kind { get; set; }
    public DateOnly DueOn { get; set; }
    public DateOnly? AnsweredOn { get; set; }
    public bool? NoneFound { get; set; }
}

/// <summary>One row of the hub's routing table: this unit answers this kind for courts in this region.</summary>
public sealed class InvestigationRouteRow
{
    public required string Region { get; set; }
    public required string Kind { get; set; }
    public required string UnitCode { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A judge's control request to one unit and the unit's answer; the state is kept as JSON.</summary>
public sealed class ControlRow
{
    public Guid Id { get; set; }
    public required string CourtCode { get; set; }
    public required string UnitCode { get; set; }
    public required string Kind { get; set; }
    public Guid? OfControlId { get; set; }
    public DateOnly DueOn { get; set; }
    public string? Outcome { get; set; }
    public DateOnly? LapsesOn { get; set; }
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string StateJson { get; set; }
}
