using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;
using Shixin.Server.Ops;
using Shixin.Server.Web;
using Shixin.Core.Catalogs;
using Shixin.Core.Oversight;
using Shixin.Server.Public;
using Shixin.Server.Units;

namespace Shixin.Server.Hub;

/// <summary>Compliance of one organization (002 §四(四)).</summary>
public sealed record ComplianceRow(string Organization, string Name, string Kind, int Duties, int MetOnTime, int MetLate, int Open, int Overdue,
    double? OnTimeRate, int NoticesThisYear, int Talks, bool Flagged, string? Flag);

/// <summary>The quarterly report as JSON: per unit and measure.</summary>
public sealed record QuarterlyFigures(int Year, int Quarter, IReadOnlyList<QuarterlyRow> Rows);

/// <summary>One line of the quarterly report: a unit's measure with its checks, hits and feedback.</summary>
public sealed record QuarterlyRow(string Organization, string Name, string? MeasureCode, long Checks, long Hits, int Applied, int Lifted, int Suspended, int OverdueDuties);

/// <summary>Oversight: complaints, credit repair, notices and talks, compliance, quarterly reports, special-subject notifications.</summary>
public static class OversightApi
{
    public static RouteGroupBuilder MapOversightApi(this RouteGroupBuilder api)
    {
        api.MapPost("/complaints", FileComplaint).RequireRateLimiting(Public.PublicApi.ComplaintPolicy).WithTags("Public").WithSummary("Complain that a unit did not apply a measure; returns a tracking code")
            .Produces<ComplaintStatus>(201);
        api.MapGet("/complaints/{trackingCode}", ComplaintByCode).RequireRateLimiting(Public.PublicApi.ComplaintPolicy).WithTags("Public").WithSummary("Follow a complaint by its tracking code")
            .Produces<ComplaintStatus>();
        api.MapGet("/complaints", ListComplaints).RequireRoles(Roles.UnitFeedback, Roles.HubAdmin, Roles.HubAuditor).WithTags("Hub: oversight")
            .WithSummary("Complaints against the caller's unit (all, for the hub)").Produces<ComplaintRow[]>();
        api.MapPost("/complaints/{id:guid}/resolution", Resolve).RequireRoles(Roles.UnitFeedback).WithTags("Units: feedback")
            .WithSummary("The unit's investigation, the measure applied where the complaint holds, and the answer to the complainant")
            .Produces<ComplaintStatus>();
        api.MapPost("/credit-repairs", ApplyRepair).RequireRoles(Roles.UnitFeedback, Roles.HubAdmin).WithTags("Units: feedback")
            .WithSummary("Record a credit repair application (after the entry was shielded, revoked or deleted)")
            .Produces<CreditRepairRow>(201);
        api.MapPost("/credit-repairs/{id:guid}/decision", DecideRepair).RequireRoles(Roles.UnitFeedback).WithTags("Units: feedback")
            .WithSummary("The unit decides a credit repair; shared with the hub").Produces<CreditRepairRow>();
        api.MapGet("/credit-repairs", ListRepairs).RequireRoles(Roles.UnitFeedback, Roles.HubAdmin, Roles.HubAuditor).WithTags("Hub: oversight")
            .WithSummary("Credit repair applications filed with the caller's unit (all, for the hub)").Produces<CreditRepairRow[]>();
        api.MapPost("/notices", IssueNotice).RequireRoles(Roles.HubAdmin).WithTags("Hub: oversight")
            .WithSummary("Issue a notice (通报, kind=notice) or record a talk (约谈, kind=talk) to an organization")
            .Produces<NoticeRow>(201);
        api.MapGet("/notices", ListNotices).RequireRoles([.. Roles.All]).WithTags("Hub: oversight")
            .WithSummary("Notices and talks addressed to the caller's organization (all, for the hub)").Produces<NoticeRow[]>();
        api.MapGet("/compliance", Compliance).RequireRoles(Roles.HubAdmin, Roles.HubAuditor).WithTags("Hub: oversight")
            .WithSummary("Per organization: duties met on time, late, open, overdue; notices; flagged when notified twice or more in a year")
            .Produces<ComplianceRow[]>();
        api.MapGet("/reports/quarterly", Quarterly).RequireRoles(Roles.HubAdmin, Roles.HubAuditor, Roles.UnitFeedback).WithTags("Hub: oversight")
            .WithSummary("Per unit and measure: checks, hits, applied, lifted, suspended, overdue duties (format=csv|html|pdf; organization= for the hub)")
            .WithDescription("format=html is the print-ready Chinese report with SVG charts; format=pdf renders it with headless Chromium (503 pdf-unavailable without it). "
                + "The hub reads every unit, or one with organization=<code>; a unit always reads its own.")
            .Produces<string>(200, "text/csv", "text/html", "application/pdf").Produces<QuarterlyFigures>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(503);
        api.MapPost("/reports/quarterly/confirmation", Confirm).RequireRoles(Roles.UnitFeedback).WithTags("Units: feedback")
            .WithSummary("A unit confirms its quarterly report (due 30 days after the quarter, 003 §四(四))")
            .Produces<QuarterlyConfirmation>(201);
        api.MapGet("/entries/{id:guid}/special-notification", SpecialNotice).RequireRoles(Roles.CourtClerk, Roles.CourtJudge, Roles.HubAdmin, Roles.HubAuditor).WithTags("Courts: entries")
            .WithSummary("The print-ready notification to a special subject's organization (HTML, Chinese; format=pdf for a PDF)")
            .Produces<string>(200, "text/html").Produces<string>(200, "application/pdf").ProducesProblem(404).ProducesProblem(409).ProducesProblem(503);
        api.MapPost("/entries/{id:guid}/special-notification", RecordDelivery).RequireRoles(Roles.CourtClerk, Roles.CourtJudge).WithTags("Courts: entries")
            .WithSummary("Record delivery of the special-subject notification (meets the court's duty)")
            .Produces<SpecialNotificationRow>(201);
        return api;
    }

