using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Core.Oversight;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;
using Shixin.Server.Units;

namespace Shixin.Server.Hub;

/// <summary>
/// An objection on the entry as it stood at the instant asked about: which unit's measure it suspended (while verifying
/// or upheld, 002 §四(二)3), since which list sequence, and the verification if there was one by then.
/// </summary>
public sealed record SubjectObjectionStatus(Guid ObjectionId, string Organization, string MeasureCode, string Status, bool Suspended,
    DateTimeOffset FiledAt, long FiledSeq, DateTimeOffset? VerifiedAt, long? VerifiedSeq);

/// <summary>An entry's standing for one subject at one instant, replayed from the ledger.</summary>
public sealed record SubjectEntryStatus(Guid EntryId, string CaseNumber, string Court, string Via, bool ListedAt, DateTimeOffset? ListedSince,
    DateTimeOffset? LeftAt, string? LeftAs, long? Seq, string StatusNow)
{
    /// <summary>
    /// Objections filed on the entry by then, replayed from their ledger events: a check of that unit at that instant did
    /// not apply a measure an objection suspended (the check answered it under <c>cleared</c> with reason <c>suspended</c>).
    /// </summary>
    public IReadOnlyList<SubjectObjectionStatus> Objections { get; init; } = [];
}

/// <summary>Whether a subject was on the list at an instant, and by which entries.</summary>
public sealed record SubjectStatus(string Subject, DateTimeOffset At, bool Listed, long ListSequence, IReadOnlyList<SubjectEntryStatus> Entries);

/// <summary>GET /api/v1/subjects/status: answers "was this person listed at 10:02 on 3 May?" from the ledger.</summary>
public static class SubjectStatusApi
{
    public static RouteGroupBuilder MapSubjectStatusApi(this RouteGroupBuilder api)
    {
        api.MapGet("/subjects/status", Status)
            // Issue 11 finding 5: the answer names courts, case numbers and draft entries; it is for oversight (the hub)
            // and for a court about its own entries, never for units, which screen through /checks.
            .RequireRoles(Roles.HubAdmin, Roles.HubAuditor, Roles.CourtClerk, Roles.CourtJudge)
            .WithTags("Hub: oversight").WithSummary("Whether a subject was listed at an instant (at= RFC 3339 or YYYY-MM-DD; default now), and by which entries")
            .WithDescription("Hub admins and auditors see every entry; a court sees only its own entries' rows. Each entry lists the objections "
                + "filed on it by then (which unit's measure they suspended, the list sequences that filed and verified them), so a past check's "
                + "outcome can be explained.")
            .Produces<SubjectStatus>();
        return api;
    }

