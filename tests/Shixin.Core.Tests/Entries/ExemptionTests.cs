using Shixin.Core.Entries;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Entries;

/// <summary>Court exemptions in the pure decider (法发〔2019〕35号 §17; SPC consumption-restriction provisions Arts. 3, 8).</summary>
public class ExemptionTests
{
    private static readonly DateOnly Today = new(2024, 4, 1);
    private static readonly Guid X1 = Guid.Parse("00000000-0000-0000-0000-0000000000e1");

    private static GrantExemption Grant(string idNumber = PersonId, string kind = ExemptionKinds.HumanitarianTravel, string[]? scenarios = null,
        DateOnly? from = null, DateOnly? until = null, Guid? id = null) =>
        new(id ?? X1, idNumber, kind, [.. scenarios ?? ["civil-aviation.ticket"]], from ?? Today, until ?? Today.AddDays(2), "近亲属病危", "(2024)京0101执123号之一", Today);

    [Fact]
    public void Grant_on_a_listed_debtor_records_who_what_and_when_as_a_list_change()
    {
        var after = ListedState().Accept(Grant(), out var events);
        var granted = events.ShouldHaveSingleItem().ShouldBeOfType<ExemptionGranted>();
        granted.ChangesList.ShouldBeTrue("units must learn of it through the feed");
        granted.Type.ShouldBe("entry.exemption-granted");
        var x = after.Exemptions.ShouldHaveSingleItem();
        x.Role.ShouldBe(RelatedRoles.Debtor);
        x.Name.ShouldBe("张三");
        x.ValidUntil.ShouldBe(Today.AddDays(2));
        x.GrantedOn.ShouldBe(Today);
        x.IsStanding.ShouldBeTrue();
        UnitEntryView.Of(after).Exemptions.ShouldHaveSingleItem().Scenarios.ShouldBe(["civil-aviation.ticket"]);
    }

    [Fact]
    public void Grant_reaches_a_related_person_of_an_organization_debtor_with_their_role()
    {
        var after = ListedState(Organization()).Accept(Grant(RepId, ExemptionKinds.PrivatePurchase, ["real-estate.purchase"]));
        after.Exemptions.ShouldHaveSingleItem().Role.ShouldBe(RelatedRoles.LegalRepresentative);
    }

    [Fact]
    public void Refusals_name_the_rule()
    {
        var listed = ListedState();
        listed.Refuse(Grant("110101199001010011"), DomainError.Codes.ExemptionSubjectNotOnEntry);
        listed.Refuse(Grant(from: Today.AddDays(3), until: Today.AddDays(2)), DomainError.Codes.InvalidDate);
        listed.Refuse(Grant(from: Today.AddDays(-5), until: Today.AddDays(-1)), DomainError.Codes.InvalidDate);
        listed.Refuse(Grant(scenarios: ["bank.credit-approval"]), DomainError.Codes.ExemptionScenarioMismatch);
        listed.Refuse(Grant(kind: "whatever"), DomainError.Codes.ValidationFailed);
        listed.Refuse(Grant(scenarios: []), DomainError.Codes.ValidationFailed);
        NoticedState().Refuse(Grant(), DomainError.Codes.IllegalTransition);
        listed.Accept(Grant()).Refuse(Grant(), DomainError.Codes.ValidationFailed); // same id twice
    }

    [Fact]
    public void End_marks_it_ended_once()
    {
        var granted = ListedState().Accept(Grant());
        var ended = granted.Accept(new EndExemption(X1, "事由消失", Today.AddDays(1)), out var events);
        events.ShouldHaveSingleItem().ShouldBeOfType<ExemptionEnded>().ChangesList.ShouldBeTrue();
        var x = ended.Exemptions.ShouldHaveSingleItem();
        x.EndedOn.ShouldBe(Today.AddDays(1));
        x.EndReason.ShouldBe("事由消失");
        x.IsStanding.ShouldBeFalse();
        ended.Refuse(new EndExemption(X1, "again", Today.AddDays(1)), DomainError.Codes.IllegalTransition);
        granted.Refuse(new EndExemption(Guid.NewGuid(), "unknown", Today), DomainError.Codes.IllegalTransition);
        granted.Refuse(new EndExemption(X1, " ", Today), DomainError.Codes.ValidationFailed);
    }
}
