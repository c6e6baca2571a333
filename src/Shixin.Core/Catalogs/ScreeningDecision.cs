namespace Shixin.Core.Catalogs;

/// <summary>One hit the screening index found for a checked subject.</summary>
/// <param name="EntryRef">Opaque reference to the list entry.</param>
/// <param name="DebtorKind">Whether the listed debtor is a person or an organization.</param>
/// <param name="Via">How the checked subject is tied to the debtor (the debtor itself or a related role).</param>
/// <param name="Exemptions">
/// Keys exempted for this person at this instant (court-approved private purchase, humanitarian flight or rail
/// lifting): a clause id, a measure id, a category code (e.g. <c>high-consumption</c>) or a scenario id
/// (e.g. <c>civil-aviation.ticket</c>). Null means none. Should use an ordinal comparer.
/// </param>
/// <param name="Suspended">Clause or measure ids suspended for this subject while an objection is verified. Null means none.</param>
/// <param name="Officer">
/// For an organization checked through its officers (API.md "Organizations through their officers"): the index of
/// the officer, among those the check gave, who is the debtor; <see cref="Via"/> is then that officer's role in the
/// checked organization. -1 when the hit is on the checked subject's own identifier.
/// </param>
public readonly record struct MatchCandidate(
    long EntryRef,
    SubjectKind DebtorKind,
    RelatedRole Via,
    IReadOnlySet<string>? Exemptions = null,
    IReadOnlySet<string>? Suspended = null,
    int Officer = -1);

/// <summary>Why a hit ended with no applicable clause.</summary>
public enum ClearedReason
{
    /// <summary>No clause of the scenario reaches this subject kind or role in the caller's region.</summary>
    NotCovered,
    /// <summary>Clauses reached the subject, but all were exempted for this person.</summary>
    Exempted,
    /// <summary>Clauses reached the subject, but all were suspended (objection) or exempted, at least one suspended.</summary>
    Suspended,
    /// <summary>Clauses reached the subject, but the context given (train, seat, hotel…) is outside every one's condition.</summary>
    OutsideContext,
}

/// <summary>A hit with the clauses that apply to it and the outcome they produce.</summary>
/// <param name="EntryRef">The entry hit.</param>
/// <param name="Via">The role tying the checked subject to the debtor (for an officer hit: the officer's role).</param>
/// <param name="Outcome">The strictest outcome of <paramref name="Clauses"/>.</param>
/// <param name="Clauses">The clauses that apply, broadest catalog first.</param>
public sealed record MatchDecision(long EntryRef, RelatedRole Via, ScreeningOutcome Outcome, IReadOnlyList<Clause> Clauses)
{
    /// <summary>Context fields an applied clause's condition names that the check did not give (it applied as the strictest case).</summary>
    public IReadOnlyList<string> NeedsContext { get; init; } = [];

    /// <summary>The officer (index among the check's officers) through whom an organization was hit; -1 for a direct hit.</summary>
    public int Officer { get; init; } = -1;

    /// <summary>The measures of <see cref="Clauses"/>, each once, in order.</summary>
    public IReadOnlyList<Measure> Measures => [.. Clauses.Select(c => c.Measure).Distinct()];
}

/// <summary>A hit that does not count, kept so the durable check record can say why.</summary>
public readonly record struct ClearedMatch(long EntryRef, RelatedRole Via, ClearedReason Reason, int Officer = -1);

/// <summary>The decision for one checked subject: the strictest outcome, the counting hits and the cleared ones.</summary>
public sealed record SubjectDecision(ScreeningOutcome Outcome, IReadOnlyList<MatchDecision> Matches, IReadOnlyList<ClearedMatch> Cleared)
{
    /// <summary>The shared result for a subject with no hits (the common case, so it is not allocated per check).</summary>
    public static SubjectDecision NoHits { get; } = new(ScreeningOutcome.Clear, [], []);
}

/// <summary>The screening decision rule: which clauses apply to which hits, and the subject's outcome. Pure.</summary>
public static class ScreeningDecision
{
    /// <summary>
    /// The one action → outcome table.
    /// block → block. revoke-honour → block: the honour step (nomination, award) is refused, which at the unit's
    /// counter is the same as a block. strict-review, quota and enhanced-supervision → review: the step is not
    /// refused outright but cannot proceed automatically (从严审核 needs a reviewer; 限额控制 needs the amount
    /// checked against the quota; 重点监管 makes the subject a supervision target that an officer must act on).
    /// prudential-reference, notify and assist → reference: the step proceeds and the listing is recorded as a
    /// reference (审慎性参考), a notification to send (通报) or an assistance duty to the court (协助). Assist clauses
    /// never reach a check (see <see cref="Decide"/>); the row stays so the table is total.
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

