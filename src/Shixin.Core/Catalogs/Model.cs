namespace Shixin.Core.Catalogs;

/// <summary>One punishment measure (惩戒措施) as a seed document defines it.</summary>
public sealed record Measure(
    string Id,
    string CatalogId,
    MeasureCategory Category,
    string CategoryZh,
    string Title,
    string TitleEn,
    string Text,
    MeasureAction Action,
    IReadOnlyList<SubjectKind> SubjectKinds,
    IReadOnlyList<RelatedRole> RelatedRoles,
    RelatedReach? RelatedReach,
    IReadOnlyList<string> ResponsibleUnits,
    string Region,
    string Source)
{
    // Bit masks so the per-check rule tests membership without enumerating lists.
    internal int SubjectKindMask { get; } = Mask(SubjectKinds);
    internal int RelatedRoleMask { get; } = Mask(RelatedRoles);

    /// <summary>API code of <see cref="Category"/>, also usable as an exemption key.</summary>
    public string CategoryCode { get; } = Category.ToApiName();

    /// <summary>
    /// The measure's clauses, in the order the seed names them; one implicit clause (<c>id#1</c>, the measure's own
    /// text, action and roles) for a measure the catalog has not split yet. Set once by the loader.
    /// </summary>
    public IReadOnlyList<Clause> Clauses { get; internal set; } = [];

    internal static int Mask<T>(IReadOnlyList<T> values) where T : struct, Enum
    {
        var mask = 0;
        foreach (var v in values)
        {
            mask |= 1 << Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture);
        }
        return mask;
    }
}

/// <summary>The measures one document (措施清单) defines for its region.</summary>
public sealed record MeasureCatalog(
    string Id,
    string Title,
    string? DocumentNumber,
    string Issuer,
    DateOnly IssuedOn,
    string Region,
    string RegionName,
    IReadOnlyList<Measure> Measures);

/// <summary>A unit's business step where a check happens, with the measures that bear on it.</summary>
public sealed record Scenario(
    string Id,
    string TitleZh,
    string TitleEn,
    MeasureCategory Category,
    IReadOnlyList<SubjectKind> SubjectKinds,
    IReadOnlyList<string> MeasureIds)
{
    /// <summary>The context fields the scenario's counter asks for (data/context-fields.json ids), in display order.</summary>
    public IReadOnlyList<string> Context { get; init; } = [];

    /// <summary>Every clause (assist ones included) the scenario checks, in catalog order, across all regions.</summary>
    public IReadOnlyList<Clause> Clauses { get; init; } = [];
}

/// <summary>Raised when a check names a scenario that no catalog defines.</summary>
public sealed class UnknownScenarioException : KeyNotFoundException
{
    /// <summary>Creates the exception for a scenario id.</summary>
    public UnknownScenarioException(string scenarioId)
        : base($"Unknown scenario '{scenarioId}'. GET /api/v1/scenarios lists the known ids.") => ScenarioId = scenarioId;

    /// <summary>Creates the exception without a scenario id.</summary>
    public UnknownScenarioException() : base("Unknown scenario.") => ScenarioId = string.Empty;

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public UnknownScenarioException(string message, Exception innerException) : base(message, innerException) => ScenarioId = string.Empty;

    /// <summary>The scenario id that was not found.</summary>
    public string ScenarioId { get; }
}
