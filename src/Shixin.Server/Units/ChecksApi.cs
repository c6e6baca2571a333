using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shixin.Core;
using Shixin.Core.Catalogs;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Screening;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Units;

/// <summary>
/// An officer of an organization subject (法定代表人、董事…): a listed officer makes the clauses that reach
/// "organizations whose officer is a debtor" fire (API.md "Organizations through their officers").
/// </summary>
public sealed record CheckOfficer(string? Role, string? IdNumber, string? Name = null);

/// <summary>One subject to check: exactly one identifier, optionally a name; an organization may carry its officers.</summary>
public sealed record CheckSubject(string? IdNumber, string? CreditCode, string? OrganizationCode, string? Passport, string? Name,
    CheckOfficer[]? Officers = null);

/// <summary>Body of POST /api/v1/checks; <c>context</c> holds the business context (train type, seat class, hotel rating…).</summary>
public sealed record CheckRequest(string? Scenario, string? Reference, CheckSubject[]? Subjects, Dictionary<string, JsonElement>? Context = null);

/// <summary>
/// A clause that applies (API.md "Screening additions"): <c>code</c> is the clause id, <c>measure</c> its measure,
/// <c>text</c> the seed's words for it, <c>outcome</c> what its action means at the counter.
/// </summary>
public sealed record AppliedMeasure(string Code, string Measure, string Title, string TitleEn, string Action, string Outcome, string Category,
    string Basis, string Text);

/// <summary>One entry the subject matched, and why it matters here.</summary>
public sealed record CheckMatch(Guid EntryId, string CaseNumber, string Court, string CourtName, string Via, DateOnly? ListedOn, string Outcome,
    bool Restricted, IReadOnlyList<AppliedMeasure> Measures, IReadOnlyList<string> NeedsContext, CheckOfficer? Officer);

/// <summary>
/// A hit that leads to no clause in this scenario (not covered, outside the context, exempted, or suspended by an objection).
/// An exempted hit names the court exemption (<c>exemptionId</c>) and the clauses it lifts here (<c>measures</c>).
/// </summary>
public sealed record ClearedHit(Guid EntryId, string CaseNumber, string Via, string Reason, CheckOfficer? Officer = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? ExemptionId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Measures = null);

/// <summary>Hits found but not explained in the answer, and why (API.md "No silent limits").</summary>
public sealed record OmittedMatches(int Count, string Reason, string ReasonZh);

/// <summary>The answer for one subject.</summary>
public sealed record CheckResult(CheckSubject Subject, string Outcome, IReadOnlyList<CheckMatch> Matches, IReadOnlyList<ClearedHit> Cleared,
    OmittedMatches? OmittedMatches = null);

/// <summary>Response of POST /api/v1/checks (API.md "Screening").</summary>
public sealed record CheckResponse(Guid CheckId, long ListSequence, DateTimeOffset CheckedAt, string Scenario, string Region, IReadOnlyList<CheckResult> Results,
    IReadOnlyDictionary<string, string>? Context = null);

/// <summary>A validated officer: the role it holds in the checked organization and its packed ID.</summary>
public readonly record struct OfficerKey(CheckOfficer Officer, RelatedRole Role, SubjectKey Key);

