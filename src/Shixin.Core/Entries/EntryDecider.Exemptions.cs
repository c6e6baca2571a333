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
            return Illegal(s, "准许解禁", "grant an exemption on");
        }

        if (!ExemptionKinds.IsKnown(c.Kind))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed,
                new("解禁类型：请选择" + string.Join("、", ExemptionKinds.All.Select(k => "“" + ExemptionKinds.TitleZh(k) + "”")),
                    "kind must be one of " + string.Join(", ", ExemptionKinds.All)), "kind");
        }

        if (c.Scenarios.IsDefaultOrEmpty)
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("解禁场景：请至少选择一项", "name at least one scenario"), "scenarios");
        }

        // 法发〔2019〕35号 §17 speaks of flights and (high-speed) trains: a humanitarian lift covers travel checkpoints only.
        if (string.Equals(c.Kind, ExemptionKinds.HumanitarianTravel, StringComparison.Ordinal)
            && c.Scenarios.FirstOrDefault(x => !IsTravelScenario(x)) is { } notTravel)
        {
            return EntryDecision.Refuse(DomainError.Codes.ExemptionScenarioMismatch,
                new("人道主义出行临时解禁仅适用于乘坐飞机、火车，所选场景中有不属于出行的场景（依据：" + LegalCitations.Zh("法发〔2019〕35号 §17") + "）",
                    "a humanitarian travel lift covers flights and trains only (法发〔2019〕35号 §17); '" + notTravel + "' is not a travel scenario"), "scenarios");
        }

        if (c.ValidUntil < c.ValidFrom)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, new("有效期至（" + Iso(c.ValidUntil) + "）不能早于有效期自（" + Iso(c.ValidFrom) + "）", "validUntil precedes validFrom"), "validUntil");
        }

        // A window that has already closed lifts nothing; granting it would only mislead the record.
        if (c.ValidUntil < c.Today)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, new("有效期至（" + Iso(c.ValidUntil) + "）已过，不能准许已经过期的解禁", "validUntil is in the past"), "validUntil");
        }

        if (string.IsNullOrWhiteSpace(c.Reason))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("请填写理由", "reason is required"), "reason");
        }

        if (string.IsNullOrWhiteSpace(c.Basis))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("请填写依据（法院决定书或法律依据）", "basis (the court's decision or legal ground) is required"), "basis");
        }

        if (s.Exemptions.Any(x => x.Id == c.ExemptionId))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("已有相同编号的解禁记录，请勿重复登记", "an exemption with this id already exists"), "id");
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
                new("该身份证号码既不是本条目被执行人的，也不是其相关人员的", "the ID number is neither the debtor's nor a related person's on this entry"), "idNumber");
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
            return EntryDecision.Refuse(DomainError.Codes.IllegalTransition, new("该解禁记录不存在或已终止", "the exemption is not standing (never granted or already ended)"));
        }

        if (string.IsNullOrWhiteSpace(c.Reason))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("请填写理由", "reason is required"), "reason");
        }

        // Ending takes effect at once; an exemption that has lapsed by date may still be ended, for the record.
        return EntryDecision.Accept(new ExemptionEnded(c.ExemptionId, c.Reason.Trim(), c.Today));
    }

    /// <summary>The checkpoints of air and rail travel (scenario ids <c>civil-aviation.*</c>, <c>rail.*</c>).</summary>
    public static bool IsTravelScenario(string scenarioId) =>
        scenarioId.StartsWith("civil-aviation.", StringComparison.Ordinal) || scenarioId.StartsWith("rail.", StringComparison.Ordinal);
}
