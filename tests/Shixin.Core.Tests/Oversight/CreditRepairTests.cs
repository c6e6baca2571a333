using Shixin.Core.Entries;
using Shixin.Core.Oversight;

namespace Shixin.Core.Tests.Oversight;

/// <summary>Credit repair (002 §四(二)6): applied for after the entry left the list, decided once by the unit.</summary>
public class CreditRepairTests
{
    private static readonly DateOnly Today = new(2024, 4, 1);
    private static readonly Guid R1 = Guid.Parse("00000000-0000-0000-0000-0000000000b1");
    private const string Unit = "U-01";

    private static ApplyForRepair Apply(EntryStatus status = EntryStatus.Shielded, bool isUnit = true, DateOnly? on = null) =>
        new(R1, Guid.Empty, status, Unit, isUnit, "已履行完毕", on ?? Today.AddDays(-3), Today);

    private static DecideRepair Decide(RepairOutcome outcome = RepairOutcome.Granted, DateOnly? on = null, string org = Unit) =>
        new(org, outcome, on ?? Today, "经核实准予修复", Today);

    private static RepairState Pending() => RepairDecider.Evolve(null, RepairDecider.Decide(null, Apply()).ShouldAccept());

    [Theory]
    [InlineData(EntryStatus.Shielded)]
    [InlineData(EntryStatus.Revoked)]
    [InlineData(EntryStatus.Deleted)]
    [InlineData(EntryStatus.Expired)]
    public void Apply_after_the_entry_left_the_list_is_pending(EntryStatus status)
    {
        var s = RepairDecider.Evolve(null, RepairDecider.Decide(null, Apply(status)).ShouldAccept());
        s.Status.ShouldBe(RepairStatus.Pending);
        s.Status.ToApi().ShouldBe("pending");
    }

    [Theory]
    [InlineData(EntryStatus.Draft)]
    [InlineData(EntryStatus.Noticed)]
    [InlineData(EntryStatus.Listed)]
    public void Apply_while_the_entry_stands_is_refused(EntryStatus status) =>
        RepairDecider.Decide(null, Apply(status)).ShouldRefuse(DomainError.Codes.IllegalTransition);

    [Fact]
    public void Apply_to_an_unregistered_unit_or_dated_tomorrow_is_refused_on_the_field()
    {
        RepairDecider.Decide(null, Apply(isUnit: false)).ShouldRefuse(DomainError.Codes.ValidationFailed, "organization");
        RepairDecider.Decide(null, Apply(on: Today.AddDays(1))).ShouldRefuse(DomainError.Codes.InvalidDate, "appliedOn");
    }

    [Fact]
    public void Decide_grants_or_refuses_once()
    {
        var granted = RepairDecider.Evolve(Pending(), RepairDecider.Decide(Pending(), Decide()).ShouldAccept());
        granted.Status.ToApi().ShouldBe("granted");
        RepairDecider.Decide(granted, Decide(RepairOutcome.Refused)).ShouldRefuse(DomainError.Codes.IllegalTransition);
        var refused = RepairDecider.Evolve(Pending(), RepairDecider.Decide(Pending(), Decide(RepairOutcome.Refused)).ShouldAccept());
        refused.Status.ShouldBe(RepairStatus.Refused);
    }

    [Fact]
    public void Decide_by_another_unit_or_before_the_application_is_refused()
    {
        RepairDecider.Decide(Pending(), Decide(org: "unit-other")).ShouldRefuse(OversightCodes.Forbidden);
        RepairDecider.Decide(Pending(), Decide(on: Today.AddDays(-4))).ShouldRefuse(DomainError.Codes.InvalidDate, "decidedOn");
        RepairDecider.Decide(Pending(), Decide(on: Today.AddDays(1))).ShouldRefuse(DomainError.Codes.InvalidDate, "decidedOn");
    }
}