    // Each endpoint reads its request, calls the one application service for its action and maps the answer to HTTP.
    internal static async Task<IResult> FileComplaint(ComplaintRequest? body, FileComplaintService service, CancellationToken ct) =>
        (await service.RunAsync(body, ct)).Map(c => TypedResults.Created("/api/v1/complaints/" + c.TrackingCode, c));

    internal static async Task<IResult> ComplaintByCode(string trackingCode, FileComplaintService service, CancellationToken ct) =>
        await service.FollowAsync(trackingCode, ct) is { } status ? TypedResults.Ok(status) : Problems.NotFound(new("该投诉（查询码" + trackingCode + "）", "complaint " + trackingCode));

    internal static async Task<IResult> ListComplaints(HttpContext http, OversightReads reads, CancellationToken ct) =>
        TypedResults.Ok(await reads.ComplaintsAsync(http.GetCaller(), ct));

    internal static async Task<IResult> Resolve(Guid id, ComplaintResolution? body, HttpContext http, AnswerComplaintService service, CancellationToken ct) =>
        (await service.RunAsync(id, body, http.GetCaller(), ct)).Map(TypedResults.Ok);

    internal static async Task<IResult> ApplyRepair(CreditRepairRequest? body, HttpContext http, ApplyForRepairService service, CancellationToken ct) =>
        (await service.RunAsync(body, http.GetCaller(), ct)).Map(r => TypedResults.Created("/api/v1/credit-repairs/" + r.Id.ToString(), r));

    internal static async Task<IResult> DecideRepair(Guid id, CreditRepairDecision? body, HttpContext http, DecideRepairService service, CancellationToken ct) =>
        (await service.RunAsync(id, body, http.GetCaller(), ct)).Map(TypedResults.Ok);

    internal static async Task<IResult> ListRepairs(HttpContext http, OversightReads reads, CancellationToken ct) =>
        TypedResults.Ok(await reads.RepairsAsync(http.GetCaller(), ct));

    internal static async Task<IResult> IssueNotice(NoticeRequest? body, HttpContext http, IssueNoticeService service, CancellationToken ct) =>
        (await service.RunAsync(body, http.GetCaller(), ct)).Map(n => TypedResults.Created("/api/v1/notices/" + n.Id.ToString(), n));

    internal static async Task<IResult> ListNotices(HttpContext http, OversightReads reads, CancellationToken ct) =>
        TypedResults.Ok(await reads.NoticesAsync(http.GetCaller(), ct));

