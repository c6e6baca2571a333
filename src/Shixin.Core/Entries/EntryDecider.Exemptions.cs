namespace Shixin.Core.Entries;

/// <summary>Court exemptions (单次解禁、特定消费许可): granted and ended by the executing court's judge.</summary>
public static partial class EntryDecider
{
    /// <summary>
    /// 法发〔2019〕35号 §17 lets the executing court lift a flight or rail restriction temporarily on humanitarian
    /// grounds; SPC consumption-restriction provisions Art. 8 let it approve consumption needed for life or business.
    /// Both are per person and per purpose, so an exemption names one person on the entry and the scenarios it covers.
    /// </summary>
    private static EntryDecision DecideGrantExemption(EntryState s, GrantExemption c)
    {
        // Only a listed entry restricts anyone; there is nothing to lift on a draft or an entry that has left the list.
        if (s.Status != EntryStatus.Listed)
        {
            return Illegal(s, "grant an exemption on");
        }

        if (!ExemptionKinds.IsKnown(c.Kind))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed,
                "kind must be one of " + string.Join(", ", ExemptionKinds.All), "kind");
        }

        if (c.Scenarios.IsDefaultOrEmpty)
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, "name at least one scenario", "scenarios");
        }

        // 法发〔2019〕35号 §17 speaks of flights and (high-speed) trains: a humanitarian lift covers travel checkpoints only.
        if (string.Equals(c.Kind, ExemptionKinds.HumanitarianTravel, StringComparison.Ordinal)
            && c.Scenarios.FirstOrDefault(x => !IsTravelScenario(x)) is { } notTravel)
        {
            return EntryDecision.Refuse(DomainError.Codes.ExemptionScenarioMismatch,
                "a humanitarian travel lift covers flights and trains only (法发〔2019〕35号 §17); '" + notTravel + "' is not a travel scenario", "scenarios");
        }

        if (c.ValidUntil < c.ValidFrom)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, "validUntil precedes validFrom", "validUntil");
        }

        // A window that has already closed lifts nothing; granting it would only mislead the record.
        if (c.ValidUntil < c.Today)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, "validUntil is in the past", "validUntil");
        }

        if (string.IsNullOrWhiteSpace(c.Reason))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, "reason is required", "reason");
        }

        if (string.IsNullOrWhiteSpace(c.Basis))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, "basis (the court's decision or legal ground) is required", "basis");
        }

        if (s.Exemptions.Any(x => x.Id == c.ExemptionId))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, "an exemption with this id already exists", "id");
        }

        // The person must be one the entry restricts: the debtor, or a related person through whom measures reach
        // (000 §二(七); SPC consumption-restriction provisions Art. 3).
        string? role = null, name = null;
        if (s.Subject.IsPerson && string.Equals(s.Subject.IdNumber, c.IdNumber, StringComparison.Ordinal))
        {
            (role, name) = (RelatedRoles.Debtor, s.Subject.Name);
        }
        else if (s.RelatedPersons.FirstOrDefault(r => string.Equals(r.IdNumber, c.IdNumber, StringComparison.Ordinal)) is { } related)
        {
            (role, name) = (related.Role, related.Name);
        }

        if (role is null)
        {
            return EntryDecision.Refuse(DomainError.Codes.ExemptionSubjectNotOnEntry,
                "the ID number is neither the debtor's nor a related person's on this entry", "idNumber");
        }

        return EntryDecision.Accept(new ExemptionGranted(new CourtExemption
        {
            Id = c.ExemptionId,
            IdNumber = c.IdNumber,
            Role = role,
            Name = name!,
            Kind = c.Kind,
            Scenarios = [.. c.Scenarios.Distinct(StringComparer.Ordinal)],
            ValidFrom = c.ValidFrom,
            ValidUntil = c.ValidUntil,
            Reason = c.Reason.Trim(),
            Basis = c.Basis.Trim(),
            GrantedOn = c.Today,
        }));
    }

    private static EntryDecision DecideEndExemption(EntryState s, EndExemption c)
    {
        var exemption = s.Exemptions.FirstOrDefault(x => x.Id == c.ExemptionId);
        if (exemption is null || !exemption.IsStanding)
        {
            return EntryDecision.Refuse(DomainError.Codes.IllegalTransition, "the exemption is not standing (never granted or already ended)");
        }

        if (string.IsNullOrWhiteSpace(c.Reason))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, "reason is required", "reason");
        }

        // Ending takes effect at once; an exemption that has lapsed by date may still be ended, for the record.
        return EntryDecision.Accept(new ExemptionEnded(c.ExemptionId, c.Reason.Trim(), c.Today));
    }

    /// <summary>The checkpoints of air and rail travel (scenario ids <c>civil-aviation.*</c>, <c>rail.*</c>).</summary>
    public static bool IsTravelScenario(string scenarioId) =>
        scenarioId.StartsWith("civil-aviation.", StringComparison.Ordinal) || scenarioId.StartsWith("rail.", StringComparison.Ordinal);
}
