using System.Collections.Immutable;
using Shixin.Core.Entries;

namespace Shixin.Core.Tests.Entries;

/// <summary>Valid draft entries and the dates of a standard life, plus helpers that drive the decider.</summary>
public static class Entry
{
    public const string Court = "C-EXEC-01";
    public const string HigherCourt = "C-HIGH-01";

    public static readonly DateOnly Filed = new(2024, 1, 10);
    public static readonly DateOnly Noticed = new(2024, 2, 1);
    public static readonly DateOnly Decided = new(2024, 3, 1);

    /// <summary>Born 1980-05-15, male.</summary>
    public const string PersonId = "110101198005151234";
    public const string CreditCode = "91110000100000000X";
    public const string RepId = "110101197001010021";

    public static IEntryRules Rules => TestRules.Instance;

    public static EntryState Person(params string[] circumstances) => new()
    {
        Id = Guid.Parse("00000000-0000-0000-0000-000000000001"),
        CourtCode = Court,
        CaseNumber = "（2024）京0101执123号",
        FilingDate = Filed,
        BasisDocument = new BasisDocument("（2023）京0101民初45号", "北京市东城区人民法院"),
        Obligation = "支付货款100000元",
        Performance = new Performance(0m, 100000m),
        Circumstances = circumstances.Length == 0 ? [Circumstances.ViolatesPropertyReporting] : [.. circumstances],
        Subject = new EntrySubject
        {
            Kind = "person",
            Name = "张三",
            IdNumber = PersonId,
            Gender = "male",
            BirthDate = new DateOnly(1980, 5, 15),
        },
    };

    public static EntryState Organization(params string[] circumstances) => Person(circumstances) with
    {
        Id = Guid.Parse("00000000-0000-0000-0000-000000000002"),
        Subject = new EntrySubject
        {
            Kind = "organization",
            Name = "某某贸易有限公司",
            CreditCode = CreditCode,
            LegalRepresentative = new PersonRef("李四", RepId),
        },
        RelatedPersons = [new RelatedPerson(RelatedRoles.LegalRepresentative, "李四", RepId)],
    };

    public static DraftEntry Draft(EntryState draft, DateOnly? today = null, params PriorListing[] prior) =>
        new(draft, [.. prior], today ?? Filed);

    public static DecideListing Decide(DateOnly? decidedOn = null, DateOnly? publishOn = null, int? termYears = null, string? severity = null, DateOnly? today = null) =>
        new(decidedOn ?? Decided, publishOn, termYears, severity, today ?? decidedOn ?? Decided);

    public static ExitEntry Exit(EntryStatus kind, string reason, DateOnly effectiveOn, DateOnly? today = null) =>
        new(kind, reason, effectiveOn, null, today ?? effectiveOn);

    /// <summary>Decides, asserts acceptance, and returns the folded state.</summary>
    public static EntryState Accept(this EntryState? state, EntryCommand command) => state.Accept(command, out _);

    public static EntryState Accept(this EntryState? state, EntryCommand command, out ImmutableArray<EntryEvent> events)
    {
        var decision = EntryDecider.Decide(state, command, Rules);
        decision.Error.ShouldBeNull(command.GetType().Name + " was refused: " + decision.Error);
        decision.Events.ShouldNotBeEmpty();
        events = decision.Events;
        return EntryDecider.Fold(state, decision.Events);
    }

    /// <summary>Decides, asserts refusal with the given code and no events, and returns the error.</summary>
    public static DomainError Refuse(this EntryState? state, EntryCommand command, string code)
    {
        var decision = EntryDecider.Decide(state, command, Rules);
        decision.IsRefused.ShouldBeTrue(command.GetType().Name + " should have been refused with " + code);
        decision.Events.ShouldBeEmpty();
        decision.Error!.Code.ShouldBe(code, decision.Error.Detail);
        BilingualText.ShouldBeBilingual(decision.Error);
        return decision.Error;
    }

    public static EntryState DraftState(EntryState? draft = null) => ((EntryState?)null).Accept(Draft(draft ?? Person()));

    public static EntryState NoticedState(EntryState? draft = null) =>
        DraftState(draft).Accept(new ServeRiskNotice(Noticed, Noticed));

    public static EntryState ListedState(EntryState? draft = null, int? termYears = null, string? severity = null) =>
        NoticedState(draft).Accept(Decide(termYears: termYears, severity: severity));
}
