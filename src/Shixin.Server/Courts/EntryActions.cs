using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Data;
using Shixin.Core.Entries;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Courts;

/// <summary>
/// The courts' entry actions as one application service (issue 12 item 2): drafting, reading, serving the risk notice,
/// deciding, exiting, extending, amending and recording performance. The API's endpoints and the court console's pages
/// both call it with the caller; it answers the entry or the problem every caller gets.
/// </summary>
public sealed class EntryActions(EntryService svc, Audit audit, ShixinDatabase database)
{
    /// <summary>The caller court's entries (a hub reader names the court), searched by name, case number or identifier; audited.</summary>
    public async Task<Outcome<Page<EntrySummary>>> ListAsync(Caller caller, string? status, string? cursor, int? limit, string? court, string? q, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 50, 1, 500);
        var courtCode = caller.HasAny(Roles.HubAdmin, Roles.HubAuditor) && court is not null ? court : caller.OrganizationCode;
        await using var db = database.CreateContext();
        var q2 = db.Entries.AsNoTracking().Where(e => e.CourtCode == courtCode);
        if (status is not null)
        {
            if (!EntryStatusNames.TryParse(status, out _))
            {
                return Problems.Of(DomainError.Codes.ValidationFailed, new("状态筛选条件无法识别", "unknown status '" + status + "'"));
            }

            q2 = q2.Where(e => e.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            // One box for a name, a case number or an identifier: part of the name or case number, or the exact ID / code.
            var term = q.Trim();
            if (term.Length > 100)
            {
                return Problems.Of(DomainError.Codes.ValidationFailed, new("查询内容不能超过100个字", "q is at most 100 characters"));
            }

            var caseTerm = term.Replace('（', '(').Replace('）', ')').Replace('〔', '(').Replace('〕', ')');
            var keys = SearchKeys(term);
            q2 = q2.Where(e => e.SubjectName.Contains(term) || e.CaseNumber.Contains(caseTerm) || keys.Contains(e.SubjectKey));
        }

        if (cursor is not null)
        {
            if (!Guid.TryParse(cursor, out var after))
            {
                return Problems.Of(DomainError.Codes.ValidationFailed, new("翻页位置无效，请从第一页重新查询", "cursor is not one this server issued"));
            }

            q2 = q2.Where(e => e.Id.CompareTo(after) > 0);
        }

        var rows = await q2.OrderBy(e => e.Id).Take(take + 1)
            .Select(e => new EntrySummary(e.Id, e.Status, e.CaseNumber, e.SubjectKind, e.SubjectName, e.Publicity, e.DecidedOn, e.PublishedOn, e.ExpiresOn, e.ExitedOn))
            .ToListAsync(ct);
        var next = rows.Count > take ? rows[take - 1].Id.ToString() : null;
        // What was answered: the entries listed, and whom the search named (an identifier as its keyed hash, never in clear).
        var named = q?.Trim();
        var searched = Shixin.Core.Identifiers.ResidentId.TryParse(named, out var rid) ? EntryKey.Prefix(SubjectKeyKind.ResidentId) + rid.Value
            : Shixin.Core.Identifiers.CreditCode.TryParse(named, out var cc) ? EntryKey.Prefix(SubjectKeyKind.CreditCode) + cc.Value : null;
        await audit.RecordAsync(caller.OrganizationCode, caller.KeyId, "entry.list", "court:" + courtCode, searched, status, null,
            string.Join(",", rows.Take(take).Select(r => r.Id.ToString())), ct);
        return new Page<EntrySummary>([.. rows.Take(take)], next);
    }

    /// <summary>The stored subject keys a typed identifier may match (an ID number, a credit code or an organization code, upper-cased; a legacy 15-digit ID as 18).</summary>
    private static string[] SearchKeys(string term)
    {
        var t = term.ToUpperInvariant();
        var keys = new List<string> { EntryKey.Prefix(SubjectKeyKind.ResidentId) + t, EntryKey.Prefix(SubjectKeyKind.CreditCode) + t, EntryKey.Prefix(SubjectKeyKind.OrganizationCode) + t };
        if (Core.Identifiers.ResidentId.TryParse(t, out var id))
        {
            keys.Add(EntryKey.Prefix(SubjectKeyKind.ResidentId) + id.Value);
        }

        return [.. keys];
    }

