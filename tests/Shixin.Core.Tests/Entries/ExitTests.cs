using Shixin.Core.Entries;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Entries;

public class ExitTests
{
    private static readonly DateOnly Later = Decided.AddMonths(2);

    public static TheoryData<EntryStatus, string> AllowedExits()
    {
        var data = new TheoryData<EntryStatus, string>();
        foreach (var kind in new[] { EntryStatus.Shielded, EntryStatus.Revoked, EntryStatus.Deleted })
        {
            foreach (var reason in ExitReasons.For(kind))
            {
                data.Add(kind, reason);
            }
        }

        return data;
    }

    public static TheoryData<EntryStatus, string> DisallowedExits()
    {
        var all = new[]
        {
            ExitReasons.FullyPerformed, ExitReasons.SettlementPerformed, ExitReasons.ExecutionTerminated, ExitReasons.NoPropertyFound,
            ExitReasons.CorrectionAccepted, ExitReasons.WronglyListed, ExitReasons.GuaranteeProvided, ExitReasons.ApplicantRequest,
            ExitReasons.EnforcementSuspended, ExitReasons.NonEnforcement, ExitReasons.TermExpired, ExitReasons.EarlyDeletion, "because",
        };
        var data = new TheoryData<EntryStatus, string>();
        foreach (var kind in new[] { EntryStatus.Shielded, EntryStatus.Revoked, EntryStatus.Deleted })
        {
            foreach (var reason in all.Where(r => !ExitReasons.For(kind).Contains(r, StringComparer.Ordinal)))
            {
                data.Add(kind, reason);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedExits))]
    public void Exit_CapableButRefusesEntryWithAllowedReason_IsAccepted(EntryStatus kind, string reason)
    {
        // No term: every reason of SPC Art. 10 para 1 applies.
        var state = ListedState(Person(Circumstances.CapableButRefuses)).Accept(Exit(kind, reason, Later), out var events);

        var exited = events.ShouldHaveSingleItem().ShouldBeAssignableTo<EntryExited>()!;
        exited.Type.ShouldBe(kind switch
        {
            EntryStatus.Shielded => EntryEventTypes.Shielded,
            EntryStatus.Revoked => EntryEventTypes.Revoked,
            _ => EntryEventTypes.Deleted,
        });
        exited.Reason.ShouldBe(reason);
        exited.EffectiveOn.ShouldBe(Later);
        state.Status.ShouldBe(kind);
        state.ExitReason.ShouldBe(reason);
        state.ExitedOn.ShouldBe(Later);
        state.IsScreened.ShouldBeFalse();
        state.IsPublic.ShouldBeFalse();
        state.Status.IsExited().ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(DisallowedExits))]
    public void Exit_WithReasonNotFittingTheKind_IsRefused(EntryStatus kind, string reason) =>
        ListedState(Person(Circumstances.CapableButRefuses)).Refuse(Exit(kind, reason, Later), DomainError.Codes.InvalidExitReason)
            .Field.ShouldBe("reason");

    [Theory]
    [InlineData(EntryStatus.Shielded, ExitReasons.FullyPerformed)]
    [InlineData(EntryStatus.Revoked, ExitReasons.WronglyListed)]
    [InlineData(EntryStatus.Deleted, ExitReasons.FullyPerformed)]
    public void Exit_Draft_IsRefused(EntryStatus kind, string reason) =>
        DraftState().Refuse(Exit(kind, reason, Later), DomainError.Codes.IllegalTransition);

    [Theory]
    [InlineData(EntryStatus.Shielded, ExitReasons.FullyPerformed)]
    [InlineData(EntryStatus.Revoked, ExitReasons.WronglyListed)]
    [InlineData(EntryStatus.Deleted, ExitReasons.FullyPerformed)]
    public void Exit_NoticedEntry_IsRefused(EntryStatus kind, string reason) =>
        NoticedState().Refuse(Exit(kind, reason, Later), DomainError.Codes.IllegalTransition);

    [Theory]
    [InlineData(EntryStatus.Draft)]
    [InlineData(EntryStatus.Noticed)]
    [InlineData(EntryStatus.Listed)]
    [InlineData(EntryStatus.Expired)]
    public void Exit_WithNonExitKind_IsRefused(EntryStatus kind) =>
        ListedState().Refuse(Exit(kind, ExitReasons.FullyPerformed, Later), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Shield_RevokedEntry_IsRefused() =>
        ListedState().Accept(Exit(EntryStatus.Revoked, ExitReasons.WronglyListed, Later))
            .Refuse(Exit(EntryStatus.Shielded, ExitReasons.FullyPerformed, Later), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Shield_ShieldedEntry_IsRefused() =>
        ListedState().Accept(Exit(EntryStatus.Shielded, ExitReasons.GuaranteeProvided, Later))
            .Refuse(Exit(EntryStatus.Shielded, ExitReasons.FullyPerformed, Later), DomainError.Codes.IllegalTransition);

    [Theory]
    [InlineData(EntryStatus.Revoked, ExitReasons.WronglyListed)]
    [InlineData(EntryStatus.Deleted, ExitReasons.FullyPerformed)]
    public void Exit_DeletedEntry_IsRefused(EntryStatus kind, string reason) =>
        ListedState().Accept(Exit(EntryStatus.Deleted, ExitReasons.EarlyDeletion, Later))
            .Refuse(Exit(kind, reason, Later), DomainError.Codes.IllegalTransition);

    [Fact]
    public void Revoke_AfterShield_IsAccepted()
    {
        var state = ListedState()
            .Accept(Exit(EntryStatus.Shielded, ExitReasons.GuaranteeProvided, Later))
            .Accept(Exit(EntryStatus.Revoked, ExitReasons.WronglyListed, Later.AddDays(3)));

        state.Status.ShouldBe(EntryStatus.Revoked);
        state.ExitReason.ShouldBe(ExitReasons.WronglyListed);
        state.ExitedOn.ShouldBe(Later.AddDays(3));
    }

    [Fact]
    public void Delete_AfterShield_IsAccepted() =>
        ListedState(Person(Circumstances.CapableButRefuses))
            .Accept(Exit(EntryStatus.Shielded, ExitReasons.FullyPerformed, Later))
            .Accept(Exit(EntryStatus.Deleted, ExitReasons.FullyPerformed, Later))
            .Status.ShouldBe(EntryStatus.Deleted);

    /// <summary>Every (kind, reason) pair that names one of the seven exits of SPC Art. 10 para 1, with the grounds of a term entry.</summary>
    public static TheoryData<EntryStatus, string, string[]> Article10Para1ExitsOfTermEntries()
    {
        string[][] grounds =
        [
            [Circumstances.ViolatesPropertyReporting],
            // Ground (一) with another ground has a term too (Art. 2 para 1).
            [Circumstances.CapableButRefuses, Circumstances.EvadesEnforcement],
            [Circumstances.CapableButRefuses, Circumstances.RefusesSettlement],
        ];
        var data = new TheoryData<EntryStatus, string, string[]>();
        foreach (var g in grounds)
        {
            foreach (var kind in new[] { EntryStatus.Shielded, EntryStatus.Revoked, EntryStatus.Deleted })
            {
                foreach (var reason in ExitReasons.For(kind).Where(ExitReasons.IsArticle10Para1))
                {
                    data.Add(kind, reason, g);
                }
            }
        }

        return data;
    }

    [Fact]
    public void Article10Para1_NamesTheSevenExits() =>
        ExitReasons.Article10Para1.ShouldBe(
        [
            ExitReasons.FullyPerformed, ExitReasons.SettlementPerformed, ExitReasons.ApplicantRequest, ExitReasons.NoPropertyFound,
            ExitReasons.EnforcementSuspended, ExitReasons.NonEnforcement, ExitReasons.ExecutionTerminated,
        ]);

    [Theory]
    [MemberData(nameof(Article10Para1ExitsOfTermEntries))]
    public void Exit_EntryWithTermForArticle10Para1Reason_IsRefused(EntryStatus kind, string reason, string[] grounds) =>
        // SPC Art. 10 para 2: 有纳入期限的，不适用前款规定 — none of the seven exits ends the term early, whatever the exit kind.
        ListedState(Person(grounds)).Refuse(Exit(kind, reason, Later), DomainError.Codes.InvalidExitReason).Field.ShouldBe("reason");

    [Theory]
    [InlineData(EntryStatus.Revoked, ExitReasons.WronglyListed)]
    [InlineData(EntryStatus.Deleted, ExitReasons.EarlyDeletion)]
    [InlineData(EntryStatus.Shielded, ExitReasons.GuaranteeProvided)]
    public void Exit_EntryWithCombinedGroundsOutsideArticle10Para1_IsAccepted(EntryStatus kind, string reason) =>
        // Revocation of a wrong listing (Art. 9), early deletion at the court's discretion (Art. 2 para 2) and a shield on an
        // execution guarantee (003 §二(四)) stay open to an entry with a term.
        ListedState(Person(Circumstances.CapableButRefuses, Circumstances.ObstructsEnforcement)).Accept(Exit(kind, reason, Later))
            .Status.ShouldBe(kind);

    [Fact]
    public void Amend_EntryWithTerm_IsAccepted() =>
        ListedState(Person(Circumstances.CapableButRefuses, Circumstances.ObstructsEnforcement))
            .Accept(new AmendEntry(System.Collections.Immutable.ImmutableDictionary<string, string?>.Empty.Add("obligation", "支付货款90000元"), "更正"))
            .Obligation.ShouldBe("支付货款90000元");

    [Theory]
    [InlineData(ExitReasons.ApplicantRequest)]
    [InlineData(ExitReasons.NoPropertyFound)]
    [InlineData(ExitReasons.FullyPerformed)]
    [InlineData(ExitReasons.SettlementPerformed)]
    [InlineData(ExitReasons.EnforcementSuspended)]
    [InlineData(ExitReasons.NonEnforcement)]
    [InlineData(ExitReasons.ExecutionTerminated)]
    public void Delete_ShieldedEntryWithTermForArticle10Para1Reason_IsRefused(string reason) =>
        // The term does not go away when the entry is shielded (SPC Art. 10 para 2).
        ListedState()
            .Accept(Exit(EntryStatus.Shielded, ExitReasons.GuaranteeProvided, Later))
            .Refuse(Exit(EntryStatus.Deleted, reason, Later), DomainError.Codes.InvalidExitReason);

    [Fact]
    public void Delete_EntryWithTermEarly_IsAccepted() =>
        ListedState().Accept(Exit(EntryStatus.Deleted, ExitReasons.EarlyDeletion, Later)).ExitReason.ShouldBe(ExitReasons.EarlyDeletion);

    [Fact]
    public void Exit_EffectiveBeforeDecision_IsRefused() =>
        ListedState().Refuse(Exit(EntryStatus.Revoked, ExitReasons.WronglyListed, Decided.AddDays(-1), Later), DomainError.Codes.InvalidDate);

    [Fact]
    public void Exit_EffectiveInFuture_IsRefused() =>
        ListedState().Refuse(Exit(EntryStatus.Revoked, ExitReasons.WronglyListed, Later.AddDays(1), Later), DomainError.Codes.InvalidDate);

    [Fact]
    public void Exit_DuringGracePeriod_IsAccepted()
    {
        var state = NoticedState().Accept(Decide(publishOn: Decided.AddMonths(1)))
            .Accept(Exit(EntryStatus.Revoked, ExitReasons.WronglyListed, Decided.AddDays(5)));
        state.Status.ShouldBe(EntryStatus.Revoked);
        state.Refuse(new PublishListing(Decided.AddMonths(2)), DomainError.Codes.IllegalTransition);
    }

    [Fact]
    public void ExitOptions_EntryWithTerm_OffersOnlyWhatArticle10Para2LeavesOpen()
    {
        // The exit form offers these (issue 15): a term entry is shielded only on a guarantee, revoked only when wrongly
        // listed, deleted only early (SPC Art. 10 para 2; Art. 9; Art. 2 para 2; 003 §二(四)).
        var options = EntryDecider.ExitOptions(ListedState(Person(Circumstances.CapableButRefuses, Circumstances.ObstructsEnforcement)), Later)
            .ToDictionary(o => o.Kind, o => o.Reasons);
        options[EntryStatus.Shielded].ShouldBe([ExitReasons.GuaranteeProvided]);
        options[EntryStatus.Revoked].ShouldBe([ExitReasons.WronglyListed, ExitReasons.CorrectionAccepted]);
        options[EntryStatus.Deleted].ShouldBe([ExitReasons.TermExpired, ExitReasons.EarlyDeletion]);
    }

    [Fact]
    public void ExitOptions_EntryWithoutTerm_OffersEveryReasonOfEachKind()
    {
        var options = EntryDecider.ExitOptions(ListedState(Person(Circumstances.CapableButRefuses)), Later).ToDictionary(o => o.Kind, o => o.Reasons);
        foreach (var kind in new[] { EntryStatus.Shielded, EntryStatus.Revoked, EntryStatus.Deleted })
        {
            options[kind].ShouldBe(ExitReasons.For(kind));
        }
    }

    [Fact]
    public void ExitOptions_DraftAndRevokedEntries_OfferNoExit()
    {
        EntryDecider.ExitOptions(DraftState(), Later).ShouldBeEmpty();
        EntryDecider.ExitOptions(ListedState(Person(Circumstances.CapableButRefuses)).Accept(Exit(EntryStatus.Revoked, ExitReasons.WronglyListed, Later)), Later)
            .ShouldBeEmpty();
    }
}
