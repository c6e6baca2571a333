using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Calendar;
using Shixin.Core.Entries;
using Shixin.Core.Oversight;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;

namespace Shixin.Server.Hub;

/// <summary>
/// One duty of the caller, with what it concerns. <c>provisional</c>: the due date falls in, or was counted across, a year
/// whose State Council holiday notice is not in the calendar data yet (API.md; DOMAIN.md "Time").
/// </summary>
public sealed record ObligationView(string Code, string Owner, string Title, string TitleEn, DateOnly DueOn, string Rule, string RuleSet, string Source,
    string Status, DateOnly? MetOn, Guid? EntryId, string? CaseNumber, string? MeasureCode, Guid? ProceedingId, bool Provisional = false);

/// <summary>
/// GET /api/v1/obligations: the caller's duties with due dates from the legal calendar — courts
/// (review corrections, exit after performance, delete after a term, rule on reconsiderations, verify
/// objections) and units (lift a measure within its period after an entry leaves the list).
/// </summary>
public static class ObligationsApi
{
    public const string UnitLiftMeasure = "unit.lift-measure";
    public const string CourtVerifyObjection = "court.verify-objection";

    public const string CourtNotifySpecialSubject = "court.notify-special-subject";

    public static RouteGroupBuilder MapObligationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/obligations", List).RequireRoles([.. Roles.All]).WithTags("Hub: oversight")
            .WithSummary("The caller's duties with due dates (status=open|overdue|met); overdue ones are marked").Produces<ObligationView[]>();
        return api;
    }

    internal static async Task<IResult> List(HttpContext http, ShixinDatabase database, EntryService entries, string? status, CancellationToken ct)
    {
        if (status is not (null or "open" or "overdue" or "met"))
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("状态筛选应为“未到期”“已逾期”或“已履行”", "status must be open, overdue or met"));
        }

        var caller = http.GetCaller();
        var all = await ForOrganizationAsync(database, entries, caller.OrganizationCode, caller.OrganizationKind, ct);
        return TypedResults.Ok(all.Where(o => status is null || string.Equals(o.Status, status, StringComparison.Ordinal))
            .OrderBy(o => o.DueOn).ToArray());
    }

    /// <summary>Every duty an organization owes; the hub's compliance figures use the same computation.</summary>
    public static async Task<List<ObligationView>> ForOrganizationAsync(ShixinDatabase database, EntryService entries, string org, string kind, CancellationToken ct)
    {
        var today = entries.Today;
        var result = new List<ObligationView>();
        await using var db = database.CreateContext();
        if (string.Equals(kind, "court", StringComparison.Ordinal))
        {
            // Entry duties owed by this court (its entries, and reconsiderations it hears), then objections to verify:
            // read from the duty projection over the ledger (DutyProjection), not from every entry's state.
            var projected = await entries.DutyProjection.ForOwnerAsync(org, ct);
            foreach (var d in projected.Where(d => !d.IsObjection))
            {
                result.Add(new ObligationView(d.Code, d.Owner, d.TitleZh, d.TitleEn, d.Due.DueOn, d.Due.RuleId, d.Due.RuleSet, d.Due.Source,
                    d.StatusOn(today).ToApi(), d.MetOn, d.EntryId, d.CaseNumber, null, d.SubjectId, d.Due.Provisional));
            }

            foreach (var n in await SpecialSubjectNoticesAsync(database, entries, org, ct))
            {
                result.Add(new ObligationView(CourtNotifySpecialSubject, org, "通知特殊主体所在单位", "Notify the special subject's organization",
                    n.DueOn, n.Rule, n.RuleSet, n.Source, n.Status, n.DeliveredOn, n.EntryId, n.CaseNumber, null, null, n.Provisional));
            }

            foreach (var d in projected.Where(d => d.IsObjection))
            {
                result.Add(new ObligationView(CourtVerifyObjection, org, d.TitleZh, d.TitleEn, d.Due.DueOn, d.Due.RuleId, d.Due.RuleSet, d.Due.Source,
                    d.StatusOn(today).ToApi(), d.MetOn, d.EntryId, null, d.MeasureCode, d.SubjectId, d.Due.Provisional));
            }
        }
        else if (string.Equals(kind, "unit", StringComparison.Ordinal))
        {
            var feedback = await db.Feedback.AsNoTracking().Where(f => f.OrganizationCode == org).OrderBy(f => f.OccurredAt).ToListAsync(ct);
            var ids = feedback.Select(f => f.EntryId).Distinct().ToList();
            var exits = await db.Entries.AsNoTracking().Where(e => ids.Contains(e.Id) && e.ExitedOn != null)
                .Select(e => new { e.Id, e.CaseNumber, e.ExitedOn }).ToDictionaryAsync(e => e.Id, ct);
            foreach (var g in feedback.GroupBy(f => (f.EntryId, f.MeasureCode)))
            {
                if (!exits.TryGetValue(g.Key.EntryId, out var exit))
                {
                    continue;
                }

                // 000 §四(二)5: once the entry leaves the list, lift the measure promptly (or keep it on a legal basis); OversightDuties.
                var duty = OversightDuties.ForLiftingMeasure([.. g.Select(f => (f.Action, new DateTimeOffset(f.OccurredAt, TimeSpan.Zero)))], exit.ExitedOn!.Value, entries.Rules);
                if (duty is null)
                {
                    continue;
                }

                result.Add(new ObligationView(UnitLiftMeasure, org, duty.TitleZh, duty.TitleEn, duty.Due.DueOn, duty.Due.RuleId, duty.Due.RuleSet, duty.Due.Source,
                    duty.StatusOn(today).ToApi(), duty.MetOn, g.Key.EntryId, exit.CaseNumber, g.Key.MeasureCode, null, duty.Due.Provisional));
            }
        }

        if (string.Equals(kind, "unit", StringComparison.Ordinal))
        {
            var complaints = await db.Complaints.AsNoTracking().Where(c => c.AgainstOrganization == org).ToListAsync(ct);
            var rule = entries.Rules.RuleSet.Get("unit.answer-complaint");
            foreach (var c in complaints)
            {
                result.Add(new ObligationView("unit.answer-complaint", org, "调查处理投诉并答复", "Investigate and answer a complaint", c.DueOn, c.Rule,
                    entries.Rules.RuleSet.Name, rule.Source, Duties.StatusOn(c.DueOn, c.AnsweredOn, today).ToApi(), c.AnsweredOn, null, c.CaseNumber, null, c.Id,
                    entries.Rules.IsProvisional(c.DueOn)));
            }

            // 003 §四(四): report every quarter within 30 days after it ends — the quarters since the unit joined.
            var joined = await db.Organizations.AsNoTracking().Where(o => o.Code == org).Select(o => o.CreatedAt).FirstAsync(ct);
            var confirmations = await db.ReportConfirmations.AsNoTracking().Where(r => r.OrganizationCode == org).ToListAsync(ct);
            var confirmedOn = confirmations.GroupBy(r => new Quarter(r.Year, r.Quarter)).ToDictionary(g => g.Key, g => g.First().ConfirmedOn);
            foreach (var (q, duty) in OversightDuties.ForQuarters(ChinaTime.DateOf(new DateTimeOffset(joined, TimeSpan.Zero)), today, confirmedOn, entries.Rules))
            {
                result.Add(new ObligationView(OversightDuties.QuarterlyReport, org, duty.TitleZh, duty.TitleEn, duty.Due.DueOn, duty.Due.RuleId,
                    duty.Due.RuleSet, duty.Due.Source, duty.StatusOn(today).ToApi(), duty.MetOn, null,
                    q.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) + "Q" + q.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null,
                    duty.Due.Provisional));
            }
        }

        // Issue 14: units answer investigation and control tasks; courts renew controls before they lapse.
        result.AddRange(await Investigations.InvestigationStore.DutiesAsync(database, entries.Rules, today, org, kind, ct));
        return result;
    }

    /// <summary>
    /// SPC Art. 8; 003 §三(八): for every decided entry of a special subject (or a restricted entry), the executing court
    /// tells the subject's organization; due, delivered or overdue. One court's, or every court's when <paramref name="court"/> is null.
    /// </summary>
    public static async Task<List<SpecialSubjectNotice>> SpecialSubjectNoticesAsync(ShixinDatabase database, EntryService entries, string? court, CancellationToken ct)
    {
        var today = entries.Today;
        await using var db = database.CreateContext();
        var special = await db.Entries.AsNoTracking()
            .Where(e => (court == null || e.CourtCode == court) && e.DecidedOn != null && (e.Publicity == "restricted" || e.StateJson.Contains("\"specialStatus\":\"")))
            .Select(e => new { e.Id, e.CaseNumber, e.CourtCode, e.SubjectName, e.Publicity, e.Status, e.DecidedOn, e.StateJson }).ToListAsync(ct);
        var ids = special.Select(e => e.Id).ToList();
        var deliveries = (await db.SpecialNotifications.AsNoTracking().Where(n => ids.Contains(n.EntryId)).ToListAsync(ct))
            .GroupBy(n => n.EntryId).ToDictionary(g => g.Key, g => g.OrderBy(n => n.DeliveredOn).First());
        var result = new List<SpecialSubjectNotice>(special.Count);
        foreach (var e in special)
        {
            var due = entries.Rules.Due(CourtNotifySpecialSubject, e.DecidedOn!.Value);
            var d = deliveries.GetValueOrDefault(e.Id);
            var specialStatus = LedgerJson.ReadState(e.StateJson).SpecialStatus;
            result.Add(new SpecialSubjectNotice(e.Id, e.CaseNumber, e.CourtCode, e.SubjectName, specialStatus, e.Publicity, e.Status, e.DecidedOn.Value,
                due.DueOn, due.RuleId, due.RuleSet, due.Source, d?.DeliveredOn, d?.Addressee, d?.Method,
                Duties.StatusOn(due, d?.DeliveredOn, today).ToApi(), due.Provisional));
        }

        return result;
    }
}

/// <summary>One special-subject notification a court owes, with its delivery (SPC Art. 8).</summary>
public sealed record SpecialSubjectNotice(Guid EntryId, string CaseNumber, string Court, string SubjectName, string? SpecialStatus, string Publicity,
    string EntryStatus, DateOnly DecidedOn, DateOnly DueOn, string Rule, string RuleSet, string Source, DateOnly? DeliveredOn, string? Addressee,
    string? Method, string Status, bool Provisional = false);
