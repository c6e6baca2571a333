using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Shixin.Core.Entries;

/// <summary>Something that happened to an entry; the ledger stores these in order.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(EntryDrafted), EntryEventTypes.Drafted)]
[JsonDerivedType(typeof(RiskNoticeServed), EntryEventTypes.RiskNoticeServed)]
[JsonDerivedType(typeof(ListingDecided), EntryEventTypes.Decided)]
[JsonDerivedType(typeof(EntryListed), EntryEventTypes.Listed)]
[JsonDerivedType(typeof(EntryUpdated), EntryEventTypes.Updated)]
[JsonDerivedType(typeof(EntryExtended), EntryEventTypes.Extended)]
[JsonDerivedType(typeof(EntryExited), EntryEventTypes.Shielded)]
[JsonDerivedType(typeof(EntryRevoked), EntryEventTypes.Revoked)]
[JsonDerivedType(typeof(EntryDeleted), EntryEventTypes.Deleted)]
[JsonDerivedType(typeof(EntryExpired), EntryEventTypes.Expired)]
[JsonDerivedType(typeof(PerformanceRecorded), EntryEventTypes.PerformanceRecorded)]
[JsonDerivedType(typeof(CorrectionFiled), EntryEventTypes.CorrectionFiled)]
[JsonDerivedType(typeof(CorrectionRuled), EntryEventTypes.CorrectionRuled)]
[JsonDerivedType(typeof(ReconsiderationFiled), EntryEventTypes.ReconsiderationFiled)]
[JsonDerivedType(typeof(ReconsiderationRuled), EntryEventTypes.ReconsiderationRuled)]
[JsonDerivedType(typeof(ExemptionGranted), EntryEventTypes.ExemptionGranted)]
[JsonDerivedType(typeof(ExemptionEnded), EntryEventTypes.ExemptionEnded)]
[JsonDerivedType(typeof(Oversight.ObjectionFiled), EntryEventTypes.ObjectionFiled)]
[JsonDerivedType(typeof(Oversight.ObjectionVerified), EntryEventTypes.ObjectionVerified)]
public abstract record EntryEvent
{
    /// <summary>The stable event type name (API.md "Distribution").</summary>
    [JsonIgnore]
    public abstract string Type { get; }

    /// <summary>True when the event changes the list that units screen against; such events get a list sequence.</summary>
    [JsonIgnore]
    public bool ChangesList => EntryEventTypes.IsListChange(Type);
}

/// <summary>Event type names; the list-changing ones are the feed's types.</summary>
public static class EntryEventTypes
{
    public const string Drafted = "entry.drafted";
    public const string RiskNoticeServed = "entry.risk-notice-served";
    public const string Decided = "entry.decided";
    public const string Listed = "entry.listed";
    public const string Updated = "entry.updated";
    public const string Extended = "entry.extended";
    public const string Shielded = "entry.shielded";
    public const string Revoked = "entry.revoked";
    public const string Deleted = "entry.deleted";
    public const string Expired = "entry.expired";
    public const string PerformanceRecorded = "entry.performance-recorded";
    public const string CorrectionFiled = "correction.filed";
    public const string CorrectionRuled = "correction.ruled";
    public const string ReconsiderationFiled = "reconsideration.filed";
    public const string ReconsiderationRuled = "reconsideration.ruled";
    public const string ExemptionGranted = "entry.exemption-granted";
    public const string ExemptionEnded = "entry.exemption-ended";
    public const string ObjectionFiled = "entry.objection-filed";
    public const string ObjectionVerified = "entry.objection-verified";

    // Exemptions and objections change what a check answers (an objection suspends a measure for the objecting unit,
    // 002 §四(二)3), so they are list changes: sequenced, in the feed, webhooks and snapshot, and replayable.
    public static readonly ImmutableArray<string> ListChanges =
        [Listed, Updated, Extended, Shielded, Revoked, Deleted, Expired, ExemptionGranted, ExemptionEnded, ObjectionFiled, ObjectionVerified];

