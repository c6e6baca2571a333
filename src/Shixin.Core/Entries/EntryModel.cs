using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Shixin.Core.Calendar;

namespace Shixin.Core.Entries;

/// <summary>Where an entry stands in its legal life (DOMAIN.md §1).</summary>
public enum EntryStatus
{
    Draft,
    Noticed,
    Listed,
    Shielded,
    Revoked,
    Deleted,
    Expired,
}

/// <summary>API names of entry statuses, kept in one place.</summary>
public static class EntryStatusNames
{
    public static string ToApi(this EntryStatus s) => s switch
    {
        EntryStatus.Draft => "draft",
        EntryStatus.Noticed => "noticed",
        EntryStatus.Listed => "listed",
        EntryStatus.Shielded => "shielded",
        EntryStatus.Revoked => "revoked",
        EntryStatus.Deleted => "deleted",
        EntryStatus.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    /// <summary>The status as the court console names it.</summary>
    public static string TitleZh(this EntryStatus s) => s switch
    {
        EntryStatus.Draft => "草稿",
        EntryStatus.Noticed => "已送达风险提示",
        EntryStatus.Listed => "已纳入",
        EntryStatus.Shielded => "已屏蔽",
        EntryStatus.Revoked => "已撤销",
        EntryStatus.Deleted => "已删除",
        EntryStatus.Expired => "期限届满",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static bool TryParse(string? text, out EntryStatus status)
    {
        foreach (var s in Enum.GetValues<EntryStatus>())
        {
            if (string.Equals(s.ToApi(), text, StringComparison.Ordinal))
            {
                status = s;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>True once the entry has left the list for good or for now.</summary>
    public static bool IsExited(this EntryStatus s) =>
        s is EntryStatus.Shielded or EntryStatus.Revoked or EntryStatus.Deleted or EntryStatus.Expired;
}

/// <summary>The six listing circumstances of SPC 法释〔2017〕7号 Art. 1, by API code.</summary>
public static class Circumstances
{
    public const string CapableButRefuses = "capable-but-refuses";
    public const string ObstructsEnforcement = "obstructs-enforcement";
    public const string EvadesEnforcement = "evades-enforcement";
    public const string ViolatesPropertyReporting = "violates-property-reporting";
    public const string ViolatesConsumptionRestriction = "violates-consumption-restriction";
    public const string RefusesSettlement = "refuses-settlement";

    public static readonly ImmutableArray<string> All =
    [
        CapableButRefuses, ObstructsEnforcement, EvadesEnforcement,
        ViolatesPropertyReporting, ViolatesConsumptionRestriction, RefusesSettlement,
    ];

    /// <summary>Chinese wording as the national platform shows it (失信行为具体情形).</summary>
    public static string TitleZh(string code) => code switch
    {
        CapableButRefuses => "有履行能力而拒不履行生效法律文书确定义务",
        ObstructsEnforcement => "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
        EvadesEnforcement => "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
        ViolatesPropertyReporting => "违反财产报告制度",
        ViolatesConsumptionRestriction => "违反限制消费令",
        RefusesSettlement => "无正当理由拒不履行执行和解协议",
        _ => code,
    };

    public static bool IsKnown(string code) => All.Contains(code, StringComparer.Ordinal);
}

/// <summary>Roles through which a related person of an organization debtor is reached (API.md).</summary>
public static class RelatedRoles
{
    public const string Debtor = "debtor";
    public const string LegalRepresentative = "legal-representative";
    public const string Principal = "principal";
    public const string ActualController = "actual-controller";
    public const string ResponsiblePerson = "responsible-person";
    public const string Director = "director";
    public const string Supervisor = "supervisor";
    public const string SeniorManager = "senior-manager";

    public static readonly ImmutableArray<string> RelatedPersonRoles =
        [LegalRepresentative, Principal, ActualController, ResponsiblePerson, Director, Supervisor, SeniorManager];

    public static bool IsRelatedPersonRole(string role) => RelatedPersonRoles.Contains(role, StringComparer.Ordinal);
}

/// <summary>Exit kinds and the reasons each admits (SPC Arts. 9–10; 000 §四(二)4; 003 §二(四)).</summary>
public static class ExitReasons
{
    public const string FullyPerformed = "fully-performed";
    public const string SettlementPerformed = "settlement-performed";
    public const string ExecutionTerminated = "execution-terminated";
    public const string NoPropertyFound = "no-property-found";
    public const string CorrectionAccepted = "correction-accepted";
    public const string WronglyListed = "wrongly-listed";
    public const string GuaranteeProvided = "guarantee-provided";
    public const string ApplicantRequest = "applicant-request";
    public const string EnforcementSuspended = "enforcement-suspended";
    public const string NonEnforcement = "non-enforcement";
    public const string TermExpired = "term-expired";
    public const string EarlyDeletion = "early-deletion";

    /// <summary>
    /// The seven exits of SPC Art. 10 ¶1 (items 1–7). Art. 10 ¶2 (有纳入期限的，不适用前款规定): none of them ends an entry
    /// with a term early, under any exit kind; such an entry leaves when its term ends, when it is revoked as wrongly listed
    /// (Art. 9), or by early deletion at the court's discretion (<see cref="EarlyDeletion"/>, Art. 2 ¶2).
    /// </summary>
    public static readonly IReadOnlyList<string> Article10Para1 =
    [
        FullyPerformed, SettlementPerformed, ApplicantRequest, NoPropertyFound, EnforcementSuspended, NonEnforcement, ExecutionTerminated,
    ];

    /// <summary>Whether <paramref name="reason"/> is one of the seven exits of SPC Art. 10 ¶1.</summary>
    public static bool IsArticle10Para1(string reason) => Article10Para1.Contains(reason, StringComparer.Ordinal);

    public static bool IsKnown(string reason) => !ReferenceEquals(TitleZh(reason), reason);

    /// <summary>The reason as the court console names it; the code itself when unknown.</summary>
    public static string TitleZh(string reason) => reason switch
    {
        FullyPerformed => "已履行全部义务",
        SettlementPerformed => "执行和解协议已履行完毕",
        ExecutionTerminated => "执行终结",
        NoPropertyFound => "无财产可供执行",
        CorrectionAccepted => "纠正申请成立",
        WronglyListed => "不应纳入",
        GuaranteeProvided => "提供有效担保",
        ApplicantRequest => "申请执行人申请删除",
        EnforcementSuspended => "中止执行",
        NonEnforcement => "裁定不予执行",
        TermExpired => "期限届满",
        EarlyDeletion => "提前删除",
        _ => reason,
    };

    /// <summary>Which reasons each exit kind may carry.</summary>
    public static IReadOnlyList<string> For(EntryStatus exitStatus) => exitStatus switch
    {
        // 000 §四(二)4: on performance, settlement or termination the court shields or revokes;
        // 003 §二(四): a guarantee lets the court lift punishment.
        EntryStatus.Shielded => [FullyPerformed, SettlementPerformed, ExecutionTerminated, GuaranteeProvided],
        // SPC Art. 9 para 1: revoke what should never have been listed.
        EntryStatus.Revoked => [WronglyListed, CorrectionAccepted, FullyPerformed, SettlementPerformed, ExecutionTerminated],
        // SPC Art. 10 items 1–7, Art. 10 para 2 (term), Art. 2 para 2 (early deletion).
        EntryStatus.Deleted =>
        [
            FullyPerformed, SettlementPerformed, ApplicantRequest, NoPropertyFound, EnforcementSuspended,
            NonEnforcement, ExecutionTerminated, TermExpired, EarlyDeletion,
        ],
        _ => [],
    };
}

/// <summary>Identity document bound to a person (e.g. a passport), screened like the ID itself.</summary>
public sealed record SubjectDocument(string Type, string Number);

/// <summary>A natural person named in an entry (legal representative or related person).</summary>
public sealed record PersonRef(string Name, string IdNumber);

/// <summary>A related person of an organization debtor, with the role through which measures reach them.</summary>
public sealed record RelatedPerson(string Role, string Name, string IdNumber);

/// <summary>The debtor: a person (ID number) or an organization (credit code or organization code).</summary>
public sealed record EntrySubject
{
    public required string Kind { get; init; } // "person" | "organization"
    public required string Name { get; init; }
    public string? IdNumber { get; init; }
    public string? Gender { get; init; }
    public DateOnly? BirthDate { get; init; }
    public string? CreditCode { get; init; }
    public string? OrganizationCode { get; init; }
    public PersonRef? LegalRepresentative { get; init; }
    public ImmutableArray<SubjectDocument> Documents { get; init; } = [];

    [JsonIgnore]
    public bool IsPerson => string.Equals(Kind, "person", StringComparison.Ordinal);

    /// <summary>The natural key that identifies the debtor across entries.</summary>
    [JsonIgnore]
    public string Key => IsPerson ? "id:" + IdNumber : (CreditCode is not null ? "uscc:" + CreditCode : "org:" + OrganizationCode);
}

/// <summary>The enforcement basis document (执行依据) and the body that issued it.</summary>
public sealed record BasisDocument(string Number, string Issuer);

/// <summary>How far the debtor has performed (SPC Art. 6 item 3), in yuan.</summary>
public sealed record Performance(decimal PerformedAmount, decimal UnperformedAmount);

/// <summary>A debtor's application that the listing is wrong (纠正申请) and its reconsideration (复议).</summary>
public sealed record Correction
{
    public required Guid Id { get; init; }
    public required DateOnly ReceivedOn { get; init; }
    public required DateOnly FiledOn { get; init; }
    public required string Grounds { get; init; }
    public required Deadline ReviewDue { get; init; }
    public string Status { get; init; } = "filed"; // filed | accepted | rejected
    public DateOnly? RuledOn { get; init; }
    public string? Reasons { get; init; }
    public Reconsideration? Reconsideration { get; init; }
}

/// <summary>Reconsideration of a rejected correction by the higher court (SPC Art. 12).</summary>
public sealed record Reconsideration
{
    public required Guid Id { get; init; }
    public required string CourtCode { get; init; }
    public required DateOnly FiledOn { get; init; }
    public required string Grounds { get; init; }
    public required Deadline RulingDue { get; init; }
    public string Status { get; init; } = "filed"; // filed | accepted | rejected
    public DateOnly? RuledOn { get; init; }
    public string? Reasons { get; init; }
}

/// <summary>Kinds of court exemption (单次解禁、特定消费许可), by API code.</summary>
public static class ExemptionKinds
{
    /// <summary>Temporary lifting of a flight or rail restriction on humanitarian grounds (法发〔2019〕35号 §17).</summary>
    public const string HumanitarianTravel = "humanitarian-travel";

    /// <summary>A specific purchase the court allows to be paid privately (SPC consumption-restriction provisions Art. 3, Art. 8).</summary>
    public const string PrivatePurchase = "private-purchase";

    /// <summary>Any other permission the executing court grants for named scenarios.</summary>
    public const string Other = "other";

    public static readonly ImmutableArray<string> All = [HumanitarianTravel, PrivatePurchase, Other];

    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind, StringComparer.Ordinal);

    public static string TitleZh(string kind) => kind switch
    {
        HumanitarianTravel => "人道主义出行临时解禁",
        PrivatePurchase => "特定消费许可",
        _ => "其他",
    };
}

/// <summary>
/// A per-person, time-boxed exemption the executing court's judge grants on an entry: checks in the named scenarios
/// clear for that person from the start of <see cref="ValidFrom"/> to the end of <see cref="ValidUntil"/> (China
/// calendar dates), unless a judge ends it earlier (<see cref="EndedOn"/>).
/// </summary>
public sealed record CourtExemption
{
    public required Guid Id { get; init; }
    public required string IdNumber { get; init; }

    /// <summary>How the person stands on the entry: <c>debtor</c> or a related person's role.</summary>
    public required string Role { get; init; }
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public required ImmutableArray<string> Scenarios { get; init; }
    public required DateOnly ValidFrom { get; init; }
    public required DateOnly ValidUntil { get; init; }
    public required string Reason { get; init; }
    public required string Basis { get; init; }
    public required DateOnly GrantedOn { get; init; }
    public DateOnly? EndedOn { get; init; }
    public string? EndReason { get; init; }

    /// <summary>True while not ended by a judge (it may still have lapsed by date).</summary>
    [JsonIgnore]
    public bool IsStanding => EndedOn is null;
}

/// <summary>The current state of one entry: a fold of its events.</summary>
public sealed record EntryState
{
    public required Guid Id { get; init; }
    public required string CourtCode { get; init; }
    public required string CaseNumber { get; init; }
    public required DateOnly FilingDate { get; init; }
    public required BasisDocument BasisDocument { get; init; }
    public required string Obligation { get; init; }
    public required Performance Performance { get; init; }
    public required ImmutableArray<string> Circumstances { get; init; }
    public required EntrySubject Subject { get; init; }
    public ImmutableArray<RelatedPerson> RelatedPersons { get; init; } = [];
    public string Publicity { get; init; } = "public"; // public | restricted
    public string? SpecialStatus { get; init; }
    public string InitiatedBy { get; init; } = "court"; // court | applicant
    public EntryStatus Status { get; init; } = EntryStatus.Draft;
    public DateOnly? RiskNoticeServedOn { get; init; }
    public DateOnly? DecidedOn { get; init; }
    public DateOnly? PublishedOn { get; init; }

    /// <summary>Set when the entry entered the list (after any grace period); only then is it screened.</summary>
    public bool IsPublished { get; init; }
    public int? TermYears { get; init; }
    public int ExtensionYears { get; init; }
    public DateOnly? ExpiresOn { get; init; }
    public string Severity { get; init; } = "ordinary"; // ordinary | serious
    public DateOnly? FullyPerformedOn { get; init; }

    /// <summary>When the court recorded that the enforcement settlement was performed (000 §四(二)4; SPC Art. 10 ¶1 item 2).</summary>
    public DateOnly? SettlementPerformedOn { get; init; }

    /// <summary>When the court recorded that enforcement was terminated by ruling (000 §四(二)4; SPC Art. 10 ¶1 item 7).</summary>
    public DateOnly? ExecutionTerminatedOn { get; init; }
    public DateOnly? ExitedOn { get; init; }
    public string? ExitReason { get; init; }
    public ImmutableArray<Correction> Corrections { get; init; } = [];

    /// <summary>Court exemptions granted on this entry (法发〔2019〕35号 §17), standing, lapsed and ended alike.</summary>
    public ImmutableArray<CourtExemption> Exemptions { get; init; } = [];

    /// <summary>Debtors' objections to units' measures on this entry (002 §四(二)3); empty in states stored before they were events.</summary>
    public ImmutableArray<Oversight.Objection> Objections { get; init; } = [];
    public int Version { get; init; }

    /// <summary>
    /// Term rule of SPC 法释〔2017〕7号 Art. 2 ¶1: grounds (二)–(六) list for 2 years, also when ground (一)
    /// (<c>capable-but-refuses</c>) is present as well; only ground (一) alone carries no term.
    /// </summary>
    [JsonIgnore]
    public bool HasTerm => Circumstances.Any(c => !string.Equals(c, Entries.Circumstances.CapableButRefuses, StringComparison.Ordinal));

    /// <summary>
    /// Art. 2 ¶1: the term may be lengthened by 1–3 years only where the debtor obstructed enforcement by violence or
    /// threats and the case is serious (以暴力、威胁方法妨碍、抗拒执行情节严重: <c>obstructs-enforcement</c> with severity
    /// <c>serious</c>), or committed several dishonest acts (具有多项失信行为: more than one circumstance). A serious case
    /// on any other single ground does not qualify.
    /// </summary>
    /// <remarks>
    /// <c>obstructs-enforcement</c> also covers forged evidence (伪造证据); the platform does not record which method was
    /// used, so the judge's <c>serious</c> marks the violent or threatening case. That is the reading the entry's data allows.
    /// </remarks>
    [JsonIgnore]
    public bool QualifiesForExtension =>
        (string.Equals(Severity, "serious", StringComparison.Ordinal)
            && Circumstances.Contains(Entries.Circumstances.ObstructsEnforcement, StringComparer.Ordinal))
        || Circumstances.Distinct(StringComparer.Ordinal).Count() > 1;

    /// <summary>On the list units screen against: listed and past any grace period (法发〔2019〕35号 §15).</summary>
    [JsonIgnore]
    public bool IsScreened => Status == EntryStatus.Listed && IsPublished;

    /// <summary>Shown to the public: screened and not restricted (000 §三(一)).</summary>
    [JsonIgnore]
    public bool IsPublic => IsScreened && string.Equals(Publicity, "public", StringComparison.Ordinal);
}
