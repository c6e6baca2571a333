using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Shixin.Core.Calendar;
using Shixin.Core.Entries;

namespace Shixin.Core.Oversight;

/// <summary>
/// Where an objection stands. The seeds: "联合惩戒措施在信息核实期间暂不执行" (002 §四(二)3) — the measure is suspended
/// from receipt while the executing court verifies; verification upholds (the measure stays suspended) or rejects it
/// (the measure applies again). Received and verifying are one state: verification starts on receipt.
/// </summary>
public enum ObjectionStatus
{
    /// <summary>Received by the unit; the executing court is verifying (API name <c>open</c>).</summary>
    [JsonStringEnumMemberName("open")]
    Verifying,

    /// <summary>The court found the objection well-founded: the measure stays suspended for that unit.</summary>
    Upheld,

    /// <summary>Dismissed by the court: the measure applies again (API name <c>rejected</c>).</summary>
    Rejected,
}

/// <summary>The court's finding on an objection.</summary>
public enum ObjectionFinding
{
    Upheld,
    Rejected,
}

/// <summary>API names of objection states and findings (the names <c>GET /objections/{id}</c> has always answered).</summary>
public static class ObjectionNames
{
    public static string ToApi(this ObjectionStatus s) => s switch
    {
        ObjectionStatus.Verifying => "open",
        ObjectionStatus.Upheld => "upheld",
        ObjectionStatus.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string TitleZh(this ObjectionStatus s) => s switch
    {
        ObjectionStatus.Verifying => "核实中",
        ObjectionStatus.Upheld => "异议成立",
        ObjectionStatus.Rejected => "异议不成立",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string ToApi(this ObjectionFinding f) => f == ObjectionFinding.Upheld ? "upheld" : "rejected";

    public static bool TryParseFinding(string? text, out ObjectionFinding finding)
    {
        (var ok, finding) = text switch
        {
            "upheld" => (true, ObjectionFinding.Upheld),
            "rejected" => (true, ObjectionFinding.Rejected),
            _ => (false, default),
        };
        return ok;
    }

    public static ObjectionStatus Parse(string text) => TryParse(text, out var s) ? s : throw new InvalidDataException("unknown objection status '" + text + "'");

    public static bool TryParse(string? text, out ObjectionStatus status)
    {
        foreach (var s in Enum.GetValues<ObjectionStatus>())
        {
            if (string.Equals(s.ToApi(), text, StringComparison.Ordinal))
            {
                status = s;
                return true;
            }
        }

        status = default;
        return false;
    }
}

/// <summary>A debtor's objection to one unit's measure, recorded on the entry it concerns.</summary>
public sealed record Objection
{
    public required Guid Id { get; init; }

    /// <summary>The unit that applies the measure and received the objection.</summary>
    public required string Organization { get; init; }
    public required string MeasureId { get; init; }
    public required DateOnly ReceivedOn { get; init; }
    public required string Grounds { get; init; }

    /// <summary>When the executing court must have verified (rule <c>unit.verify-objection</c>).</summary>
    public required Deadline VerifyDue { get; init; }
    public ObjectionStatus Status { get; init; } = ObjectionStatus.Verifying;
    public DateOnly? VerifiedOn { get; init; }
    public string? Reasons { get; init; }

    /// <summary>The measure is suspended for this unit's checks of the entry's subjects: while verifying, and when upheld.</summary>
    [JsonIgnore]
    public bool Suspends => Status != ObjectionStatus.Rejected;
}

/// <summary>
/// A unit records a debtor's objection to a measure it applied. The server supplies the facts a pure rule cannot read:
/// whether the measure is in force in the unit's region, and the unit's own feedback history for this entry and measure.
/// </summary>
public sealed record FileObjection(Guid ObjectionId, string Organization, string MeasureId, string MeasureTitleZh, bool MeasureInForce,
    ImmutableArray<FeedbackAction> UnitActionsNewestFirst, DateOnly ReceivedOn, string Grounds, DateOnly Today) : EntryCommand;

/// <summary>The executing court verifies an objection (a judge; the server checks the role).</summary>
public sealed record VerifyObjection(Guid ObjectionId, string Court, ObjectionFinding Finding, DateOnly VerifiedOn, string? Reasons, DateOnly Today) : EntryCommand;

/// <summary>An objection was received: the measure is suspended for that unit from now (a list change).</summary>
public sealed record ObjectionFiled(Objection Objection) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.ObjectionFiled;
}

/// <summary>The court verified an objection: upheld keeps the suspension, rejected ends it (a list change).</summary>
public sealed record ObjectionVerified(Guid ObjectionId, ObjectionFinding Finding, DateOnly VerifiedOn, string? Reasons) : EntryEvent
{
    [JsonIgnore]
    public override string Type => EntryEventTypes.ObjectionVerified;
}

/// <summary>
/// The objection procedure (002 §四(二)3; 003 §三(十二)). Objections change what a unit's checks answer, so they are
/// entry events with list sequences, decided here and folded into the entry like court exemptions.
/// </summary>
public static class ObjectionDecider
{
    public static EntryDecision DecideFiling(EntryState s, FileObjection c, IEntryRules rules)
    {
        // Issue 11 finding 2. An objection is to "the measures of a unit" (002 §四(二)3) made to "the department applying
        // the punishment" (003 §三(十二)): so the entry is screened (listed), the measure is in force where the unit is,
        // and the unit itself reported applying it to this entry. Not for a measure another unit applies.
        if (s.Status != EntryStatus.Listed)
        {
            return EntryDecision.Refuse(DomainError.Codes.IllegalTransition,
                new("只能对已纳入名单的条目提出异议，该条目当前状态为“" + s.Status.TitleZh() + "”", "an objection concerns a listed entry; this one is " + s.Status.ToApi()));
        }

        if (Rule.NotInFuture(c.ReceivedOn, c.Today, "receivedOn", "收到异议日期") is { } future)
        {
            return EntryDecision.Refuse(future);
        }

        if (string.IsNullOrWhiteSpace(c.Grounds))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("请填写异议理由", "grounds are required"), "grounds");
        }