    public static bool IsListChange(string type) => ListChanges.Contains(type, StringComparer.Ordinal);
}

/// <summary>A clerk drafted the entry (审核前的草稿).</summary>
public sealed record EntryDrafted(EntryState Draft) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.Drafted;
}

/// <summary>The risk notice (风险提示) was served on the debtor (000 §四(二)3).</summary>
public sealed record RiskNoticeServed(DateOnly ServedOn) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.RiskNoticeServed;
}

/// <summary>A judge decided to list; effective when made, publication may wait for a grace period.</summary>
public sealed record ListingDecided(DateOnly DecidedOn, DateOnly PublishOn, int? TermYears, DateOnly? ExpiresOn, string Severity) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.Decided;
}

/// <summary>The entry is now on the list: published (or restricted) and screened.</summary>
public sealed record EntryListed(DateOnly PublishedOn) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.Listed;
}

/// <summary>Recorded data was corrected (更正, SPC Art. 9 para 2) or performance changed while the entry stands.</summary>
public sealed record EntryUpdated(ImmutableDictionary<string, string?> Changes, string Reason, EntryState After) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.Updated;
}

/// <summary>The term was extended by 1–3 years (SPC Art. 2).</summary>
public sealed record EntryExtended(int Years, string Reason, DateOnly ExpiresOn) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.Extended;
}

/// <summary>The entry was shielded (屏蔽): kept but out of public view and screening.</summary>
public record EntryExited(string Reason, DateOnly EffectiveOn, string? Note) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.Shielded;
}

/// <summary>The entry was revoked (撤销): it should never have been listed.</summary>
public sealed record EntryRevoked(string Reason, DateOnly EffectiveOn, string? Note) : EntryExited(Reason, EffectiveOn, Note)
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.Revoked;
}

/// <summary>The entry was deleted (删除): a valid listing that has ended.</summary>
public sealed record EntryDeleted(string Reason, DateOnly EffectiveOn, string? Note) : EntryExited(Reason, EffectiveOn, Note)
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.Deleted;
}

/// <summary>The listing term ran out; the court must still delete within its period.</summary>
public sealed record EntryExpired(DateOnly ExpiredOn) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.Expired;
}

/// <summary>
/// The court recorded the debtor's performance; full performance, a performed settlement or terminated enforcement opens
/// the duty to exit (000 §四(二)4). The two later flags default to false, so events stored before them read unchanged.
/// </summary>
public sealed record PerformanceRecorded(Performance Performance, bool Fully, DateOnly RecordedOn,
    bool SettlementPerformed = false, bool ExecutionTerminated = false) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.PerformanceRecorded;
}

/// <summary>The debtor applied for correction (纠正申请).</summary>
public sealed record CorrectionFiled(Correction Correction) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.CorrectionFiled;
}

/// <summary>The executing court ruled on a correction.</summary>
public sealed record CorrectionRuled(Guid CorrectionId, string Outcome, DateOnly RuledOn, string Reasons) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.CorrectionRuled;
}

/// <summary>The debtor asked the higher court to reconsider a rejected correction.</summary>
public sealed record ReconsiderationFiled(Guid CorrectionId, Reconsideration Reconsideration) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.ReconsiderationFiled;
}

/// <summary>The higher court ruled on a reconsideration.</summary>
public sealed record ReconsiderationRuled(Guid CorrectionId, Guid ReconsiderationId, string Outcome, DateOnly RuledOn, string Reasons) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.ReconsiderationRuled;
}

/// <summary>The executing court granted a court exemption (法发〔2019〕35号 §17).</summary>
public sealed record ExemptionGranted(CourtExemption Exemption) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.ExemptionGranted;
}

/// <summary>The executing court ended a court exemption before its window closed.</summary>
public sealed record ExemptionEnded(Guid ExemptionId, string Reason, DateOnly EndedOn) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.ExemptionEnded;
}
