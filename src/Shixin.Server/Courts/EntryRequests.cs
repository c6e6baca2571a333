using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Core.Identifiers;
using Shixin.Server.Http;

namespace Shixin.Server.Courts;

/// <summary>Body of POST /api/v1/entries (API.md "List entries").</summary>
public sealed record DraftEntryRequest(
    string? CaseNumber,
    string? FilingDate,
    BasisDocumentDto? BasisDocument,
    string? Obligation,
    PerformanceDto? Performance,
    string[]? Circumstances,
    SubjectDto? Subject,
    RelatedPersonDto[]? RelatedPersons,
    string? Publicity,
    string? SpecialStatus,
    string? InitiatedBy,
    string? Severity);

public sealed record BasisDocumentDto(string? Number, string? Issuer);

public sealed record PerformanceDto(decimal? PerformedAmount, decimal? UnperformedAmount);

public sealed record SubjectDto(string? Kind, string? Name, string? IdNumber, string? Gender, DocumentDto[]? Documents, string? CreditCode, string? OrganizationCode, PersonDto? LegalRepresentative);

public sealed record DocumentDto(string? Type, string? Number);

public sealed record PersonDto(string? Name, string? IdNumber);

public sealed record RelatedPersonDto(string? Role, string? Name, string? IdNumber);

public sealed record RiskNoticeRequest(string? ServedOn);

public sealed record DecisionRequest(string? DecidedOn, string? PublishOn, int? TermYears, string? Severity);

/// <param name="SearchOverride">For <c>no-property-found</c> without two empty searches on record: the judge's reason (recorded in the note).</param>
public sealed record ExitRequest(string? Kind, string? Reason, string? EffectiveOn, string? Note, string? SearchOverride = null);

public sealed record ExtensionRequest(int? Years, string? Reason);

public sealed record AmendmentRequest(Dictionary<string, JsonElement>? Changes, string? Reason);

/// <summary>
/// Body of POST /entries/{id}/performance. <c>fully</c>, <c>settlementPerformed</c> (执行和解协议履行完毕) and
/// <c>executionTerminated</c> (依法裁定终结执行) each open the court's exit duty (000 §四(二)4); with either of the last two
/// the amounts may be left out and the recorded ones stay.
/// </summary>
public sealed record PerformanceRequest(decimal? PerformedAmount, decimal? UnperformedAmount, bool? Fully, string? PerformedOn,
    bool? SettlementPerformed = null, bool? ExecutionTerminated = null);

public sealed record CorrectionRequest(string? ReceivedOn, string? FiledOn, string? Grounds);

public sealed record RulingRequest(string? Outcome, string? RuledOn, string? Reasons);

public sealed record ReconsiderationRequest(string? FiledOn, string? Grounds, string? RejectionReceivedOn);

/// <summary>Turns request bodies into domain values, collecting every field error at once.</summary>
public static class EntryRequestParsing
{
    public static readonly ImmutableArray<string> SpecialStatuses =
        ["civil-servant", "party-member", "state-owned", "state-organ", "npc-deputy", "cppcc-member"];

    /// <summary>"请填写案号" / "caseNumber is required": a required field left empty.</summary>
    public static Bilingual Missing(string field) => new("请填写" + FieldLabels.Zh(field), field + " is required");

