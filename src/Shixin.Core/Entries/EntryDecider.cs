using System.Collections.Immutable;
using System.Globalization;

namespace Shixin.Core.Entries;

/// <summary>The entry state machine: a pure function of (state, command) to events, and the fold of events into state.</summary>
public static partial class EntryDecider
{
    /// <summary>Rule ids of the rule set this decider uses.</summary>
    public static class Rules
    {
        public const string CorrectionFilingWindow = "correction.filing-window";
        public const string CorrectionReview = "correction.review";
        public const string CorrectionFix = "correction.fix";
        public const string ReconsiderationFilingWindow = "reconsideration.filing-window";
        public const string ReconsiderationRuling = "reconsideration.ruling";
        public const string ExitAfterPerformance = "exit.after-performance";
        public const string AmendmentFix = "amendment.fix";
        public const string DeletionAfterTerm = "deletion.after-term";
        public const string RelistingApplicantBar = "relisting.applicant-bar"; // SPC Art. 10 last paragraph
        public const string GracePeriodMax = "grace-period.max"; // 法发〔2019〕35号 §15
    }

    /// <summary>Fields a judge may correct with an amendment (更正), as dotted paths.</summary>
    public static readonly ImmutableArray<string> AmendableFields =
    [
        "caseNumber", "filingDate", "obligation", "basisDocument.number", "basisDocument.issuer",
        "performance.performedAmount", "performance.unperformedAmount",
        "subject.name", "subject.idNumber", "subject.gender", "subject.creditCode",
        "subject.legalRepresentative.name", "subject.legalRepresentative.idNumber",
        "publicity", "specialStatus",
    ];

    public static EntryDecision Decide(EntryState? state, EntryCommand command, IEntryRules rules)
    {
        if (state is null)
        {
            return command is DraftEntry d
                ? DecideDraft(d, rules)
                : EntryDecision.Refuse(DomainError.Codes.IllegalTransition, new("该条目尚不存在，请先新建草稿", "the entry does not exist yet; draft it first"));
        }

        return command switch
        {
            DraftEntry => EntryDecision.Refuse(DomainError.Codes.IllegalTransition, new("该条目已存在，不能重复新建", "the entry already exists")),
            ServeRiskNotice c => DecideRiskNotice(state, c),
            DecideListing c => DecideListingCommand(state, c, rules),
            PublishListing c => DecidePublish(state, c),
            ExitEntry c => DecideExit(state, c),
            ExtendTerm c => DecideExtension(state, c, rules),
            AmendEntry c => DecideAmendment(state, c, rules),
            RecordPerformance c => DecidePerformance(state, c),
            ExpireTerm c => DecideExpiry(state, c),
            FileCorrection c => DecideCorrection(state, c, rules),
            RuleOnCorrection c => DecideCorrectionRuling(state, c),
            FileReconsideration c => DecideReconsideration(state, c, rules),
            RuleOnReconsideration c => DecideReconsiderationRuling(state, c),
            GrantExemption c => DecideGrantExemption(state, c),
            EndExemption c => DecideEndExemption(state, c),
            Oversight.FileObjection c => Oversight.ObjectionDecider.DecideFiling(state, c, rules),
            Oversight.VerifyObjection c => Oversight.ObjectionDecider.DecideVerification(state, c),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
        };
    }

