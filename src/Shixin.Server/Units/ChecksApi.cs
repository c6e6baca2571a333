using System.Globalization;
using Shixin.Core;
using Shixin.Core.Catalogs;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Screening;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Units;

/// <summary>One subject to check: exactly one identifier, optionally a name.</summary>
public sealed record CheckSubject(string? IdNumber, string? CreditCode, string? OrganizationCode, string? Passport, string? Name);

/// <summary>Body of POST /api/v1/checks.</summary>
public sealed record CheckRequest(string? Scenario, string? Reference, CheckSubject[]? Subjects);

/// <summary>A measure that applies, with its legal basis.</summary>
public sealed record AppliedMeasure(string Code, string Title, string TitleEn, string Action, string Category, string Basis);

/// <summary>One entry the subject matched, and why it matters here.</summary>
public sealed record CheckMatch(Guid EntryId, string CaseNumber, string Court, string CourtName, string Via, DateOnly? ListedOn, string Outcome,
    bool Restricted, IReadOnlyList<AppliedMeasure> Measures);

/// <summary>A hit that leads to no measure in this scenario (not covered, exempted, or suspended by an objection).</summary>
public sealed record ClearedHit(Guid EntryId, string CaseNumber, string Via, string Reason);

/// <summary>The answer for one subject.</summary>
public sealed record CheckResult(CheckSubject Subject, string Outcome, IReadOnlyList<CheckMatch> Matches, IReadOnlyList<ClearedHit> Cleared);

/// <summary>Response of POST /api/v1/checks (API.md "Screening").</summary>
public sealed record CheckResponse(Guid CheckId, long ListSequence, DateTimeOffset CheckedAt, string Scenario, string Region, IReadOnlyList<CheckResult> Results);

/// <summary>Screening checks: an explained, recorded answer from this node's index.</summary>
public sealed class CheckService(IndexFollower follower, MeasureCatalogs catalogs, EntryDetails details, CheckRecordWriter records, ObjectionSuspensions suspensions, ShixinMetrics metrics, TimeProvider time)
{
    public const int MaxSubjects = 100;

    public MeasureCatalogs Catalogs => catalogs;

    /// <summary>Measures suspended by objections, honoured by every check path.</summary>
    public ObjectionSuspensions Suspensions => suspensions;

