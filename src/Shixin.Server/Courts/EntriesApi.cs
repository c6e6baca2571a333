using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Courts;

/// <summary>The courts' endpoints for list entries (API.md "List entries").</summary>
public static class EntriesApi
{
    /// <summary>A POST without a body.</summary>
    internal static readonly Bilingual BodyRequired = new("请求内容为空：请以JSON格式提交", "a JSON body is required");

    public static RouteGroupBuilder MapEntriesApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/entries").WithTags("Courts: entries");
        g.MapPost("", Draft).RequireRoles(Roles.CourtClerk, Roles.CourtJudge)
            .WithSummary("Draft an entry (clerk)").Produces<EntryView>(201).ProducesProblem(400).ProducesProblem(409);
        g.MapGet("", List).RequireRoles(Roles.CourtClerk, Roles.CourtJudge, Roles.HubAdmin, Roles.HubAuditor)
            .WithSummary("The caller court's entries, cursor-paginated").Produces<Page<EntrySummary>>();
        g.MapGet("/{id:guid}", Get).RequireRoles(Roles.CourtClerk, Roles.CourtJudge, Roles.HubAdmin, Roles.HubAuditor)
            .WithSummary("An entry with its history (each list event with seq) and its duties").Produces<EntryView>().ProducesProblem(404);
        g.MapPost("/{id:guid}/risk-notice", RiskNotice).RequireRoles(Roles.CourtClerk, Roles.CourtJudge)
            .WithSummary("Record service of the risk notice").Produces<EntryView>().ProducesProblem(409);
        g.MapPost("/{id:guid}/decision", Decide).RequireRoles(Roles.CourtJudge)
            .WithSummary("Decide to list (judge)").Produces<EntryView>().ProducesProblem(409).ProducesProblem(422);
        g.MapPost("/{id:guid}/exit", Exit).RequireRoles(Roles.CourtJudge)
            .WithSummary("Shield, revoke or delete (judge)").Produces<EntryView>().ProducesProblem(409).ProducesProblem(422);
        g.MapPost("/{id:guid}/extension", Extend).RequireRoles(Roles.CourtJudge)
            .WithSummary("Extend the term by 1–3 years (judge)").Produces<EntryView>().ProducesProblem(422);
        g.MapPost("/{id:guid}/amendment", Amend).RequireRoles(Roles.CourtJudge)
            .WithSummary("Correct recorded data (更正) (judge)").Produces<EntryView>().ProducesProblem(400);
        g.MapPost("/{id:guid}/performance", RecordPerformance).RequireRoles(Roles.CourtClerk, Roles.CourtJudge)
            .WithSummary("Record performance; fully, settlementPerformed or executionTerminated opens the duty to exit (000 §四(二)4)").Produces<EntryView>();
        return api;
    }

    internal static async Task<IResult> Draft(DraftEntryRequest? body, HttpContext http, EntryActions actions, CancellationToken ct) =>
        (await actions.DraftAsync(body, http.GetCaller(), ct)).Created(e => "/api/v1/entries/" + e.Id.ToString());

    internal static async Task<IResult> List(HttpContext http, ShixinDatabase database, Audit audit, string? status, string? cursor, int? limit, string? court, string? q, CancellationToken ct)
    {
        var caller = http.GetCaller();
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
        return TypedResults.Ok(new Page<EntrySummary>([.. rows.Take(take)], next));
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

    internal static async Task<IResult> Get(Guid id, HttpContext http, EntryActions actions, CancellationToken ct) =>
        (await actions.GetAsync(id, http.GetCaller(), ct)).Ok();

    internal static async Task<IResult> RiskNotice(Guid id, RiskNoticeRequest? body, HttpContext http, EntryActions actions, CancellationToken ct) =>
        (await actions.RiskNoticeAsync(id, body, http.GetCaller(), ct)).Ok();

    internal static async Task<IResult> Decide(Guid id, DecisionRequest? body, HttpContext http, EntryActions actions, CancellationToken ct) =>
        (await actions.DecideAsync(id, body, http.GetCaller(), ct)).Ok();

    internal static async Task<IResult> Exit(Guid id, ExitRequest? body, HttpContext http, EntryActions actions, CancellationToken ct) =>
        (await actions.ExitAsync(id, body, http.GetCaller(), ct)).Ok();

    internal static async Task<IResult> Extend(Guid id, ExtensionRequest? body, HttpContext http, EntryActions actions, CancellationToken ct) =>
        (await actions.ExtendAsync(id, body, http.GetCaller(), ct)).Ok();

    internal static async Task<IResult> Amend(Guid id, AmendmentRequest? body, HttpContext http, EntryActions actions, CancellationToken ct) =>
        (await actions.AmendAsync(id, body, http.GetCaller(), ct)).Ok();

    internal static async Task<IResult> RecordPerformance(Guid id, PerformanceRequest? body, HttpContext http, EntryActions actions, CancellationToken ct) =>
        (await actions.RecordPerformanceAsync(id, body, http.GetCaller(), ct)).Ok();

    internal static IResult Respond(CommandOutcome outcome) => EntryActions.Of(outcome).Ok();
}

/// <summary>One line of an entry list.</summary>
public sealed record EntrySummary(Guid Id, string Status, string CaseNumber, string SubjectKind, string SubjectName, string Publicity,
    DateOnly? DecidedOn, DateOnly? PublishedOn, DateOnly? ExpiresOn, DateOnly? ExitedOn);

/// <summary>A cursor-paginated list (API.md conventions).</summary>
public sealed record Page<T>(ImmutableArray<T> Items, string? Next);
