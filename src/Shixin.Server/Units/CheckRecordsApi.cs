using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Units;

/// <summary>An entry a recorded check matched.</summary>
public sealed record RecordedMatch(Guid EntryId, string CaseNumber, string Court);

/// <summary>One subject of a recorded check: masked, with the keyed hash the audit trail knows it by.</summary>
public sealed record RecordedResult(string? SubjectMasked, string? Subject, string Outcome, IReadOnlyList<RecordedMatch> Matches, string? Reference)
{
    /// <summary>The context this subject (a batch line) was checked with; null for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Context { get; init; }
}

/// <summary>A batch's totals as recorded.</summary>
public sealed record RecordedBatch(string? Summary, long LinesRecorded, long Hits);

/// <summary>GET /api/v1/checks/{checkId}: a check as it was recorded (API.md "Reading a check back").</summary>
public sealed record RecordedCheck(Guid CheckId, string Organization, string? Scenario, long ListSequence, DateTimeOffset CheckedAt, string Outcome,
    IReadOnlyList<RecordedResult> Results, RecordedBatch? Batch)
{
    /// <summary>The business context the check was given (API.md "Screening additions"); null when none was.</summary>
    public IReadOnlyDictionary<string, string>? Context { get; init; }
}

/// <summary>Reading a check back from the audit trail, for the unit that made it and hub auditors.</summary>
public static class CheckRecordsApi
{
    public static RouteGroupBuilder MapCheckRecordsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/checks/{checkId:guid}", Get).RequireRoles([.. Roles.All]).WithTags("Units: screening")
            .WithSummary("A recorded check (subjects masked, outcome, list sequence, matches), for the unit that made it and hub auditors; 404 for anyone else")
            .Produces<RecordedCheck>().ProducesProblem(404);
        return api;
    }

    internal static async Task<IResult> Get(Guid checkId, HttpContext http, ShixinDatabase database, Audit audit, CancellationToken ct)
    {
        var caller = http.GetCaller();
        await using var records = database.Records.CreateContext();
        var rows = await records.Trail.AsNoTracking()
            .Where(r => r.CheckId == checkId && (r.Action == "check" || r.Action == "check.batch" || r.Action == "check.batch-lines"))
            .OrderBy(r => r.Seq).ToListAsync(ct);

        // Someone else's check is answered exactly like a check that does not exist: its existence is not disclosed.
        if (rows.Count == 0 || !(caller.HasAny(Roles.HubAuditor) || rows.All(r => string.Equals(r.OrganizationCode, caller.OrganizationCode, StringComparison.Ordinal))))
        {
            return Problems.NotFound(new("该核查记录", "check " + checkId.ToString()));
        }

        var subjects = rows.Where(r => r.Action == "check").ToList();
        var nos = subjects.SelectMany(r => (r.EntryNos ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            .Select(n => long.Parse(n, CultureInfo.InvariantCulture)).Distinct().ToList();
        await using var db = database.CreateContext();
        var entries = nos.Count == 0 ? [] : await db.Entries.AsNoTracking().Where(e => nos.Contains(e.No))
            .Select(e => new { e.No, e.Id, e.CaseNumber, e.CourtCode }).ToDictionaryAsync(e => e.No, ct);
        var isBatch = rows.Any(r => r.Action is "check.batch" or "check.batch-lines");
        var results = subjects.Select(r => new RecordedResult(r.SubjectMask, r.Subject, r.Outcome ?? "",
            [.. (r.EntryNos ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => long.Parse(n, CultureInfo.InvariantCulture))
                .Where(entries.ContainsKey).Select(n => new RecordedMatch(entries[n].Id, entries[n].CaseNumber, entries[n].CourtCode))],
            r.Reference) { Context = isBatch ? ContextOf(r.Detail) : null }).ToList();
        var summary = rows.FirstOrDefault(r => r.Action == "check.batch");
        var lines = rows.Where(r => r.Action == "check.batch-lines").Sum(r => (long)(r.Subjects?.Length ?? 0) / 8);
        var batch = summary is null && lines == 0 ? null : new RecordedBatch(summary?.Reference, lines, subjects.Count);
        var first = rows[0];
        var outcome = summary?.Outcome ?? Worst(subjects.Select(s => s.Outcome ?? "clear"));

        // Reading a check back is a read of personal data too.
        await audit.RecordAsync(caller.OrganizationCode, caller.KeyId, "check.read", "check:" + checkId.ToString(), null, outcome, first.ListSeq, null, ct);
        return TypedResults.Ok(new RecordedCheck(checkId, first.OrganizationCode, first.Scenario, first.ListSeq ?? 0, ChinaTime.ToChina(first.At), outcome, results, batch)
        {
            Context = isBatch ? null : ContextOf(subjects.FirstOrDefault()?.Detail),
        });
    }

    /// <summary>The context a check record kept in its detail (<see cref="CheckService.ContextDetail"/>); null for none or another detail.</summary>
    private static IReadOnlyDictionary<string, string>? ContextOf(string? detail)
    {
        if (detail is null || !detail.StartsWith("{\"context\":", StringComparison.Ordinal))
        {
            return null;
        }

        using var doc = System.Text.Json.JsonDocument.Parse(detail);
        return doc.RootElement.GetProperty("context").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
    }

    private static string Worst(IEnumerable<string> outcomes)
    {
        var all = outcomes.ToList();
        return all.Contains("block") ? "block" : all.Contains("review") ? "review" : all.FirstOrDefault(o => o != "clear") ?? "clear";
    }
}
