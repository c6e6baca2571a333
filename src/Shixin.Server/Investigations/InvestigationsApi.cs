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

/// <summary>The debtor a request is about: <c>{idNumber|creditCode|organizationCode, name}</c>.</summary>
public sealed record InvestigationSubject(string? IdNumber, string? CreditCode, string? OrganizationCode, string? Name);

/// <summary>Body of POST /api/v1/investigations.</summary>
public sealed record InvestigationRequest(string? CaseNumber, Guid? EntryId, InvestigationSubject? Subject, string[]? Kinds, string[]? Units);

/// <summary>One finding in an answer (API.md field names).</summary>
public sealed record FindingBody(string? Kind, string? Institution, string? HolderName, string? Identifier, decimal? Amount, string? Currency, string? AsOf, string? Details);

/// <summary>Body of POST /api/v1/investigation-tasks/{id}/answer.</summary>
public sealed record TaskAnswerRequest(string? AnsweredAt, bool? NoneFound, FindingBody[]? Findings);

/// <summary>One task as the requesting court and hub auditors see it, with the unit's answer.</summary>
public sealed record InvestigationTaskView(Guid Id, string Unit, string Kind, string KindZh, DateOnly SentOn, DateOnly DueOn, bool DueProvisional, string Status,
    DateTimeOffset? AnsweredAt, bool? NoneFound, ImmutableArray<Finding> Findings);

/// <summary>A request with its tasks, answers and the controls asked on its tasks.</summary>
public sealed record InvestigationView(Guid Id, string Court, string CaseNumber, Guid? EntryId, InvestigationSubject Subject, DateOnly RequestedOn, string Status,
    bool EmptyPropertySearch, ImmutableArray<InvestigationTaskView> Tasks, ImmutableArray<ControlView> Controls);

/// <summary>
/// One row of GET /api/v1/investigations: for a court or a hub auditor a request (without findings; GET /investigations/{id}
/// has them), for a unit one task addressed to it (<c>investigationId</c> set, the subject it is to search, no other unit's task).
/// </summary>
public sealed record InvestigationListItem(Guid Id, Guid? InvestigationId, string Court, string CaseNumber, InvestigationSubject Subject, DateOnly RequestedOn,
    string Status, string? Unit, string? Kind, string? KindZh, DateOnly? DueOn, int Tasks, int Answered, int Overdue);

/// <summary>A control and its task for the unit.</summary>
public sealed record ControlView(Guid Id, string Court, string Unit, string Kind, string KindZh, string? PropertyKind, string Target, decimal? Amount, string RulingNumber,
    DateOnly? Until, Guid? InvestigationTaskId, Guid? ControlId, DateOnly SentOn, DateOnly DueOn, bool DueProvisional, string Status, ControlAnswer? Answer,
    DateOnly? LapsesOn, DateOnly? RenewalDueOn, ControlTaskRef Task);

/// <summary>The task a control opens for its unit (POST /api/v1/control-tasks/{id}/answer answers it).</summary>
public sealed record ControlTaskRef(Guid Id, string Unit, DateOnly DueOn);

/// <summary>Body of POST /api/v1/controls.</summary>
public sealed record ControlRequestBody(Guid? InvestigationTaskId, string? Unit, string? Kind, string? Target, decimal? Amount, string? RulingNumber, string? Until,
    string? PropertyKind, Guid? ControlId);

/// <summary>Body of POST /api/v1/control-tasks/{id}/answer.</summary>
public sealed record ControlAnswerBody(string? Outcome, string? ExecutedAt, decimal? Amount, string? Until, string? Reason);

/// <summary>A route of the hub's table, with the unit's name.</summary>
public sealed record RouteView(string Region, string Kind, string UnitCode, string? UnitName);

/// <summary>A seed clause and the units the catalog makes responsible (by title; the hub binds them to registered units).</summary>
public sealed record RouteSeedView(string Clause, string Region, ImmutableArray<string> Kinds, ImmutableArray<string> ResponsibleUnits, string Text);

/// <summary>A kind with its Chinese title, seed source and whether it is property (Art. 485 term).</summary>
public sealed record KindView(string Code, string TitleZh, string TitleEn, string Property, string Source);

/// <summary>GET /api/v1/investigation-routes.</summary>
public sealed record RoutingTable(ImmutableArray<RouteView> Routes, ImmutableArray<KindView> Kinds, ImmutableArray<RouteSeedView> Seeds);

/// <summary>Body of PUT /api/v1/investigation-routes: the whole table.</summary>
public sealed record RoutesBody(RouteBody[]? Routes);

public sealed record RouteBody(string? Region, string? Kind, string? UnitCode);

/// <summary>Enforcement investigation and control (执行查控): API.md "Enforcement investigation and control".</summary>
public static class InvestigationsApi
{
    private static readonly string[] Court = [Roles.CourtClerk, Roles.CourtJudge];

