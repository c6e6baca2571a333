using System.Collections.Immutable;
using Shixin.Core.Calendar;

namespace Shixin.Core.Entries;

/// <summary>The rules a decision needs from outside the entry: deadlines and identifier checks, all pure.</summary>
public interface IEntryRules
{
    /// <summary>Due date of a named period of the deployment's rule set, counted by the legal calendar.</summary>
    Deadline Due(string ruleId, DateOnly trigger);

    /// <summary>Like <see cref="Due"/>, but false when the rule set sets no period for the act (unit <c>none</c>, e.g. no correction window under <c>spc-2017</c>).</summary>
    bool TryDue(string ruleId, DateOnly trigger, out Deadline deadline);

    /// <summary>Calendar-year arithmetic of Civil Code Art. 202 without moving off rest days (a term is not a litigation period).</summary>
    DateOnly AddYears(DateOnly date, int years);

    /// <summary>Validates and canonicalises a resident ID number; returns its birth date and sex.</summary>
    DomainError? CheckIdNumber(string field, string? raw, out string canonical, out DateOnly birthDate, out string gender);

    /// <summary>Validates and canonicalises a unified social credit code.</summary>
    DomainError? CheckCreditCode(string field, string? raw, out string canonical);
}

/// <summary>A command to an entry; the decider turns it into events or a refusal.</summary>
public abstract record EntryCommand;

/// <summary>An earlier entry of the same debtor in the same case, for the re-listing rules.</summary>
public sealed record PriorListing(Guid EntryId, EntryStatus Status, string? ExitReason, DateOnly? ExitedOn);

/// <summary>Draft a new entry (clerk). The state must already hold canonical identifiers.</summary>
public sealed record DraftEntry(EntryState Draft, ImmutableArray<PriorListing> PriorListings, DateOnly Today) : EntryCommand;

/// <summary>Record that the risk notice was served.</summary>
public sealed record ServeRiskNotice(DateOnly ServedOn, DateOnly Today) : EntryCommand;

/// <summary>Decide to list (judge).</summary>
public sealed record DecideListing(DateOnly DecidedOn, DateOnly? PublishOn, int? TermYears, string? Severity, DateOnly Today) : EntryCommand;

/// <summary>Publish a decided entry whose grace period has ended (run by the scheduler).</summary>
public sealed record PublishListing(DateOnly Today) : EntryCommand;

/// <summary>Take the entry off the list: shield, revoke or delete.</summary>
public sealed record ExitEntry(EntryStatus Kind, string Reason, DateOnly EffectiveOn, string? Note, DateOnly Today) : EntryCommand;

/// <summary>Extend the term by 1–3 years.</summary>
public sealed record ExtendTerm(int Years, string Reason) : EntryCommand;

/// <summary>Correct recorded data (更正) while the entry stands; keys are dotted field paths.</summary>
public sealed record AmendEntry(ImmutableDictionary<string, string?> Changes, string Reason) : EntryCommand;

/// <summary>
/// Record the debtor's performance, and the two other facts that open the exit duty (000 §四(二)4): the enforcement
/// settlement was performed (执行和解协议履行完毕) or enforcement was terminated by ruling (依法裁定终结执行).
/// </summary>
public sealed record RecordPerformance(Performance Performance, bool Fully, DateOnly RecordedOn,
    bool SettlementPerformed = false, bool ExecutionTerminated = false) : EntryCommand;

/// <summary>End the listing because its term ran out (run by the scheduler).</summary>
public sealed record ExpireTerm(DateOnly Today) : EntryCommand;

/// <summary>File a correction application.</summary>
public sealed record FileCorrection(Guid CorrectionId, DateOnly ReceivedOn, DateOnly FiledOn, string Grounds, DateOnly Today) : EntryCommand;

/// <summary>Rule on a correction (executing court judge).</summary>
public sealed record RuleOnCorrection(Guid CorrectionId, string Outcome, DateOnly RuledOn, string Reasons) : EntryCommand;

/// <summary>File a reconsideration with the higher court.</summary>
public sealed record FileReconsideration(Guid CorrectionId, Guid ReconsiderationId, string HigherCourtCode, DateOnly FiledOn, DateOnly? RejectionReceivedOn, string Grounds, DateOnly Today) : EntryCommand;

/// <summary>Rule on a reconsideration (higher court judge).</summary>
public sealed record RuleOnReconsideration(Guid CorrectionId, Guid ReconsiderationId, string Outcome, DateOnly RuledOn, string Reasons) : EntryCommand;

/// <summary>Grant a court exemption (executing court's judge); the server has already checked that the scenarios exist.</summary>
public sealed record GrantExemption(Guid ExemptionId, string IdNumber, string Kind, ImmutableArray<string> Scenarios,
    DateOnly ValidFrom, DateOnly ValidUntil, string Reason, string Basis, DateOnly Today) : EntryCommand;

/// <summary>End a court exemption before its window closes (executing court's judge).</summary>
public sealed record EndExemption(Guid ExemptionId, string Reason, DateOnly Today) : EntryCommand;

/// <summary>The outcome of a decision: the events to append, or a refusal.</summary>
public readonly record struct EntryDecision(ImmutableArray<EntryEvent> Events, DomainError? Error)
{
    public bool IsRefused => Error is not null;

    public static EntryDecision Refuse(DomainError error) => new([], error);

    public static EntryDecision Refuse(string code, Bilingual message, string? field = null) => new([], new DomainError(code, message, field));

    public static EntryDecision Accept(params EntryEvent[] events) => new([.. events], null);
}
