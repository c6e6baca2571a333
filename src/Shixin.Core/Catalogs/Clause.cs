namespace Shixin.Core.Catalogs;

/// <summary>
/// One restriction a measure's text names, with its own action read from its own words (DOMAIN.md §3; the
/// contract is /work/wt/CLAUSES-SCHEMA.md, summarised in data/catalogs/README.md). A class, not a record: it points
/// back at its measure, and a record's generated equality would walk that cycle.
/// </summary>
public sealed class Clause
{
    internal Clause(string id, Measure measure, string text, MeasureAction action, IReadOnlyList<SubjectKind> subjectKinds,
        IReadOnlyList<RelatedRole> relatedRoles, RelatedReach? relatedReach, IReadOnlyList<ContextRequirement> when,
        IReadOnlyList<string>? scenarios, string? note, bool isImplicit)
    {
        Id = id;
        Measure = measure;
        Text = text;
        Action = action;
        SubjectKinds = subjectKinds;
        RelatedRoles = relatedRoles;
        RelatedReach = relatedReach;
        When = when;
        DeclaredScenarios = scenarios;
        Note = note;
        IsImplicit = isImplicit;
        SubjectKindMask = Measure.Mask(subjectKinds);
        RelatedRoleMask = Measure.Mask(relatedRoles);
    }

    /// <summary>The clause id: the measure id, <c>#</c>, and the clause's 1-based ordinal (<c>jiangsu-2017/三.二#4</c>).</summary>
    public string Id { get; }

    /// <summary>The measure the clause belongs to.</summary>
    public Measure Measure { get; }

    /// <summary>The seed's exact words for this clause (a substring of the measure's text).</summary>
    public string Text { get; }

    /// <summary>What a unit does when the clause applies.</summary>
    public MeasureAction Action { get; }

    /// <summary>Which kinds of debtor the clause reaches.</summary>
    public IReadOnlyList<SubjectKind> SubjectKinds { get; }

    /// <summary>The related roles the clause reaches, in <see cref="RelatedReach"/>'s direction.</summary>
    public IReadOnlyList<RelatedRole> RelatedRoles { get; }

    /// <summary>The direction of <see cref="RelatedRoles"/>; null when there are none.</summary>
    public RelatedReach? RelatedReach { get; }

    /// <summary>The context condition: every requirement must hold (AND); empty when the clause holds in any context.</summary>
    public IReadOnlyList<ContextRequirement> When { get; }

    /// <summary>The scenarios the catalog names for the clause; null when it inherits them from its measure (transition rule).</summary>
    public IReadOnlyList<string>? DeclaredScenarios { get; }

    /// <summary>Why the action or reach was judged as it is, where the words leave doubt.</summary>
    public string? Note { get; }

    /// <summary>True for a measure the catalog has not split yet: one clause with the measure's own text, action and roles.</summary>
    public bool IsImplicit { get; }

    /// <summary>协助 clauses are a court's request to the unit, never a check's outcome (DOMAIN.md §3).</summary>
    public bool IsAssist => Action == MeasureAction.Assist;

    internal int SubjectKindMask { get; }

    internal int RelatedRoleMask { get; }

    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>One field of a clause's context condition: the context must give one of <paramref name="Values"/> (OR within the list).</summary>
public sealed record ContextRequirement(string Field, IReadOnlyList<string> Values);