    public async Task<Outcome<EntryView>> DraftAsync(DraftEntryRequest? body, Caller caller, CancellationToken ct)
    {
        if (!string.Equals(caller.OrganizationKind, "court", StringComparison.Ordinal))
        {
            return Problems.Forbidden(new("只有人民法院可以新建名单条目", "only a court drafts entries"));
        }

        if (body is null)
        {
            return Problems.Of("invalid-request-body", EntriesApi.BodyRequired);
        }

        var errors = new FieldErrors();
        var id = Guid.CreateVersion7();
        var draft = EntryRequestParsing.ToDraft(body, id, caller.OrganizationCode, svc.Today, errors);
        if (draft is null)
        {
            return errors.ToProblem();
        }

        var outcome = await svc.RunAsync(id, caller, "entry.draft", async (session, _) =>
            new DraftEntry(draft, await session.PriorListingsAsync(draft.Subject.Key, draft.CaseNumber, ct), svc.Today), null, ct);
        return outcome.Problem is { } problem ? Outcome<EntryView>.Fail(problem) : EntryView.Of(outcome.State!, outcome.Today);
    }

    public async Task<Outcome<EntryView>> GetAsync(Guid id, Caller caller, CancellationToken ct)
    {
        var state = await svc.LoadAsync(id, ct);
        if (state is null)
        {
            return Problems.NotFound(new("该名单条目", "entry " + id.ToString()));
        }

        if (!EntryService.MayRead(caller, state))
        {
            return Problems.Forbidden(new("该名单条目属于其他法院，无权查看或办理", "the entry belongs to another court"));
        }

        // What was answered: whose entry (hashed), in which state and version.
        await audit.RecordAsync(caller.OrganizationCode, caller.KeyId, "entry.read", "entry:" + id.ToString(), state.Subject.Key, state.Status.ToApi(), null,
            "version " + state.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        return EntryView.Of(state, svc.Today, await svc.HistoryAsync(id, ct), svc.Duties(state), svc.Rules);
    }

    public async Task<Outcome<EntryView>> RiskNoticeAsync(Guid id, RiskNoticeRequest? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var served = EntryRequestParsing.Date(errors, "servedOn", body?.ServedOn);
        return errors.Any ? errors.ToProblem() : Of(await svc.RunOwnAsync(id, caller, "entry.risk-notice", _ => new ServeRiskNotice(served!.Value, svc.Today), ct));
    }

    public async Task<Outcome<EntryView>> DecideAsync(Guid id, DecisionRequest? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var decided = EntryRequestParsing.Date(errors, "decidedOn", body?.DecidedOn);
        var publish = EntryRequestParsing.Date(errors, "publishOn", body?.PublishOn, required: false);
        return errors.Any ? errors.ToProblem() : Of(await svc.RunOwnAsync(id, caller, "entry.decide",
            _ => new DecideListing(decided!.Value, publish, body!.TermYears, body.Severity, svc.Today), ct));
    }

    public async Task<Outcome<EntryView>> ExitAsync(Guid id, ExitRequest? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var kind = body?.Kind switch
        {
            "shield" => EntryStatus.Shielded,
            "revoke" => EntryStatus.Revoked,
            "delete" => EntryStatus.Deleted,
            _ => (EntryStatus?)null,
        };
        if (kind is null)
        {
            errors.Add("kind", new("退出方式：请选择“屏蔽”“撤销”或“删除”", "kind must be 'shield', 'revoke' or 'delete'"));
        }

        var reason = EntryRequestParsing.Required(errors, "reason", body?.Reason, 100);
        var effective = EntryRequestParsing.Date(errors, "effectiveOn", body?.EffectiveOn);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!string.Equals(reason, ExitReasons.NoPropertyFound, StringComparison.Ordinal))
        {
            return Of(await svc.RunOwnAsync(id, caller, "entry.exit",
                _ => new ExitEntry(kind!.Value, reason!, effective!.Value, body!.Note, svc.Today), ct));
        }

        // SPC Art. 10 para 1 item 4 (issue 14): the case's searches on record decide, read in the exit's own transaction.
        return Of(await svc.RunAsync(id, caller, "entry.exit", async (session, s) =>
        {
            if (s is null)
            {
                return EntryService.Build.Fail(Problems.NotFound(new("该名单条目", "entry " + id.ToString())));
            }

            if (!string.Equals(s.CourtCode, caller.OrganizationCode, StringComparison.Ordinal))
            {
                return EntryService.Build.Fail(Problems.Forbidden(new("该名单条目属于其他法院，只有执行法院可以办理", "the entry belongs to another court; only the executing court may change it")));
            }

            var searches = await Investigations.InvestigationStore.CaseSearchesAsync(session.Db, s.CourtCode, s.CaseNumber, ct);
            var overrideReason = body!.SearchOverride?.Trim();
            if (Shixin.Core.Investigations.NoPropertyFoundRule.Check(searches, overrideReason) is { } refused)
            {
                return EntryService.Build.Fail(Problems.From(refused));
            }

            // An override is recorded in the exit's note, so the history shows why the searches on record did not decide.
            var note = searches.Count(x => x.IsEmptyPropertySearch) >= Shixin.Core.Investigations.NoPropertyFoundRule.Required || string.IsNullOrEmpty(overrideReason)
                ? body.Note
                : (string.IsNullOrWhiteSpace(body.Note) ? "" : body.Note.Trim() + "；") + "查控记录不足两次，法官说明：" + overrideReason;
            return new ExitEntry(kind!.Value, reason!, effective!.Value, note, svc.Today);
        }, null, ct));
    }

