using System.Globalization;
using System.Net;
using System.Security.Cryptography;
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

namespace Shixin.Server.Hub;

/// <summary>Body of POST /api/v1/complaints (public).</summary>
public sealed record ComplaintRequest(string? AgainstOrganization, string? CaseNumber, string? Description, string? Contact);

/// <summary>Body of POST /api/v1/complaints/{id}/resolution (the unit).</summary>
public sealed record ComplaintResolution(string? Finding, string? MeasureApplied, string? Answer, string? AnsweredOn);

/// <summary>A complaint as the complainant sees it (no contact data).</summary>
public sealed record ComplaintStatus(string TrackingCode, string Status, string AgainstOrganization, DateOnly ReceivedOn, DateOnly DueOn, string? Answer, DateOnly? AnsweredOn);

/// <summary>Body of POST /api/v1/credit-repairs.</summary>
public sealed record CreditRepairRequest(Guid? EntryId, string? Organization, string? Grounds, string? AppliedOn);

/// <summary>Body of POST /api/v1/credit-repairs/{id}/decision.</summary>
public sealed record CreditRepairDecision(string? Outcome, string? DecidedOn, string? Reasons);

/// <summary>Body of POST /api/v1/notices (hub): a 通报 or a 约谈.</summary>
public sealed record NoticeRequest(string? Kind, string? Organization, string? IssuedOn, string? Subject, string? Detail);

/// <summary>Body of POST /api/v1/entries/{id}/special-notification.</summary>
public sealed record SpecialNotificationRequest(string? Addressee, string? DeliveredOn, string? Method);

/// <summary>Compliance of one organization (002 §四(四)).</summary>
public sealed record ComplianceRow(string Organization, string Name, string Kind, int Duties, int MetOnTime, int MetLate, int Open, int Overdue,
    double? OnTimeRate, int NoticesThisYear, int Talks, bool Flagged, string? Flag);

/// <summary>One line of the quarterly report: a unit's measure with its checks, hits and feedback.</summary>
/// <summary>The quarterly report as JSON: per unit and measure.</summary>
public sealed record QuarterlyFigures(int Year, int Quarter, IReadOnlyList<QuarterlyRow> Rows);