    internal static async Task<IResult> Status(HttpContext http, ShixinDatabase database, Audit audit, TimeProvider time,
        string? idNumber, string? creditCode, string? organizationCode, string? passport, string? at, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var key = CheckService.KeyOf(new CheckSubject(idNumber, creditCode, organizationCode, passport, null), "subject", errors);
        DateTimeOffset instant = time.GetUtcNow();
        if (!string.IsNullOrWhiteSpace(at))
        {
            if (DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && at.Contains('T', StringComparison.Ordinal))
            {
                instant = parsed;
            }
            else if (DateOnly.TryParseExact(at, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                // A calendar date means the end of that day in China time.
                instant = new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 59)), ChinaTime.Offset);
            }
            else
            {
                errors.Add("at", new("查询时点应为日期（如2024-05-03）或带时区的时间（如2024-05-03T10:02:00+08:00）", "at must be an RFC 3339 instant (2024-05-03T10:02:00+08:00) or a date YYYY-MM-DD"), DomainError.Codes.InvalidDate);
            }
        }

        if (errors.Any || key is null)
        {
            return errors.ToProblem();
        }

        var text = ScreeningKeys.Text(key.Value);
        var caller = http.GetCaller();
        var atUtc = instant.UtcDateTime;
        await using var db = database.CreateContext();
        var links = await db.SubjectKeys.AsNoTracking().Where(k => k.Key == text).ToListAsync(ct);
        var nos = links.Select(l => l.EntryNo).Distinct().ToList();
        var hub = caller.HasAny(Roles.HubAdmin, Roles.HubAuditor);
        var entries = await db.Entries.AsNoTracking().Where(e => nos.Contains(e.No) && (hub || e.CourtCode == caller.OrganizationCode))
            .Select(e => new { e.Id, e.No, e.CaseNumber, e.CourtCode, e.Status }).ToListAsync(ct);
        var ids = entries.Select(e => e.Id).ToList();
        var events = await db.LedgerEvents.AsNoTracking()
            .Where(e => ids.Contains(e.EntryId) && e.Seq != null && e.OccurredAt <= atUtc)
            .OrderBy(e => e.Seq).Select(e => new { e.EntryId, e.Seq, e.Type, e.OccurredAt }).ToListAsync(ct);
        var objectionEvents = await db.LedgerEvents.AsNoTracking()
            .Where(e => ids.Contains(e.EntryId) && e.Seq != null && e.OccurredAt <= atUtc
                && (e.Type == EntryEventTypes.ObjectionFiled || e.Type == EntryEventTypes.ObjectionVerified))
            .OrderBy(e => e.Seq).Select(e => new { e.EntryId, e.Seq, e.OccurredAt, e.DataJson }).ToListAsync(ct);
        var listSeq = await db.LedgerEvents.AsNoTracking().Where(e => e.Seq != null && e.OccurredAt <= atUtc).MaxAsync(e => e.Seq, ct) ?? 0;

        var result = new List<SubjectEntryStatus>();
        foreach (var e in entries)
        {
            bool on = false;
            DateTime? since = null, left = null;
            string? leftAs = null;
            long? seq = null;
            foreach (var ev in events.Where(x => x.EntryId == e.Id))
            {
                seq = ev.Seq;
                switch (ev.Type)
                {
                    case EntryEventTypes.Listed:
                        on = true;
                        since = ev.OccurredAt;
                        left = null;
                        leftAs = null;
                        break;
                    case EntryEventTypes.Shielded or EntryEventTypes.Revoked or EntryEventTypes.Deleted or EntryEventTypes.Expired:
                        on = false;
                        left = ev.OccurredAt;
                        leftAs = ev.Type;
                        break;
                }
            }

            var via = string.Join(",", links.Where(l => l.EntryNo == e.No).Select(l => l.Role).Distinct(StringComparer.Ordinal));
            // The objections as they stood then: folded from their events by the decider's own rule.
            var objections = new List<SubjectObjectionStatus>();
            var folded = System.Collections.Immutable.ImmutableArray<Objection>.Empty;
            foreach (var ev in objectionEvents.Where(x => x.EntryId == e.Id))
            {
                var data = LedgerJson.ReadEvent(ev.DataJson);
                folded = ObjectionDecider.Evolve(folded, data);
                var when = ChinaTime.ToChina(ev.OccurredAt);
                if (data is ObjectionFiled f)
                {
                    objections.Add(new SubjectObjectionStatus(f.Objection.Id, f.Objection.Organization, f.Objection.MeasureId, "", true, when, ev.Seq!.Value, null, null));
                }
                else if (data is ObjectionVerified v && objections.FindIndex(o => o.ObjectionId == v.ObjectionId) is var i and >= 0)
                {
                    objections[i] = objections[i] with { VerifiedAt = when, VerifiedSeq = ev.Seq };
                }
            }

            objections = [.. objections.Select(o => folded.First(x => x.Id == o.ObjectionId) is var x ? o with { Status = x.Status.ToApi(), Suspended = x.Suspends } : o)];
            result.Add(new SubjectEntryStatus(e.Id, e.CaseNumber, e.CourtCode, via, on,
                since is null ? null : ChinaTime.ToChina(since.Value), left is null ? null : ChinaTime.ToChina(left.Value), leftAs, seq, e.Status) { Objections = objections });
        }

        // The subject as its keyed hash and mask: the trail never holds the number in clear (issue 11 F9).
        await audit.RecordAsync(caller.OrganizationCode, caller.KeyId, "subject.status", "at:" + instant.ToString("O", CultureInfo.InvariantCulture), text,
            result.Any(r => r.ListedAt) ? "listed" : "not-listed", listSeq, string.Join(",", result.Select(r => r.EntryId.ToString())), ct);
        return TypedResults.Ok(new SubjectStatus(text, instant, result.Any(r => r.ListedAt), listSeq, result));
    }
}