/// <summary>Screening checks: an explained, recorded answer from this node's index.</summary>
public sealed class CheckService(IndexFollower follower, MeasureCatalogs catalogs, EntryDetails details, CheckRecordWriter records, ObjectionSuspensions suspensions,
    CourtExemptionBook exemptions, ShixinMetrics metrics, TimeProvider time)
{
    public const int MaxSubjects = 100;

    public MeasureCatalogs Catalogs => catalogs;

    /// <summary>Measures suspended by objections, honoured by every check path.</summary>
    public ObjectionSuspensions Suspensions => suspensions;

    /// <summary>
    /// Turns index hits of <paramref name="key"/> into decision candidates, with the measures an objection suspends for this
    /// unit's (<paramref name="organization"/>) checks and the scenario when a court exemption of that person covers it at
    /// <paramref name="atTicks"/> (UTC). Exempted hits are added to <paramref name="exempted"/> (entry number → exemption id) when given.
    /// </summary>
    public MatchCandidate[] Candidates(ScreeningSnapshot snapshot, in SubjectKey key, ReadOnlySpan<IndexHit> hits, string organization, string scenario, long atTicks,
        Dictionary<long, Guid>? exempted = null)
    {
        var candidates = new MatchCandidate[hits.Length];
        Span<Exemption> found = stackalloc Exemption[8];
        for (var h = 0; h < hits.Length; h++)
        {
            var hit = hits[h];
            IReadOnlySet<string>? lifted = null;
            if (hit.HasExemptions)
            {
                var n = Math.Min(snapshot.GetExemptions(hit, key, atTicks, found), found.Length);
                for (var i = 0; i < n && lifted is null; i++)
                {
                    // 法发〔2019〕35号 §17: the court lifts the restriction for the scenarios it names, for this person only.
                    if (found[i].Kind == ExemptionKind.CourtPermission && exemptions.TryGet(found[i].MeasureCode, out var x) && x.Scenarios.Contains(scenario))
                    {
                        lifted = x.Scenarios;
                        exempted?.TryAdd(hit.ExternalId, x.Id);
                    }
                }
            }

            candidates[h] = new MatchCandidate(hit.ExternalId,
                hit.DebtorKind == DebtorKind.Organization ? Core.Catalogs.SubjectKind.Organization : Core.Catalogs.SubjectKind.Person,
                ScreeningKeys.Via(hit.Role), lifted, suspensions.For(hit.ExternalId, organization));
        }

        return candidates;
    }

    /// <summary>The context as the check record keeps it (<c>{"context":{"seatClass":"second"}}</c>); null when none was given.</summary>
    public static string? ContextDetail(CheckContext? context) => context is null || context.IsEmpty ? null
        : System.Text.Json.JsonSerializer.Serialize(new { context = context.Values.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) });

    /// <summary>The clauses an exemption lifts for a cleared hit: what the hit would have answered without it.</summary>
    public IReadOnlyList<string> LiftedClauses(string scenario, string region, Core.Catalogs.SubjectKind checkedKind, MatchCandidate candidate, CheckContext context) =>
        [.. ScreeningDecision.Decide(catalogs, scenario, region, checkedKind, [candidate with { Exemptions = null }], context).Matches.SelectMany(m => m.Clauses).Select(c => c.Id)];

    /// <summary>How long a check with <c>minSequence</c> waits for this node's index (API.md "Consistency").</summary>
    public static readonly TimeSpan MinSequenceWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <c>?minSequence=N</c>: waits (bounded) until this node's index reflects N; null when it does (or none was asked),
    /// otherwise a 503 <c>index-behind</c> with <c>Retry-After</c>, so the caller retries rather than trusting an older answer.
    /// </summary>
    public async Task<IResult?> EnsureSequenceAsync(HttpContext http, long? minSequence, CancellationToken ct)
    {
        if (minSequence is not { } wanted || await follower.WaitForAsync(wanted, MinSequenceWait, ct))
        {
            return null;
        }

        http.Response.Headers.RetryAfter = "1";
        return Problems.Of("index-behind", new("本节点名单索引尚未更新至所要求的序号（当前" + follower.Index.Sequence.ToString(CultureInfo.InvariantCulture)
            + "，要求" + wanted.ToString(CultureInfo.InvariantCulture) + "），请稍后重试",
            "this node's screening index reflects list sequence "
            + follower.Index.Sequence.ToString(CultureInfo.InvariantCulture) + ", not yet " + wanted.ToString(CultureInfo.InvariantCulture)
            + "; retry shortly or ask another node"));
    }

    /// <summary>
    /// Adds, for each officer of a checked organization who is a listed debtor, a candidate in the "organization whose
    /// officer is a debtor" direction: via the officer's role, naming the officer (000 §二(二)2, 二(五)1, 二(九)).
    /// Hits where the officer is only related to another debtor do not count: those clauses name the debtor itself.
    /// </summary>
    public void AddOfficerCandidates(ScreeningSnapshot snapshot, IReadOnlyList<OfficerKey> officers, string organization, ref IndexHit[] buffer, List<MatchCandidate> into)
    {
        for (var k = 0; k < officers.Count; k++)
        {
            var n = LookupAll(snapshot, officers[k].Key, ref buffer);
            for (var h = 0; h < n; h++)
            {
                var hit = buffer[h];
                if (ScreeningKeys.Via(hit.Role) != RelatedRole.Debtor || hit.DebtorKind != DebtorKind.Person)
                {
                    continue;
                }
                into.Add(new MatchCandidate(hit.ExternalId, Core.Catalogs.SubjectKind.Person, officers[k].Role, null, suspensions.For(hit.ExternalId, organization), k));
            }
        }
    }

    /// <summary>Every hit for a key: the buffer grows when the subject has more hits than it holds, so none is cut off.</summary>
    public static int LookupAll(ScreeningSnapshot snapshot, in SubjectKey key, ref IndexHit[] buffer)
    {
        var n = snapshot.Lookup(key, buffer);
        if (n > buffer.Length)
        {
            buffer = new IndexHit[Math.Max(n, buffer.Length * 2)];
            n = Math.Min(snapshot.Lookup(key, buffer), buffer.Length);
        }
        return n;
    }

    /// <summary>Most officers a subject may carry: an organization has a handful; more is a mistake, refused rather than cut.</summary>
    public const int MaxOfficers = 50;

    /// <summary>Validates a subject's officers (organization subjects only); null entries in <paramref name="errors"/> when invalid.</summary>
    public static OfficerKey[] OfficersOf(CheckSubject s, SubjectKey key, string field, FieldErrors errors)
    {
        if (s.Officers is not { Length: > 0 } officers)
        {
            return [];
        }
        if (ScreeningKeys.CheckedKind(key) != Core.Catalogs.SubjectKind.Organization)
        {
            errors.Add(field + ".officers", new("只有单位（统一社会信用代码或组织机构代码）可以附带其人员", "officers belong to an organization subject (creditCode or organizationCode)"));
            return [];
        }
        if (officers.Length > MaxOfficers)
        {
            errors.Add(field + ".officers", new("最多附带50名人员", "at most 50 officers"));
            return [];
        }
        var result = new List<OfficerKey>(officers.Length);
        for (var k = 0; k < officers.Length; k++)
        {
            var o = officers[k] ?? new CheckOfficer(null, null);
            var at = field + ".officers[" + k.ToString(CultureInfo.InvariantCulture) + "]";
            if (!ApiNames.TryParse(o.Role, out RelatedRole role) || role == RelatedRole.Debtor)
            {
                errors.Add(at + ".role", new("人员职务应为法定代表人、主要负责人、实际控制人、直接责任人员、董事、监事或高级管理人员",
                    "role must be one of legal-representative, principal, actual-controller, responsible-person, director, supervisor, senior-manager"));
                continue;
            }
            if (!ScreeningKeys.TryPack(SubjectKeyKind.ResidentId, o.IdNumber, out var officerKey, out var error))
            {
                errors.Add(at + ".idNumber", new("人员身份证号码：" + error!.MessageZh, error.Message), error.Code);
                continue;
            }
            result.Add(new OfficerKey(o, role, officerKey));
        }
        return [.. result];
    }

    /// <summary>Turns a check's JSON context into validated context for the scenario; false with the first problem.</summary>
    public bool TryContext(string scenario, Dictionary<string, JsonElement>? raw, out CheckContext context, out ContextError? error)
    {
        if (raw is not { Count: > 0 })
        {
            context = CheckContext.Empty;
            error = null;
            return true;
        }
        var pairs = new List<KeyValuePair<string, string?>>(raw.Count);
        foreach (var (field, value) in raw)
        {
            string? text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText(),
            };
            pairs.Add(new(field, text));
        }
        return catalogs.TryParseContext(scenario, pairs, out context, out error);
    }

    /// <summary>The answer's name for why a hit cleared.</summary>
    public static string ReasonName(ClearedReason reason) => reason switch
    {
        ClearedReason.NotCovered => "not-covered",
        ClearedReason.Exempted => "exempted",
        ClearedReason.OutsideContext => "outside-context",
        _ => "suspended",
    };

    /// <summary>A clause as a match lists it.</summary>
    public static AppliedMeasure Applied(Clause c) => new(c.Id, c.Measure.Id, c.Measure.Title, c.Measure.TitleEn, c.Action.ToApiName(),
        ScreeningDecision.OutcomeOf(c.Action).ToApiName(), c.Measure.CategoryCode, c.Measure.Source, c.Text);

    /// <summary>Validates one subject into a packed key; null with an error when invalid.</summary>
    public static SubjectKey? KeyOf(CheckSubject s, string field, FieldErrors errors)
    {
        var given = new (SubjectKeyKind Kind, string? Value, string Name)[]
        {
            (SubjectKeyKind.ResidentId, s.IdNumber, "idNumber"), (SubjectKeyKind.CreditCode, s.CreditCode, "creditCode"),
            (SubjectKeyKind.OrganizationCode, s.OrganizationCode, "organizationCode"), (SubjectKeyKind.Passport, s.Passport, "passport"),
        }.Where(g => !string.IsNullOrWhiteSpace(g.Value)).ToArray();
        if (given.Length != 1)
        {
            errors.Add(field, new("身份证号码、统一社会信用代码、组织机构代码、护照号码中请填写且只填写一项", "give exactly one of idNumber, creditCode, organizationCode, passport"));
            return null;
        }

        var (kind, value, name) = given[0];
        if (ScreeningKeys.TryPack(kind, value, out var key, out var error))
        {
            return key;
        }

        errors.AddIdentifier(field + "." + name, error!);
        return null;
    }

    /// <summary>Decides each subject against one snapshot of the index, so the reported sequence explains every answer.</summary>
    public async Task<CheckResponse> CheckAsync(Caller caller, string scenario, string? reference, IReadOnlyList<(CheckSubject Subject, SubjectKey Key)> subjects, CancellationToken ct,
        CheckContext? context = null, IReadOnlyList<OfficerKey[]>? officers = null)
    {
        context ??= CheckContext.Empty;
        var snapshot = follower.Index.Current;
        var checkId = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        var hits = new IndexHit[64];
        var decisions = new SubjectDecision[subjects.Count];
        var hitNos = new HashSet<long>();
        var exempted = new Dictionary<long, Guid>();
        var exemptionsOf = new Dictionary<(int, long), (Guid Id, IReadOnlyList<string> Clauses)>();
        for (var i = 0; i < subjects.Count; i++)
        {
            var key = subjects[i].Key;
            // Every hit, however many (no silent limit): the buffer grows for a subject tied to many entries.
            var n = LookupAll(snapshot, key, ref hits);
            var subjectOfficers = officers is not null && i < officers.Count ? officers[i] : [];
            if (n == 0 && subjectOfficers.Length == 0)
            {
                decisions[i] = ScreeningDecision.Decide(catalogs, scenario, caller.Region, ScreeningKeys.CheckedKind(key), [], context);
                continue;
            }

            exempted.Clear();
            MatchCandidate[] candidates = Candidates(snapshot, key, hits.AsSpan(0, n), caller.OrganizationCode, scenario, now.UtcTicks, exempted);
            if (subjectOfficers.Length > 0)
            {
                var all = new List<MatchCandidate>(candidates);
                AddOfficerCandidates(snapshot, subjectOfficers, caller.OrganizationCode, ref hits, all);
                candidates = [.. all];
            }

            foreach (var c in candidates)
            {
                hitNos.Add(c.EntryRef);
            }

            decisions[i] = ScreeningDecision.Decide(catalogs, scenario, caller.Region, ScreeningKeys.CheckedKind(key), candidates, context);
            foreach (var c in decisions[i].Cleared)
            {
                if (c.Reason == ClearedReason.Exempted && exempted.TryGetValue(c.EntryRef, out var exemptionId)
                    && candidates.FirstOrDefault(x => x.EntryRef == c.EntryRef && x.Via == c.Via) is { Exemptions: not null } candidate)
                {
                    exemptionsOf[(i, c.EntryRef)] = (exemptionId, LiftedClauses(scenario, caller.Region, ScreeningKeys.CheckedKind(key), candidate, context));
                }
            }
        }

        var info = hitNos.Count == 0 ? new Dictionary<long, EntryDetail>() : await details.GetAsync(hitNos, ct);
        var results = new CheckResult[subjects.Count];
        // The context decides clauses, so the record keeps it: GET /checks/{id} shows what the answer was given.
        var contextDetail = ContextDetail(context);
        var rows = new CheckRecordRow[subjects.Count];
        for (var i = 0; i < subjects.Count; i++)
        {
            var d = decisions[i];
            var subjectOfficers = officers is not null && i < officers.Count ? officers[i] : [];
            CheckOfficer? OfficerAt(int k) => k >= 0 && k < subjectOfficers.Length ? subjectOfficers[k].Officer : null;
            var matches = d.Matches.Where(m => info.ContainsKey(m.EntryRef)).Select(m =>
            {
                var e = info[m.EntryRef];
                return new CheckMatch(e.Id, e.CaseNumber, e.Court, e.CourtName, m.Via.ToApiName(), e.ListedOn, m.Outcome.ToApiName(),
                    string.Equals(e.Publicity, "restricted", StringComparison.Ordinal),
                    [.. m.Clauses.Select(Applied)], m.NeedsContext, OfficerAt(m.Officer));
            }).ToArray();
            var cleared = d.Cleared.Where(c => info.ContainsKey(c.EntryRef)).Select(c =>
                new ClearedHit(info[c.EntryRef].Id, info[c.EntryRef].CaseNumber, c.Via.ToApiName(), ReasonName(c.Reason), OfficerAt(c.Officer),
                    c.Reason == ClearedReason.Exempted && exemptionsOf.TryGetValue((i, c.EntryRef), out var x) ? x.Id : null,
                    c.Reason == ClearedReason.Exempted && exemptionsOf.TryGetValue((i, c.EntryRef), out var y) ? y.Clauses : null)).ToArray();
            // An entry the index holds but whose details are gone (it changed after this snapshot) is not explained: say so.
            var omitted = d.Matches.Count(m => !info.ContainsKey(m.EntryRef)) + d.Cleared.Count(c => !info.ContainsKey(c.EntryRef));
            var outcome = d.Outcome.ToApiName();
            results[i] = new CheckResult(subjects[i].Subject, outcome, matches, cleared,
                omitted == 0 ? null : new OmittedMatches(omitted, "entry-details-unavailable", "条目详情暂不可读（该条目在本次比对后已变更）"));
            rows[i] = new CheckRecordRow
            {
                Id = i == 0 ? checkId : Guid.CreateVersion7(),
                BatchId = checkId,
                OrganizationCode = caller.OrganizationCode,
                KeyId = caller.KeyId,
                Scenario = scenario,
                Reference = reference,
                SubjectKey = ScreeningKeys.Text(subjects[i].Key),
                Outcome = outcome,
                ListSeq = snapshot.Sequence,
                CheckedAt = now.UtcDateTime,
                EntryNos = d.Matches.Count + d.Cleared.Count == 0 ? null
                    : string.Join(',', d.Matches.Select(m => m.EntryRef).Concat(d.Cleared.Select(c => c.EntryRef)).Select(x => x.ToString(CultureInfo.InvariantCulture))),
                Detail = contextDetail,
            };
            metrics.Check(scenario, outcome);
        }

        // Durable before the answer leaves (API.md: "The check is recorded durably before the response").
        await records.RecordAsync(rows, ct);
        return new CheckResponse(checkId, snapshot.Sequence, ChinaTime.ToChina(now.UtcDateTime), scenario, caller.Region, results,
            context.IsEmpty ? null : context.Values.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }
}

