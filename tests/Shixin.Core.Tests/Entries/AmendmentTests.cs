using System.Collections.Immutable;
using Shixin.Core.Entries;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Entries;

public class AmendmentTests
{
    private static AmendEntry Amend(string field, string? value) =>
        new(ImmutableDictionary<string, string?>.Empty.Add(field, value), "更正");

    [Fact]
    public void Amend_ListedEntry_ChangesStateAndEmitsEntryUpdated()
    {
        var before = ListedState();
        var changes = ImmutableDictionary<string, string?>.Empty
            .Add("caseNumber", "（2024）京0101执999号")
            .Add("obligation", "支付货款90000元")
            .Add("basisDocument.number", "（2023）京0101民初46号")
            .Add("basisDocument.issuer", "北京市第二中级人民法院")
            .Add("subject.name", "张叁")
            .Add("subject.gender", "female")
            .Add("filingDate", "2024-01-09")
            .Add("performance.performedAmount", "10000")
            .Add("performance.unperformedAmount", "90000.50")
            .Add("publicity", "restricted")
            .Add("specialStatus", "state-employee");
        var after = before.Accept(new AmendEntry(changes, "data were wrong"), out var events);

        var updated = events.ShouldHaveSingleItem().ShouldBeOfType<EntryUpdated>();
        updated.Changes.ShouldBe(changes);
        updated.Reason.ShouldBe("data were wrong");
        updated.After.CaseNumber.ShouldBe("(2024)京0101执999号"); // validated and canonicalised like a draft
        updated.Type.ShouldBe(EntryEventTypes.Updated);
        updated.ChangesList.ShouldBeTrue();

        after.CaseNumber.ShouldBe("(2024)京0101执999号");
        after.Obligation.ShouldBe("支付货款90000元");
        after.BasisDocument.ShouldBe(new BasisDocument("（2023）京0101民初46号", "北京市第二中级人民法院"));
        after.Subject.Name.ShouldBe("张叁");
        after.Subject.Gender.ShouldBe("female");
        after.FilingDate.ShouldBe(new DateOnly(2024, 1, 9));
        after.Performance.ShouldBe(new Performance(10000m, 90000.50m));
        after.Publicity.ShouldBe("restricted");
        after.SpecialStatus.ShouldBe("state-employee");
        after.Status.ShouldBe(EntryStatus.Listed);
        after.IsScreened.ShouldBeTrue();
        after.IsPublic.ShouldBeFalse();
        after.Version.ShouldBe(before.Version + 1);
    }

    [Fact]
    public void Amend_IdNumber_UpdatesBirthDateAndGender()
    {
        var after = ListedState().Accept(Amend("subject.idNumber", "110101199002020022"));
        after.Subject.IdNumber.ShouldBe("110101199002020022");
        after.Subject.BirthDate.ShouldBe(new DateOnly(1990, 2, 2));
        after.Subject.Gender.ShouldBe("female");
        after.Subject.Key.ShouldBe("id:110101199002020022");
    }

    [Fact]
    public void Amend_IdNumber_of_a_minor_on_the_decision_date_is_refused()
    {
        // Decided on 2024-03-01: born 2006-03-02 is 17 that day; born 2006-03-01 turns 18 that very day.
        var minor = "11010120060302002" + Shixin.Core.Identifiers.ResidentId.ComputeCheck("11010120060302002");
        ListedState().Refuse(Amend("subject.idNumber", minor), DomainError.Codes.SubjectIsMinor).Field.ShouldBe("changes.subject.idNumber");
        var adult = "11010120060301002" + Shixin.Core.Identifiers.ResidentId.ComputeCheck("11010120060301002");
        ListedState().Accept(Amend("subject.idNumber", adult)).Subject.BirthDate.ShouldBe(new DateOnly(2006, 3, 1));

        // Before a decision there is no date to judge by: the decision itself checks the age.
        DraftState().Accept(Amend("subject.idNumber", minor)).Subject.IdNumber.ShouldBe(minor);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("110101199013450022")]
    public void Amend_InvalidIdNumber_IsRefused(string id) =>
        ListedState().Refuse(Amend("subject.idNumber", id), TestRules.InvalidIdNumber).Field.ShouldBe("changes.subject.idNumber");

    [Fact]
    public void Amend_IdNumberOfOrganization_IsRefused() =>
        ListedState(Organization()).Refuse(Amend("subject.idNumber", PersonId), DomainError.Codes.ValidationFailed);

    [Fact]
    public void Amend_CreditCode_IsCanonicalised() =>
        ListedState(Organization()).Accept(Amend("subject.creditCode", "91110000100000001x"))
            .Subject.CreditCode.ShouldBe("91110000100000001X");

    [Fact]
    public void Amend_InvalidCreditCode_IsRefused() =>
        ListedState(Organization()).Refuse(Amend("subject.creditCode", "9111"), TestRules.InvalidCreditCode);

    [Fact]
    public void Amend_CreditCodeOfPerson_IsRefused() =>
        ListedState().Refuse(Amend("subject.creditCode", CreditCode), DomainError.Codes.ValidationFailed);