    public async Task<Outcome<EntryView>> ExtendAsync(Guid id, ExtensionRequest? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body?.Years is null)
        {
            errors.Add("years", new("请选择延长年限（1至3年）", "years is required (1–3)"));
        }

        var reason = EntryRequestParsing.Required(errors, "reason", body?.Reason);
        return errors.Any ? errors.ToProblem() : Of(await svc.RunOwnAsync(id, caller, "entry.extend",
            _ => new ExtendTerm(body!.Years!.Value, reason!), ct));
    }

    public async Task<Outcome<EntryView>> AmendAsync(Guid id, AmendmentRequest? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body?.Changes is null || body.Changes.Count == 0)
        {
            errors.Add("changes", new("请至少填写一项需要更正的内容", "changes must name at least one field: " + string.Join(", ", EntryDecider.AmendableFields)));
        }

        var reason = EntryRequestParsing.Required(errors, "reason", body?.Reason);
        return errors.Any ? errors.ToProblem() : Of(await svc.RunOwnAsync(id, caller, "entry.amend",
            _ => new AmendEntry(EntryRequestParsing.Changes(body!.Changes!), reason!), ct));
    }

    public async Task<Outcome<EntryView>> RecordPerformanceAsync(Guid id, PerformanceRequest? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var settlement = body?.SettlementPerformed ?? false;
        var terminated = body?.ExecutionTerminated ?? false;
        // A performed settlement or a termination is a fact of its own (000 §四(二)4); the amounts may then stay as recorded.
        var amountsOptional = settlement || terminated;
        if ((body?.PerformedAmount is null) != (body?.UnperformedAmount is null) || (!amountsOptional && body?.PerformedAmount is null))
        {
            errors.Add("performedAmount", new("请同时填写已履行金额和未履行金额（仅在执行和解协议已履行完毕或执行终结时可都不填）",
                "performedAmount and unperformedAmount are required (both may be left out only with settlementPerformed or executionTerminated)"));
        }

        var on = EntryRequestParsing.Date(errors, "performedOn", body?.PerformedOn, required: false) ?? svc.Today;
        return errors.Any ? errors.ToProblem() : Of(await svc.RunOwnAsync(id, caller, "entry.performance",
            s => new Core.Entries.RecordPerformance(
                body!.PerformedAmount is { } performed ? new Performance(performed, body.UnperformedAmount!.Value) : s.Performance,
                body.Fully ?? false, on, settlement, terminated), ct));
    }

    /// <summary>The entry after a command, with the list sequence of its last list event; or the problem.</summary>
    public static Outcome<EntryView> Of(CommandOutcome outcome) =>
        outcome.Problem is { } problem ? Outcome<EntryView>.Fail(problem) : EntryView.Of(outcome.State!, outcome.Today) with { ListSequence = outcome.ListSequence };
}