        if (!c.MeasureInForce)
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed,
                new("本地区单位的业务场景均不适用该惩戒措施：" + c.MeasureTitleZh, "measure " + c.MeasureId + " is not applied in any scenario by units in the unit's region"),
                "measureCode");
        }

        if (c.UnitActionsNewestFirst.IsDefaultOrEmpty || !FeedbackActions.AppliedAndStanding(c.UnitActionsNewestFirst))
        {
            return EntryDecision.Refuse(OversightCodes.MeasureNotApplied,
                new("本单位未反馈对该条目采取“" + c.MeasureTitleZh + "”，或已解除该措施；异议应向采取措施的单位提出",
                    "this unit has not reported applying " + c.MeasureId + " to the entry (POST /api/v1/feedback with action 'applied'), "
                    + "or has lifted it since; a debtor objects to the unit that applies the measure"));
        }

        if (s.Objections.Any(o => o.Id == c.ObjectionId))
        {
            return EntryDecision.Refuse(OversightCodes.Conflict, new("已有相同编号的异议，请勿重复登记", "an objection with this id already exists"));
        }

        // The court's duty to verify runs from receipt (rule unit.verify-objection; 002 §四(二)3).
        var due = rules.Due(RuleIds.UnitVerifyObjection, c.ReceivedOn);
        return EntryDecision.Accept(new ObjectionFiled(new Objection
        {
            Id = c.ObjectionId, Organization = c.Organization, MeasureId = c.MeasureId, ReceivedOn = c.ReceivedOn, Grounds = c.Grounds.Trim(), VerifyDue = due,
        }));
    }

    public static EntryDecision DecideVerification(EntryState s, VerifyObjection c)
    {
        var o = s.Objections.FirstOrDefault(x => x.Id == c.ObjectionId);
        if (o is null)
        {
            return EntryDecision.Refuse("not-found", new("未找到该异议", "objection " + c.ObjectionId.ToString() + " was not found"));
        }

        // 002 §四(二)3: the debtor is told to apply to the executing court; only that court verifies.
        if (!string.Equals(c.Court, s.CourtCode, StringComparison.Ordinal))
        {
            return EntryDecision.Refuse(OversightCodes.Forbidden, new("异议由执行法院核实", "only the executing court verifies an objection"));
        }

        if (Rule.NotInFuture(c.VerifiedOn, c.Today, "verifiedOn", "核实日期") is { } future)
        {
            return EntryDecision.Refuse(future);
        }

        // The verification meets the court's duty: it cannot precede the objection it answers.
        if (Rule.NotBefore(c.VerifiedOn, o.ReceivedOn, "verifiedOn",
                new("核实日期不能早于收到异议日期（" + Rule.Iso(o.ReceivedOn) + "）", "verifiedOn precedes the objection's receipt (" + Rule.Iso(o.ReceivedOn) + ")")) is { } early)
        {
            return EntryDecision.Refuse(early);
        }

        if (o.Status != ObjectionStatus.Verifying)
        {
            return EntryDecision.Refuse(DomainError.Codes.IllegalTransition, new("该异议已核实，不能重复核实", "the objection was already verified (" + o.Status.ToApi() + ")"));
        }

        return EntryDecision.Accept(new ObjectionVerified(o.Id, c.Finding, c.VerifiedOn, string.IsNullOrWhiteSpace(c.Reasons) ? null : c.Reasons.Trim()));
    }

    /// <summary>
    /// Objections recorded before they were entry events (Shixin before issue 12 kept them as <c>objections</c> rows only):
    /// the events that record them now, in the order received, so that the entry's state, the unit view and subject status
    /// know them and the court can still verify an open one. The record is taken as it stands, not decided again: the unit
    /// filed it and the court verified it under the rules of their day (002 §四(二)3). An objection the entry already holds
    /// is skipped (the adoption runs at every start). One whose record cannot be read (a finding without its date) is
    /// refused with the reason, never completed with a guess.
    /// </summary>
    public static ObjectionAdoption Adopt(EntryState s, IEnumerable<Objection> recorded)
    {
        var events = ImmutableArray.CreateBuilder<EntryEvent>();
        var refused = ImmutableArray.CreateBuilder<(Guid Id, string Reason)>();
        foreach (var o in recorded.OrderBy(o => o.ReceivedOn).ThenBy(o => o.Id))
        {
            if (s.Objections.Any(x => x.Id == o.Id))
            {
                continue;
            }

            if (o.Status != ObjectionStatus.Verifying && o.VerifiedOn is null)
            {
                refused.Add((o.Id, "objection " + o.Id.ToString() + " is " + o.Status.ToApi() + " without a verification date"));
                continue;
            }

            events.Add(new ObjectionFiled(o with { Status = ObjectionStatus.Verifying, VerifiedOn = null, Reasons = null }));
            if (o.Status != ObjectionStatus.Verifying)
            {
                events.Add(new ObjectionVerified(o.Id, o.Status == ObjectionStatus.Upheld ? ObjectionFinding.Upheld : ObjectionFinding.Rejected, o.VerifiedOn!.Value, o.Reasons));
            }
        }

        return new ObjectionAdoption(events.ToImmutable(), refused.ToImmutable());
    }

    /// <summary>The entry's objections after one objection event.</summary>
    public static ImmutableArray<Objection> Evolve(ImmutableArray<Objection> objections, EntryEvent e) => e switch
    {
        ObjectionFiled f => objections.Add(f.Objection),
        ObjectionVerified v => [.. objections.Select(o => o.Id == v.ObjectionId
            ? o with { Status = v.Finding == ObjectionFinding.Upheld ? ObjectionStatus.Upheld : ObjectionStatus.Rejected, VerifiedOn = v.VerifiedOn, Reasons = v.Reasons }
            : o)],
        _ => objections,
    };

    /// <summary>The measures objections suspend for one unit's checks of the entry's subjects (that unit only: issue 11 finding 2).</summary>
    public static IReadOnlySet<string> SuspendedFor(EntryState s, string organization) =>
        s.Objections.Where(o => o.Suspends && string.Equals(o.Organization, organization, StringComparison.Ordinal))
            .Select(o => o.MeasureId).ToHashSet(StringComparer.Ordinal);
}

/// <summary>What adopting recorded objections yields: their events, and those that could not be read with the reason.</summary>
public sealed record ObjectionAdoption(ImmutableArray<EntryEvent> Events, ImmutableArray<(Guid Id, string Reason)> Refused);
