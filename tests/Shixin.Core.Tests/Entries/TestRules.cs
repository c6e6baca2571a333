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

    /// <summary>Calendar-day periods of the test set; the two month periods are below.</summary>
    public static readonly IReadOnlyDictionary<string, int> Lengths = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [EntryDecider.Rules.CorrectionFilingWindow] = 10,
        [EntryDecider.Rules.CorrectionReview] = 3,
        [EntryDecider.Rules.CorrectionFix] = 3,
        [EntryDecider.Rules.ReconsiderationFilingWindow] = 10,
        [EntryDecider.Rules.ReconsiderationRuling] = 15,
        [EntryDecider.Rules.ExitAfterPerformance] = 3,
        [EntryDecider.Rules.DeletionAfterTerm] = 3,
        [EntryDecider.Rules.AmendmentFix] = 3,
        [RuleIds.UnitVerifyObjection] = 3,
        [RuleIds.UnitLiftMeasure] = 1,
        [RuleIds.UnitQuarterlyReport] = 30,
    };

    /// <summary>Month periods of the test set (plain corresponding day, Civil Code Art. 202).</summary>
    public static readonly IReadOnlyDictionary<string, int> Months = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [EntryDecider.Rules.RelistingApplicantBar] = 6,
        [EntryDecider.Rules.GracePeriodMax] = 3,
    };

    /// <summary>Rules this instance sets no period for (unit <c>none</c>).</summary>
    private readonly IReadOnlySet<string> _none;

    /// <summary>Overrides of the lengths above, to show that the decider reads the periods it is given.</summary>
    private readonly IReadOnlyDictionary<string, int> _overrides;

    public TestRules(IReadOnlyDictionary<string, int>? overrides = null, params string[] none)
    {
        _overrides = overrides ?? new Dictionary<string, int>();
        _none = new HashSet<string>(none, StringComparer.Ordinal);
    }

    /// <summary>Sources as the real rule set writes them, so that refusals cite them as they would in production.</summary>
    private static string SourceOf(string ruleId) => ruleId switch
    {
        "grace-period.max" => "seeds silent; 法发〔2019〕35号 §15",
        "relisting.applicant-bar" => "seeds silent; 法释〔2017〕7号 第十条末款",
        _ when ruleId.StartsWith("reconsideration.", StringComparison.Ordinal) => "法释〔2017〕7号 第十二条",
        _ => "000 §四(二)3",
    };

    public Deadline Due(string ruleId, DateOnly trigger)
    {
        if (_none.Contains(ruleId))
        {
            throw new InvalidOperationException("rule " + ruleId + " sets no period in this test set");
        }

        if (Months.TryGetValue(ruleId, out var months))
        {
            return new Deadline(trigger.AddMonths(_overrides.GetValueOrDefault(ruleId, months)), ruleId, RuleSet, SourceOf(ruleId));
        }

        return Lengths.TryGetValue(ruleId, out var days)
            ? new Deadline(trigger.AddDays(_overrides.GetValueOrDefault(ruleId, days)), ruleId, RuleSet, SourceOf(ruleId))
            : throw new ArgumentOutOfRangeException(nameof(ruleId), ruleId, "rule not in the test rule set");
    }

    public bool TryDue(string ruleId, DateOnly trigger, out Deadline deadline)
    {
        if (_none.Contains(ruleId))
        {
            deadline = default;
            return false;
        }

        deadline = Due(ruleId, trigger);
        return true;
    }

    public DateOnly AddYears(DateOnly date, int years) => date.AddYears(years);

    public DomainError? CheckIdNumber(string field, string? raw, out string canonical, out DateOnly birthDate, out string gender)
    {
        canonical = "";
        birthDate = default;
        gender = "";
        var text = raw?.Trim().ToUpperInvariant();
        if (text is null || text.Length != 18
            || !DateOnly.TryParseExact(text.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth))
        {
            return new DomainError(InvalidIdNumber, new("身份证号码应为18位且出生日期有效", "not an 18-character ID number with a valid birth date"), field);
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
            return new DomainError(InvalidCreditCode, new("统一社会信用代码应为18位", "not an 18-character credit code"), field);
        }

        canonical = text;
        return null;
    }
}
