using System.Globalization;
using Shixin.Core.Calendar;
using Shixin.Core.Entries;

namespace Shixin.Core.Tests.Entries;

/// <summary>
/// A stand-in for the real legal calendar and identifier parsing: plain calendar-day arithmetic
/// (Due = trigger + length) and length-only identifier checks.
/// </summary>
public sealed class TestRules : IEntryRules
{
    public const string RuleSet = "test";
    public const string InvalidIdNumber = "invalid-id-number";
    public const string InvalidCreditCode = "invalid-credit-code";

    public static readonly TestRules Instance = new();

    public static readonly IReadOnlyDictionary<string, int> Lengths = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [EntryDecider.Rules.CorrectionFilingWindow] = 10,
        [EntryDecider.Rules.CorrectionReview] = 3,
        [EntryDecider.Rules.ReconsiderationFilingWindow] = 10,
        [EntryDecider.Rules.ReconsiderationRuling] = 15,
        [EntryDecider.Rules.ExitAfterPerformance] = 3,
        [EntryDecider.Rules.DeletionAfterTerm] = 3,
        [EntryDecider.Rules.AmendmentFix] = 3,
    };

    public Deadline Due(string ruleId, DateOnly trigger) =>
        Lengths.TryGetValue(ruleId, out var days)
            ? new Deadline(trigger.AddDays(days), ruleId, RuleSet, "test:" + ruleId)
            : throw new ArgumentOutOfRangeException(nameof(ruleId), ruleId, "rule not in the test rule set");

    public DateOnly AddYears(DateOnly date, int years) => date.AddYears(years);

    public DateOnly AddMonths(DateOnly date, int months) => date.AddMonths(months);

    public DomainError? CheckIdNumber(string field, string? raw, out string canonical, out DateOnly birthDate, out string gender)
    {
        canonical = "";
        birthDate = default;
        gender = "";
        var text = raw?.Trim().ToUpperInvariant();
        if (text is null || text.Length != 18
            || !DateOnly.TryParseExact(text.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth))
        {
            return new DomainError(InvalidIdNumber, "not an 18-character ID number with a valid birth date", field);
        }

        canonical = text;
        birthDate = birth;
        gender = (text[16] - '0') % 2 == 1 ? "male" : "female";
        return null;
    }

    public DomainError? CheckCreditCode(string field, string? raw, out string canonical)
    {
        var text = raw?.Trim().ToUpperInvariant();
        if (text is null || text.Length != 18)
        {
            canonical = "";
            return new DomainError(InvalidCreditCode, "not an 18-character credit code", field);
        }

        canonical = text;
        return null;
    }
}
