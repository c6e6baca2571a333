using System.Collections.Immutable;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Catalogs;
using Shixin.Core.Entries;
using Shixin.Core.Identifiers;
using Shixin.Core.Investigations;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Investigations;

/// <summary>
/// Investigation and control, as actions: the API's endpoints, the consoles' pages and the demo seeder all call these
/// methods with the caller, so one set of rules (who may ask, who may answer, what is read and audited) serves every path.
/// </summary>
public sealed class InvestigationService(InvestigationStore store, Audit audit, MeasureCatalogs catalogs)
{
    /// <summary>The day the service's clock reads, in China time: the day requests and answers are dated.</summary>
    public DateOnly Today => store.Today;

    /// <summary>The service clock's instant.</summary>
    public DateTimeOffset Now => store.Time.GetUtcNow();

    // ---------------------------------------------------------------- requests

    public async Task<Outcome<InvestigationView>> OpenAsync(Caller caller, InvestigationRequest? body, CancellationToken ct)
    {
        if (body is null)
        {
            return Problems.Of("invalid-request-body", Courts.EntriesApi.BodyRequired);
        }

        var errors = new FieldErrors();
        string? caseNumber = null;
        if (string.IsNullOrWhiteSpace(body.CaseNumber))
        {
            errors.Add("caseNumber", new("请填写案号，如（2025）宁0104执123号", "caseNumber is required, e.g. (2025)宁0104执123号"));
        }
        else if (!CaseNumber.TryParse(body.CaseNumber.Trim(), out var cn, out var cnError))
        {
            errors.AddIdentifier("caseNumber", cnError);
        }
        else
        {
            caseNumber = cn.Value;
        }

        var subjectKey = SubjectKey(errors, body.Subject, out var subjectName);
        var kinds = body.Kinds ?? [];
        if (kinds.Length == 0)
        {
            errors.Add("kinds", new("请至少选择一类查询事项", "name at least one kind: " + string.Join(", ", InvestigationKinds.All.Select(k => k.Code))));
        }

        var units = (body.Units ?? []).Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim()).Distinct(StringComparer.Ordinal).ToArray();
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = store.Database.CreateContext();
        if (body.EntryId is { } entryId)
        {
            var entry = await db.Entries.AsNoTracking().Where(e => e.Id == entryId).Select(e => new { e.CourtCode, e.CaseNumber }).FirstOrDefaultAsync(ct);
            if (entry is null)
            {
                return Problems.NotFound(new("该名单条目", "entry " + entryId));
            }

            if (!string.Equals(entry.CourtCode, caller.OrganizationCode, StringComparison.Ordinal))
            {
                return Problems.Forbidden(new("该名单条目属于其他法院", "the entry belongs to another court"));
            }
        }

        if (units.Length > 0)
        {
            var known = await db.Organizations.AsNoTracking().Where(o => units.Contains(o.Code) && o.Kind == "unit").Select(o => o.Code).ToListAsync(ct);
            foreach (var u in units.Where(u => !known.Contains(u, StringComparer.Ordinal)))
            {
                errors.Add("units", new("协助单位“" + u + "”尚未登记", "unit '" + u + "' is not a registered unit"), "unknown-unit");
            }

            if (errors.Any)
            {
                return errors.ToProblem();
            }
        }

        var routes = await store.RoutesAsync(db, ct);
        var state = InvestigationDecider.Open(new OpenInvestigation(Guid.CreateVersion7(), caller.OrganizationCode, caller.Region, caseNumber!, body.EntryId,
            subjectKey!, subjectName!, kinds, units.Length > 0 ? units : null, store.Today), routes, store.RuleSet, store.Calendar, Guid.CreateVersion7, out var error);
        if (error is not null)
        {
            return Problems.From(error);
        }

        var now = store.Now;
        db.Investigations.Add(new InvestigationRow
        {
            Id = state.Id, CourtCode = state.CourtCode, CaseNumber = state.CaseNumber, EntryId = state.EntryId, SubjectKey = state.SubjectKey,
            RequestedOn = state.RequestedOn, Version = 1, CreatedAt = now, UpdatedAt = now, StateJson = InvestigationStore.Write(state),
        });
        foreach (var t in state.Tasks)
        {
            db.InvestigationTasks.Add(new InvestigationTaskRow
            {
                Id = t.Id, InvestigationId = state.Id, CourtCode = state.CourtCode, UnitCode = t.UnitCode, Kind = t.Kind, DueOn = t.Due.DueOn,
            });
        }