    /// <summary>Duties met on time per organization, overdue ones, notices; flagged as 002 §四(四) prescribes.</summary>
    public static async Task<List<ComplianceRow>> ComplianceAsync(ShixinDatabase database, EntryService entries, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var orgs = await db.Organizations.AsNoTracking().Where(o => o.Kind != "hub").OrderBy(o => o.Code).ToListAsync(ct);
        var year = entries.Today.Year;
        var notices = await db.Notices.AsNoTracking().ToListAsync(ct);
        var result = new List<ComplianceRow>();
        foreach (var o in orgs)
        {
            var duties = await ObligationsApi.ForOrganizationAsync(database, entries, o.Code, o.Kind, ct);
            var metOnTime = duties.Count(d => d.MetOn is { } m && m <= d.DueOn);
            var metLate = duties.Count(d => d.MetOn is { } m && m > d.DueOn);
            var overdue = duties.Count(d => string.Equals(d.Status, "overdue", StringComparison.Ordinal));
            var open = duties.Count(d => string.Equals(d.Status, "open", StringComparison.Ordinal));
            var noticed = notices.Count(n => n.OrganizationCode == o.Code && n.Kind == NoticeKind.Notice && n.IssuedOn.Year == year);
            var talks = notices.Count(n => n.OrganizationCode == o.Code && n.Kind == NoticeKind.Talk);
            var judged = metOnTime + metLate + overdue;

            // 002 §四(四): the decider's rule (two notices a year; a talk without improvement).
            var flag = NoticeDecider.Flag(new ComplianceStanding(noticed, talks, overdue));
            result.Add(new ComplianceRow(o.Code, o.Name, o.Kind, duties.Count, metOnTime, metLate, open, overdue,
                judged == 0 ? null : Math.Round((double)metOnTime / judged, 4), noticed, talks, flag is not null, flag));
        }

        // An organization with no duty due yet has no rate (null), not 100 %: it is listed after every rated one rather
        // than ranked first (issue 15); the pages say 无应履行义务 or 尚无到期义务.
        return [.. result.OrderBy(r => r.OnTimeRate is null).ThenByDescending(r => r.OnTimeRate).ThenBy(r => r.Overdue).ThenBy(r => r.Organization, StringComparer.Ordinal)];
    }

    internal static async Task<IResult> Compliance(ShixinDatabase database, EntryService entries, CancellationToken ct) =>
        TypedResults.Ok(await ComplianceAsync(database, entries, ct));

    /// <summary>The quarterly report rows for a quarter (003 §四(四)).</summary>
    public static async Task<List<QuarterlyRow>> QuarterlyAsync(ShixinDatabase database, EntryService entries, int year, int quarter, string? organization, CancellationToken ct)
    {
        var fromDate = new DateOnly(year, (quarter - 1) * 3 + 1, 1);
        var from = new DateTimeOffset(fromDate.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).UtcDateTime;
        var to = new DateTimeOffset(fromDate.AddMonths(3).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).UtcDateTime;
        await using var db = database.CreateContext();
        var units = await db.Organizations.AsNoTracking().Where(o => o.Kind == "unit" && (organization == null || o.Code == organization)).ToListAsync(ct);
        // 比对次数 counts subjects checked, single and batch lines alike (CheckCounts; issue 15).
        var checks = (await CheckCounts.LoadAsync(database, from, to, organization, ct))
            .GroupBy(c => c.Organization).Select(g => new { g.Key, Checks = g.Sum(c => c.Checks), Hits = g.Sum(c => c.Hits) }).ToList();
        var feedback = await db.Feedback.AsNoTracking().Where(f => f.OccurredAt >= from && f.OccurredAt < to).ToListAsync(ct);
        var rows = new List<QuarterlyRow>();
        foreach (var u in units)
        {
            var c = checks.FirstOrDefault(x => x.Key == u.Code);
            var overdue = (await ObligationsApi.ForOrganizationAsync(database, entries, u.Code, u.Kind, ct)).Count(d => d.Status == "overdue");
            rows.Add(new QuarterlyRow(u.Code, u.Name, null, c?.Checks ?? 0, c?.Hits ?? 0,
                feedback.Count(f => f.OrganizationCode == u.Code && f.Action == FeedbackAction.Applied), feedback.Count(f => f.OrganizationCode == u.Code && f.Action == FeedbackAction.Lifted),
                feedback.Count(f => f.OrganizationCode == u.Code && f.Action == FeedbackAction.Suspended), overdue));
            foreach (var m in feedback.Where(f => f.OrganizationCode == u.Code).GroupBy(f => f.MeasureCode).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                rows.Add(new QuarterlyRow(u.Code, u.Name, m.Key, 0, 0, m.Count(f => f.Action == FeedbackAction.Applied), m.Count(f => f.Action == FeedbackAction.Lifted),
                    m.Count(f => f.Action == FeedbackAction.Suspended), 0));
            }
        }

        return rows;
    }