    public static DateOnly? Date(FieldErrors errors, string field, string? text, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(field, new("请填写" + FieldLabels.Zh(field) + "（格式：年-月-日，如2024-03-01）", field + " is required (YYYY-MM-DD)"));
            }

            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        errors.Add(field, new(FieldLabels.Zh(field) + "“" + text + "”不是有效日期，请按“年-月-日”填写，如2024-03-01", field + " must be a date YYYY-MM-DD, not '" + text + "'"), DomainError.Codes.InvalidDate);
        return null;
    }

    /// <param name="label">The field's Chinese name where the shared label does not fit (a notice's <c>subject</c> is its 事由, not the debtor).</param>
    public static string? Required(FieldErrors errors, string field, string? text, int max = 2000, string? label = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(field, label is null ? Missing(field) : new("请填写" + label, field + " is required"));
            return null;
        }

        if (text.Length > max)
        {
            errors.Add(field, new((label ?? FieldLabels.Zh(field)) + "不能超过" + max.ToString(CultureInfo.InvariantCulture) + "个字",
                field + " is longer than " + max.ToString(CultureInfo.InvariantCulture) + " characters"));
            return null;
        }

        return text.Trim();
    }

    public static string? IdNumber(FieldErrors errors, string field, string? text, DateOnly today, out DateOnly birth, out string gender)
    {
        birth = default;
        gender = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(field, Missing(field));
            return null;
        }

        if (!ResidentId.TryParse(text, today, out var id, out var error))
        {
            errors.AddIdentifier(field, error);
            return null;
        }

        birth = id.BirthDate;
        gender = id.Sex == Sex.Male ? "male" : "female";
        return id.Value;
    }

    /// <summary>Builds the draft state; every identifier is validated and canonicalised here.</summary>
    public static EntryState? ToDraft(DraftEntryRequest r, Guid id, string courtCode, DateOnly today, FieldErrors errors)
    {
        string? caseNumber = null;
        if (string.IsNullOrWhiteSpace(r.CaseNumber))
        {
            errors.Add("caseNumber", Missing("caseNumber"));
        }
        else if (!CaseNumber.TryParse(r.CaseNumber, out var cn, out var cnError))
        {
            errors.AddIdentifier("caseNumber", cnError);
        }
        else
        {
            caseNumber = cn.Value;
        }

        var filingDate = Date(errors, "filingDate", r.FilingDate);
        var basisNumber = Required(errors, "basisDocument.number", r.BasisDocument?.Number, 200);
        var basisIssuer = Required(errors, "basisDocument.issuer", r.BasisDocument?.Issuer, 200);
        var obligation = Required(errors, "obligation", r.Obligation, 4000);
        var performed = r.Performance?.PerformedAmount ?? 0m;
        var unperformed = r.Performance?.UnperformedAmount ?? 0m;
        if (performed < 0 || unperformed < 0)
        {
            errors.Add("performance", new("已履行金额和未履行金额不能为负数", "amounts must not be negative"));
        }

        var circumstances = (r.Circumstances ?? []).Distinct(StringComparer.Ordinal).ToImmutableArray();
        if (circumstances.IsEmpty)
        {
            errors.Add("circumstances", new("失信情形：请至少选择一项", "at least one circumstance is required: " + string.Join(", ", Core.Entries.Circumstances.All)));
        }

        foreach (var c in circumstances.Where(c => !Core.Entries.Circumstances.IsKnown(c)))
        {
            errors.Add("circumstances", new("失信情形“" + c + "”无法识别，应为" + LegalCitations.SpcListProvisions + "第一条规定的六种情形之一",
                "unknown circumstance '" + c + "'; known: " + string.Join(", ", Core.Entries.Circumstances.All)));
        }

        var publicity = r.Publicity ?? "public";
        if (publicity is not ("public" or "restricted"))
        {
            errors.Add("publicity", new("公开方式：请选择“公开”或“不公开”", "publicity must be 'public' or 'restricted'"));
        }

        if (r.SpecialStatus is not null && !SpecialStatuses.Contains(r.SpecialStatus, StringComparer.Ordinal))
        {
            errors.Add("specialStatus", new("特殊身份应为" + string.Join("、", SpecialStatuses.Select(Web.ZhNames.SpecialStatus)) + "之一", "specialStatus must be one of " + string.Join(", ", SpecialStatuses)));
        }

        var initiatedBy = r.InitiatedBy ?? "court";
        if (initiatedBy is not ("court" or "applicant"))
        {
            errors.Add("initiatedBy", new("纳入发起方应为“法院依职权”或“申请执行人申请”", "initiatedBy must be 'court' or 'applicant'"));
        }

        var severity = r.Severity ?? "ordinary";
        if (severity is not ("ordinary" or "serious"))
        {
            errors.Add("severity", new("情节：请选择“一般”或“严重”", "severity must be 'ordinary' or 'serious'"));
        }

        var related = ImmutableArray.CreateBuilder<RelatedPerson>();
        var rp = r.RelatedPersons ?? [];
        for (var i = 0; i < rp.Length; i++)
        {
            var f = "relatedPersons[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            var p = rp[i];
            if (p.Role is null || !RelatedRoles.IsRelatedPersonRole(p.Role))
            {
                errors.Add(f + ".role", new("第" + (i + 1).ToString(CultureInfo.InvariantCulture) + "项相关人员的身份应为" + string.Join("、", RelatedRoles.RelatedPersonRoles.Select(Web.ZhNames.RelatedRole)) + "之一",
                    "role must be one of " + string.Join(", ", RelatedRoles.RelatedPersonRoles)));
            }

            var name = Required(errors, f + ".name", p.Name, 200);
            var idn = IdNumber(errors, f + ".idNumber", p.IdNumber, today, out _, out _);
            if (p.Role is not null && name is not null && idn is not null)
            {
                related.Add(new RelatedPerson(p.Role, name, idn));
            }
        }

        var subject = ToSubject(r.Subject, today, errors, related);
        if (errors.Any || subject is null)
        {
            return null;
        }

        return new EntryState
        {
            Id = id,
            CourtCode = courtCode,
            CaseNumber = caseNumber!,
            FilingDate = filingDate!.Value,
            BasisDocument = new BasisDocument(basisNumber!, basisIssuer!),
            Obligation = obligation!,
            Performance = new Performance(performed, unperformed),
            Circumstances = circumstances,
            Subject = subject,
            RelatedPersons = related.ToImmutable(),
            Publicity = publicity,
            SpecialStatus = r.SpecialStatus,
            InitiatedBy = initiatedBy,
            Severity = severity,
        };
    }

    private static EntrySubject? ToSubject(SubjectDto? s, DateOnly today, FieldErrors errors, ImmutableArray<RelatedPerson>.Builder related)
    {
        if (s is null)
        {
            errors.Add("subject", new("请填写被执行人信息", "subject is required"));
            return null;
        }

        var name = Required(errors, "subject.name", s.Name, 200);
        switch (s.Kind)
        {
            case "person":
            {
                var id = IdNumber(errors, "subject.idNumber", s.IdNumber, today, out var birth, out var gender);
                if (s.Gender is not null && id is not null && !string.Equals(s.Gender, gender, StringComparison.Ordinal))
                {
                    errors.Add("subject.gender", new("性别与身份证号码不符：按身份证号码应为" + (gender == "male" ? "男" : "女"),
                        "gender '" + s.Gender + "' contradicts the ID number, which says '" + gender + "'"));
                }

                var docs = ImmutableArray.CreateBuilder<SubjectDocument>();
                var ds = s.Documents ?? [];
                for (var i = 0; i < ds.Length; i++)
                {
                    var f = "subject.documents[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                    if (!string.Equals(ds[i].Type, "passport", StringComparison.Ordinal))
                    {
                        errors.Add(f + ".type", new("其他身份证件目前仅支持护照", "document type must be 'passport'"));
                        continue;
                    }

                    if (!PassportNumber.TryParse(ds[i].Number, out var pn, out var pe))
                    {
                        errors.Add(f + ".number", new("护照号码：" + pe.MessageZh, pe.Message), pe.Code);
                        continue;
                    }

                    docs.Add(new SubjectDocument("passport", pn.Number));
                }

                if (related.Count > 0)
                {
                    errors.Add("relatedPersons", new("被执行人为自然人的，不填写相关人员（相关人员仅适用于法人或其他组织）", "related persons belong to an organization debtor"));
                }

                return id is null || name is null ? null : new EntrySubject
                {
                    Kind = "person", Name = name, IdNumber = id, BirthDate = birth, Gender = gender, Documents = docs.ToImmutable(),
                };
            }

            case "organization":
            {
                string? credit = null;
                string? org = null;
                if (!string.IsNullOrWhiteSpace(s.CreditCode))
                {
                    if (CreditCode.TryParse(s.CreditCode, out var cc, out var ce))
                    {
                        credit = cc.Value;
                        org = cc.OrganizationCode;
                    }
                    else
                    {
                        errors.AddIdentifier("subject.creditCode", ce);
                    }
                }
                else if (!string.IsNullOrWhiteSpace(s.OrganizationCode))
                {
                    // SPC Art. 6 item 1: the credit code, or for older records the organization code.
                    if (OrganizationCode.TryParse(s.OrganizationCode, out var oc, out var oe))
                    {
                        org = oc.Value;
                    }
                    else
                    {
                        errors.AddIdentifier("subject.organizationCode", oe);
                    }
                }
                else
                {
                    errors.Add("subject.creditCode", new("请填写统一社会信用代码（没有的，填写组织机构代码）", "an organization needs creditCode (or organizationCode)"));
                }

                PersonRef? rep = null;
                if (s.LegalRepresentative is null)
                {
                    errors.Add("subject.legalRepresentative", new("请填写法定代表人或者负责人（依据：" + LegalCitations.SpcListProvisions + "第六条）", "the legal representative or principal is required (SPC Art. 6)"));
                }
                else
                {
                    var repName = Required(errors, "subject.legalRepresentative.name", s.LegalRepresentative.Name, 200);
                    var repId = IdNumber(errors, "subject.legalRepresentative.idNumber", s.LegalRepresentative.IdNumber, today, out _, out _);
                    if (repName is not null && repId is not null)
                    {
                        rep = new PersonRef(repName, repId);

                        // Measures reach the legal representative (000 §二(七)), so the entry carries them as a related person.
                        if (!related.Any(x => string.Equals(x.Role, RelatedRoles.LegalRepresentative, StringComparison.Ordinal)))
                        {
                            related.Insert(0, new RelatedPerson(RelatedRoles.LegalRepresentative, repName, repId));
                        }
                    }
                }

                return name is null || rep is null || (credit is null && org is null) ? null : new EntrySubject
                {
                    Kind = "organization", Name = name, CreditCode = credit, OrganizationCode = org, LegalRepresentative = rep,
                };
            }

            default:
                errors.Add("subject.kind", new("被执行人类型：请选择“自然人”或“法人或其他组织”", "subject.kind must be 'person' or 'organization'"));
                return null;
        }
    }

    /// <summary>Amendment values arrive as JSON; the domain takes them as text.</summary>
    public static ImmutableDictionary<string, string?> Changes(Dictionary<string, JsonElement> changes) =>
        changes.ToImmutableDictionary(
            kv => kv.Key,
            kv => kv.Value.ValueKind switch
            {
                JsonValueKind.String => kv.Value.GetString(),
                JsonValueKind.Null => null,
                _ => kv.Value.GetRawText(),
            },
            StringComparer.Ordinal);
}