        Audit.Stage(db, caller, "investigation.open", "investigation:" + state.Id, state.Tasks.Length.ToString(CultureInfo.InvariantCulture) + " tasks", store.Time);
        await db.SaveChangesAsync(ct);
        return View(state, [], store);
    }

    public async Task<Outcome<Page<InvestigationListItem>>> ListAsync(Caller caller, string? status, string? cursor, int? limit, CancellationToken ct)
    {
        if (status is not (null or "open" or "answered" or "overdue"))
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("状态筛选应为“待答复”“已答复”或“已逾期”", "status must be open, answered or overdue"));
        }

        Guid? after = null;
        if (cursor is not null)
        {
            if (!Guid.TryParse(cursor, out var a))
            {
                return Problems.Of(DomainError.Codes.ValidationFailed, new("翻页位置无效，请从第一页重新查询", "cursor is not one this server issued"));
            }

            after = a;
        }

        var take = Math.Clamp(limit ?? 50, 1, 200);
        var today = store.Today;
        await using var db = store.Database.CreateContext();
        if (caller.Has(Roles.UnitAssist) && !caller.HasAny(Roles.CourtClerk, Roles.CourtJudge, Roles.HubAuditor))
        {
            // A unit sees only the tasks addressed to it, with the subject it is to search (personal data: the read is audited).
            var q = db.InvestigationTasks.AsNoTracking().Where(t => t.UnitCode == caller.OrganizationCode);
            q = status switch
            {
                "answered" => q.Where(t => t.AnsweredOn != null),
                "overdue" => q.Where(t => t.AnsweredOn == null && t.DueOn < today),
                "open" => q.Where(t => t.AnsweredOn == null && t.DueOn >= today),
                _ => q,
            };
            if (after is { } af)
            {
                q = q.Where(t => t.Id.CompareTo(af) > 0);
            }

            var rows = await q.OrderBy(t => t.Id).Take(take + 1).ToListAsync(ct);
            var ids = rows.Select(r => r.InvestigationId).Distinct().ToList();
            var states = (await db.Investigations.AsNoTracking().Where(i => ids.Contains(i.Id)).Select(i => i.StateJson).ToListAsync(ct))
                .Select(InvestigationStore.ReadInvestigation).ToDictionary(s => s.Id);
            var items = rows.Take(take).Select(r =>
            {
                var s = states[r.InvestigationId];
                var t = s.Tasks.Single(x => x.Id == r.Id);
                return new InvestigationListItem(r.Id, s.Id, s.CourtCode, s.CaseNumber, Subject(s), s.RequestedOn, t.StatusOn(today), t.UnitCode, t.Kind,
                    InvestigationStore.KindZh(t.Kind), t.Due.DueOn, 1, t.Answer is null ? 0 : 1, t.StatusOn(today) == "overdue" ? 1 : 0);
            }).ToImmutableArray();
            await audit.RecordAsync(caller.OrganizationCode, caller.KeyId, "investigation.tasks", "unit:" + caller.OrganizationCode, null, status, null,
                string.Join(",", items.Select(i => i.Id)), ct);
            return new Page<InvestigationListItem>(items, rows.Count > take ? rows[take - 1].Id.ToString() : null);
        }

        var requests = db.Investigations.AsNoTracking();
        if (!caller.Has(Roles.HubAuditor))
        {
            requests = requests.Where(i => i.CourtCode == caller.OrganizationCode);
        }

        var tasks = db.InvestigationTasks;
        requests = status switch
        {
            "answered" => requests.Where(i => !tasks.Any(t => t.InvestigationId == i.Id && t.AnsweredOn == null)),
            "overdue" => requests.Where(i => tasks.Any(t => t.InvestigationId == i.Id && t.AnsweredOn == null && t.DueOn < today)),
            "open" => requests.Where(i => tasks.Any(t => t.InvestigationId == i.Id && t.AnsweredOn == null)
                && !tasks.Any(t => t.InvestigationId == i.Id && t.AnsweredOn == null && t.DueOn < today)),
            _ => requests,
        };
        if (after is { } af2)
        {
            requests = requests.Where(i => i.Id.CompareTo(af2) > 0);
        }

        var page = await requests.OrderBy(i => i.Id).Take(take + 1).Select(i => i.StateJson).ToListAsync(ct);
        var list = page.Take(take).Select(InvestigationStore.ReadInvestigation).Select(s => new InvestigationListItem(s.Id, null, s.CourtCode, s.CaseNumber, Subject(s),
            s.RequestedOn, s.StatusOn(today), null, null, null, s.Tasks.Select(t => (DateOnly?)t.Due.DueOn).Max(), s.Tasks.Length,
            s.Tasks.Count(t => t.Answer is not null), s.Tasks.Count(t => t.StatusOn(today) == "overdue"))).ToImmutableArray();
        await audit.RecordAsync(caller.OrganizationCode, caller.KeyId, "investigation.list", "court:" + caller.OrganizationCode, null, status, null,
            string.Join(",", list.Select(i => i.Id)), ct);
        return new Page<InvestigationListItem>(list, page.Count > take ? list[^1].Id.ToString() : null);
    }

    /// <summary>One task for the unit it is addressed to (the unit console's answer form); the read is audited like the list.</summary>
    public async Task<Outcome<InvestigationListItem>> GetTaskAsync(Caller caller, Guid taskId, CancellationToken ct)
    {
        await using var db = store.Database.CreateContext();
        var row = await db.InvestigationTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct);
        if (row is null)
        {
            return Problems.NotFound(new("该查询任务", "investigation task " + taskId));
        }

        if (!string.Equals(row.UnitCode, caller.OrganizationCode, StringComparison.Ordinal))
        {
            return Problems.Forbidden(new("该任务发给的是其他单位", "the task is addressed to another unit"));
        }

        var today = store.Today;
        var s = InvestigationStore.ReadInvestigation(await db.Investigations.AsNoTracking().Where(i => i.Id == row.InvestigationId).Select(i => i.StateJson).FirstAsync(ct));
        var t = s.Tasks.Single(x => x.Id == taskId);
        await audit.RecordAsync(caller.OrganizationCode, caller.KeyId, "investigation.task", "investigation-task:" + taskId, s.SubjectKey, t.StatusOn(today), null, null, ct);
        return new InvestigationListItem(t.Id, s.Id, s.CourtCode, s.CaseNumber, Subject(s), s.RequestedOn, t.StatusOn(today), t.UnitCode, t.Kind,
            InvestigationStore.KindZh(t.Kind), t.Due.DueOn, 1, t.Answer is null ? 0 : 1, t.StatusOn(today) == "overdue" ? 1 : 0);
    }

    /// <summary>One control task for the unit it is addressed to, or for the court that asked.</summary>
    public async Task<Outcome<ControlView>> GetControlAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var db = store.Database.CreateContext();
        var row = await db.Controls.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (row is null)
        {
            return Problems.NotFound(new("该控制任务", "control task " + id));
        }

        if (!string.Equals(row.UnitCode, caller.OrganizationCode, StringComparison.Ordinal) && !string.Equals(row.CourtCode, caller.OrganizationCode, StringComparison.Ordinal)
            && !caller.Has(Roles.HubAuditor))
        {
            return Problems.Forbidden(new("该控制任务属于其他单位或法院", "the control belongs to another unit or court"));
        }

        var state = InvestigationStore.ReadControl(row.StateJson);
        var followUps = (await db.Controls.AsNoTracking().Where(c => c.OfControlId == id).Select(c => c.StateJson).ToListAsync(ct)).Select(InvestigationStore.ReadControl).ToList();
        await audit.RecordAsync(caller.OrganizationCode, caller.KeyId, "control.read", "control:" + id, null, state.StatusOn(store.Today), null, null, ct);
        return ControlViewOf(state, followUps, store);
    }

    public async Task<Outcome<InvestigationView>> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var db = store.Database.CreateContext();
        var row = await db.Investigations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (row is null)
        {
            return Problems.NotFound(new("该查询请求", "investigation " + id));
        }

        // Findings are personal financial data: the requesting court and hub auditors only (API.md), every read audited.
        if (!caller.Has(Roles.HubAuditor) && !string.Equals(row.CourtCode, caller.OrganizationCode, StringComparison.Ordinal))
        {
            return Problems.Forbidden(new("只有发起查询的法院和平台审计员可以查看查询请求及其结果", "only the requesting court and hub auditors see a request and its findings"));
        }

        var state = InvestigationStore.ReadInvestigation(row.StateJson);
        var taskIds = state.Tasks.Select(t => (Guid?)t.Id).ToList();
        var controls = (await db.Controls.AsNoTracking().Where(c => c.CourtCode == state.CourtCode).Select(c => c.StateJson).ToListAsync(ct))
            .Select(InvestigationStore.ReadControl).ToList();
        var linked = controls.Where(c => taskIds.Contains(c.InvestigationTaskId)).ToList();
        await audit.RecordAsync(caller.OrganizationCode, caller.KeyId, "investigation.read", "investigation:" + id, state.SubjectKey,
            state.Tasks.Any(t => t.Answer is { NoneFound: false }) ? "found" : "none", null,
            state.Tasks.Sum(t => t.Answer?.Findings.Length ?? 0).ToString(CultureInfo.InvariantCulture) + " findings shown", ct);
        return View(state, [.. linked.Select(c => ControlViewOf(c, controls, store))], store);
    }

    /// <summary>Validates and records one answer; the single and the batch path go through here alike.</summary>
    public async Task<Outcome<InvestigationTaskView>> AnswerAsync(Caller caller, Guid id, TaskAnswerRequest? body, CancellationToken ct)
    {
        if (body is null)
        {
            return Problems.Of("invalid-request-body", Courts.EntriesApi.BodyRequired);
        }

        var errors = new FieldErrors();
        var answeredAt = Instant(errors, "answeredAt", body.AnsweredAt, store);
        if (body.NoneFound is null)
        {
            errors.Add("noneFound", new("请注明是否查到（未查到，或填写查询结果）", "noneFound is required: true when nothing was found, false with findings"));
        }

        var findings = new List<Finding>();
        var i = 0;
        foreach (var f in body.Findings ?? [])
        {
            var at = "findings[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            if (f is null)
            {
                errors.Add(at, new("查询结果格式有误", "a finding is an object"));
                i++;
                continue;
            }

            if (!InvestigationKinds.IsKnown(f.Kind))
            {
                errors.Add(at + ".kind", new("查询事项应为" + string.Join("、", InvestigationKinds.All.Select(k => k.TitleZh)) + "之一", "kind must be one of " + string.Join(", ", InvestigationKinds.All.Select(k => k.Code))), InvestigationErrors.UnknownKind);
            }

            var institution = EntryRequestParsing.Required(errors, at + ".institution", f.Institution, 200);
            var holder = EntryRequestParsing.Required(errors, at + ".holderName", f.HolderName, 200);
            var identifier = EntryRequestParsing.Required(errors, at + ".identifier", f.Identifier, 200);
            var asOf = EntryRequestParsing.Date(errors, at + ".asOf", f.AsOf);
            if (f.Amount is < 0)
            {
                errors.Add(at + ".amount", new("金额不能为负数", "amount cannot be negative"));
            }

            if (f.Currency is { } cur && (cur.Length != 3 || !cur.All(char.IsAsciiLetterUpper)))
            {
                errors.Add(at + ".currency", new("币种应为ISO 4217代码，如CNY（人民币）", "currency is an ISO 4217 code such as CNY"));
            }

            if (asOf is { } d && d > store.Today)
            {
                errors.Add(at + ".asOf", new("截至日期不能晚于今天", "asOf is in the future"), DomainError.Codes.InvalidDate);
            }

            if (f.Details is { Length: > 2000 })
            {
                errors.Add(at + ".details", new("详细情况不能超过2000个字", "details is at most 2000 characters"));
            }

            if (institution is not null && holder is not null && identifier is not null && asOf is not null && InvestigationKinds.IsKnown(f.Kind))
            {
                findings.Add(new Finding(f.Kind!, institution, holder, identifier, f.Amount, f.Currency ?? (f.Amount is null ? null : "CNY"), asOf.Value, f.Details?.Trim()));
            }

            i++;
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // Two units answering tasks of one request at once: the version check makes the later one reload and retry.
        for (var attempt = 0; ; attempt++)
        {
            await using var db = store.Database.CreateContext();
            var task = await db.InvestigationTasks.FirstOrDefaultAsync(t => t.Id == id, ct);
            if (task is null)
            {
                return Problems.NotFound(new("该查询任务", "investigation task " + id));
            }

            if (!string.Equals(task.UnitCode, caller.OrganizationCode, StringComparison.Ordinal))
            {
                return Problems.Forbidden(new("该任务发给的是其他单位", "the task is addressed to another unit"));
            }

            var row = await db.Investigations.FirstAsync(x => x.Id == task.InvestigationId, ct);
            var state = InvestigationStore.ReadInvestigation(row.StateJson);
            var next = InvestigationDecider.Answer(state, new AnswerTask(id, caller.OrganizationCode, answeredAt!.Value, ChinaTime.DateOf(answeredAt.Value),
                body.NoneFound!.Value, findings, store.Today), out var error);
            if (error is not null)
            {
                return Problems.From(error);
            }

            var answered = next.Tasks.Single(t => t.Id == id);
            row.StateJson = InvestigationStore.Write(next);
            row.Version++;
            row.UpdatedAt = store.Now;
            task.AnsweredOn = answered.Answer!.AnsweredOn;
            task.NoneFound = answered.Answer.NoneFound;
            Audit.Stage(db, caller, "investigation.answer", "investigation-task:" + id, answered.Answer.NoneFound ? "none found" : findings.Count + " findings", store.Time);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                continue;
            }

            return TaskView(answered, store.Today);
        }
    }

    // ---------------------------------------------------------------- routing table

    public async Task<RoutingTable> RoutesAsync(CancellationToken ct)
    {
        await using var db = store.Database.CreateContext();
        return await TableAsync(db, catalogs, ct);
    }

    public async Task<Outcome<RoutingTable>> PutRoutesAsync(Caller caller, RoutesBody? body, CancellationToken ct)
    {
        if (body?.Routes is null)
        {
            return Problems.Of("invalid-request-body", new("请求内容为空：请以JSON格式提交路由表", "a JSON body { routes: [{region, kind, unitCode}] } is required"));
        }

        var errors = new FieldErrors();
        await using var db = store.Database.CreateContext();
        var codes = body.Routes.Select(r => r?.UnitCode?.Trim()).Where(c => c is not null).Distinct().ToList();
        var units = await db.Organizations.AsNoTracking().Where(o => codes.Contains(o.Code) && o.Kind == "unit").Select(o => o.Code).ToListAsync(ct);
        var rows = new Dictionary<(string, string, string), InvestigationRouteRow>();
        for (var i = 0; i < body.Routes.Length; i++)
        {
            var r = body.Routes[i];
            var at = "routes[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            if (r is null)
            {
                errors.Add(at, new("路由格式有误", "a route is an object {region, kind, unitCode}"));
                continue;
            }

            if (!RegionCodes.IsValid(r.Region?.Trim()))
            {
                errors.Add(at + ".region", new("行政区划代码应为6位数字（GB/T 2260；全国为000000）", "region is a 6-digit GB/T 2260 code (000000 for the whole country)"), "invalid-region");
            }

            if (!InvestigationKinds.IsKnown(r.Kind?.Trim()))
            {
                errors.Add(at + ".kind", new("查询事项应为" + string.Join("、", InvestigationKinds.All.Select(k => k.TitleZh)) + "之一", "kind must be one of " + string.Join(", ", InvestigationKinds.All.Select(k => k.Code))), InvestigationErrors.UnknownKind);
            }

            if (r.UnitCode is null || !units.Contains(r.UnitCode.Trim(), StringComparer.Ordinal))
            {
                errors.Add(at + ".unitCode", new("协助单位尚未登记", "unitCode must be a registered unit"), "unknown-unit");
            }

            if (!errors.Any)
            {
                var key = (r.Region!.Trim(), r.Kind!.Trim(), r.UnitCode!.Trim());
                rows[key] = new InvestigationRouteRow { Region = key.Item1, Kind = key.Item2, UnitCode = key.Item3, UpdatedAt = store.Now };
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.InvestigationRoutes.RemoveRange(await db.InvestigationRoutes.ToListAsync(ct));
            await db.SaveChangesAsync(ct);
            db.InvestigationRoutes.AddRange(rows.Values);
            Audit.Stage(db, caller, "investigation.routes", "investigation-routes", rows.Count.ToString(CultureInfo.InvariantCulture) + " routes", store.Time);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return await TableAsync(db, catalogs, ct);
    }

    private static async Task<RoutingTable> TableAsync(ShixinDbContext db, MeasureCatalogs catalogs, CancellationToken ct)
    {
        var names = await db.Organizations.AsNoTracking().Where(o => o.Kind == "unit").ToDictionaryAsync(o => o.Code, o => o.Name, ct);
        var routes = await db.InvestigationRoutes.AsNoTracking().OrderBy(r => r.Region).ThenBy(r => r.Kind).ThenBy(r => r.UnitCode).ToListAsync(ct);
        return new RoutingTable(
            [.. routes.Select(r => new RouteView(r.Region, r.Kind, r.UnitCode, names.GetValueOrDefault(r.UnitCode)))],
            [.. InvestigationKinds.All.Select(k => new KindView(k.Code, k.TitleZh, k.TitleEn, k.Property switch
            {
                PropertyClass.Deposits => "deposits",
                PropertyClass.Movables => "movables",
                PropertyClass.PropertyRights => "property-rights",
                _ => "none",
            }, k.Source))],
            [.. RouteSeeds.All.Select(s => catalogs.TryGetClause(s.ClauseId, out var clause)
                ? new RouteSeedView(s.ClauseId, s.Region, [.. s.Kinds], [.. clause.Measure.ResponsibleUnits], clause.Text)
                : new RouteSeedView(s.ClauseId, s.Region, [.. s.Kinds], [], ""))]);
    }

    // ---------------------------------------------------------------- controls

    public async Task<Outcome<ControlView>> RequestControlAsync(Caller caller, ControlRequestBody? body, CancellationToken ct)
    {
        if (body is null)
        {
            return Problems.Of("invalid-request-body", Courts.EntriesApi.BodyRequired);
        }

        var errors = new FieldErrors();
        var target = EntryRequestParsing.Required(errors, "target", body.Target, 500);
        var ruling = EntryRequestParsing.Required(errors, "rulingNumber", body.RulingNumber, 100);
        var until = EntryRequestParsing.Date(errors, "until", body.Until, required: false);
        if (body.Amount is < 0)
        {
            errors.Add("amount", new("金额不能为负数", "amount cannot be negative"));
        }

        if (body.InvestigationTaskId is null && string.IsNullOrWhiteSpace(body.Unit) && body.ControlId is null)
        {
            errors.Add("unit", new("请指明协助执行的单位（或所依据的查询任务；续行、解除须指明原控制措施）", "name the unit, or the investigationTaskId whose unit is to act (controlId for a renewal or release)"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = store.Database.CreateContext();
        var unit = body.Unit?.Trim();
        var propertyKind = body.PropertyKind?.Trim();
        if (body.InvestigationTaskId is { } taskId)
        {
            var task = await db.InvestigationTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct);
            if (task is null)
            {
                return Problems.NotFound(new("该查询任务", "investigation task " + taskId));
            }

            if (!string.Equals(task.CourtCode, caller.OrganizationCode, StringComparison.Ordinal))
            {
                return Problems.Forbidden(new("该查询请求属于其他法院", "the investigation belongs to another court"));
            }

            unit ??= task.UnitCode;
            propertyKind ??= task.Kind;
        }

        ControlState? of = null;
        if (body.ControlId is { } controlId)
        {
            var ofRow = await db.Controls.AsNoTracking().FirstOrDefaultAsync(c => c.Id == controlId, ct);
            if (ofRow is null)
            {
                return Problems.NotFound(new("该控制措施", "control " + controlId));
            }

            if (!string.Equals(ofRow.CourtCode, caller.OrganizationCode, StringComparison.Ordinal))
            {
                return Problems.Forbidden(new("该控制措施属于其他法院", "the control belongs to another court"));
            }

            of = InvestigationStore.ReadControl(ofRow.StateJson);
            unit ??= of.UnitCode;
        }

        if (!await db.Organizations.AsNoTracking().AnyAsync(o => o.Code == unit && o.Kind == "unit", ct))
        {
            return Problems.Of("unknown-unit", new("协助单位“" + unit + "”尚未登记", "unit '" + unit + "' is not a registered unit"), new Dictionary<string, Bilingual[]> { ["unit"] = [new("该单位尚未登记", "not a registered unit")] });
        }

        var state = ControlDecider.Request(new RequestControl(Guid.CreateVersion7(), caller.OrganizationCode, unit!, body.Kind?.Trim() ?? "", propertyKind, target!,
            body.Amount, ruling!, until, body.InvestigationTaskId, of, store.Today), store.RuleSet, store.Calendar, out var error);
        if (error is not null)
        {
            return Problems.From(error);
        }

        var now = store.Now;
        db.Controls.Add(new ControlRow
        {
            Id = state.Id, CourtCode = state.CourtCode, UnitCode = state.UnitCode, Kind = state.Kind, OfControlId = state.OfControlId, DueOn = state.Due.DueOn,
            Version = 1, CreatedAt = now, UpdatedAt = now, StateJson = InvestigationStore.Write(state),
        });
        Audit.Stage(db, caller, "control.request", "control:" + state.Id, state.Kind + " by " + state.UnitCode, store.Time);
        await db.SaveChangesAsync(ct);
        return ControlViewOf(state, [], store);
    }

    public async Task<Outcome<Page<ControlView>>> ListControlsAsync(Caller caller, string? status, string? cursor, int? limit, CancellationToken ct)
    {
        if (status is not (null or "open" or "overdue" or "executed" or "partial" or "refused"))
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("状态筛选应为“待执行”“已逾期”“已执行”“部分执行”或“未执行”", "status must be open, overdue, executed, partial or refused"));
        }

        Guid? after = null;
        if (cursor is not null)
        {
            if (!Guid.TryParse(cursor, out var a))
            {
                return Problems.Of(DomainError.Codes.ValidationFailed, new("翻页位置无效，请从第一页重新查询", "cursor is not one this server issued"));
            }

            after = a;
        }

        var take = Math.Clamp(limit ?? 50, 1, 200);
        var today = store.Today;
        await using var db = store.Database.CreateContext();
        var q = db.Controls.AsNoTracking();
        if (caller.HasAny(Roles.CourtClerk, Roles.CourtJudge))
        {
            q = q.Where(c => c.CourtCode == caller.OrganizationCode);
        }
        else if (!caller.Has(Roles.HubAuditor))
        {
            q = q.Where(c => c.UnitCode == caller.OrganizationCode);
        }

        q = status switch
        {
            "open" => q.Where(c => c.Outcome == null && c.DueOn >= today),
            "overdue" => q.Where(c => c.Outcome == null && c.DueOn < today),
            null => q,
            _ => q.Where(c => c.Outcome == status),
        };
        if (after is { } af)
        {
            q = q.Where(c => c.Id.CompareTo(af) > 0);
        }

        var rows = (await q.OrderBy(c => c.Id).Take(take + 1).Select(c => c.StateJson).ToListAsync(ct)).Select(InvestigationStore.ReadControl).ToList();
        var ids = rows.Select(r => (Guid?)r.Id).ToList();
        var followUps = (await db.Controls.AsNoTracking().Where(c => ids.Contains(c.OfControlId)).Select(c => c.StateJson).ToListAsync(ct))
            .Select(InvestigationStore.ReadControl).ToList();
        var items = rows.Take(take).Select(c => ControlViewOf(c, followUps, store)).ToImmutableArray();
        await audit.RecordAsync(caller.OrganizationCode, caller.KeyId, "control.list", "org:" + caller.OrganizationCode, null, status, null,
            string.Join(",", items.Select(i => i.Id)), ct);
        return new Page<ControlView>(items, rows.Count > take ? items[^1].Id.ToString() : null);
    }

    public async Task<Outcome<ControlView>> AnswerControlAsync(Caller caller, Guid id, ControlAnswerBody? body, CancellationToken ct)
    {
        if (body is null)
        {
            return Problems.Of("invalid-request-body", Courts.EntriesApi.BodyRequired);
        }

        var errors = new FieldErrors();
        var executedAt = Instant(errors, "executedAt", body.ExecutedAt, store);
        var until = EntryRequestParsing.Date(errors, "until", body.Until, required: false);
        if (body.Outcome is not (ControlDecider.Executed or ControlDecider.Partial or ControlDecider.Refused))
        {
            errors.Add("outcome", new("执行结果：请选择“已执行”“部分执行”或“未执行”", "outcome must be executed, partial or refused"));
        }

        if (body.Amount is < 0)
        {
            errors.Add("amount", new("金额不能为负数", "amount cannot be negative"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        for (var attempt = 0; ; attempt++)
        {
            await using var db = store.Database.CreateContext();
            var row = await db.Controls.FirstOrDefaultAsync(c => c.Id == id, ct);
            if (row is null)
            {
                return Problems.NotFound(new("该控制任务", "control task " + id));
            }

            if (!string.Equals(row.UnitCode, caller.OrganizationCode, StringComparison.Ordinal))
            {
                return Problems.Forbidden(new("该控制任务发给的是其他单位", "the control task is addressed to another unit"));
            }

            var state = InvestigationStore.ReadControl(row.StateJson);
            ControlState? renewed = null;
            if (state.OfControlId is { } ofId)
            {
                renewed = InvestigationStore.ReadControl(await db.Controls.AsNoTracking().Where(c => c.Id == ofId).Select(c => c.StateJson).FirstAsync(ct));
            }

            var next = ControlDecider.Answer(state, new Core.Investigations.AnswerControl(id, caller.OrganizationCode, body.Outcome!, ChinaTime.DateOf(executedAt!.Value),
                body.Amount, until, body.Reason, store.Today), renewed, store.RuleSet, store.Calendar, out var error);
            if (error is not null)
            {
                return Problems.From(error);
            }

            row.StateJson = InvestigationStore.Write(next);
            row.Outcome = next.Answer!.Outcome;
            row.LapsesOn = next.LapsesOn;
            row.Version++;
            row.UpdatedAt = store.Now;
            Audit.Stage(db, caller, "control.answer", "control:" + id, next.Answer.Outcome, store.Time);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                continue;
            }

            return ControlViewOf(next, [], store);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static DateTimeOffset? Instant(FieldErrors errors, string field, string? text, InvestigationStore store)
    {
        // RFC 3339 with an offset (API.md "Conventions"): a time without a zone is ambiguous and refused, never assumed.
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(field, new("请填写" + FieldLabels.Zh(field) + "（带时区的时间，如2025-03-04T10:00:00+08:00）", field + " is required (RFC 3339 with offset, e.g. 2025-03-04T10:00:00+08:00)"));
            return null;
        }

        var t = text.Trim();
        var hasZone = t.EndsWith('Z') || t.EndsWith('z') || (t.Length > 6 && t[^6] is '+' or '-' && t[^3] == ':');
        if (!hasZone || !t.Contains('T', StringComparison.OrdinalIgnoreCase)
            || !DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            errors.Add(field, new(FieldLabels.Zh(field) + "不是有效的时间，请填写带时区的时间，如2025-03-04T10:00:00+08:00", field + " is not an RFC 3339 instant with offset (e.g. 2025-03-04T10:00:00+08:00)"), DomainError.Codes.InvalidDate);
            return null;
        }

        if (at > store.Time.GetUtcNow().AddMinutes(5))
        {
            errors.Add(field, new(FieldLabels.Zh(field) + "不能晚于当前时间", field + " is in the future"), DomainError.Codes.InvalidDate);
            return null;
        }

        return at;
    }

    private static string? SubjectKey(FieldErrors errors, InvestigationSubject? subject, out string? name)
    {
        name = null;
        if (subject is null)
        {
            errors.Add("subject", new("请填写被执行人（姓名/名称及证件号码）", "subject is required: {idNumber|creditCode|organizationCode, name}"));
            return null;
        }

        name = EntryRequestParsing.Required(errors, "subject.name", subject.Name, 200);
        var given = new[] { subject.IdNumber, subject.CreditCode, subject.OrganizationCode }.Count(x => !string.IsNullOrWhiteSpace(x));
        if (given != 1)
        {
            errors.Add("subject", new("身份证号码、统一社会信用代码、组织机构代码中请填写且只填写一项", "give exactly one of idNumber, creditCode or organizationCode"));
            return null;
        }

        if (!string.IsNullOrWhiteSpace(subject.IdNumber))
        {
            if (ResidentId.TryParse(subject.IdNumber.Trim(), out var id, out var e))
            {
                return EntryKey.Prefix(SubjectKeyKind.ResidentId) + id.Value;
            }

            errors.AddIdentifier("subject.idNumber", e);
            return null;
        }

        if (!string.IsNullOrWhiteSpace(subject.CreditCode))
        {
            if (CreditCode.TryParse(subject.CreditCode.Trim(), out var cc, out var e))
            {
                return EntryKey.Prefix(SubjectKeyKind.CreditCode) + cc.Value;
            }

            errors.AddIdentifier("subject.creditCode", e);
            return null;
        }

        if (OrganizationCode.TryParse(subject.OrganizationCode!.Trim(), out var oc, out var oe))
        {
            return EntryKey.Prefix(SubjectKeyKind.OrganizationCode) + oc.Value;
        }

        errors.AddIdentifier("subject.organizationCode", oe);
        return null;
    }

    private static InvestigationSubject Subject(InvestigationState s)
    {
        string? Strip(SubjectKeyKind kind) => s.SubjectKey.StartsWith(EntryKey.Prefix(kind), StringComparison.Ordinal) ? s.SubjectKey[EntryKey.Prefix(kind).Length..] : null;
        return new InvestigationSubject(Strip(SubjectKeyKind.ResidentId), Strip(SubjectKeyKind.CreditCode), Strip(SubjectKeyKind.OrganizationCode), s.SubjectName);
    }

    private static InvestigationTaskView TaskView(InvestigationTask t, DateOnly today) =>
        new(t.Id, t.UnitCode, t.Kind, InvestigationStore.KindZh(t.Kind), t.SentOn, t.Due.DueOn, t.Due.Provisional, t.StatusOn(today), t.Answer?.AnsweredAt,
            t.Answer?.NoneFound, t.Answer?.Findings ?? []);

    private static InvestigationView View(InvestigationState s, ImmutableArray<ControlView> controls, InvestigationStore store) =>
        new(s.Id, s.CourtCode, s.CaseNumber, s.EntryId, Subject(s), s.RequestedOn, s.StatusOn(store.Today), s.IsEmptyPropertySearch,
            [.. s.Tasks.Select(t => TaskView(t, store.Today))], controls);

    private static ControlView ControlViewOf(ControlState c, IEnumerable<ControlState> followUps, InvestigationStore store)
    {
        var renewal = ControlDecider.Renewal(c, followUps, store.RuleSet, store.Calendar);
        return new ControlView(c.Id, c.CourtCode, c.UnitCode, c.Kind, ControlKinds.TitleZh(c.Kind), c.PropertyKind, c.Target, c.Amount, c.RulingNumber, c.RequestedUntil,
            c.InvestigationTaskId, c.OfControlId, c.SentOn, c.Due.DueOn, c.Due.Provisional, c.StatusOn(store.Today), c.Answer, c.LapsesOn, renewal?.Due.DueOn,
            new ControlTaskRef(c.Id, c.UnitCode, c.Due.DueOn));
    }
}