    [Fact]
    public void Amend_LegalRepresentative_UpdatesRelatedPersons()
    {
        const string newRepId = "110101197505050033";
        var changes = ImmutableDictionary<string, string?>.Empty
            .Add("subject.legalRepresentative.name", "王五")
            .Add("subject.legalRepresentative.idNumber", newRepId);
        var after = ListedState(Organization()).Accept(new AmendEntry(changes, "new representative"));

        after.Subject.LegalRepresentative.ShouldBe(new PersonRef("王五", newRepId));
        after.RelatedPersons.ShouldHaveSingleItem().ShouldBe(new RelatedPerson(RelatedRoles.LegalRepresentative, "王五", newRepId));
    }

    [Fact]
    public void Amend_LegalRepresentative_KeepsOtherRelatedPersons()
    {
        var director = new RelatedPerson(RelatedRoles.Director, "赵六", "110101196606060044");
        var org = Organization() with { RelatedPersons = Organization().RelatedPersons.Add(director) };
        var after = ListedState(org).Accept(Amend("subject.legalRepresentative.name", "王五"));

        after.RelatedPersons.Length.ShouldBe(2);
        after.RelatedPersons.ShouldContain(director);
        after.RelatedPersons.ShouldContain(new RelatedPerson(RelatedRoles.LegalRepresentative, "王五", RepId));
    }

    [Fact]
    public void Amend_LegalRepresentativeWithInvalidId_IsRefused() =>
        ListedState(Organization()).Refuse(Amend("subject.legalRepresentative.idNumber", "bad"), TestRules.InvalidIdNumber);

    [Fact]
    public void Amend_LegalRepresentativeOfPerson_IsRefused() =>
        ListedState().Refuse(Amend("subject.legalRepresentative.name", "王五"), DomainError.Codes.ValidationFailed);

    [Theory]
    [InlineData("status")]
    [InlineData("expiresOn")]
    [InlineData("circumstances")]
    [InlineData("courtCode")]
    public void Amend_UnknownField_IsRefused(string field) =>
        ListedState().Refuse(Amend(field, "x"), DomainError.Codes.UnknownField).Field.ShouldBe("changes." + field);

    [Theory]
    [InlineData("publicity", "secret")]
    [InlineData("subject.gender", "x")]
    [InlineData("performance.performedAmount", "-1")]
    [InlineData("performance.unperformedAmount", "lots")]
    [InlineData("caseNumber", " ")]
    [InlineData("obligation", null)]
    public void Amend_InvalidValue_IsRefused(string field, string? value) =>
        ListedState().Refuse(Amend(field, value), DomainError.Codes.ValidationFailed);

    [Fact]
    public void Amend_UnparseableCaseNumber_IsRefused() =>
        ListedState().Refuse(Amend("caseNumber", "not a case"), IdentifierErrorCodes.InvalidCaseNumber);

    [Fact]
    public void Amend_OverlongObligation_IsRefused() =>
        ListedState().Refuse(Amend("obligation", new string('债', 4001)), DomainError.Codes.ValidationFailed);

    [Fact]
    public void Amend_BadFilingDate_IsRefused() =>
        ListedState().Refuse(Amend("filingDate", "2024/01/09"), DomainError.Codes.InvalidDate);

    [Fact]
    public void Amend_ClearSpecialStatus_IsAccepted() =>
        ListedState(Person() with { SpecialStatus = "npc-deputy" }).Accept(Amend("specialStatus", null)).SpecialStatus.ShouldBeNull();

    [Fact]
    public void Amend_WithoutChanges_IsRefused() =>
        ListedState().Refuse(new AmendEntry(ImmutableDictionary<string, string?>.Empty, "why"), DomainError.Codes.ValidationFailed);

    [Fact]
    public void Amend_WithoutReason_IsRefused() =>
        ListedState().Refuse(Amend("obligation", "x") with { Reason = "" }, DomainError.Codes.ValidationFailed);

    [Fact]
    public void Amend_DraftAndShieldedEntries_IsAccepted()
    {
        DraftState().Accept(Amend("obligation", "x")).Status.ShouldBe(EntryStatus.Draft);
        ListedState().Accept(Exit(EntryStatus.Shielded, ExitReasons.GuaranteeProvided, Decided))
            .Accept(Amend("obligation", "x")).Status.ShouldBe(EntryStatus.Shielded);
    }

    [Fact]
    public void Amend_DuringGracePeriod_StaysUnpublished() =>
        NoticedState().Accept(Decide(publishOn: Decided.AddMonths(1))).Accept(Amend("obligation", "x")).IsPublished.ShouldBeFalse();

    [Theory]
    [InlineData(EntryStatus.Revoked, ExitReasons.WronglyListed)]
    [InlineData(EntryStatus.Deleted, ExitReasons.EarlyDeletion)]
    public void Amend_ExitedEntry_IsRefused(EntryStatus kind, string reason) =>
        ListedState().Accept(Exit(kind, reason, Decided)).Refuse(Amend("obligation", "x"), DomainError.Codes.IllegalTransition);
}
