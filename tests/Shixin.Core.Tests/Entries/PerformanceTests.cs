using Shixin.Core.Entries;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Entries;

public class PerformanceTests
{
    private static readonly DateOnly Paid = Decided.AddMonths(1);

    [Fact]
    public void RecordPerformance_PartialOnListedEntry_EmitsRecordedAndUpdated()
    {
        var before = ListedState();
        var after = before.Accept(new RecordPerformance(new Performance(40000m, 60000m), false, Paid), out var events);

        events.Length.ShouldBe(2);
        var recorded = events[0].ShouldBeOfType<PerformanceRecorded>();
        recorded.Fully.ShouldBeFalse();
        var updated = events[1].ShouldBeOfType<EntryUpdated>();
        updated.Reason.ShouldBe("performance");
        updated.Changes["performance.performedAmount"].ShouldBe("40000");
        updated.Changes["performance.unperformedAmount"].ShouldBe("60000");
        updated.After.Performance.ShouldBe(new Performance(40000m, 60000m));

        after.Performance.ShouldBe(new Performance(40000m, 60000m));
        after.FullyPerformedOn.ShouldBeNull();
        after.Status.ShouldBe(EntryStatus.Listed);
        after.IsScreened.ShouldBeTrue();
        after.Version.ShouldBe(before.Version + 2);
        EntryDuties.For(after, Rules).ShouldBeEmpty();
    }

    [Fact]
    public void RecordPerformance_FullOnListedEntry_OpensExitDutyThatAnExitMeets()
    {
        var full = ListedState(Person(Circumstances.CapableButRefuses)).Accept(new RecordPerformance(new Performance(100000m, 0m), true, Paid), out var events);

        events.Length.ShouldBe(2);
        events[1].ShouldBeOfType<EntryUpdated>().Reason.ShouldBe("fully-performed");
        full.FullyPerformedOn.ShouldBe(Paid);
        full.Status.ShouldBe(EntryStatus.Listed);

        var duty = EntryDuties.For(full, Rules).ShouldHaveSingleItem();
        duty.Code.ShouldBe(EntryDuties.ExitAfterPerformance);
        duty.OwnerCode.ShouldBe(Court);
        duty.Due.DueOn.ShouldBe(Paid.AddDays(3));
        duty.Due.RuleId.ShouldBe(EntryDecider.Rules.ExitAfterPerformance);
        duty.MetOn.ShouldBeNull();
        duty.StatusOn(Paid.AddDays(3)).ShouldBe("open");
        duty.StatusOn(Paid.AddDays(4)).ShouldBe("overdue");

        var shielded = full.Accept(Exit(EntryStatus.Shielded, ExitReasons.FullyPerformed, Paid.AddDays(2)));
        var met = EntryDuties.For(shielded, Rules).ShouldHaveSingleItem();
        met.MetOn.ShouldBe(Paid.AddDays(2));
        met.StatusOn(Paid.AddDays(30)).ShouldBe("met");
        met.MetLate.ShouldBeFalse();
    }

    [Theory]
    [InlineData(true, false, ExitReasons.SettlementPerformed, "执行和解协议履行完毕后屏蔽、撤销或删除失信信息")]
    [InlineData(false, true, ExitReasons.ExecutionTerminated, "终结执行后屏蔽、撤销或删除失信信息")]
    public void RecordSettlementOrTermination_OpensExitDuty(bool settlement, bool terminated, string reason, string title)
    {
        // 000 §四(二)4: a performed settlement or terminated enforcement obliges the court to exit, as full performance does.
        var state = ListedState(Person(Circumstances.CapableButRefuses))
            .Accept(new RecordPerformance(new Performance(20000m, 80000m), false, Paid, settlement, terminated), out var events);

        events[1].ShouldBeOfType<EntryUpdated>().Reason.ShouldBe(reason);
        events[0].ShouldBeOfType<PerformanceRecorded>().SettlementPerformed.ShouldBe(settlement);
        state.FullyPerformedOn.ShouldBeNull();
        (settlement ? state.SettlementPerformedOn : state.ExecutionTerminatedOn).ShouldBe(Paid);
        var duty = EntryDuties.For(state, Rules).ShouldHaveSingleItem();
        duty.Code.ShouldBe(EntryDuties.ExitAfterPerformance);
        duty.TitleZh.ShouldBe(title);
        duty.Due.DueOn.ShouldBe(Paid.AddDays(3));
        duty.Due.RuleId.ShouldBe(EntryDecider.Rules.ExitAfterPerformance);

        var exited = state.Accept(Exit(EntryStatus.Shielded, reason, Paid.AddDays(1)));
        EntryDuties.For(exited, Rules).ShouldHaveSingleItem().MetOn.ShouldBe(Paid.AddDays(1));
    }