    public static RouteGroupBuilder MapInvestigationsApi(this RouteGroupBuilder api)
    {
        const string tag = "Courts: investigation and control";
        api.MapPost("/investigations", Open).RequireRoles(Court).WithTags(tag)
            .WithSummary("Ask the units about one debtor in one case: each kind becomes a task for each unit that answers it in the court's region (or for the units named)")
            .Produces<InvestigationView>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(422);
        api.MapGet("/investigations", List).RequireRoles(Roles.CourtClerk, Roles.CourtJudge, Roles.UnitAssist, Roles.HubAuditor).WithTags(tag)
            .WithSummary("A court's own requests, a unit's tasks (unit.assist) or, for hub auditors, every request; status=open|answered|overdue")
            .Produces<Page<InvestigationListItem>>().ProducesProblem(400).ProducesProblem(403);
        api.MapGet("/investigations/{id:guid}", Get).RequireRoles(Roles.CourtClerk, Roles.CourtJudge, Roles.HubAuditor).WithTags(tag)
            .WithSummary("A request with its tasks and the units' findings (requesting court and hub auditors only; every read is audited)")
            .Produces<InvestigationView>().ProducesProblem(403).ProducesProblem(404);
        api.MapPost("/investigation-tasks/{id:guid}/answer", Answer).RequireRoles(Roles.UnitAssist).WithTags(tag)
            .WithSummary("The addressed unit answers a task with findings, or noneFound: true")
            .Produces<InvestigationTaskView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        api.MapGet("/investigation-routes", Routes).RequireRoles(Roles.HubAdmin, Roles.HubAuditor, Roles.CourtClerk, Roles.CourtJudge).WithTags(tag)
            .WithSummary("The routing table (kind → units by region), the kinds, and the catalogs' assistance clauses it is seeded from")
            .Produces<RoutingTable>().ProducesProblem(403);
        api.MapPut("/investigation-routes", PutRoutes).RequireRoles(Roles.HubAdmin).WithTags(tag)
            .WithSummary("Replace the routing table (hub administrator)")
            .Produces<RoutingTable>().ProducesProblem(400).ProducesProblem(403);
        api.MapPost("/controls", RequestControl).RequireRoles(Roles.CourtJudge).WithTags(tag)
            .WithSummary("Ask a unit to freeze, seize, deduct, locate, stop exit, renew or release, on a ruling (judge)")
            .Produces<ControlView>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        api.MapGet("/controls", ListControls).RequireRoles(Roles.CourtClerk, Roles.CourtJudge, Roles.UnitAssist, Roles.HubAuditor).WithTags(tag)
            .WithSummary("A court's controls, a unit's control tasks, or every control for hub auditors; status=open|overdue|executed|partial|refused")
            .Produces<Page<ControlView>>().ProducesProblem(400).ProducesProblem(403);
        api.MapPost("/control-tasks/{id:guid}/answer", AnswerControl).RequireRoles(Roles.UnitAssist).WithTags(tag)
            .WithSummary("The unit answers a control task: executed, partial or refused (with reason)")
            .Produces<ControlView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        return api;
    }

    // Thin handlers: the rules are in InvestigationService.

    internal static async Task<IResult> Open(InvestigationRequest? body, HttpContext http, InvestigationService service, CancellationToken ct) =>
        (await service.OpenAsync(http.GetCaller(), body, ct)).Created(v => "/api/v1/investigations/" + v.Id);

    internal static async Task<IResult> List(HttpContext http, InvestigationService service, string? status, string? cursor, int? limit, CancellationToken ct) =>
        (await service.ListAsync(http.GetCaller(), status, cursor, limit, ct)).Ok();

    internal static async Task<IResult> Get(Guid id, HttpContext http, InvestigationService service, CancellationToken ct) =>
        (await service.GetAsync(http.GetCaller(), id, ct)).Ok();

    internal static async Task<IResult> Answer(Guid id, TaskAnswerRequest? body, HttpContext http, InvestigationService service, CancellationToken ct) =>
        (await service.AnswerAsync(http.GetCaller(), id, body, ct)).Ok();

    internal static async Task<IResult> Routes(InvestigationService service, CancellationToken ct) => TypedResults.Ok(await service.RoutesAsync(ct));

    internal static async Task<IResult> PutRoutes(RoutesBody? body, HttpContext http, InvestigationService service, CancellationToken ct) =>
        (await service.PutRoutesAsync(http.GetCaller(), body, ct)).Ok();

    internal static async Task<IResult> RequestControl(ControlRequestBody? body, HttpContext http, InvestigationService service, CancellationToken ct) =>
        (await service.RequestControlAsync(http.GetCaller(), body, ct)).Created(v => "/api/v1/controls/" + v.Id);

    internal static async Task<IResult> ListControls(HttpContext http, InvestigationService service, string? status, string? cursor, int? limit, CancellationToken ct) =>
        (await service.ListControlsAsync(http.GetCaller(), status, cursor, limit, ct)).Ok();

    internal static async Task<IResult> AnswerControl(Guid id, ControlAnswerBody? body, HttpContext http, InvestigationService service, CancellationToken ct) =>
        (await service.AnswerControlAsync(http.GetCaller(), id, body, ct)).Ok();
}
