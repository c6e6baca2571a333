using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Calendar;
using Shixin.Core.Entries;
using Shixin.Core.Investigations;
using Shixin.Data;
using Shixin.Server.Hub;

namespace Shixin.Server.Investigations;

/// <summary>Reads and writes investigation and control state; computes their duties for the one duty engine.</summary>
public sealed class InvestigationStore(ShixinDatabase database, LegalEntryRules rules, TimeProvider time)
{
    public const string UnitAnswerInvestigation = "unit.answer-investigation";
    public const string UnitAnswerControl = "unit.answer-control";
    public const string CourtRenewControl = "court.renew-control";

    private static readonly JsonSerializerOptions Json = LedgerJson.Options;

    public ShixinDatabase Database => database;

    public RuleSet RuleSet => rules.RuleSet;

    public LegalCalendar Calendar => rules.Calendar;

    public DateOnly Today => ChinaTime.Today(time);

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public TimeProvider Time => time;

    public static string Write(InvestigationState s) => JsonSerializer.Serialize(s, Json);

    public static InvestigationState ReadInvestigation(string json) => JsonSerializer.Deserialize<InvestigationState>(json, Json)!;

    public static string Write(ControlState s) => JsonSerializer.Serialize(s, Json);

    public static ControlState ReadControl(string json) => JsonSerializer.Deserialize<ControlState>(json, Json)!;

    public async Task<IReadOnlyList<InvestigationRoute>> RoutesAsync(ShixinDbContext db, CancellationToken ct) =>
        await db.InvestigationRoutes.AsNoTracking().OrderBy(r => r.Region).ThenBy(r => r.Kind).ThenBy(r => r.UnitCode)
            .Select(r => new InvestigationRoute(r.Region, r.Kind, r.UnitCode)).ToListAsync(ct);

    /// <summary>The searches on record for a court's case (the no-property-found exit reads them, in the exit's own transaction).</summary>
    public static async Task<IReadOnlyList<InvestigationState>> CaseSearchesAsync(ShixinDbContext db, string courtCode, string caseNumber, CancellationToken ct) =>
        [.. (await db.Investigations.AsNoTracking().Where(i => i.CourtCode == courtCode && i.CaseNumber == caseNumber).OrderBy(i => i.Id)
            .Select(i => i.StateJson).ToListAsync(ct)).Select(ReadInvestigation)];

    /// <summary>
    /// The investigation and control duties an organization owes: a unit answers each task by its due date
    /// (<c>investigation.answer</c>, <c>control.answer</c>); a court renews each control carried out for a term before it
    /// lapses (<c>control.renewal-margin</c>; 法释〔2022〕11号 Art. 485 para. 2).
    /// </summary>
    public static async Task<List<ObligationView>> DutiesAsync(ShixinDatabase database, LegalEntryRules rules, DateOnly today, string org, string kind,
        CancellationToken ct)
    {
        var result = new List<ObligationView>();
        await using var db = database.CreateContext();
        if (string.Equals(kind, "unit", StringComparison.Ordinal))
        {
            var answerRule = rules.RuleSet.Get(RuleIds.InvestigationAnswer);
            var tasks = await db.InvestigationTasks.AsNoTracking().Where(t => t.UnitCode == org).ToListAsync(ct);
            var cases = await db.Investigations.AsNoTracking().Where(i => tasks.Select(t => t.InvestigationId).Contains(i.Id))
                .Select(i => new { i.Id, i.CaseNumber }).ToDictionaryAsync(i => i.Id, i => i.CaseNumber, ct);
            foreach (var t in tasks)
            {
                var status = t.AnsweredOn is not null ? "met" : today > t.DueOn ? "overdue" : "open";
                result.Add(new ObligationView(UnitAnswerInvestigation, org, "答复执行查控查询（" + KindZh(t.Kind) + "）", "Answer an investigation task (" + t.Kind + ")",
                    t.DueOn, answerRule.Id, rules.RuleSet.Name, answerRule.Source, status, t.AnsweredOn, null, cases.GetValueOrDefault(t.InvestigationId), null, t.Id,
                    rules.IsProvisional(t.DueOn)));
            }

            var controlRule = rules.RuleSet.Get(RuleIds.ControlAnswer);
            foreach (var c in (await db.Controls.AsNoTracking().Where(c => c.UnitCode == org).Select(c => c.StateJson).ToListAsync(ct)).Select(ReadControl))
            {
                var status = c.Answer is not null ? "met" : c.Due.IsOverdueOn(today) ? "overdue" : "open";
                result.Add(new ObligationView(UnitAnswerControl, org, "办理控制措施（" + ControlKinds.TitleZh(c.Kind) + "）", "Carry out a control (" + c.Kind + ")",
                    c.Due.DueOn, controlRule.Id, rules.RuleSet.Name, controlRule.Source, status, c.Answer?.ExecutedOn, null, null, null, c.Id, c.Due.Provisional));
            }
        }
        else if (string.Equals(kind, "court", StringComparison.Ordinal))
        {
            var controls = (await db.Controls.AsNoTracking().Where(c => c.CourtCode == org).Select(c => c.StateJson).ToListAsync(ct)).Select(ReadControl).ToList();
            foreach (var c in controls)
            {
                if (ControlDecider.Renewal(c, controls, rules.RuleSet, rules.Calendar) is { } duty)
                {
                    result.Add(new ObligationView(CourtRenewControl, org, "续行" + ControlKinds.TitleZh(c.Kind == ControlKinds.Renew ? ControlKinds.Freeze : c.Kind)
                        + "（" + duty.LapsesOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "到期）",
                        "Renew the control before it lapses on " + duty.LapsesOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        duty.Due.DueOn, duty.Due.RuleId, duty.Due.RuleSet, duty.Due.Source, duty.StatusOn(today), duty.MetOn, null, null, null, c.Id, duty.Due.Provisional));
                }
            }
        }

        return result;
    }

    public static string KindZh(string kind) => InvestigationKinds.TryGet(kind, out var k) ? k.TitleZh : kind;
}