    internal static async Task<IResult> Quarterly(HttpContext http, ShixinDatabase database, EntryService entries, MeasureCatalogs catalogs, PdfRenderer pdf,
        int? year, int? quarter, string? format, string? organization, CancellationToken ct)
    {
        if (!QuarterlyReports.Valid(year, quarter))
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("请选择有效的年度和季度（1至4）", "year and quarter (1–4) are required"));
        }

        if (format is not (null or "json" or "csv" or "html" or "pdf"))
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("报告格式应为JSON、CSV、网页（HTML）或PDF", "format must be json, csv, html or pdf"),
                new Dictionary<string, Bilingual[]> { ["format"] = [new("格式应为JSON、CSV、HTML或PDF", "json, csv, html or pdf")] });
        }

        // A unit sees its own report; the hub sees all, or one unit's with organization=.
        var caller = http.GetCaller();
        var org = caller.HasAny(Roles.HubAdmin, Roles.HubAuditor) ? (string.IsNullOrWhiteSpace(organization) ? null : organization) : caller.OrganizationCode;
        if (org is not null)
        {
            await using var db = database.CreateContext();
            if (!await db.Organizations.AnyAsync(o => o.Code == org && o.Kind == "unit", ct))
            {
                return Problems.NotFound(new("单位“" + org + "”", "unit '" + org + "'"));
            }
        }

        if (format is "html" or "pdf")
        {
            var report = await QuarterlyReports.LoadAsync(database, entries, catalogs, year!.Value, quarter!.Value, org, ct);
            var html = QuarterlyReports.Document(report);
            return format == "html" ? TypedResults.Content(html, "text/html; charset=utf-8") : await pdf.FileAsync(html, report.FileStem + ".pdf", ct);
        }

        var rows = await QuarterlyAsync(database, entries, year!.Value, quarter!.Value, org, ct);
        if (!string.Equals(format, "csv", StringComparison.Ordinal))
        {
            return TypedResults.Ok(new QuarterlyFigures(year!.Value, quarter!.Value, rows));
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(QuarterlyCsv(rows)), "text/csv; charset=utf-8",
            "quarterly-" + year.Value.ToString(CultureInfo.InvariantCulture) + "-Q" + quarter.Value.ToString(CultureInfo.InvariantCulture)
            + (org is null ? "" : "-" + org) + ".csv");
    }

    /// <summary>The quarterly rows as CSV (UTF-8 with BOM, Chinese headers).</summary>
    public static string QuarterlyCsv(IEnumerable<QuarterlyRow> rows)
    {
        var sb = new StringBuilder("\uFEFF单位代码,单位名称,措施,比对次数,命中次数,已实施,已解除,已暂停,逾期义务\r\n");
        foreach (var r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{CsvText.Cell(r.Organization)},{CsvText.Cell(r.Name)},{CsvText.Cell(r.MeasureCode ?? "合计")},{r.Checks},{r.Hits},{r.Applied},{r.Lifted},{r.Suspended},{r.OverdueDuties}\r\n");
        }

        return sb.ToString();
    }

    internal static async Task<IResult> Confirm(HttpContext http, ConfirmQuarterService service, int? year, int? quarter, string? note, CancellationToken ct) =>
        (await service.RunAsync(year, quarter, note, http.GetCaller(), ct)).Map(c => TypedResults.Created(ConfirmQuarterService.Location(c), c));

    internal static async Task<IResult> SpecialNotice(Guid id, HttpContext http, RecordSpecialNotificationService service, PdfRenderer pdf, string? format, CancellationToken ct)
    {
        if (format is not (null or "html" or "pdf"))
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("格式应为网页（HTML）或PDF", "format must be html or pdf"),
                new Dictionary<string, Bilingual[]> { ["format"] = [new("格式应为HTML或PDF", "html or pdf")] });
        }

        var letter = await service.LetterAsync(id, http.GetCaller(), ct);
        if (letter.Problem is { } problem)
        {
            return problem;
        }

        return format == "pdf"
            ? await pdf.FileAsync(letter.Value!, "special-notification-" + id.ToString() + ".pdf", ct)
            : TypedResults.Content(letter.Value, "text/html; charset=utf-8");
    }

    internal static async Task<IResult> RecordDelivery(Guid id, SpecialNotificationRequest? body, HttpContext http, RecordSpecialNotificationService service, CancellationToken ct) =>
        (await service.RunAsync(id, body, http.GetCaller(), ct)).Map(row => TypedResults.Created("/api/v1/entries/" + id.ToString() + "/special-notification", row));
}
