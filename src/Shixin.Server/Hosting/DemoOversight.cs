using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Catalogs;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Hub;
using Shixin.Server.Public;
using Shixin.Server.Units;

namespace Shixin.Server.Hosting;

/// <summary>
/// The oversight half of the demo (--demo): the units' checks and feedback this quarter, public complaints (some answered),
/// credit repair applications (granted, refused, pending), notices and a talk (one unit notified twice: flagged), and a
/// confirmed quarterly report. Everything but the check records goes through the application services the API and the
/// consoles use, as a caller of each organization, so the rules hold; check records are written where the check service
/// writes them (the screening index is not up while the demo loads).
/// </summary>
public sealed class DemoOversight(ShixinDatabase database, EntryService entries, MeasureCatalogs catalogs, CheckRecordWriter records, TimeProvider time,
    RecordFeedbackService feedback, FileComplaintService fileComplaint, AnswerComplaintService answerComplaint, ApplyForRepairService applyRepair,
    DecideRepairService decideRepair, IssueNoticeService issueNotice, ConfirmQuarterService confirmQuarter)
{
    /// <summary>Units that take part, with how many checks and feedback rows they bring (deterministic).</summary>
    private static readonly (string Unit, int Checks, int Applied)[] Active =
    [
        ("unit-travelsky", 180, 9), ("unit-cr-guangzhou", 140, 7), ("unit-csair", 90, 5), ("unit-bank-suzhou", 70, 6),
        ("unit-jinjiang-hotels", 60, 3), ("unit-zj-ggzy", 24, 2), ("unit-nx-exit", 12, 2),
    ];

    public async Task LoadAsync(CancellationToken ct)
    {
        var random = new Random(20_170_917);
        var now = time.GetUtcNow();
        var today = entries.Today;
        var quarterStart = new DateOnly(today.Year, ((QuarterlyReports.QuarterOf(today) - 1) * 3) + 1, 1);
        var startUtc = new DateTimeOffset(quarterStart.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
        var span = Math.Max(60, (now - startUtc).TotalSeconds - 3600);
        DateTimeOffset InQuarter() => startUtc.AddSeconds(random.NextDouble() * span);

        List<Guid> listed, exited;
        long head;
        await using (var db = database.CreateContext())
        {
            listed = await db.Entries.AsNoTracking().Where(e => e.Status == "listed").OrderBy(e => e.No).Select(e => e.Id).Take(60).ToListAsync(ct);
            exited = await db.Entries.AsNoTracking().Where(e => e.ExitedOn != null).OrderBy(e => e.No).Select(e => e.Id).Take(30).ToListAsync(ct);
            head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync(ct);
        }

        var units = DemoData.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var exitedByUnit = new Dictionary<string, List<(Guid Entry, string Measure)>>(StringComparer.Ordinal);
        var e = 0;
        foreach (var (code, checks, applied) in Active)
        {
            var unit = units[code];
            var caller = As(code, unit.Region, Roles.UnitFeedback);
            var scenario = catalogs.Scenarios.FirstOrDefault(s => string.Equals(s.Category.ToApiName(), unit.Category, StringComparison.Ordinal));
            var measures = (scenario?.MeasureIds ?? []).Where(m => catalogs.TryGetMeasure(m, out _)).Take(2).ToArray();
            if (measures.Length == 0)
            {
                continue;
            }

            // Screening traffic: about one check in nine hits.
            var rows = Enumerable.Range(0, checks).Select(i => new CheckRecordRow
            {
                Id = Guid.CreateVersion7(), OrganizationCode = code, Scenario = scenario!.Id, Reference = "demo-" + i.ToString(CultureInfo.InvariantCulture),
                SubjectKey = "demo:" + code + ":" + i.ToString(CultureInfo.InvariantCulture), ListSeq = head, CheckedAt = InQuarter().UtcDateTime,
                Outcome = random.Next(9) == 0 ? (random.Next(3) == 0 ? "review" : "block") : "clear",
            }).ToList();
            await records.RecordAsync(rows, ct);

            // Measures applied to listed entries; one suspended after an objection-like review.
            for (var i = 0; i < applied && listed.Count > 0; i++)
            {
                var entry = listed[e++ % listed.Count];
                var measure = measures[i % measures.Length];
                await FeedbackAsync(caller, entry, measure, "applied", InQuarter(), ct);
                if (i == applied - 1 && applied > 4)
                {
                    await FeedbackAsync(caller, entry, measure, "suspended", now.AddMinutes(-5), ct);
                }
            }

            // Measures on entries that have since left the list: most lifted, one left standing (an overdue duty).
            var mine = new List<(Guid, string)>();
            for (var i = 0; i < 3 && exited.Count > 0; i++)
            {
                var entry = exited[e++ % exited.Count];
                var measure = measures[i % measures.Length];
                await FeedbackAsync(caller, entry, measure, "applied", InQuarter(), ct);
                if (i != 2 || code is "unit-travelsky" or "unit-bank-suzhou")
                {
                    await FeedbackAsync(caller, entry, measure, "lifted", now.AddMinutes(-1), ct);
                }

                mine.Add((entry, measure));
            }

            exitedByUnit[code] = mine;
        }

        await ComplaintsAsync(units, today, ct);
        await RepairsAsync(units, exitedByUnit, today, ct);
        await NoticesAsync(today, ct);

        // The airline confirmed last quarter's report.
        var last = quarterStart.AddMonths(-3);
        await confirmQuarter.RunAsync(last.Year, QuarterlyReports.QuarterOf(last), "已核对本单位比对与反馈数据", As("unit-travelsky", units["unit-travelsky"].Region, Roles.UnitFeedback), ct);
    }

    private async Task ComplaintsAsync(Dictionary<string, DemoData.DemoUnit> units, DateOnly today, CancellationToken ct)
    {
        (string Unit, string? Case, string Text, string? Finding, string? Measure, string? Answer)[] complaints =
        [
            ("unit-travelsky", "(2023)粤0802执1203号", "被执行人已被纳入失信名单，但仍通过贵单位渠道购买了飞机票。", "upheld", "乘坐飞机限制",
                "经核查，因系统同步延迟未能及时拦截，现已对该被执行人实施乘坐飞机限制措施，并完善了名单同步机制。"),
            ("unit-bank-suzhou", "(2023)苏0508执877号", "失信被执行人控制的企业仍在贵行获得贷款授信。", "unfounded", null,
                "经核查，该企业的法定代表人已于授信前变更，且授信审批时该企业不在名单内，投诉不属实。"),
            ("unit-bank-suzhou", "(2024)苏0508执156号", "被执行人仍在办理新的信用卡，请核实是否落实了限制措施。", null, null, null),
            ("unit-cr-guangzhou", null, "失信被执行人本人仍乘坐高铁一等座出行。", null, null, null),
            ("unit-jinjiang-hotels", "(2024)粤0802执88号", "被执行人入住星级宾馆，未见任何限制。", null, null, null),
        ];
        var n = 0;
        foreach (var c in complaints)
        {
            var filed = await fileComplaint.RunAsync(new ComplaintRequest(c.Unit, c.Case, c.Text, "1380013" + (8000 + n++).ToString(CultureInfo.InvariantCulture)), ct);
            if (c.Finding is null || filed.Value is not { } status)
            {
                continue;
            }

            await using var db = database.CreateContext();
            var id = await db.Complaints.AsNoTracking().Where(x => x.TrackingCode == status.TrackingCode).Select(x => x.Id).FirstAsync(ct);
            await answerComplaint.RunAsync(id, new ComplaintResolution(c.Finding, c.Measure, c.Answer, Iso(today)), As(c.Unit, units[c.Unit].Region, Roles.UnitFeedback), ct);
        }
    }

    private async Task RepairsAsync(Dictionary<string, DemoData.DemoUnit> units, Dictionary<string, List<(Guid Entry, string Measure)>> exitedByUnit, DateOnly today,
        CancellationToken ct)
    {
        (string Unit, int Index, string Grounds, string? Outcome, string? Reasons)[] plan =
        [
            ("unit-travelsky", 0, "已全部履行生效法律文书确定的义务，法院已删除失信信息，申请恢复购票资格并修复信用记录。", "granted", "经核实名单已删除，准予修复。"),
            ("unit-bank-suzhou", 0, "执行案件已和解并履行完毕，申请修复在本行的信用记录。", "granted", "经核实已履行完毕，准予修复。"),
            ("unit-bank-suzhou", 1, "名单已屏蔽，申请修复信用。", null, null),
            ("unit-cr-guangzhou", 0, "名单已撤销，申请恢复乘车权益。", "refused", "申请材料不全，未提供法院撤销决定书，不予修复，可补正后重新申请。"),
            ("unit-csair", 0, "已提供有效担保，法院已删除名单信息。", null, null),
        ];
        foreach (var p in plan)
        {
            if (!exitedByUnit.TryGetValue(p.Unit, out var mine) || mine.Count <= p.Index)
            {
                continue;
            }

            var caller = As(p.Unit, units[p.Unit].Region, Roles.UnitFeedback);
            var applied = await applyRepair.RunAsync(new CreditRepairRequest(mine[p.Index].Entry, null, p.Grounds, Iso(today)), caller, ct);
            if (p.Outcome is not null && applied.Value is { } row)
            {
                await decideRepair.RunAsync(row.Id, new CreditRepairDecision(p.Outcome, Iso(today), p.Reasons), caller, ct);
            }
        }
    }

    private async Task NoticesAsync(DateOnly today, CancellationToken ct)
    {
        var hub = As(StartupTasks.HubCode, "000000", Roles.HubAdmin);
        var earlier = today.AddDays(-20) is var d && d.Year == today.Year ? d : today;
        (string Kind, string Org, DateOnly On, string Subject, string Detail)[] notices =
        [
            ("notice", "unit-cr-guangzhou", earlier, "未按期解除已退出名单人员的惩戒措施", "经核查，该单位有名单退出后逾期未解除的惩戒措施，予以通报。"),
            ("notice", "unit-cr-guangzhou", today, "投诉逾期未答复、惩戒措施未按期解除", "再次通报：一年内第二次通报，取消评优评先资格并扣减绩效考核分。"),
            ("talk", "unit-csair", today, "约谈：惩戒措施落实不到位", "约谈单位负责人，要求限期整改并报送整改情况。"),
            ("notice", "unit-jinjiang-hotels", today, "投诉反映星级宾馆住宿限制未落实", "予以通报，要求核查并答复投诉人。"),
        ];
        foreach (var n in notices)
        {
            await issueNotice.RunAsync(new NoticeRequest(n.Kind, n.Org, Iso(n.On), n.Subject, n.Detail), hub, ct);
        }
    }

    private async Task FeedbackAsync(Caller caller, Guid entry, string measure, string action, DateTimeOffset at, CancellationToken ct) =>
        await feedback.RunAsync(new FeedbackRequest(entry, measure, action, at, null, "演示数据", null, null), caller, ct);

    /// <summary>The demo acts as a key of the organization would: its code, kind, region and one role.</summary>
    private static Caller As(string org, string region, string role) =>
        new("demo", org, string.Equals(org, StartupTasks.HubCode, StringComparison.Ordinal) ? "hub" : "unit", region, null, [role]);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
