using Shixin.Core.Calendar;
using Shixin.Core.Identifiers;

namespace Shixin.Core.Entries;

/// <summary>The production <see cref="IEntryRules"/>: the deployment's rule set on the legal calendar, and the identifier rules.</summary>
public sealed class LegalEntryRules(LegalCalendar calendar, RuleSet ruleSet) : IEntryRules
{
    public LegalCalendar Calendar { get; } = calendar;

    public RuleSet RuleSet { get; } = ruleSet;

    public Deadline Due(string ruleId, DateOnly trigger) => RuleSet.Due(ruleId, trigger, Calendar);

    public bool TryDue(string ruleId, DateOnly trigger, out Deadline deadline) => RuleSet.TryDue(ruleId, trigger, Calendar, out deadline);

    /// <summary>
    /// For a due date stored without its flag (a database column): whether it lies where the holiday data does not reach,
    /// so that it was counted on weekends alone (DOMAIN.md "Time"). Counting runs forward, so the due date decides.
    /// </summary>
    public bool IsProvisional(DateOnly dueOn) => !Calendar.Holidays.Covers(dueOn);

    // A listing term ends on its corresponding day (Civil Code Art. 202); it is not a litigation period.
    public DateOnly AddYears(DateOnly date, int years) => Calendar.AddYears(date, years, EndOnRestDay.Keep);

    public DomainError? CheckIdNumber(string field, string? raw, out string canonical, out DateOnly birthDate, out string gender)
    {
        if (ResidentId.TryParse(raw, out var id, out var error))
        {
            canonical = id.Value;
            birthDate = id.BirthDate;
            gender = id.Sex == Sex.Male ? "male" : "female";
            return null;
        }

        canonical = "";
        birthDate = default;
        gender = "";
        return DomainError.From(error, field);
    }

    public DomainError? CheckCreditCode(string field, string? raw, out string canonical)
    {
        if (CreditCode.TryParse(raw, out var code, out var error))
        {
            canonical = code.Value;
            return null;
        }

        canonical = "";
        return DomainError.From(error, field);
    }
}