/// <summary>A unit's confirmation of its quarterly report.</summary>
public sealed record QuarterlyConfirmation(int Year, int Quarter, DateOnly ConfirmedOn);

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

    internal static async Task<IResult> FileComplaint(ComplaintRequest? body, ShixinDatabase database, EntryService entries, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var against = EntryRequestParsing.Required(errors, "againstOrganization", body?.AgainstOrganization, 64);
        var description = EntryRequestParsing.Required(errors, "description", body?.Description, 4000);
        var contact = EntryRequestParsing.Required(errors, "contact", body?.Contact, 200);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = database.CreateContext();
        if (!await db.Organizations.AnyAsync(o => o.Code == against && o.Kind == "unit", ct))
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("被投诉单位应为已登记的联合惩戒单位", "againstOrganization must name a registered unit"),
                new Dictionary<string, Bilingual[]> { ["againstOrganization"] = [new("未找到该单位", "unknown unit")] });
        }

        var today = entries.Today;
        var due = entries.Rules.Due("unit.answer-complaint", today);
        // Issue 15 item 9: a tracking code has about 50 random bits; a drawn code already in use is drawn again, so two
        // complaints never share one (the unique index would otherwise answer a rare 500).
        var trackingCode = TrackingCode();
        for (var attempt = 0; attempt < 5 && await db.Complaints.AnyAsync(c => c.TrackingCode == trackingCode, ct); attempt++)
        {
            trackingCode = TrackingCode();
        }

        var row = new ComplaintRow
        {
            Id = Guid.CreateVersion7(), TrackingCode = trackingCode, AgainstOrganization = against!, CaseNumber = body!.CaseNumber,
            Description = description!, Contact = contact!, Status = "received", ReceivedOn = today, DueOn = due.DueOn, Rule = due.RuleId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Complaints.Add(row);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created("/api/v1/complaints/" + row.TrackingCode, StatusOf(row));
    }

    internal static async Task<IResult> ComplaintByCode(string trackingCode, ShixinDatabase database, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var row = await db.Complaints.AsNoTracking().FirstOrDefaultAsync(c => c.TrackingCode == trackingCode, ct);
        return row is null ? Problems.NotFound(new("该投诉（查询码" + trackingCode + "）", "complaint " + trackingCode)) : TypedResults.Ok(StatusOf(row));
    }

    internal static async Task<IResult> ListComplaints(HttpContext http, ShixinDatabase database, CancellationToken ct)
    {
        var caller = http.GetCaller();
        var hub = caller.HasAny(Roles.HubAdmin, Roles.HubAuditor);
        await using var db = database.CreateContext();
        return TypedResults.Ok(await db.Complaints.AsNoTracking().Where(c => hub || c.AgainstOrganization == caller.OrganizationCode)
            .OrderByDescending(c => c.Id).Take(500).ToListAsync(ct));
    }

    internal static async Task<IResult> Resolve(Guid id, ComplaintResolution? body, HttpContext http, ShixinDatabase database, TimeProvider time, CancellationToken ct)
    {
        // Scope first: another unit learns nothing about the complaint from validation errors.
        var caller = http.GetCaller();
        await using var db = database.CreateContext();
        var row = await db.Complaints.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (row is null)
        {
            return Problems.NotFound(new("该投诉", "complaint " + id.ToString()));
        }

        if (row.AgainstOrganization != caller.OrganizationCode)
        {
            return Problems.Forbidden(new("该投诉针对的是其他单位", "the complaint is about another unit"));
        }

        var errors = new FieldErrors();
        var finding = body?.Finding;
        if (finding is not ("upheld" or "unfounded"))
        {
            errors.Add("finding", new("调查结论：请选择“投诉属实（未采取措施）”或“投诉不属实”", "finding must be 'upheld' (the measure was missed) or 'unfounded'"));
        }

        var answer = EntryRequestParsing.Required(errors, "answer", body?.Answer, 4000);
        var on = EntryRequestParsing.Date(errors, "answeredOn", body?.AnsweredOn);
        if (on > ChinaTime.Today(time))
        {
            errors.Add("answeredOn", new("答复日期不能晚于今天", "answeredOn is in the future"), DomainError.Codes.InvalidDate);
        }

        if (string.Equals(finding, "upheld", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(body?.MeasureApplied))
        {
            // 002 §四(二)8: where the complaint holds, the unit applies the missed measure.
            errors.Add("measureApplied", new("投诉属实的，请填写现已采取的惩戒措施", "an upheld complaint names the measure now applied"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (string.Equals(row.Status, "answered", StringComparison.Ordinal))
        {
            return Problems.Of(DomainError.Codes.IllegalTransition, new("该投诉已答复，不能重复答复", "the complaint was already answered"));
        }

        if (on < row.ReceivedOn)
        {
            return Problems.Of(DomainError.Codes.InvalidDate, new("答复日期不能早于收到投诉日期", "answeredOn precedes the complaint"),
                new Dictionary<string, Bilingual[]> { ["answeredOn"] = [new("答复日期不能早于收到投诉日期", "answeredOn precedes receivedOn")] });
        }

        row.Status = "answered";
        row.Finding = finding;
        row.MeasureApplied = body!.MeasureApplied;
        row.Answer = answer;
        row.AnsweredOn = on;
        Audit.Stage(db, caller, "complaint.resolve", "complaint:" + id.ToString(), finding, time);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(StatusOf(row));
    }

    internal static async Task<IResult> ApplyRepair(CreditRepairRequest? body, HttpContext http, ShixinDatabase database, EntryService entries, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var grounds = EntryRequestParsing.Required(errors, "grounds", body?.Grounds, 4000);
        var applied = EntryRequestParsing.Date(errors, "appliedOn", body?.AppliedOn, required: false) ?? entries.Today;
        if (body?.EntryId is null)
        {
            errors.Add("entryId", new("请指明名单条目", "entryId is required"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // Issue 11 finding 10: the organization decides the application (002 §四(二)6: the subject applies to a unit),
        // so it must be a registered unit; a unit files into its own queue only, the hub on a subject's behalf into any unit's.
        var caller = http.GetCaller();
        var hub = caller.Has(Roles.HubAdmin);
        var org = string.IsNullOrWhiteSpace(body!.Organization) ? (hub ? null : caller.OrganizationCode) : body.Organization.Trim();
        if (org is null || org.Length > 64)
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("请填写受理信用修复申请的单位", "organization must name the unit that decides the application"),
                new Dictionary<string, Bilingual[]> { ["organization"] = [org is null ? new("请填写受理单位", "organization is required") : new("单位代码不能超过64个字符", "at most 64 characters")] });
        }

        if (!hub && !string.Equals(org, caller.OrganizationCode, StringComparison.Ordinal))
        {
            return Problems.Forbidden(new("联合惩戒单位只能登记向本单位提出的信用修复申请", "a unit records credit repair applications made to itself only"));
        }

        await using var db = database.CreateContext();
        if (!await db.Organizations.AsNoTracking().AnyAsync(o => o.Code == org && o.Kind == "unit", ct))
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("“" + org + "”不是已登记的联合惩戒单位", "organization '" + org + "' is not a registered unit"),
                new Dictionary<string, Bilingual[]> { ["organization"] = [new("未找到该单位", "unknown unit")] });
        }

        var status = await db.Entries.AsNoTracking().Where(e => e.Id == body.EntryId).Select(e => e.Status).FirstOrDefaultAsync(ct);
        if (status is null)
        {
            return Problems.NotFound(new("该名单条目", "entry " + body.EntryId.ToString()));
        }

        // 002 §四(二)6: repair follows shielding or revocation (and deletion); a listed entry is not repaired by a unit.
        if (status is not ("shielded" or "revoked" or "deleted" or "expired"))
        {
            return Problems.Of(DomainError.Codes.IllegalTransition, new("条目仍在名单中（或尚未公布），退出名单后方可申请信用修复", "credit repair is possible once the entry has left the list; it is " + status));
        }

        var row = new CreditRepairRow
        {
            Id = Guid.CreateVersion7(), EntryId = body.EntryId!.Value, OrganizationCode = org, Grounds = grounds!, Status = "pending",
            AppliedOn = applied, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.CreditRepairs.Add(row);
        Audit.Stage(db, caller, "credit-repair.apply", "entry:" + row.EntryId.ToString(), org, time);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created("/api/v1/credit-repairs/" + row.Id.ToString(), row);
    }

    internal static async Task<IResult> DecideRepair(Guid id, CreditRepairDecision? body, HttpContext http, ShixinDatabase database, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body?.Outcome is not ("granted" or "refused"))
        {
            errors.Add("outcome", new("审查结论：请选择“准予修复”或“不予修复”", "outcome must be 'granted' or 'refused'"));
        }

        var on = EntryRequestParsing.Date(errors, "decidedOn", body?.DecidedOn);
        if (on > ChinaTime.Today(time))
        {
            errors.Add("decidedOn", new("决定日期不能晚于今天", "decidedOn is in the future"), DomainError.Codes.InvalidDate);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var caller = http.GetCaller();
        await using var db = database.CreateContext();
        var row = await db.CreditRepairs.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null)
        {
            return Problems.NotFound(new("该信用修复申请", "credit repair " + id.ToString()));
        }

        if (row.OrganizationCode != caller.OrganizationCode)
        {
            return Problems.Forbidden(new("该申请由其他单位审查决定", "another unit decides this application"));
        }

        if (!string.Equals(row.Status, "pending", StringComparison.Ordinal))
        {
            return Problems.Of(DomainError.Codes.IllegalTransition, new("该申请已作出决定，不能重复决定", "already decided: " + row.Status));
        }

        if (on < row.AppliedOn)
        {
            return Problems.Of(DomainError.Codes.InvalidDate, new("决定日期不能早于申请日期", "decidedOn precedes the application"),
                new Dictionary<string, Bilingual[]> { ["decidedOn"] = [new("决定日期不能早于申请日期", "decidedOn precedes appliedOn")] });
        }

        row.Status = body!.Outcome!;
        row.DecidedOn = on;
        row.Reasons = body.Reasons;
        Audit.Stage(db, caller, "credit-repair.decide", "credit-repair:" + id.ToString(), row.Status, time);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(row);
    }

    internal static async Task<IResult> ListRepairs(HttpContext http, ShixinDatabase database, CancellationToken ct)
    {
        var caller = http.GetCaller();
        var hub = caller.HasAny(Roles.HubAdmin, Roles.HubAuditor);
        await using var db = database.CreateContext();
        return TypedResults.Ok(await db.CreditRepairs.AsNoTracking().Where(r => hub || r.OrganizationCode == caller.OrganizationCode)
            .OrderByDescending(r => r.Id).Take(500).ToListAsync(ct));
    }

    internal static async Task<IResult> IssueNotice(NoticeRequest? body, HttpContext http, ShixinDatabase database, EntryService entries, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body?.Kind is not ("notice" or "talk"))
        {
            errors.Add("kind", new("请选择通报或约谈", "kind must be 'notice' or 'talk'"));
        }

        var org = EntryRequestParsing.Required(errors, "organization", body?.Organization, 64);
        var subject = EntryRequestParsing.Required(errors, "subject", body?.Subject, 500, label: "事由");
        var on = EntryRequestParsing.Date(errors, "issuedOn", body?.IssuedOn, required: false) ?? entries.Today;
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var caller = http.GetCaller();
        await using var db = database.CreateContext();
        if (!await db.Organizations.AnyAsync(o => o.Code == org, ct))
        {
            return Problems.NotFound(new("单位“" + org + "”", "organization '" + org + "'"));
        }

        var row = new NoticeRow
        {
            Id = Guid.CreateVersion7(), Kind = body!.Kind!, OrganizationCode = org!, IssuedOn = on, Subject = subject!, Detail = body.Detail,
            IssuedBy = caller.OrganizationCode, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Notices.Add(row);
        Audit.Stage(db, caller, "notice." + row.Kind, "organization:" + org, subject, time);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created("/api/v1/notices/" + row.Id.ToString(), row);
    }

    internal static async Task<IResult> ListNotices(HttpContext http, ShixinDatabase database, CancellationToken ct)
    {
        var caller = http.GetCaller();
        var hub = caller.HasAny(Roles.HubAdmin, Roles.HubAuditor);
        await using var db = database.CreateContext();
        return TypedResults.Ok(await db.Notices.AsNoTracking().Where(n => hub || n.OrganizationCode == caller.OrganizationCode)
            .OrderByDescending(n => n.Id).Take(500).ToListAsync(ct));
    }

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
            var noticed = notices.Count(n => n.OrganizationCode == o.Code && n.Kind == "notice" && n.IssuedOn.Year == year);
            var talks = notices.Count(n => n.OrganizationCode == o.Code && n.Kind == "talk");
            var judged = metOnTime + metLate + overdue;

            // 002 §四(四): notified twice or more in a year → no honours and lost performance points; a talk without improvement → discipline.
            string? flag = noticed >= 2 ? "两次以上通报：取消评优评先资格并扣减绩效考核分" : talks > 0 && overdue > 0 ? "约谈后仍未整改：移送纪律处理" : null;
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
                feedback.Count(f => f.OrganizationCode == u.Code && f.Action == "applied"), feedback.Count(f => f.OrganizationCode == u.Code && f.Action == "lifted"),
                feedback.Count(f => f.OrganizationCode == u.Code && f.Action == "suspended"), overdue));
            foreach (var m in feedback.Where(f => f.OrganizationCode == u.Code).GroupBy(f => f.MeasureCode).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                rows.Add(new QuarterlyRow(u.Code, u.Name, m.Key, 0, 0, m.Count(f => f.Action == "applied"), m.Count(f => f.Action == "lifted"),
                    m.Count(f => f.Action == "suspended"), 0));
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

    internal static async Task<IResult> Confirm(HttpContext http, ShixinDatabase database, EntryService entries, int? year, int? quarter, string? note, CancellationToken ct)
    {
        if (!QuarterlyReports.Valid(year, quarter))
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("请选择有效的年度和季度（1至4）", "year and quarter (1–4) are required as query parameters"));
        }

        // A report covers a whole quarter: it is confirmed after the quarter ends, within 30 days (003 §四(四)).
        if (QuarterlyReports.LastDay(year!.Value, quarter!.Value) >= entries.Today)
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("该季度尚未结束，季度最后一天之后方可确认报告", "the quarter has not ended yet; its report is confirmed after its last day"),
                new Dictionary<string, Bilingual[]> { ["quarter"] = [new("该季度尚未结束", "not ended")] });
        }

        var caller = http.GetCaller();
        await using var db = database.CreateContext();
        if (await db.ReportConfirmations.AnyAsync(r => r.OrganizationCode == caller.OrganizationCode && r.Year == year && r.Quarter == quarter, ct))
        {
            return Problems.Of("conflict", new("本季度报告已确认，无需重复确认", "this quarter is already confirmed"));
        }

        db.ReportConfirmations.Add(new ReportConfirmationRow { OrganizationCode = caller.OrganizationCode, Year = year!.Value, Quarter = quarter!.Value, ConfirmedOn = entries.Today, Note = note });
        await db.SaveChangesAsync(ct);
        return TypedResults.Created("/api/v1/reports/quarterly?year=" + year!.Value.ToString(CultureInfo.InvariantCulture), new QuarterlyConfirmation(year.Value, quarter!.Value, entries.Today));
    }

    internal static async Task<IResult> SpecialNotice(Guid id, HttpContext http, EntryService entries, ShixinDatabase database, PdfRenderer pdf, string? format, CancellationToken ct)
    {
        if (format is not (null or "html" or "pdf"))
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("格式应为网页（HTML）或PDF", "format must be html or pdf"),
                new Dictionary<string, Bilingual[]> { ["format"] = [new("格式应为HTML或PDF", "html or pdf")] });
        }

        var (html, problem) = await SpecialNoticeHtmlAsync(id, http.GetCaller(), entries, database, ct);
        if (problem is not null)
        {
            return problem;
        }

        return format == "pdf"
            ? await pdf.FileAsync(html!, "special-notification-" + id.ToString() + ".pdf", ct)
            : TypedResults.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>The notification to a special subject's organization as a whole HTML document, or the problem why there is none.</summary>
    public static async Task<(string? Html, IResult? Problem)> SpecialNoticeHtmlAsync(Guid id, Caller caller, EntryService entries, ShixinDatabase database, CancellationToken ct)
    {
        var s = await entries.LoadAsync(id, ct);
        if (s is null)
        {
            return (null, Problems.NotFound(new("该名单条目", "entry " + id.ToString())));
        }

        if (!EntryService.MayRead(caller, s) && !caller.HasAny(Roles.HubAdmin, Roles.HubAuditor))
        {
            return (null, Problems.Forbidden(new("该名单条目属于其他法院", "the entry belongs to another court")));
        }

        if (s.SpecialStatus is null && !string.Equals(s.Publicity, "restricted", StringComparison.Ordinal))
        {
            return (null, Problems.Of(DomainError.Codes.IllegalTransition, new("被执行人无特殊身份，且该条目为公开条目，无需通报", "the debtor has no special status and the entry is not restricted: no notification is due")));
        }

        await using var db = database.CreateContext();
        var court = await db.Organizations.AsNoTracking().Where(o => o.Code == s.CourtCode).Select(o => o.Name).FirstAsync(ct);
        var addressee = SpecialAddressee(s.SpecialStatus);
        Func<string?, string> e = s => WebUtility.HtmlEncode(s ?? "");
        var html = $$"""
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>失信被执行人通知书</title>
            {{NoticeStyle}}</head><body>
            <h1>关于将{{e(s.Subject.Name)}}纳入失信被执行人名单的通知</h1>
            <p>{{e(addressee)}}：</p>
            <p>本院在执行{{e(s.CaseNumber)}}案件中，依照《最高人民法院关于公布失信被执行人名单信息的若干规定》，已于{{e(s.DecidedOn?.ToString("yyyy年M月d日", CultureInfo.InvariantCulture) ?? "")}}决定将
            {{e(s.Subject.Name)}}（{{e(s.Subject.IdNumber ?? s.Subject.CreditCode ?? s.Subject.OrganizationCode ?? "")}}）纳入失信被执行人名单。失信情形：{{e(string.Join("；", s.Circumstances.Select(Circumstances.TitleZh)))}}。</p>
            <p>根据该规定第八条及相关文件要求，特此通知，请依照有关规定予以处理，并将处理情况函告本院。</p>
            <p class="sign">{{e(court)}}<br>{{e(entries.Today.ToString("yyyy年M月d日", CultureInfo.InvariantCulture))}}</p>
            </body></html>
            """;
        return (html, null);
    }

    /// <summary>Whom the special-subject notification addresses, by the debtor's special status.</summary>
    public static string SpecialAddressee(string? specialStatus) => specialStatus switch
    {
        "civil-servant" => "被执行人所在单位（人事部门）",
        "party-member" => "被执行人所在党组织",
        "state-owned" or "state-organ" => "被执行人的上级单位或主管部门",
        "npc-deputy" => "人民代表大会常务委员会",
        "cppcc-member" => "政协常务委员会",
        _ => "被执行人所在单位",
    };

    internal static async Task<IResult> RecordDelivery(Guid id, SpecialNotificationRequest? body, HttpContext http, SpecialNotifications notifications, CancellationToken ct)
    {
        var (row, problem) = await notifications.RecordAsync(id, body, http.GetCaller(), ct);
        return problem ?? TypedResults.Created("/api/v1/entries/" + id.ToString() + "/special-notification", row);
    }

    private const string NoticeStyle = "<style>body{font-family:\"SimSun\",\"Songti SC\",serif;max-width:720px;margin:40px auto;line-height:1.9}"
        + "h1{text-align:center;font-size:22px}.sign{text-align:right;margin-top:48px}@media print{body{margin:20mm}}</style>";

    /// <summary>A complaint not answered by its due date (the duty list and the pages use this one rule).</summary>
    public static bool IsOverdue(ComplaintRow c, DateOnly today) => c.AnsweredOn is null && today > c.DueOn;

    private static ComplaintStatus StatusOf(ComplaintRow c) => new(c.TrackingCode, c.Status, c.AgainstOrganization, c.ReceivedOn, c.DueOn, c.Answer, c.AnsweredOn);

    private static string TrackingCode()
    {
        // Unambiguous characters only, so a code read out over the phone is not misheard.
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        Span<char> code = stackalloc char[10];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return "TS" + new string(code);
    }
}
