using System.Collections.Immutable;
using System.Text.Json;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Data;

namespace Shixin.Server.Courts;

/// <summary>An entry as court staff and the hub see it (full personal data; reads are audited).</summary>
public sealed record EntryView(
    Guid Id,
    string Status,
    string Court,
    string CaseNumber,
    DateOnly FilingDate,
    BasisDocument BasisDocument,
    string Obligation,
    Performance Performance,
    ImmutableArray<string> Circumstances,
    EntrySubject Subject,
    ImmutableArray<RelatedPerson> RelatedPersons,
    string Publicity,
    string? SpecialStatus,
    string InitiatedBy,
    string Severity,
    DateOnly? RiskNoticeServedOn,
    DateOnly? DecidedOn,
    DateOnly? PublishedOn,
    bool Screened,
    int? TermYears,
    int ExtensionYears,
    DateOnly? ExpiresOn,
    DateOnly? FullyPerformedOn,
    DateOnly? SettlementPerformedOn,
    DateOnly? ExecutionTerminatedOn,
    DateOnly? ExitedOn,
    string? ExitReason,
    ImmutableArray<CorrectionView> Corrections,
    int Version,
    ImmutableArray<HistoryItem>? History,
    ImmutableArray<DutyView>? Obligations)
{
    /// <summary>The entry's court exemptions (API.md "Court exemptions"); <c>status</c> is on the server's China date.</summary>
    public ImmutableArray<ExemptionView> Exemptions { get; init; } = [];

    /// <summary>The list sequence of the write that answered with this view, when it appended list events (API.md "Consistency").</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? ListSequence { get; init; }

    /// <summary>Maps the state; with <paramref name="rules"/>, stored provisional due dates are recounted (see <see cref="EntryDuties.Current"/>).</summary>
    public static EntryView Of(EntryState s, DateOnly today, ImmutableArray<HistoryItem>? history = null, ImmutableArray<DutyView>? duties = null,
        IEntryRules? rules = null) => new(
        s.Id, s.Status.ToApi(), s.CourtCode, s.CaseNumber, s.FilingDate, s.BasisDocument, s.Obligation, s.Performance,
        s.Circumstances, s.Subject, s.RelatedPersons, s.Publicity, s.SpecialStatus, s.InitiatedBy, s.Severity,
        s.RiskNoticeServedOn, s.DecidedOn, s.PublishedOn, s.IsScreened, s.TermYears, s.ExtensionYears, s.ExpiresOn,
        s.FullyPerformedOn, s.SettlementPerformedOn, s.ExecutionTerminatedOn, s.ExitedOn, s.ExitReason,
        [.. s.Corrections.Select(c => CorrectionView.Of(c, rules))], s.Version, history, duties)
    {
        Exemptions = [.. s.Exemptions.Select(x => ExemptionView.Of(s.Id, x, today))],
    };
}

/// <summary>
/// A correction with its review deadline and any reconsideration. <c>reviewDueOnProvisional</c> (and
/// <c>rulingDueOnProvisional</c>): the date was counted into a year whose holiday notice is not in the data yet (API.md).
/// </summary>
public sealed record CorrectionView(Guid Id, string Status, DateOnly ReceivedOn, DateOnly FiledOn, string Grounds, DateOnly ReviewDueOn,
    string ReviewRule, DateOnly? RuledOn, string? Reasons, ReconsiderationView? Reconsideration, bool ReviewDueOnProvisional = false)
{
    public static CorrectionView Of(Correction c) => Of(c, null);

    public static CorrectionView Of(Correction c, IEntryRules? rules)
    {
        var review = rules is null ? c.ReviewDue : EntryDuties.Current(c.ReviewDue, c.FiledOn, rules);
        ReconsiderationView? recon = null;
        if (c.Reconsideration is { } r)
        {
            var ruling = rules is null ? r.RulingDue : EntryDuties.Current(r.RulingDue, r.FiledOn, rules);
            recon = new ReconsiderationView(r.Id, r.Status, r.CourtCode, r.FiledOn, r.Grounds, ruling.DueOn, ruling.RuleId, r.RuledOn, r.Reasons, ruling.Provisional);
        }

        return new(c.Id, c.Status, c.ReceivedOn, c.FiledOn, c.Grounds, review.DueOn, review.RuleId, c.RuledOn, c.Reasons, recon, review.Provisional);
    }
}

/// <summary>A reconsideration before the higher court.</summary>
public sealed record ReconsiderationView(Guid Id, string Status, string Court, DateOnly FiledOn, string Grounds, DateOnly RulingDueOn, string RulingRule,
    DateOnly? RuledOn, string? Reasons, bool RulingDueOnProvisional = false);

/// <summary>One event of an entry's history; list-changing events carry their list sequence.</summary>
public sealed record HistoryItem(long? Seq, string Type, DateTimeOffset At, string Actor, JsonElement Data);

/// <summary>A duty on the entry with its due date and the rule that set it.</summary>
public sealed record DutyView(string Code, string Owner, string Title, string TitleEn, DateOnly DueOn, string Rule, string RuleSet, string Source, string Status,
    DateOnly? MetOn, Guid? ProceedingId, bool Provisional = false)
{
    public static DutyView Of(EntryDuty d, DateOnly today) => new(d.Code, d.OwnerCode, d.TitleZh, d.TitleEn, d.Due.DueOn, d.Due.RuleId,
        d.Due.RuleSet, d.Due.Source, d.StatusOn(today), d.MetOn, d.SubjectId, d.Due.Provisional);
}

/// <summary>Maps ledger rows to history items.</summary>
public static class HistoryMapping
{
    public static HistoryItem Of(LedgerEventRow r)
    {
        using var doc = JsonDocument.Parse(r.DataJson);
        return new HistoryItem(r.Seq, r.Type, ChinaTime.ToChina(r.OccurredAt), r.ActorOrganization, doc.RootElement.Clone());
    }
}
