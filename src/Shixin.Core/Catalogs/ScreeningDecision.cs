namespace Shixin.Core.Catalogs;

/// <summary>One hit the screening index found for a checked subject.</summary>
/// <param name="EntryRef">Opaque reference to the list entry.</param>
/// <param name="DebtorKind">Whether the listed debtor is a person or an organization.</param>
/// <param name="Via">How the checked subject is tied to the debtor (the debtor itself or a related role).</param>
/// <param name="Exemptions">
/// Keys exempted for this person at this instant (court-approved private purchase, humanitarian flight or rail
/// lifting): a measure id, a category code (e.g. <c>high-consumption</c>) or a scenario id
/// (e.g. <c>civil-aviation.ticket</c>). Null means none. Should use an ordinal comparer.
/// </param>
/// <param name="Suspended">Measure ids suspended for this subject while an objection is verified. Null means none.</param>
public readonly record struct MatchCandidate(
    long EntryRef,
    SubjectKind DebtorKind,
    RelatedRole Via,
    IReadOnlySet<string>? Exemptions = null,
    IReadOnlySet<string>? Suspended = null);

/// <summary>Why a hit ended with no applicable measure.</summary>
public enum ClearedReason
{
    /// <summary>No measure of the scenario reaches this subject kind or role in the caller's region.</summary>
    NotCovered,
    /// <summary>Measures reached the subject, but all were exempted for this person.</summary>
    Exempted,
    /// <summary>Measures reached the subject, but all were suspended (objection) or exempted, at least one suspended.</summary>
    Suspended,
}

/// <summary>A hit with the measures that apply to it and the outcome they produce.</summary>
public sealed record MatchDecision(long EntryRef, RelatedRole Via, ScreeningOutcome Outcome, IReadOnlyList<Measure> Measures);

/// <summary>A hit that does not count, kept so the durable check record can say why.</summary>
public readonly record struct ClearedMatch(long EntryRef, RelatedRole Via, ClearedReason Reason);

/// <summary>The decision for one checked subject: the strictest outcome, the counting hits and the cleared ones.</summary>
public sealed record SubjectDecision(ScreeningOutcome Outcome, IReadOnlyList<MatchDecision> Matches, IReadOnlyList<ClearedMatch> Cleared)
{
    /// <summary>The shared result for a subject with no hits (the common case, so it is not allocated per check).</summary>
    public static SubjectDecision NoHits { get; } = new(ScreeningOutcome.Clear, [], []);
}

/// <summary>The screening decision rule: which measures apply to which hits, and the subject's outcome. Pure.</summary>
public static class ScreeningDecision
{
    /// <summary>
    /// The one action → outcome table.
    /// block → block. revoke-honour → block: the honour step (nomination, award) is refused, which at the unit's
    /// counter is the same as a block. strict-review, quota and enhanced-supervision → review: the step is not
    /// refused outright but cannot proceed automatically (从严审核 needs a reviewer; 限额控制 needs the amount
    /// checked against the quota; 重点监管 makes the subject a supervision target that an officer must act on).
    /// prudential-reference, notify and assist → reference: the step proceeds and the listing is recorded as a
    /// reference (审慎性参考), a notification to send (通报) or an assistance duty to the court (协助).
    /// </summary>
    public static ScreeningOutcome OutcomeOf(MeasureAction action) => action switch
    {
        MeasureAction.Block => ScreeningOutcome.Block,
        MeasureAction.RevokeHonour => ScreeningOutcome.Block,
        MeasureAction.StrictReview => ScreeningOutcome.Review,
        MeasureAction.Quota => ScreeningOutcome.Review,
        MeasureAction.EnhancedSupervision => ScreeningOutcome.Review,
        MeasureAction.PrudentialReference => ScreeningOutcome.Reference,
        MeasureAction.Notify => ScreeningOutcome.Reference,
        MeasureAction.Assist => ScreeningOutcome.Reference,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
    };

    /// <summary>
    /// Whether <paramref name="measure"/> reaches a subject of kind <paramref name="subjectKind"/> hit via
    /// <paramref name="via"/> on a debtor of kind <paramref name="debtorKind"/>. The debtor itself is reached when
    /// its kind is in the measure's subject kinds; a related subject when the role is in the measure's related
    /// roles and the measure's reach points at that subject's kind (officers are persons, organizations are
    /// organizations).
    /// </summary>
    public static bool Reaches(Measure measure, SubjectKind subjectKind, SubjectKind debtorKind, RelatedRole via)
    {
        ArgumentNullException.ThrowIfNull(measure);
        if (via == RelatedRole.Debtor)
        {
            return (measure.SubjectKindMask & (1 << (int)debtorKind)) != 0;
        }
        if ((measure.RelatedRoleMask & (1 << (int)via)) == 0)
        {
            return false;
        }
        return measure.RelatedReach switch
        {
            RelatedReach.Officers => subjectKind == SubjectKind.Person,
            RelatedReach.Organizations => subjectKind == SubjectKind.Organization,
            _ => false,
        };
    }

    /// <summary>
    /// Decides one checked subject. Hits with no applicable measure do not count towards the outcome; they are
    /// returned in <see cref="SubjectDecision.Cleared"/> with the reason, not dropped, so the check record shows them.
    /// </summary>
    /// <exception cref="UnknownScenarioException">The scenario id is not defined.</exception>
    /// <exception cref="ArgumentException">The region code is not six digits.</exception>
    public static SubjectDecision Decide(
        MeasureCatalogs catalogs,
        string scenarioId,
        string regionCode,
        SubjectKind subjectKind,
        ReadOnlySpan<MatchCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(catalogs);
        // Resolve first so an unknown scenario fails even when there are no hits.
        var measures = catalogs.ApplicableArray(scenarioId, regionCode);
        if (candidates.IsEmpty)
        {
            return SubjectDecision.NoHits;
        }

        var outcome = ScreeningOutcome.Clear;
        List<MatchDecision>? matches = null;
        List<ClearedMatch>? cleared = null;
        foreach (var c in candidates)
        {
            List<Measure>? applied = null;
            var matchOutcome = ScreeningOutcome.Clear;
            bool anyReached = false, anySuspended = false;
            foreach (var m in measures)
            {
                if (!Reaches(m, subjectKind, c.DebtorKind, c.Via))
                {
                    continue;
                }
                anyReached = true;
                if (c.Suspended is { } suspended && suspended.Contains(m.Id))
                {
                    anySuspended = true;
                    continue;
                }
                if (c.Exemptions is { } ex && (ex.Contains(m.Id) || ex.Contains(m.CategoryCode) || ex.Contains(scenarioId)))
                {
                    continue;
                }
                (applied ??= []).Add(m);
                var o = OutcomeOf(m.Action);
                if (o > matchOutcome)
                {
                    matchOutcome = o;
                }
            }
            if (applied is null)
            {
                var reason = !anyReached ? ClearedReason.NotCovered : anySuspended ? ClearedReason.Suspended : ClearedReason.Exempted;
                (cleared ??= []).Add(new ClearedMatch(c.EntryRef, c.Via, reason));
                continue;
            }
            (matches ??= []).Add(new MatchDecision(c.EntryRef, c.Via, matchOutcome, applied));
            if (matchOutcome > outcome)
            {
                outcome = matchOutcome;
            }
        }
        return new SubjectDecision(outcome, (IReadOnlyList<MatchDecision>?)matches ?? [], (IReadOnlyList<ClearedMatch>?)cleared ?? []);
    }
}
