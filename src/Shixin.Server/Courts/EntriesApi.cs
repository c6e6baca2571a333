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

    internal static async Task<IResult> List(HttpContext http, EntryActions actions, string? status, string? cursor, int? limit, string? court, string? q, CancellationToken ct) =>
        (await actions.ListAsync(http.GetCaller(), status, cursor, limit, court, q, ct)).Ok();


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
