using Shixin.Core.Entries;

namespace Shixin.Core.Oversight;

/// <summary>Where a credit repair application stands (002 §四(二)6).</summary>
public enum RepairStatus
{
    Pending,
    Granted,
    Refused,
}

/// <summary>The unit's decision on a credit repair.</summary>
public enum RepairOutcome
{
    Granted,
    Refused,
}

/// <summary>API names of repair states and outcomes.</summary>
public static class RepairNames
{
    public static string ToApi(this RepairStatus s) => s switch
    {
        RepairStatus.Pending => "pending",
        RepairStatus.Granted => "granted",
        RepairStatus.Refused => "refused",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static RepairStatus ParseStatus(string text) => text switch
    {
        "pending" => RepairStatus.Pending,
        "granted" => RepairStatus.Granted,
        "refused" => RepairStatus.Refused,
        _ => throw new InvalidDataException("unknown credit repair status '" + text + "'"),
    };

    public static bool TryParseOutcome(string? text, out RepairOutcome outcome)
    {
        (var ok, outcome) = text switch
        {
            "granted" => (true, RepairOutcome.Granted),
            "refused" => (true, RepairOutcome.Refused),
            _ => (false, default),
        };
        return ok;
    }
}

/// <summary>A credit repair application as the procedure needs it.</summary>
public sealed record RepairState(Guid Id, Guid EntryId, string Organization, RepairStatus Status, DateOnly AppliedOn, DateOnly? DecidedOn);

public abstract record RepairCommand;

/// <summary>
/// Record an application (by the unit it was made to, or by the hub on the subject's behalf). The server supplies the
/// entry's status and whether the organization is a registered unit.
/// </summary>
public sealed record ApplyForRepair(Guid Id, Guid EntryId, EntryStatus EntryStatus, string Organization, bool OrganizationIsUnit, string Grounds,
    DateOnly AppliedOn, DateOnly Today) : RepairCommand;

/// <summary>The unit the application was made to decides it.</summary>
public sealed record DecideRepair(string Organization, RepairOutcome Outcome, DateOnly DecidedOn, string? Reasons, DateOnly Today) : RepairCommand;

public abstract record RepairEvent;

public sealed record RepairApplied(Guid Id, Guid EntryId, string Organization, string Grounds, DateOnly AppliedOn) : RepairEvent;

public sealed record RepairDecided(RepairOutcome Outcome, DateOnly DecidedOn, string? Reasons) : RepairEvent;

/// <summary>
/// Credit repair (002 §四(二)6): "信用修复由已经屏蔽或者撤销失信被执行人名单的法人或自然人提出信用修复申请…各联合惩戒单位认为其符合管理要求的，
/// 可以决定允许其信用修复". The unit decides, once.
/// </summary>
public static class RepairDecider
{
    public static Decision<RepairEvent> Decide(RepairState? state, RepairCommand command) => (state, command) switch
    {
        (null, ApplyForRepair c) => DecideApplication(c),
        (not null, ApplyForRepair) => Decision<RepairEvent>.Refuse(OversightCodes.Conflict, new("该申请已登记", "the application already exists")),
        (null, DecideRepair) => Decision<RepairEvent>.Refuse("not-found", new("未找到该信用修复申请", "the credit repair was not found")),
        ({ } s, DecideRepair c) => DecideOutcome(s, c),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
    };

    public static RepairState Evolve(RepairState? state, RepairEvent e) => (state, e) switch
    {
        (_, RepairApplied a) => new RepairState(a.Id, a.EntryId, a.Organization, RepairStatus.Pending, a.AppliedOn, null),
        ({ } s, RepairDecided d) => s with { Status = d.Outcome == RepairOutcome.Granted ? RepairStatus.Granted : RepairStatus.Refused, DecidedOn = d.DecidedOn },
        _ => throw new InvalidOperationException("event on a missing application: " + e.GetType().Name),
    };

    /// <summary>
    /// 002 §四(二)6 speaks of entries shielded or revoked; deletion and expiry take the entry off the list as well, so the
    /// milder reading lets those subjects apply too. A listed (or not yet published) entry is not repaired by a unit.
    /// </summary>
    public static bool MayApplyAfter(EntryStatus status) => status is EntryStatus.Shielded or EntryStatus.Revoked or EntryStatus.Deleted or EntryStatus.Expired;

    private static Decision<RepairEvent> DecideApplication(ApplyForRepair c)
    {
        // Issue 11 finding 10: the organization decides the application (the subject applies to a unit), so it must be a registered unit.
        if (!c.OrganizationIsUnit)
        {
            return Decision<RepairEvent>.Refuse(DomainError.Codes.ValidationFailed,
                new("“" + c.Organization + "”不是已登记的联合惩戒单位", "organization '" + c.Organization + "' is not a registered unit"), "organization");
        }

        if (string.IsNullOrWhiteSpace(c.Grounds))
        {
            return Decision<RepairEvent>.Refuse(DomainError.Codes.ValidationFailed, new("请填写申请理由", "grounds are required"), "grounds");
        }

        if (Rule.NotInFuture(c.AppliedOn, c.Today, "appliedOn", "申请日期") is { } future)
        {
            return Decision<RepairEvent>.Refuse(future);
        }

        if (!MayApplyAfter(c.EntryStatus))
        {
            return Decision<RepairEvent>.Refuse(DomainError.Codes.IllegalTransition,
                new("条目仍在名单中（或尚未公布），退出名单后方可申请信用修复", "credit repair is possible once the entry has left the list; it is " + c.EntryStatus.ToApi()));
        }

        return Decision<RepairEvent>.Accept(new RepairApplied(c.Id, c.EntryId, c.Organization, c.Grounds.Trim(), c.AppliedOn));
    }

    private static Decision<RepairEvent> DecideOutcome(RepairState s, DecideRepair c)
    {
        if (!string.Equals(c.Organization, s.Organization, StringComparison.Ordinal))
        {
            return Decision<RepairEvent>.Refuse(OversightCodes.Forbidden, new("该申请由其他单位审查决定", "another unit decides this application"));
        }

        if (Rule.NotInFuture(c.DecidedOn, c.Today, "decidedOn", "决定日期") is { } future)
        {
            return Decision<RepairEvent>.Refuse(future);
        }

        if (s.Status != RepairStatus.Pending)
        {
            return Decision<RepairEvent>.Refuse(DomainError.Codes.IllegalTransition, new("该申请已作出决定，不能重复决定", "already decided: " + s.Status.ToApi()));
        }

        if (Rule.NotBefore(c.DecidedOn, s.AppliedOn, "decidedOn", new("决定日期不能早于申请日期", "decidedOn precedes the application")) is { } early)
        {
            return Decision<RepairEvent>.Refuse(early);
        }

        return Decision<RepairEvent>.Accept(new RepairDecided(c.Outcome, c.DecidedOn, string.IsNullOrWhiteSpace(c.Reasons) ? null : c.Reasons.Trim()));
    }
}
