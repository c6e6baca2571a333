using System.Collections.Immutable;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Catalogs;
using Shixin.Core.Entries;
using Shixin.Core.Investigations;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Investigations;
using Shixin.Server.Ops;

namespace Shixin.Server.Hosting;

/// <summary>
/// Demo investigations and controls of the main court (赤坎区) in every state: open, answered (a deposit found, a
/// registry with none), overdue, two empty searches on one case (a no-property-found exit may follow), and a freeze
/// carried out a year ago whose renewal is due now. Everything goes through <see cref="InvestigationService"/>; the
/// older requests are made by a service whose clock is set back, so their dates are what the rules would have given.
/// </summary>
public sealed class DemoInvestigations(ShixinDatabase database, LegalEntryRules rules, Audit audit, MeasureCatalogs catalogs, TimeProvider time)
{
    public const string Bank = "unit-zj-bank";
    public const string Registry = "unit-zj-nrp";

    public async Task LoadAsync(CancellationToken ct)
    {
        var court = DemoData.Courts.Single(c => string.Equals(c.Code, DemoData.MainCourt, StringComparison.Ordinal));
        var judge = new Caller("demo", court.Code, "court", court.Region, court.Parent, ImmutableHashSet.Create(Roles.CourtClerk, Roles.CourtJudge));
        Caller UnitCaller(string code) => new("demo", code, "unit", "440800", null, ImmutableHashSet.Create(Roles.UnitAssist));
        var hub = new Caller("demo", StartupTasks.HubCode, "hub", "000000", null, ImmutableHashSet.Create(Roles.HubAdmin));

        // Routes for Zhanjiang: deposits to the bank, real estate to the registry (the hub binds the seeds' assistance clauses to units).
        var now = Service(TimeSpan.Zero);
        Must(await now.PutRoutesAsync(hub, new RoutesBody([
            new RouteBody("440800", InvestigationKinds.Deposits, Bank),
            new RouteBody("440800", InvestigationKinds.RealEstate, Registry),
        ]), ct));

        List<(string CaseNumber, string IdNumber, string Name)> debtors;
        await using (var db = database.CreateContext())
        {
            var prefix = EntryKey.Prefix(SubjectKeyKind.ResidentId);
            debtors = [.. (await db.Entries.AsNoTracking().Where(e => e.CourtCode == court.Code && e.Status == "listed" && e.SubjectKey.StartsWith(prefix))
                    .OrderBy(e => e.No).Take(5).Select(e => new { e.CaseNumber, e.SubjectKey, e.SubjectName }).ToListAsync(ct))
                .Select(e => (e.CaseNumber, e.SubjectKey[prefix.Length..], e.SubjectName))];
        }

        if (debtors.Count < 5)
        {
            return;
        }

        InvestigationRequest Ask((string CaseNumber, string IdNumber, string Name) d) =>
            new(d.CaseNumber, null, new InvestigationSubject(d.IdNumber, null, null, d.Name), [InvestigationKinds.Deposits, InvestigationKinds.RealEstate], null);
        // An answer is dated at the moment the shifted clock reads less some hours: never later than that clock (the
        // service refuses answers from the future), and on the same day or the day before.
        string At(InvestigationService s, int hoursEarlier) =>
            s.Now.AddHours(-hoursEarlier).ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        Guid TaskOf(InvestigationView v, string unit) => v.Tasks.Single(t => string.Equals(t.Unit, unit, StringComparison.Ordinal)).Id;

        // 1. Sent today: both tasks open.
        Must(await now.OpenAsync(judge, Ask(debtors[0]), ct));

        // 2. Sent last week and answered: the bank found a deposit, the registry nothing.
        var lastWeek = Service(TimeSpan.FromDays(7));
        var answered = Must(await lastWeek.OpenAsync(judge, Ask(debtors[1]), ct));
        var answerDay = Service(TimeSpan.FromDays(5));
        Must(await answerDay.AnswerAsync(UnitCaller(Bank), TaskOf(answered, Bank), new TaskAnswerRequest(At(answerDay, 3), false,
            [new FindingBody(InvestigationKinds.Deposits, "湛江农村商业银行赤坎支行", debtors[1].Name, "6228480012345678901", 86_500.00m, "CNY", Iso(answerDay.Today), "活期存款")]), ct));
        Must(await answerDay.AnswerAsync(UnitCaller(Registry), TaskOf(answered, Registry), new TaskAnswerRequest(At(answerDay, 1), true, []), ct));

        // 3. Sent a month ago: the registry answered none found, the bank is overdue.
        var monthAgo = Service(TimeSpan.FromDays(30));
        var overdue = Must(await monthAgo.OpenAsync(judge, Ask(debtors[2]), ct));
        Must(await Service(TimeSpan.FromDays(27)).AnswerAsync(UnitCaller(Registry), TaskOf(overdue, Registry),
            new TaskAnswerRequest(At(Service(TimeSpan.FromDays(27)), 2), true, []), ct));

        // 4. Two empty searches on one case: what a no-property-found exit needs on record (SPC Art. 10 ¶1(4)).
        foreach (var daysAgo in new[] { 120, 60 })
        {
            var s = Service(TimeSpan.FromDays(daysAgo));
            var v = Must(await s.OpenAsync(judge, Ask(debtors[3]), ct));
            var later = Service(TimeSpan.FromDays(daysAgo - 2));
            foreach (var t in v.Tasks)
            {
                Must(await later.AnswerAsync(UnitCaller(t.Unit), t.Id, new TaskAnswerRequest(At(later, 1), true, []), ct));
            }
        }

        // 5. A deposit frozen a year ago: the freeze lapses within weeks, so the court's renewal duty is due now.
        var yearAgo = Service(TimeSpan.FromDays(350));
        var frozen = Must(await yearAgo.OpenAsync(judge, Ask(debtors[4]), ct));
        var found = Service(TimeSpan.FromDays(348));
        Must(await found.AnswerAsync(UnitCaller(Bank), TaskOf(frozen, Bank), new TaskAnswerRequest(At(found, 3), false,
            [new FindingBody(InvestigationKinds.Deposits, "湛江农村商业银行霞山支行", debtors[4].Name, "6228480098765432100", 120_000.00m, "CNY", Iso(found.Today), null)]), ct));
        Must(await found.AnswerAsync(UnitCaller(Registry), TaskOf(frozen, Registry), new TaskAnswerRequest(At(found, 1), true, []), ct));
        var control = Must(await found.RequestControlAsync(judge, new ControlRequestBody(TaskOf(frozen, Bank), null, ControlKinds.Freeze, "6228480098765432100",
            120_000.00m, "（" + yearAgo.Today.Year.ToString(CultureInfo.InvariantCulture) + "）粤0802执恢12号之一", null, InvestigationKinds.Deposits, null), ct));
        var executed = Service(TimeSpan.FromDays(347));
        Must(await executed.AnswerControlAsync(UnitCaller(Bank), control.Id, new ControlAnswerBody(ControlDecider.Executed, At(executed, 1), 120_000.00m, null, null), ct));
    }

    private InvestigationService Service(TimeSpan back) =>
        new(new InvestigationStore(database, rules, back == TimeSpan.Zero ? time : new ShiftedTime(time, back)), audit, catalogs);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The demo is written through the rules; a refusal means the demo is out of step with them, which start must not hide.</summary>
    private static T Must<T>(Http.Outcome<T> outcome)
        where T : class =>
        outcome.Value ?? throw new InvalidOperationException("demo investigation refused: " + (outcome.Problem?.ProblemDetails.Detail ?? "no value"));

    /// <summary>The platform's clock set back: the demo's older requests carry the dates they would have had.</summary>
    private sealed class ShiftedTime(TimeProvider inner, TimeSpan back) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() - back;

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;
    }
}