    [Fact]
    public void ExitDuty_StartsAtTheEarliestRecordedFact_AndALaterPaymentDoesNotUndoASettlement()
    {
        var state = ListedState(Person(Circumstances.CapableButRefuses))
            .Accept(new RecordPerformance(new Performance(20000m, 80000m), false, Paid, SettlementPerformed: true))
            .Accept(new RecordPerformance(new Performance(100000m, 0m), true, Paid.AddDays(5)))
            .Accept(new RecordPerformance(new Performance(90000m, 10000m), false, Paid.AddDays(6)));

        state.SettlementPerformedOn.ShouldBe(Paid);
        state.FullyPerformedOn.ShouldBeNull();
        EntryDuties.For(state, Rules).ShouldHaveSingleItem().Due.DueOn.ShouldBe(Paid.AddDays(3));
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    public void ExitFacts_OnAnEntryWithATerm_OpenNoExitDuty(bool fully, bool settlement, bool terminated)
    {
        // SPC Art. 10 para 2: ground (一) with (三) has a term, and Art. 10 para 1 events do not end it early.
        var state = ListedState(Person(Circumstances.CapableButRefuses, Circumstances.EvadesEnforcement))
            .Accept(new RecordPerformance(fully ? new Performance(100000m, 0m) : new Performance(0m, 100000m), fully, Paid, settlement, terminated));
        EntryDuties.For(state, Rules).ShouldBeEmpty();
    }

    [Fact]
    public void ExitAfterPerformance_Late_IsMetLate()
    {
        var deleted = ListedState(Person(Circumstances.CapableButRefuses))
            .Accept(new RecordPerformance(new Performance(100000m, 0m), true, Paid))
            .Accept(Exit(EntryStatus.Deleted, ExitReasons.FullyPerformed, Paid.AddDays(5)));
        var duty = EntryDuties.For(deleted, Rules).ShouldHaveSingleItem();
        duty.MetOn.ShouldBe(Paid.AddDays(5));
        duty.MetLate.ShouldBeTrue();
    }

    [Fact]
    public void RecordPerformance_FullWithUnperformedLeft_IsRefused() =>
        ListedState().Refuse(new RecordPerformance(new Performance(90000m, 1m), true, Paid), DomainError.Codes.ValidationFailed)
            .Field.ShouldBe("unperformedAmount");

    [Fact]
    public void RecordPerformance_NegativeAmount_IsRefused() =>
        ListedState().Refuse(new RecordPerformance(new Performance(-1m, 10m), false, Paid), DomainError.Codes.ValidationFailed);

    [Fact]
    public void RecordPerformance_OnNoticedEntry_EmitsOnlyRecorded()
    {
        var state = NoticedState().Accept(new RecordPerformance(new Performance(50000m, 50000m), false, Noticed), out var events);
        events.ShouldHaveSingleItem().ShouldBeOfType<PerformanceRecorded>();
        state.Performance.UnperformedAmount.ShouldBe(50000m);
        state.Status.ShouldBe(EntryStatus.Noticed);
    }

    [Fact]
    public void RecordPerformance_OnShieldedEntry_EmitsOnlyRecorded()
    {
        var state = ListedState().Accept(Exit(EntryStatus.Shielded, ExitReasons.GuaranteeProvided, Paid))
            .Accept(new RecordPerformance(new Performance(100000m, 0m), true, Paid), out var events);
        events.ShouldHaveSingleItem().ShouldBeOfType<PerformanceRecorded>();
        state.Status.ShouldBe(EntryStatus.Shielded);
    }

    [Theory]
    [InlineData(EntryStatus.Revoked, ExitReasons.WronglyListed)]
    [InlineData(EntryStatus.Deleted, ExitReasons.EarlyDeletion)]
    public void RecordPerformance_OnRevokedOrDeletedEntry_IsRefused(EntryStatus kind, string reason) =>
        ListedState().Accept(Exit(kind, reason, Paid))
            .Refuse(new RecordPerformance(new Performance(100000m, 0m), true, Paid), DomainError.Codes.IllegalTransition);

    [Fact]
    public void RecordPerformance_PartialAfterFull_ClearsFullyPerformedOn() =>
        ListedState()
            .Accept(new RecordPerformance(new Performance(100000m, 0m), true, Paid))
            .Accept(new RecordPerformance(new Performance(90000m, 10000m), false, Paid.AddDays(1)))
            .FullyPerformedOn.ShouldBeNull();

    [Fact]
    public void RecordPerformance_FullTwice_KeepsFirstDate() =>
        ListedState()
            .Accept(new RecordPerformance(new Performance(100000m, 0m), true, Paid))
            .Accept(new RecordPerformance(new Performance(100000m, 0m), true, Paid.AddDays(5)))
            .FullyPerformedOn.ShouldBe(Paid);
}