    /// <summary>Whether any clause of <paramref name="measure"/> reaches the subject (see the clause overload).</summary>
    public static bool Reaches(Measure measure, SubjectKind subjectKind, SubjectKind debtorKind, RelatedRole via)
    {
        ArgumentNullException.ThrowIfNull(measure);
        foreach (var c in measure.Clauses)
        {
            if (Reaches(c, subjectKind, debtorKind, via))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Whether <paramref name="clause"/> reaches a subject of kind <paramref name="subjectKind"/> hit via
    /// <paramref name="via"/> on a debtor of kind <paramref name="debtorKind"/>. The debtor itself is reached when
    /// its kind is in the clause's subject kinds. A related subject is reached when the role is in the clause's
    /// related roles and the clause's reach points at that subject's kind: <c>officers</c> reaches the persons who
    /// hold the role in an organization debtor (000 §二(七): 法定代表人、主要负责人、实际控制人、影响债务履行的直接责任人员);
    /// <c>organizations</c> reaches the organizations in which a debtor holds the role (000 §二(二)2, 二(五)1, 二(九):
    /// 以失信被执行人为法定代表人、实际控制人、董事、监事、高级管理人员的单位).
    /// </summary>
    public static bool Reaches(Clause clause, SubjectKind subjectKind, SubjectKind debtorKind, RelatedRole via)
    {
        ArgumentNullException.ThrowIfNull(clause);
        if (via == RelatedRole.Debtor)
        {
            return (clause.SubjectKindMask & (1 << (int)debtorKind)) != 0;
        }
        if ((clause.RelatedRoleMask & (1 << (int)via)) == 0)
        {
            return false;
        }
        return clause.RelatedReach switch
        {
            RelatedReach.Officers => subjectKind == SubjectKind.Person && debtorKind == SubjectKind.Organization,
            RelatedReach.Organizations => subjectKind == SubjectKind.Organization,
            _ => false,
        };
    }

    /// <summary>Decides one checked subject without business context (every context condition counts as unknown).</summary>
    /// <exception cref="UnknownScenarioException">The scenario id is not defined.</exception>
    public static SubjectDecision Decide(MeasureCatalogs catalogs, string scenarioId, string regionCode, SubjectKind subjectKind,
        ReadOnlySpan<MatchCandidate> candidates) => Decide(catalogs, scenarioId, regionCode, subjectKind, candidates, CheckContext.Empty);

    /// <summary>
    /// Decides one checked subject, clause by clause. Assist clauses never count (a court's request, not an outcome).
    /// A clause with a context condition applies only when the given context satisfies it; when a field it needs was
    /// not given it applies as the strictest case and the match names the field in
    /// <see cref="MatchDecision.NeedsContext"/> (a check that says less cannot get a milder answer than the law allows).
    /// Hits with no applicable clause do not count towards the outcome; they are returned in
    /// <see cref="SubjectDecision.Cleared"/> with the reason, not dropped, so the check record shows them.
    /// </summary>
    /// <exception cref="UnknownScenarioException">The scenario id is not defined.</exception>
    /// <exception cref="ArgumentException">The region code is not six digits.</exception>
    public static SubjectDecision Decide(
        MeasureCatalogs catalogs,
        string scenarioId,
        string regionCode,
        SubjectKind subjectKind,
        ReadOnlySpan<MatchCandidate> candidates,
        CheckContext? context)
    {
        ArgumentNullException.ThrowIfNull(catalogs);
        context ??= CheckContext.Empty;
        // Resolve first so an unknown scenario fails even when there are no hits.
        var clauses = catalogs.ApplicableArray(scenarioId, regionCode);
        if (candidates.IsEmpty)
        {
            return SubjectDecision.NoHits;
        }

        var outcome = ScreeningOutcome.Clear;
        List<MatchDecision>? matches = null;
        List<ClearedMatch>? cleared = null;
        foreach (var c in candidates)
        {
            List<Clause>? applied = null;
            List<string>? needs = null;
            var matchOutcome = ScreeningOutcome.Clear;
            bool anyReached = false, anySuspended = false, anyExempted = false;
            foreach (var clause in clauses)
            {
                if (!Reaches(clause, subjectKind, c.DebtorKind, c.Via))
                {
                    continue;
                }
                anyReached = true;
                if (!Fits(clause, context, out var missing))
                {
                    continue;
                }
                if (c.Suspended is { } suspended && (suspended.Contains(clause.Id) || suspended.Contains(clause.Measure.Id)))
                {
                    anySuspended = true;
                    continue;
                }
                if (c.Exemptions is { } ex && (ex.Contains(clause.Id) || ex.Contains(clause.Measure.Id)
                    || ex.Contains(clause.Measure.CategoryCode) || ex.Contains(scenarioId)))
                {
                    anyExempted = true;
                    continue;
                }
                (applied ??= []).Add(clause);
                if (missing is not null)
                {
                    foreach (var f in missing)
                    {
                        if (!(needs ??= []).Contains(f))
                        {
                            needs.Add(f);
                        }
                    }
                }
                var o = OutcomeOf(clause.Action);
                if (o > matchOutcome)
                {
                    matchOutcome = o;
                }
            }
            if (applied is null)
            {
                var reason = !anyReached ? ClearedReason.NotCovered
                    : anySuspended ? ClearedReason.Suspended
                    : anyExempted ? ClearedReason.Exempted
                    : ClearedReason.OutsideContext;
                (cleared ??= []).Add(new ClearedMatch(c.EntryRef, c.Via, reason, c.Officer));
                continue;
            }
            (matches ??= []).Add(new MatchDecision(c.EntryRef, c.Via, matchOutcome, applied)
            {
                NeedsContext = (IReadOnlyList<string>?)needs ?? [],
                Officer = c.Officer,
            });
            if (matchOutcome > outcome)
            {
                outcome = matchOutcome;
            }
        }
        return new SubjectDecision(outcome, (IReadOnlyList<MatchDecision>?)matches ?? [], (IReadOnlyList<ClearedMatch>?)cleared ?? []);
    }

    /// <summary>
    /// Whether the clause's condition holds in the context. A field the context does not give counts as holding
    /// (the strictest case) and is returned in <paramref name="missing"/>; a given value outside the list fails.
    /// </summary>
    private static bool Fits(Clause clause, CheckContext context, out List<string>? missing)
    {
        missing = null;
        foreach (var requirement in clause.When)
        {
            if (!context.TryGetValue(requirement.Field, out var value))
            {
                (missing ??= []).Add(requirement.Field);
                continue;
            }
            var ok = false;
            foreach (var v in requirement.Values)
            {
                if (string.Equals(v, value, StringComparison.Ordinal))
                {
                    ok = true;
                    break;
                }
            }
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