/// <summary>POST /api/v1/checks.</summary>
public static class ChecksApi
{
    public static RouteGroupBuilder MapChecksApi(this RouteGroupBuilder api)
    {
        api.MapPost("/checks", Check).RequireRoles(Roles.UnitChecker).WithTags("Units: screening")
            .WithSummary("Check up to 100 subjects for a business scenario; explained and recorded").Produces<CheckResponse>().ProducesProblem(400).ProducesProblem(503);
        return api;
    }

    internal static async Task<IResult> Check(CheckRequest? body, HttpContext http, CheckService checks, long? minSequence, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body is null)
        {
            return Problems.Of("invalid-request-body", Courts.EntriesApi.BodyRequired);
        }

        if (string.IsNullOrWhiteSpace(body.Scenario) || !checks.Catalogs.TryGetScenario(body.Scenario, out _))
        {
            return Problems.Of("unknown-scenario", new("请选择平台业务场景目录中的业务场景", "scenario '" + body.Scenario + "' is not defined; GET /api/v1/scenarios lists them"),
                new Dictionary<string, Bilingual[]> { ["scenario"] = [new("业务场景无法识别", "unknown scenario")] });
        }

        var subjects = body.Subjects ?? [];
        if (subjects.Length is 0 or > CheckService.MaxSubjects)
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("每次核查1至100个对象；更多对象请使用批量核查", "send 1 to 100 subjects; use /api/v1/checks/batch for more"),
                new Dictionary<string, Bilingual[]> { ["subjects"] = [new("核查对象应为1至100个", "1–100 subjects")] });
        }

        if (!checks.TryContext(body.Scenario, body.Context, out var context, out var contextError))
        {
            var said = new Bilingual(contextError!.MessageZh, contextError.Message);
            return Problems.Of("invalid-context", said, new Dictionary<string, Bilingual[]> { ["context." + contextError.Field] = [said] });
        }

        var keyed = new List<(CheckSubject, SubjectKey)>(subjects.Length);
        var officers = new List<OfficerKey[]>(subjects.Length);
        for (var i = 0; i < subjects.Length; i++)
        {
            var field = "subjects[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            var subject = subjects[i] ?? new CheckSubject(null, null, null, null, null);
            if (CheckService.KeyOf(subject, field, errors) is { } key)
            {
                keyed.Add((subject, key));
                officers.Add(CheckService.OfficersOf(subject, key, field, errors));
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await checks.EnsureSequenceAsync(http, minSequence, ct) is { } behind)
        {
            return behind;
        }

        return TypedResults.Ok(await checks.CheckAsync(http.GetCaller(), body.Scenario, body.Reference, keyed, ct, context, officers));
    }
}
