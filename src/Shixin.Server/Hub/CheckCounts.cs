using Microsoft.EntityFrameworkCore;
using Shixin.Data;

namespace Shixin.Server.Hub;

/// <summary>Subjects checked and hits for one unit and scenario.</summary>
public sealed record CheckCount(string Organization, string? Scenario, long Checks, long Hits);

/// <summary>
/// How many subjects a unit checked, counted from the check records in the audit trail — the one count the quarterly
/// report (比对次数, 003 §四(四)) and the hub dashboard both show, so they cannot disagree with each other or with the records.
/// A single check writes one "check" record per subject. A batch writes one "check.batch-lines" record per chunk holding
/// 8 bytes of keyed hash per valid line (clear and hit alike), plus a "check" record per hit line under the batch's id and
/// one "check.batch" summary. So: subjects checked = single "check" records + batch-lines subjects; hits = every "check"
/// record whose outcome is not clear (single and batch hits alike). Counting "check" records alone would count only a
/// batch's hit lines (issue 15: a bank that checked about 406,000 subjects showed 10,074).
/// </summary>
public static class CheckCounts
{
    /// <summary>Bytes of keyed hash per line in a "check.batch-lines" record (BatchChecksApi).</summary>
    public const int BytesPerBatchLine = 8;

    /// <summary>Per unit and scenario, for checks made in [from, to) (UTC; null bounds are open).</summary>
    public static async Task<List<CheckCount>> LoadAsync(ShixinDatabase database, DateTime? from, DateTime? to, string? organization, CancellationToken ct)
    {
        await using var records = database.Records.CreateContext();
        var trail = records.Trail.AsNoTracking()
            .Where(c => (from == null || c.At >= from) && (to == null || c.At < to) && (organization == null || c.OrganizationCode == organization));

        // A batch's hit records carry the batch's id, as do its batch-lines records; single checks never share an id with a batch.
        var batchIds = trail.Where(c => c.Action == "check.batch-lines").Select(c => c.CheckId);
        var singles = await trail.Where(c => c.Action == "check" && !batchIds.Contains(c.CheckId))
            .GroupBy(c => new { c.OrganizationCode, c.Scenario })
            .Select(g => new { g.Key.OrganizationCode, g.Key.Scenario, Count = g.LongCount() }).ToListAsync(ct);
        var hits = await trail.Where(c => c.Action == "check" && c.Outcome != "clear")
            .GroupBy(c => new { c.OrganizationCode, c.Scenario })
            .Select(g => new { g.Key.OrganizationCode, g.Key.Scenario, Count = g.LongCount() }).ToListAsync(ct);

        // The batch-lines blobs are summed by length in the database (no blob leaves it).
        var lines = await trail.Where(c => c.Action == "check.batch-lines" && c.Subjects != null)
            .GroupBy(c => new { c.OrganizationCode, c.Scenario })
            .Select(g => new { g.Key.OrganizationCode, g.Key.Scenario, Bytes = g.Sum(c => (long)c.Subjects!.Length) }).ToListAsync(ct);

        var result = new Dictionary<(string, string?), (long Checks, long Hits)>();
        foreach (var s in singles)
        {
            var k = (s.OrganizationCode, s.Scenario);
            result[k] = (result.GetValueOrDefault(k).Checks + s.Count, result.GetValueOrDefault(k).Hits);
        }

        foreach (var l in lines)
        {
            var k = (l.OrganizationCode, l.Scenario);
            result[k] = (result.GetValueOrDefault(k).Checks + (l.Bytes / BytesPerBatchLine), result.GetValueOrDefault(k).Hits);
        }

        foreach (var h in hits)
        {
            var k = (h.OrganizationCode, h.Scenario);
            result[k] = (result.GetValueOrDefault(k).Checks, result.GetValueOrDefault(k).Hits + h.Count);
        }

        return [.. result.Select(kv => new CheckCount(kv.Key.Item1, kv.Key.Item2, kv.Value.Checks, kv.Value.Hits))
            .OrderBy(c => c.Organization, StringComparer.Ordinal).ThenBy(c => c.Scenario, StringComparer.Ordinal)];
    }
}