    /// <summary>Turns index hits into decision candidates, with the measures an objection suspends for this unit's checks.</summary>
    public MatchCandidate[] Candidates(ReadOnlySpan<IndexHit> hits, string organization)
    {
        var candidates = new MatchCandidate[hits.Length];
        for (var h = 0; h < hits.Length; h++)
        {
            var hit = hits[h];
            candidates[h] = new MatchCandidate(hit.ExternalId,
                hit.DebtorKind == DebtorKind.Organization ? Core.Catalogs.SubjectKind.Organization : Core.Catalogs.SubjectKind.Person,
                ScreeningKeys.Via(hit.Role), null, suspensions.For(hit.ExternalId, organization));
        }

        return candidates;
    }

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
            errors.Add(field, "give exactly one of idNumber, creditCode, organizationCode, passport");
            return null;
        }

        var (kind, value, name) = given[0];
        if (ScreeningKeys.TryPack(kind, value, out var key, out var error))
        {
            return key;
        }

        errors.Add(field + "." + name, error!.Message + " / " + error.MessageZh, error.Code);
        return null;
    }

    /// <summary>Decides each subject against one snapshot of the index, so the reported sequence explains every answer.</summary>
    public async Task<CheckResponse> CheckAsync(Caller caller, string scenario, string? reference, IReadOnlyList<(CheckSubject Subject, SubjectKey Key)> subjects, CancellationToken ct)
    {
        await suspensions.EnsureFreshAsync(ct);
        var snapshot = follower.Index.Current;
        var checkId = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        Span<IndexHit> hits = stackalloc IndexHit[64];
        var decisions = new SubjectDecision[subjects.Count];
        var hitNos = new HashSet<long>();
        for (var i = 0; i < subjects.Count; i++)
        {
            var key = subjects[i].Key;
            var n = Math.Min(snapshot.Lookup(key, hits), hits.Length);
            if (n == 0)
            {
                decisions[i] = ScreeningDecision.Decide(catalogs, scenario, caller.Region, ScreeningKeys.CheckedKind(key), []);
                continue;
            }

            var candidates = Candidates(hits[..n], caller.OrganizationCode);
            foreach (var c in candidates)
            {
                hitNos.Add(c.EntryRef);
            }

            decisions[i] = ScreeningDecision.Decide(catalogs, scenario, caller.Region, ScreeningKeys.CheckedKind(key), candidates);
        }

        var info = hitNos.Count == 0 ? new Dictionary<long, EntryDetail>() : await details.GetAsync(hitNos, ct);
        var results = new CheckResult[subjects.Count];
        var rows = new CheckRecordRow[subjects.Count];
        for (var i = 0; i < subjects.Count; i++)
        {
            var d = decisions[i];
            var matches = d.Matches.Where(m => info.ContainsKey(m.EntryRef)).Select(m =>
            {
                var e = info[m.EntryRef];
                return new CheckMatch(e.Id, e.CaseNumber, e.Court, e.CourtName, m.Via.ToApiName(), e.ListedOn, m.Outcome.ToApiName(),
                    string.Equals(e.Publicity, "restricted", StringComparison.Ordinal),
                    [.. m.Measures.Select(x => new AppliedMeasure(x.Id, x.Title, x.TitleEn, x.Action.ToApiName(), x.CategoryCode, x.Source))]);
            }).ToArray();
            var cleared = d.Cleared.Where(c => info.ContainsKey(c.EntryRef)).Select(c =>
                new ClearedHit(info[c.EntryRef].Id, info[c.EntryRef].CaseNumber, c.Via.ToApiName(), c.Reason switch { ClearedReason.NotCovered => "not-covered", ClearedReason.Exempted => "exempted", _ => "suspended" })).ToArray();
            var outcome = d.Outcome.ToApiName();
            results[i] = new CheckResult(subjects[i].Subject, outcome, matches, cleared);
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
            };
            metrics.Check(scenario, outcome);
        }

        // Durable before the answer leaves (API.md: "The check is recorded durably before the response").
        await records.RecordAsync(rows, ct);
        return new CheckResponse(checkId, snapshot.Sequence, ChinaTime.ToChina(now.UtcDateTime), scenario, caller.Region, results);
    }
}

/// <summary>POST /api/v1/checks.</summary>
public static class ChecksApi
{
    public static RouteGroupBuilder MapChecksApi(this RouteGroupBuilder api)
    {
        api.MapPost("/checks", Check).RequireRoles(Roles.UnitChecker).WithTags("Units: screening")
            .WithSummary("Check up to 100 subjects for a business scenario; explained and recorded").Produces<CheckResponse>().ProducesProblem(400);
        return api;
    }

    internal static async Task<IResult> Check(CheckRequest? body, HttpContext http, CheckService checks, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body is null)
        {
            return Problems.Of("invalid-request-body", "a JSON body is required");
        }

        if (string.IsNullOrWhiteSpace(body.Scenario) || !checks.Catalogs.TryGetScenario(body.Scenario, out _))
        {
            return Problems.Of("unknown-scenario", "scenario '" + body.Scenario + "' is not defined; GET /api/v1/scenarios lists them",
                new Dictionary<string, string[]> { ["scenario"] = ["unknown scenario"] });
        }

        var subjects = body.Subjects ?? [];
        if (subjects.Length is 0 or > CheckService.MaxSubjects)
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, "send 1 to 100 subjects; use /api/v1/checks/batch for more",
                new Dictionary<string, string[]> { ["subjects"] = ["1–100 subjects"] });
        }

        var keyed = new List<(CheckSubject, SubjectKey)>(subjects.Length);
        for (var i = 0; i < subjects.Length; i++)
        {
            if (CheckService.KeyOf(subjects[i] ?? new CheckSubject(null, null, null, null, null), "subjects[" + i.ToString(CultureInfo.InvariantCulture) + "]", errors) is { } key)
            {
                keyed.Add((subjects[i], key));
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await checks.CheckAsync(http.GetCaller(), body.Scenario, body.Reference, keyed, ct));
    }
}
