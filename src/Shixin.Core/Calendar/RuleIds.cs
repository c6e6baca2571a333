namespace Shixin.Core.Calendar;

/// <summary>The stable ids of the periods every rule set defines (<c>data/rules/rule-sets.json</c>).</summary>
public static class RuleIds
{
    /// <summary>Debtor applies for correction after receiving the listing decision.</summary>
    public const string CorrectionFilingWindow = "correction.filing-window";

    /// <summary>Executing court reviews a correction application.</summary>
    public const string CorrectionReview = "correction.review";

    /// <summary>Court fixes the entry once a correction application is upheld.</summary>
    public const string CorrectionFix = "correction.fix";

    /// <summary>Debtor applies to the higher court after service of the rejection.</summary>
    public const string ReconsiderationFilingWindow = "reconsideration.filing-window";

    /// <summary>Higher court decides the reconsideration.</summary>
    public const string ReconsiderationRuling = "reconsideration.ruling";

    /// <summary>Court removes the entry after full performance (or another exit event).</summary>
    public const string ExitAfterPerformance = "exit.after-performance";

    /// <summary>Court revokes an entry that should never have been listed.</summary>
    public const string ExitRevokeWronglyListed = "exit.revoke-wrongly-listed";

    /// <summary>Court corrects inaccurate published information.</summary>
    public const string AmendmentFix = "amendment.fix";

    /// <summary>Court deletes an entry after its listing term has expired.</summary>
    public const string DeletionAfterTerm = "deletion.after-term";

    /// <summary>After deletion on the applicant's request, the same applicant may not ask to re-list.</summary>
    public const string RelistingApplicantBar = "relisting.applicant-bar";

    /// <summary>Longest grace period before a decided listing is published.</summary>
    public const string GracePeriodMax = "grace-period.max";

    /// <summary>Unit lifts its measures after an entry is shielded, revoked or deleted.</summary>
    public const string UnitLiftMeasure = "unit.lift-measure";

    /// <summary>Unit has an objected-to entry verified (measure suspended meanwhile).</summary>
    public const string UnitVerifyObjection = "unit.verify-objection";

    /// <summary>Unit investigates and answers a complaint that a measure was not applied.</summary>
    public const string UnitAnswerComplaint = "unit.answer-complaint";

    /// <summary>Unit reports a quarter's punishment to the provincial credit centre after the quarter ends.</summary>
    public const string UnitQuarterlyReport = "unit.quarterly-report";

    /// <summary>Court notifies the employer/superior/party organisation of a special-subject debtor.</summary>
    public const string CourtNotifySpecialSubject = "court.notify-special-subject";

    /// <summary>A republished copy of the list drops shielded or revoked entries.</summary>
    public const string RepublishedCopyDropRemoved = "republished-copy.drop-removed";

    /// <summary>Unit answers a court's investigation task (执行查控, platform default).</summary>
    public const string InvestigationAnswer = "investigation.answer";

    /// <summary>Unit executes or refuses a court's control task (platform default).</summary>
    public const string ControlAnswer = "control.answer";

    /// <summary>Longest freeze of bank deposits (法释〔2022〕11号 Art. 485 para. 1: one year).</summary>
    public const string ControlTermDeposits = "control.term.deposits";

    /// <summary>Longest seizure of movables (Art. 485 para. 1: two years).</summary>
    public const string ControlTermMovables = "control.term.movables";

    /// <summary>Longest seizure of real estate or freeze of other property rights (Art. 485 para. 1: three years).</summary>
    public const string ControlTermProperty = "control.term.property";

    /// <summary>How long before a control lapses the court's renewal duty falls due (platform default; Art. 485 para. 2).</summary>
    public const string ControlRenewalMargin = "control.renewal-margin";

    /// <summary>Every id above.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        CorrectionFilingWindow, CorrectionReview, CorrectionFix,
        ReconsiderationFilingWindow, ReconsiderationRuling,
        ExitAfterPerformance, ExitRevokeWronglyListed, AmendmentFix, DeletionAfterTerm,
        RelistingApplicantBar, GracePeriodMax,
        UnitLiftMeasure, UnitVerifyObjection, UnitAnswerComplaint, UnitQuarterlyReport,
        CourtNotifySpecialSubject, RepublishedCopyDropRemoved,
        InvestigationAnswer, ControlAnswer, ControlTermDeposits, ControlTermMovables, ControlTermProperty, ControlRenewalMargin,
    ];
}