    /// <summary>Applies one event to the state (the fold).</summary>
    public static EntryState Evolve(EntryState? state, EntryEvent e)
    {
        if (e is EntryDrafted drafted)
        {
            return drafted.Draft with { Status = EntryStatus.Draft, Version = 1 };
        }

        var s = state ?? throw new InvalidOperationException("event on a missing entry: " + e.Type);
        var next = e switch
        {
            RiskNoticeServed r => s with { Status = EntryStatus.Noticed, RiskNoticeServedOn = r.ServedOn },
            ListingDecided d => s with
            {
                Status = EntryStatus.Listed,
                DecidedOn = d.DecidedOn,
                PublishedOn = d.PublishOn,
                TermYears = d.TermYears,
                ExpiresOn = d.ExpiresOn,
                Severity = d.Severity,
                IsPublished = false,
            },
            EntryListed l => s with { IsPublished = true, PublishedOn = l.PublishedOn },
            EntryUpdated u => u.After with { Version = s.Version, Status = s.Status, IsPublished = s.IsPublished },
            EntryExtended x => s with { ExtensionYears = s.ExtensionYears + x.Years, ExpiresOn = x.ExpiresOn },
            EntryRevoked r => s with { Status = EntryStatus.Revoked, ExitReason = r.Reason, ExitedOn = r.EffectiveOn },
            EntryDeleted r => s with { Status = EntryStatus.Deleted, ExitReason = r.Reason, ExitedOn = r.EffectiveOn },
            EntryExited r => s with { Status = EntryStatus.Shielded, ExitReason = r.Reason, ExitedOn = r.EffectiveOn },
            EntryExpired x => s with { Status = EntryStatus.Expired, ExitReason = ExitReasons.TermExpired, ExitedOn = x.ExpiredOn },
            PerformanceRecorded p => s with
            {
                Performance = p.Performance,
                FullyPerformedOn = p.Fully ? (s.FullyPerformedOn ?? p.RecordedOn) : null,
                // A performed settlement or a termination stays recorded: a later payment record does not undo it.
                SettlementPerformedOn = p.SettlementPerformed ? (s.SettlementPerformedOn ?? p.RecordedOn) : s.SettlementPerformedOn,
                ExecutionTerminatedOn = p.ExecutionTerminated ? (s.ExecutionTerminatedOn ?? p.RecordedOn) : s.ExecutionTerminatedOn,
            },
            CorrectionFiled c => s with { Corrections = s.Corrections.Add(c.Correction) },
            CorrectionRuled r => s with
            {
                Corrections = ReplaceCorrection(s.Corrections, r.CorrectionId, c => c with { Status = r.Outcome, RuledOn = r.RuledOn, Reasons = r.Reasons }),
            },
            ReconsiderationFiled r => s with
            {
                Corrections = ReplaceCorrection(s.Corrections, r.CorrectionId, c => c with { Reconsideration = r.Reconsideration }),
            },
            ReconsiderationRuled r => s with
            {
                Corrections = ReplaceCorrection(s.Corrections, r.CorrectionId, c => c with
                {
                    Reconsideration = c.Reconsideration! with { Status = r.Outcome, RuledOn = r.RuledOn, Reasons = r.Reasons },
                }),
            },
            ExemptionGranted g => s with { Exemptions = s.Exemptions.Add(g.Exemption) },
            ExemptionEnded x => s with
            {
                Exemptions = [.. s.Exemptions.Select(a => a.Id == x.ExemptionId ? a with { EndedOn = x.EndedOn, EndReason = x.Reason } : a)],
            },
            Oversight.ObjectionFiled or Oversight.ObjectionVerified => s with { Objections = Oversight.ObjectionDecider.Evolve(s.Objections, e) },
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.Type),
        };
        return next with { Version = s.Version + 1 };
    }

    /// <summary>Applies events in order.</summary>
    public static EntryState Fold(EntryState? state, IEnumerable<EntryEvent> events)
    {
        foreach (var e in events)
        {
            state = Evolve(state, e);
        }

        return state ?? throw new InvalidOperationException("no events");
    }

    private static ImmutableArray<Correction> ReplaceCorrection(ImmutableArray<Correction> all, Guid id, Func<Correction, Correction> change) =>
        all.Select(c => c.Id == id ? change(c) : c).ToImmutableArray();

    private static EntryDecision DecideDraft(DraftEntry d, IEntryRules rules)
    {
        var draft = d.Draft;
        if (draft.Circumstances.IsDefaultOrEmpty)
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("失信情形：请至少选择一项", "at least one circumstance is required"), "circumstances");
        }

        foreach (var c in draft.Circumstances)
        {
            if (!Circumstances.IsKnown(c))
            {
                return EntryDecision.Refuse(DomainError.Codes.ValidationFailed,
                    new("所选失信情形不是" + LegalCitations.SpcListProvisions + "第一条规定的情形", "unknown circumstance '" + c + "'"), "circumstances");
            }
        }

        if (draft.FilingDate > d.Today)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, new("立案日期（" + Iso(draft.FilingDate) + "）不能晚于今天", "filingDate is in the future"), "filingDate");
        }

        foreach (var prior in d.PriorListings)
        {
            // One debtor, one case, one standing entry.
            if (prior.Status is EntryStatus.Draft or EntryStatus.Noticed or EntryStatus.Listed)
            {
                return EntryDecision.Refuse(DomainError.Codes.DuplicateEntry,
                    new("该被执行人在本案中已有尚未退出的名单条目，不能重复纳入",
                        "the debtor already has a standing entry in this case: " + prior.EntryId.ToString()));
            }

            // SPC Art. 10 last para: after deletion on the applicant's written request, the applicant
            // may not ask to re-list within six months. Ex-officio re-listing is not barred.
            // The bar's length and counting come from the rule set (Civil Code Arts. 201–203: from the next day to the
            // corresponding day, moved off a rest day as the rule says).
            if (string.Equals(draft.InitiatedBy, "applicant", StringComparison.Ordinal)
                && prior.Status == EntryStatus.Deleted
                && string.Equals(prior.ExitReason, ExitReasons.ApplicantRequest, StringComparison.Ordinal)
                && prior.ExitedOn is { } exited
                && rules.Due(Rules.RelistingApplicantBar, exited) is var bar
                && bar.IsWithin(d.Today))
            {
                return EntryDecision.Refuse(DomainError.Codes.RelistingBarred, new(
                    "申请执行人已于" + Iso(exited) + "申请删除失信信息，" + Iso(bar.DueOn) + "前（含当日）不得再申请将该被执行人纳入名单"
                    + (bar.Provisional ? "（暂定：该年度节假日安排尚未公布）" : "") + "（依据：" + LegalCitations.Zh(bar.Source) + "）",
                    "the applicant asked for deletion on " + Iso(exited) + "; an applicant's re-listing request is barred through "
                    + Iso(bar.DueOn) + (bar.Provisional ? " (provisional: that year's holiday notice is not yet in the calendar)" : "")
                    + " (" + bar.RuleId + ", " + bar.Source + ")"));
            }
        }

        return EntryDecision.Accept(new EntryDrafted(draft with { Status = EntryStatus.Draft }));
    }

    private static EntryDecision DecideRiskNotice(EntryState s, ServeRiskNotice c)
    {
        if (s.Status is not (EntryStatus.Draft or EntryStatus.Noticed))
        {
            return Illegal(s, "送达风险提示", "serve a risk notice");
        }

        if (c.ServedOn > c.Today)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, new("送达日期（" + Iso(c.ServedOn) + "）不能晚于今天", "servedOn is in the future"), "servedOn");
        }

        return EntryDecision.Accept(new RiskNoticeServed(c.ServedOn));
    }

    private static EntryDecision DecideListingCommand(EntryState s, DecideListing c, IEntryRules rules)
    {
        // 000 §四(二)3: the risk notice comes before the listing.
        if (s.Status != EntryStatus.Noticed || s.RiskNoticeServedOn is null)
        {
            return s.Status == EntryStatus.Draft
                ? EntryDecision.Refuse(DomainError.Codes.IllegalTransition, new(
                    "尚未送达风险提示，请先送达风险提示再作出纳入决定（依据：" + LegalCitations.Zh("000 §四(二)3") + "）",
                    "no risk notice has been served; serve it before deciding (000 §四(二)3)"))
                : Illegal(s, "作出纳入决定", "decide a listing");
        }

        if (c.DecidedOn < s.RiskNoticeServedOn)
        {
            return EntryDecision.Refuse(DomainError.Codes.IllegalTransition,
                new("决定日期（" + Iso(c.DecidedOn) + "）早于风险提示送达日期（" + Iso(s.RiskNoticeServedOn.Value) + "）",
                    "the decision predates the risk notice served on " + Iso(s.RiskNoticeServedOn.Value)), "decidedOn");
        }

        if (c.DecidedOn > c.Today)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, new("决定日期（" + Iso(c.DecidedOn) + "）不能晚于今天", "decidedOn is in the future"), "decidedOn");
        }

        // SPC Art. 4: a minor is never listed; age is taken on the decision date.
        if (s.Subject.IsPerson && s.Subject.BirthDate is { } birth && birth.AddYears(18) > c.DecidedOn)
        {
            return EntryDecision.Refuse(DomainError.Codes.SubjectIsMinor,
                new("被执行人出生于" + Iso(birth) + "，至决定日期" + Iso(c.DecidedOn) + "未满十八周岁，不得纳入失信被执行人名单（依据：" + LegalCitations.SpcListProvisions + "第四条）",
                    "the debtor (born " + Iso(birth) + ") is under 18 on " + Iso(c.DecidedOn) + " (SPC 法释〔2017〕7号 Art. 4)"), "decidedOn");
        }

        var publishOn = c.PublishOn ?? c.DecidedOn;
        if (publishOn < c.DecidedOn)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, new("公布日期（" + Iso(publishOn) + "）不能早于决定日期（" + Iso(c.DecidedOn) + "）", "publishOn precedes decidedOn"), "publishOn");
        }

        // 法发〔2019〕35号 §15: a grace period of one to three months at most; the ceiling is the rule set's.
        var graceEnds = rules.Due(Rules.GracePeriodMax, c.DecidedOn);
        if (publishOn > graceEnds.DueOn)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate,
                new("宽限期最长至" + Iso(graceEnds.DueOn) + "，公布日期不能晚于该日（依据：" + LegalCitations.Zh(graceEnds.Source) + "）",
                    "the grace period may run to " + Iso(graceEnds.DueOn) + " at most (" + graceEnds.RuleId + ", " + graceEnds.Source + ")"), "publishOn");
        }

        var severity = c.Severity ?? s.Severity;
        if (severity is not ("ordinary" or "serious"))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("情节：请选择“一般”或“严重”", "severity must be 'ordinary' or 'serious'"), "severity");
        }

        int? term = null;
        DateOnly? expiresOn = null;
        var probe = s with { Severity = severity };
        if (s.HasTerm)
        {
            // SPC Art. 2: two years, which may be lengthened by one to three years for serious cases.
            term = c.TermYears ?? 2;
            if (term < 2 || term > 5 || (term > 2 && !probe.QualifiesForExtension))
            {
                return EntryDecision.Refuse(DomainError.Codes.InvalidTerm,
                    new("纳入期限为二年；仅以暴力、威胁方法妨碍、抗拒执行情节严重或者具有多项失信行为的，可以延长为三至五年（依据：" + LegalCitations.SpcListProvisions + "第二条）",
                        "the term is 2 years; 3–5 only for serious violence/threats or several dishonest acts (SPC Art. 2)"), "termYears");
            }

            expiresOn = rules.AddYears(c.DecidedOn, term.Value);
        }
        else if (c.TermYears is not null)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidTerm,
                new("仅因“有履行能力而拒不履行生效法律文书确定义务”纳入的，不设纳入期限，不应填写期限（依据：" + LegalCitations.SpcListProvisions + "第二条）",
                    "'capable-but-refuses' carries no term: the entry stands until it exits (SPC Art. 2)"), "termYears");
        }

        var decided = new ListingDecided(c.DecidedOn, publishOn, term, expiresOn, severity);
        return publishOn <= c.Today
            ? EntryDecision.Accept(decided, new EntryListed(publishOn))
            : EntryDecision.Accept(decided);
    }

    private static EntryDecision DecidePublish(EntryState s, PublishListing c)
    {
        if (s.Status != EntryStatus.Listed || s.IsPublished)
        {
            return Illegal(s, "公布", "publish");
        }

        if (s.PublishedOn > c.Today)
        {
            return EntryDecision.Refuse(DomainError.Codes.IllegalTransition, new("宽限期至" + Iso(s.PublishedOn!.Value) + "，届时方可公布", "the grace period runs until " + Iso(s.PublishedOn!.Value)));
        }

        return EntryDecision.Accept(new EntryListed(s.PublishedOn ?? c.Today));
    }

    /// <summary>
    /// The exits this entry may take on <paramref name="today"/>, kind by kind, each with the reasons that fit it — decided by
    /// <see cref="DecideExit"/> itself (status, SPC Arts. 9–10 and Art. 10 ¶2, 000 §四(二)4, 003 §二(四)), so the exit form
    /// offers exactly what the decision would accept. Kinds with no fitting reason are left out.
    /// </summary>
    public static IReadOnlyList<(EntryStatus Kind, IReadOnlyList<string> Reasons)> ExitOptions(EntryState s, DateOnly today)
    {
        var result = new List<(EntryStatus, IReadOnlyList<string>)>();
        foreach (var kind in (EntryStatus[])[EntryStatus.Shielded, EntryStatus.Revoked, EntryStatus.Deleted])
        {
            // The dates are not what is asked here: an exit effective today is always in time, so only the kind and reason count.
            var effective = s.DecidedOn is { } d && d > today ? d : today;
            var reasons = ExitReasons.For(kind).Where(r => DecideExit(s, new ExitEntry(kind, r, effective, null, effective)).Error is not
                { Code: DomainError.Codes.IllegalTransition or DomainError.Codes.InvalidExitReason }).ToList();
            if (reasons.Count > 0)
            {
                result.Add((kind, reasons));
            }
        }

        return result;
    }

    private static EntryDecision DecideExit(EntryState s, ExitEntry c)
    {
        var allowedFrom = c.Kind switch
        {
            EntryStatus.Shielded => s.Status == EntryStatus.Listed,
            EntryStatus.Revoked => s.Status is EntryStatus.Listed or EntryStatus.Shielded or EntryStatus.Expired,
            EntryStatus.Deleted => s.Status is EntryStatus.Listed or EntryStatus.Shielded or EntryStatus.Expired,
            _ => false,
        };
        if (!allowedFrom)
        {
            return Illegal(s, ExitKindZh(c.Kind), "exit by " + c.Kind.ToApi());
        }

        if (!ExitReasons.For(c.Kind).Contains(c.Reason, StringComparer.Ordinal))
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidExitReason,
                new((ExitReasons.IsKnown(c.Reason) ? "退出事由“" + ExitReasons.TitleZh(c.Reason) + "”" : "所选退出事由") + "不适用于" + ExitKindZh(c.Kind) + "；可选事由：" + string.Join("、", ExitReasons.For(c.Kind).Select(ExitReasons.TitleZh)),
                    "reason '" + c.Reason + "' does not fit a " + c.Kind.ToApi() + "; allowed: " + string.Join(", ", ExitReasons.For(c.Kind))), "reason");
        }

        if (s.Status == EntryStatus.Expired && c.Kind == EntryStatus.Deleted && !string.Equals(c.Reason, ExitReasons.TermExpired, StringComparison.Ordinal)
            && !string.Equals(c.Reason, ExitReasons.FullyPerformed, StringComparison.Ordinal))
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidExitReason,
                new("期限届满的条目，删除事由应为“期限届满”或“已履行全部义务”", "an expired entry is deleted for 'term-expired'"), "reason");
        }

        // SPC Art. 10 para 2 (有纳入期限的，不适用前款规定): while its term runs, an entry with a term does not leave the
        // list through any of the seven exits of Art. 10 para 1 — not by delete, nor by shield or revoke for the same
        // events (000 §四(二)4 names performance, settlement and termination; the SPC text governs the term). It may still
        // be revoked as wrongly listed (Art. 9), shielded on a guarantee (003 §二(四)), or deleted early ('early-deletion',
        // Art. 2 para 2). Shielding does not end the term, so a shielded entry is held to the same rule.
        if (s.HasTerm && s.Status is (EntryStatus.Listed or EntryStatus.Shielded) && ExitReasons.IsArticle10Para1(c.Reason))
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidExitReason,
                new("该条目设有纳入期限，不能因“" + ExitReasons.TitleZh(c.Reason) + "”提前退出（依据：" + LegalCitations.SpcListProvisions
                    + "第十条第二款）；期限届满后退出，或由人民法院决定提前删除（第二条第二款）",
                    "an entry with a term (SPC Art. 2) does not leave the list early for '" + c.Reason
                    + "' (Art. 10 para 2); it ends with its term, or the court may delete it early ('early-deletion', Art. 2 para 2)"), "reason");
        }

        if (s.DecidedOn is { } decided && c.EffectiveOn < decided)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, new("生效日期（" + Iso(c.EffectiveOn) + "）不能早于纳入决定日期（" + Iso(decided) + "）", "effectiveOn precedes the decision"), "effectiveOn");
        }

        if (c.EffectiveOn > c.Today)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, new("生效日期（" + Iso(c.EffectiveOn) + "）不能晚于今天", "effectiveOn is in the future"), "effectiveOn");
        }

        EntryEvent e = c.Kind switch
        {
            EntryStatus.Revoked => new EntryRevoked(c.Reason, c.EffectiveOn, c.Note),
            EntryStatus.Deleted => new EntryDeleted(c.Reason, c.EffectiveOn, c.Note),
            _ => new EntryExited(c.Reason, c.EffectiveOn, c.Note),
        };
        return EntryDecision.Accept(e);
    }

    private static EntryDecision DecideExtension(EntryState s, ExtendTerm c, IEntryRules rules)
    {
        if (s.Status != EntryStatus.Listed)
        {
            return Illegal(s, "延长纳入期限", "extend");
        }

        if (!s.HasTerm || s.ExpiresOn is null)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidExtension, new(
                "该条目不设纳入期限（仅因有履行能力而拒不履行纳入），无期限可延长（依据：" + LegalCitations.SpcListProvisions + "第二条）",
                "'capable-but-refuses' carries no term to extend (SPC Art. 2)"));
        }

        if (!s.QualifiesForExtension)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidExtension,
                new("仅以暴力、威胁方法妨碍、抗拒执行情节严重或者具有多项失信行为的，方可延长纳入期限（依据：" + LegalCitations.SpcListProvisions + "第二条）",
                    "an extension needs serious violence/threats or several dishonest acts (SPC Art. 2)"));
        }

        var already = (s.TermYears ?? 2) - 2 + s.ExtensionYears;
        if (c.Years < 1 || c.Years > 3 || already + c.Years > 3)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidExtension,
                new("纳入期限累计只能延长一至三年，已延长" + already.ToString(CultureInfo.InvariantCulture) + "年（依据：" + LegalCitations.SpcListProvisions + "第二条）",
                    "the term may be extended by 1–3 years in all; " + already.ToString(CultureInfo.InvariantCulture) + " already granted"), "years");
        }

        if (string.IsNullOrWhiteSpace(c.Reason))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("请填写理由", "reason is required"), "reason");
        }

        return EntryDecision.Accept(new EntryExtended(c.Years, c.Reason, rules.AddYears(s.ExpiresOn.Value, c.Years)));
    }

    private static EntryDecision DecideAmendment(EntryState s, AmendEntry c, IEntryRules rules)
    {
        if (s.Status is not (EntryStatus.Draft or EntryStatus.Noticed or EntryStatus.Listed or EntryStatus.Shielded))
        {
            return Illegal(s, "更正", "amend");
        }

        if (c.Changes.IsEmpty)
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("请至少填写一项需要更正的内容", "changes must name at least one field"), "changes");
        }

        if (string.IsNullOrWhiteSpace(c.Reason))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("请填写理由", "reason is required"), "reason");
        }

        var after = s;
        foreach (var (field, value) in c.Changes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var (next, error) = ApplyChange(after, field, value, rules);
            if (error is not null)
            {
                return EntryDecision.Refuse(error);
            }

            after = next!;
        }

        return EntryDecision.Accept(new EntryUpdated(c.Changes, c.Reason, after));
    }

    private static (EntryState? State, DomainError? Error) ApplyChange(EntryState s, string field, string? value, IEntryRules rules)
    {
        static DomainError Bad(string field, string zh, string en) => new(DomainError.Codes.ValidationFailed, new(AmendableFieldZh(field) + "：" + zh, en), "changes." + field);

        if (!AmendableFields.Contains(field, StringComparer.Ordinal))
        {
            return (null, new DomainError(DomainError.Codes.UnknownField, new(
                "该项目不能更正；可更正的项目为：" + string.Join("、", AmendableFields.Select(AmendableFieldZh)),
                "'" + field + "' cannot be amended; amendable: " + string.Join(", ", AmendableFields)), "changes." + field));
        }

        if (string.IsNullOrWhiteSpace(value) && field is not "specialStatus")
        {
            return (null, Bad(field, "不能为空", field + " may not be empty"));
        }

        var v = value?.Trim();

        // The same limits as a draft (the server's request parsing): an amendment must not bypass them.
        var max = field is "obligation" ? 4000 : 200;
        if (v is not null && v.Length > max)
        {
            return (null, Bad(field, "不能超过" + max.ToString(CultureInfo.InvariantCulture) + "个字", field + " is longer than " + max.ToString(CultureInfo.InvariantCulture) + " characters"));
        }

        switch (field)
        {
            case "caseNumber":
                return Identifiers.CaseNumber.TryParse(v, out var cn, out var cnError)
                    ? (s with { CaseNumber = cn.Value }, null)
                    : (null, DomainError.From(cnError, "changes.caseNumber"));
            case "obligation": return (s with { Obligation = v! }, null);
            case "basisDocument.number": return (s with { BasisDocument = s.BasisDocument with { Number = v! } }, null);
            case "basisDocument.issuer": return (s with { BasisDocument = s.BasisDocument with { Issuer = v! } }, null);
            case "subject.name": return (s with { Subject = s.Subject with { Name = v! } }, null);
            case "specialStatus": return (s with { SpecialStatus = string.IsNullOrWhiteSpace(v) ? null : v }, null);
            case "publicity":
                return v is "public" or "restricted"
                    ? (s with { Publicity = v }, null)
                    : (null, Bad(field, "请选择“公开”或“不公开”", "publicity must be 'public' or 'restricted'"));
            case "filingDate":
                return DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var fd)
                    ? (s with { FilingDate = fd }, null)
                    : (null, new DomainError(DomainError.Codes.InvalidDate, new("立案日期：请按“年-月-日”填写，如2024-03-01", "filingDate must be YYYY-MM-DD"), "changes.filingDate"));
            case "performance.performedAmount":
            case "performance.unperformedAmount":
                if (!decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) || amount < 0)
                {
                    return (null, Bad(field, "请填写不小于0的金额（元），如50000", field + " must be a non-negative amount"));
                }

                return field.EndsWith("unperformedAmount", StringComparison.Ordinal)
                    ? (s with { Performance = s.Performance with { UnperformedAmount = amount } }, null)
                    : (s with { Performance = s.Performance with { PerformedAmount = amount } }, null);
            case "subject.gender":
                return v is "male" or "female" ? (s with { Subject = s.Subject with { Gender = v } }, null) : (null, Bad(field, "请选择“男”或“女”", "gender must be 'male' or 'female'"));
            case "subject.idNumber":
            {
                if (!s.Subject.IsPerson)
                {
                    return (null, Bad(field, "被执行人为法人或其他组织，没有身份证号码", "an organization debtor has no ID number"));
                }

                var err = rules.CheckIdNumber("changes.subject.idNumber", v, out var id, out var birth, out var gender);
                if (err is not null)
                {
                    return (null, err);
                }

                // SPC Art. 4 holds for a corrected number too: it may not make a decided entry one of a minor.
                if (s.DecidedOn is { } decided && birth is { } born && born.AddYears(18) > decided)
                {
                    return (null, new DomainError(DomainError.Codes.SubjectIsMinor, new(
                        "按此身份证号码，被执行人出生于" + Iso(born) + "，至决定日期" + Iso(decided) + "未满十八周岁，不得纳入（依据："
                        + LegalCitations.SpcListProvisions + "第四条）；应撤销该条目，而非更正",
                        "with this ID number the debtor (born " + Iso(born) + ") was under 18 on the decision date " + Iso(decided)
                        + " (SPC 法释〔2017〕7号 Art. 4); revoke the entry instead"), "changes.subject.idNumber"));
                }

                return (s with { Subject = s.Subject with { IdNumber = id, BirthDate = birth, Gender = gender } }, null);
            }

            case "subject.creditCode":
            {
                if (s.Subject.IsPerson)
                {
                    return (null, Bad(field, "被执行人为自然人，没有统一社会信用代码", "a person debtor has no credit code"));
                }

                var err = rules.CheckCreditCode("changes.subject.creditCode", v, out var code);
                return err is not null ? (null, err) : (s with { Subject = s.Subject with { CreditCode = code } }, null);
            }

            case "subject.legalRepresentative.name":
            case "subject.legalRepresentative.idNumber":
            {
                if (s.Subject.IsPerson)
                {
                    return (null, Bad(field, "被执行人为自然人，没有法定代表人", "a person debtor has no legal representative"));
                }

                var rep = s.Subject.LegalRepresentative ?? new PersonRef("", "");
                if (field.EndsWith("name", StringComparison.Ordinal))
                {
                    rep = rep with { Name = v! };
                }
                else
                {
                    var err = rules.CheckIdNumber("changes." + field, v, out var id, out _, out _);
                    if (err is not null)
                    {
                        return (null, err);
                    }

                    rep = rep with { IdNumber = id };
                }

                // The legal representative is also a related person through whom measures reach (000 §二(七)).
                var related = s.RelatedPersons
                    .Where(r => !string.Equals(r.Role, RelatedRoles.LegalRepresentative, StringComparison.Ordinal))
                    .Append(new RelatedPerson(RelatedRoles.LegalRepresentative, rep.Name, rep.IdNumber))
                    .ToImmutableArray();
                return (s with { Subject = s.Subject with { LegalRepresentative = rep }, RelatedPersons = related }, null);
            }

            default:
                return (null, Bad(field, "不支持更正此项", "unsupported field"));
        }
    }

    /// <summary>An amendable field by the label the court's forms give it.</summary>
    public static string AmendableFieldZh(string field) => field switch
    {
        "caseNumber" => "案号",
        "filingDate" => "立案日期",
        "obligation" => "生效法律文书确定的义务",
        "basisDocument.number" => "执行依据文号",
        "basisDocument.issuer" => "做出执行依据单位",
        "performance.performedAmount" => "已履行金额",
        "performance.unperformedAmount" => "未履行金额",
        "subject.name" => "姓名/名称",
        "subject.idNumber" => "身份证号码",
        "subject.gender" => "性别",
        "subject.creditCode" => "统一社会信用代码",
        "subject.legalRepresentative.name" => "法定代表人姓名",
        "subject.legalRepresentative.idNumber" => "法定代表人身份证号码",
        "publicity" => "公开方式",
        "specialStatus" => "特殊身份",
        _ => "该项",
    };

    private static EntryDecision DecidePerformance(EntryState s, RecordPerformance c)
    {
        if (s.Status.IsExited() && s.Status != EntryStatus.Shielded)
        {
            return Illegal(s, "登记履行情况", "record performance");
        }

        if (c.Performance.PerformedAmount < 0 || c.Performance.UnperformedAmount < 0)
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("金额不能为负数", "amounts must not be negative"), "performance");
        }

        if (c.Fully && c.Performance.UnperformedAmount != 0)
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("已全部履行的，未履行金额应为0", "full performance leaves nothing unperformed"), "unperformedAmount");
        }

        var recorded = new PerformanceRecorded(c.Performance, c.Fully, c.RecordedOn, c.SettlementPerformed, c.ExecutionTerminated);
        if (s.Status == EntryStatus.Listed)
        {
            // The published record shows the performed and unperformed parts (SPC Art. 6 item 3).
            var after = Evolve(s, recorded);
            var changes = ImmutableDictionary<string, string?>.Empty
                .Add("performance.performedAmount", c.Performance.PerformedAmount.ToString(CultureInfo.InvariantCulture))
                .Add("performance.unperformedAmount", c.Performance.UnperformedAmount.ToString(CultureInfo.InvariantCulture));
            var reason = c.Fully ? ExitReasons.FullyPerformed
                : c.SettlementPerformed ? ExitReasons.SettlementPerformed
                : c.ExecutionTerminated ? ExitReasons.ExecutionTerminated
                : "performance";
            return EntryDecision.Accept(recorded, new EntryUpdated(changes, reason, after));
        }

        return EntryDecision.Accept(recorded);
    }

    private static EntryDecision DecideExpiry(EntryState s, ExpireTerm c)
    {
        if (s.Status != EntryStatus.Listed || s.ExpiresOn is null)
        {
            return Illegal(s, "作期限届满处理", "expire");
        }

        // The term's last day is ExpiresOn (Civil Code Art. 202); the listing ends after it.
        if (c.Today <= s.ExpiresOn)
        {
            return EntryDecision.Refuse(DomainError.Codes.IllegalTransition, new("纳入期限至" + Iso(s.ExpiresOn.Value) + "届满，尚未到期", "the term runs until " + Iso(s.ExpiresOn.Value)));
        }

        return EntryDecision.Accept(new EntryExpired(s.ExpiresOn.Value.AddDays(1)));
    }

    private static EntryDecision DecideCorrection(EntryState s, FileCorrection c, IEntryRules rules)
    {
        if (s.Status != EntryStatus.Listed)
        {
            return Illegal(s, "申请纠正", "apply for correction");
        }

        if (string.IsNullOrWhiteSpace(c.Grounds))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("请填写申请理由", "grounds are required"), "grounds");
        }

        if (s.DecidedOn is { } decided && c.ReceivedOn < decided)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, new("收到决定日期（" + Iso(c.ReceivedOn) + "）不能早于纳入决定日期（" + Iso(decided) + "）", "receivedOn precedes the decision"), "receivedOn");
        }

        if (c.FiledOn < c.ReceivedOn || c.FiledOn > c.Today)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, new("申请日期（" + Iso(c.FiledOn) + "）应在收到决定日期（" + Iso(c.ReceivedOn) + "）与今天之间", "filedOn must lie between receivedOn and today"), "filedOn");
        }

        // Rulings find a correction by id; a reused id would rule (and fold) two applications at once.
        if (s.Corrections.Any(x => x.Id == c.CorrectionId))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("已有相同编号的纠正申请，请勿重复登记", "a correction with this id already exists"), "correctionId");
        }

        if (s.Corrections.Any(x => string.Equals(x.Status, "filed", StringComparison.Ordinal)))
        {
            return EntryDecision.Refuse(DomainError.Codes.IllegalTransition, new("已有一项纠正申请正在审查，审查结束前不能再次申请", "a correction is already under review"));
        }

        // 000 §四(二)3: within 10 days of receiving the decision; CPL Art. 85 counting. SPC Art. 11 sets no window, so a
        // rule set that follows it (spc-2017, unit 'none') refuses no application as late.
        if (rules.TryDue(Rules.CorrectionFilingWindow, c.ReceivedOn, out var window) && c.FiledOn > window.DueOn)
        {
            return EntryDecision.Refuse(DomainError.Codes.WindowClosed,
                new("申请纠正期限已于" + Iso(window.DueOn) + "届满（依据：" + LegalCitations.Zh(window.Source) + "）",
                    "the window to apply for correction closed on " + Iso(window.DueOn) + " (" + window.RuleId + ", " + window.Source + ")"), "filedOn");
        }

        var correction = new Correction
        {
            Id = c.CorrectionId,
            ReceivedOn = c.ReceivedOn,
            FiledOn = c.FiledOn,
            Grounds = c.Grounds,
            ReviewDue = rules.Due(Rules.CorrectionReview, c.FiledOn),
        };
        return EntryDecision.Accept(new CorrectionFiled(correction));
    }

    private static EntryDecision DecideCorrectionRuling(EntryState s, RuleOnCorrection c)
    {
        var correction = s.Corrections.FirstOrDefault(x => x.Id == c.CorrectionId);
        if (correction is null || !string.Equals(correction.Status, "filed", StringComparison.Ordinal))
        {
            return EntryDecision.Refuse(DomainError.Codes.IllegalTransition, new("该纠正申请不在待裁决状态（不存在或已作出裁决）", "the correction is not awaiting a ruling"));
        }

        if (c.Outcome is not ("accepted" or "rejected"))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("审查结论：请选择“理由成立”或“理由不成立”", "outcome must be 'accepted' or 'rejected'"), "outcome");
        }

        if (c.RuledOn < correction.FiledOn)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, new("裁决日期（" + Iso(c.RuledOn) + "）不能早于申请日期", "ruledOn precedes the application"), "ruledOn");
        }

        var ruled = new CorrectionRuled(c.CorrectionId, c.Outcome, c.RuledOn, c.Reasons);
        return string.Equals(c.Outcome, "accepted", StringComparison.Ordinal) && s.Status is EntryStatus.Listed or EntryStatus.Shielded
            ? EntryDecision.Accept(ruled, new EntryRevoked(ExitReasons.CorrectionAccepted, c.RuledOn, c.Reasons))
            : EntryDecision.Accept(ruled);
    }

    private static EntryDecision DecideReconsideration(EntryState s, FileReconsideration c, IEntryRules rules)
    {
        var correction = s.Corrections.FirstOrDefault(x => x.Id == c.CorrectionId);
        if (correction is null || !string.Equals(correction.Status, "rejected", StringComparison.Ordinal) || correction.Reconsideration is not null)
        {
            return EntryDecision.Refuse(DomainError.Codes.IllegalTransition, new("仅被驳回的纠正申请可以申请复议，且只能申请一次", "only a rejected correction may be reconsidered, once"));
        }

        if (string.IsNullOrWhiteSpace(c.Grounds))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("请填写申请理由", "grounds are required"), "grounds");
        }

        var served = c.RejectionReceivedOn ?? correction.RuledOn!.Value;
        if (c.FiledOn < served || c.FiledOn > c.Today)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, new("申请日期（" + Iso(c.FiledOn) + "）应在收到驳回决定之日（" + Iso(served) + "）与今天之间", "filedOn must lie between the rejection and today"), "filedOn");
        }

        // SPC Art. 12: within 10 days of service of the rejection.
        var window = rules.Due(Rules.ReconsiderationFilingWindow, served);
        if (c.FiledOn > window.DueOn)
        {
            return EntryDecision.Refuse(DomainError.Codes.WindowClosed,
                new("申请复议期限已于" + Iso(window.DueOn) + "届满（依据：" + LegalCitations.Zh(window.Source) + "）",
                    "the window to apply for reconsideration closed on " + Iso(window.DueOn) + " (" + window.RuleId + ", " + window.Source + ")"), "filedOn");
        }

        var r = new Reconsideration
        {
            Id = c.ReconsiderationId,
            CourtCode = c.HigherCourtCode,
            FiledOn = c.FiledOn,
            Grounds = c.Grounds,
            RulingDue = rules.Due(Rules.ReconsiderationRuling, c.FiledOn),
        };
        return EntryDecision.Accept(new ReconsiderationFiled(c.CorrectionId, r));
    }

    private static EntryDecision DecideReconsiderationRuling(EntryState s, RuleOnReconsideration c)
    {
        var correction = s.Corrections.FirstOrDefault(x => x.Id == c.CorrectionId);
        var r = correction?.Reconsideration;
        if (r is null || r.Id != c.ReconsiderationId || !string.Equals(r.Status, "filed", StringComparison.Ordinal))
        {
            return EntryDecision.Refuse(DomainError.Codes.IllegalTransition, new("该复议申请不在待裁决状态（不存在或已作出裁决）", "the reconsideration is not awaiting a ruling"));
        }

        if (c.Outcome is not ("accepted" or "rejected"))
        {
            return EntryDecision.Refuse(DomainError.Codes.ValidationFailed, new("审查结论：请选择“理由成立”或“理由不成立”", "outcome must be 'accepted' or 'rejected'"), "outcome");
        }

        if (c.RuledOn < r.FiledOn)
        {
            return EntryDecision.Refuse(DomainError.Codes.InvalidDate, new("裁决日期（" + Iso(c.RuledOn) + "）不能早于申请日期", "ruledOn precedes the application"), "ruledOn");
        }

        var ruled = new ReconsiderationRuled(c.CorrectionId, c.ReconsiderationId, c.Outcome, c.RuledOn, c.Reasons);

        // Reconsideration does not suspend the listing (SPC Art. 12); only an accepted one revokes it.
        return string.Equals(c.Outcome, "accepted", StringComparison.Ordinal) && s.Status is EntryStatus.Listed or EntryStatus.Shielded
            ? EntryDecision.Accept(ruled, new EntryRevoked(ExitReasons.CorrectionAccepted, c.RuledOn, c.Reasons))
            : EntryDecision.Accept(ruled);
    }

    private static EntryDecision Illegal(EntryState s, string actionZh, string action) =>
        EntryDecision.Refuse(DomainError.Codes.IllegalTransition,
            new("该条目当前状态为“" + s.Status.TitleZh() + "”，不能" + actionZh, "cannot " + action + " an entry that is " + s.Status.ToApi()));

    private static string ExitKindZh(EntryStatus kind) => kind switch
    {
        EntryStatus.Shielded => "屏蔽",
        EntryStatus.Revoked => "撤销",
        EntryStatus.Deleted => "删除",
        _ => kind.TitleZh(),
    };

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
