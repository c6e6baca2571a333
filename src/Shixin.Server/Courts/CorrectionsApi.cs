using Microsoft.EntityFrameworkCore;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;

namespace Shixin.Server.Courts;

/// <summary>Corrections (纠正) and reconsideration (复议): API.md "Corrections and reconsideration".</summary>
public static class CorrectionsApi
{
    public static RouteGroupBuilder MapCorrectionsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/entries/{id:guid}/corrections", File).RequireRoles(Roles.CourtClerk, Roles.CourtJudge).WithTags("Courts: corrections")
            .WithSummary("Record a debtor's correction application; returns its review due date").Produces<CorrectionCreated>(201).ProducesProblem(422);
        api.MapPost("/corrections/{id:guid}/ruling", Rule).RequireRoles(Roles.CourtJudge).WithTags("Courts: corrections")
            .WithSummary("Rule on a correction (judge of the executing court); accepted revokes the entry").Produces<EntryView>();
        api.MapPost("/corrections/{id:guid}/reconsideration", FileReconsideration).RequireRoles(Roles.CourtClerk, Roles.CourtJudge).WithTags("Courts: corrections")
            .WithSummary("Record an application for reconsideration; assigned to the higher court").Produces<ReconsiderationCreated>(201).ProducesProblem(422);
        api.MapPost("/reconsiderations/{id:guid}/ruling", RuleReconsideration).RequireRoles(Roles.CourtJudge).WithTags("Courts: corrections")
            .WithSummary("Rule on a reconsideration (judge of the higher court)").Produces<EntryView>();
        return api;
    }

    internal static async Task<IResult> File(Guid id, CorrectionRequest? body, HttpContext http, CorrectionActions actions, CancellationToken ct) =>
        (await actions.FileAsync(id, body, http.GetCaller(), ct)).Created(c => "/api/v1/corrections/" + c.Id.ToString());

    internal static async Task<IResult> Rule(Guid id, RulingRequest? body, HttpContext http, CorrectionActions actions, CancellationToken ct) =>
        (await actions.RuleAsync(id, body, http.GetCaller(), ct)).Ok();

    internal static async Task<IResult> FileReconsideration(Guid id, ReconsiderationRequest? body, HttpContext http, CorrectionActions actions, CancellationToken ct) =>
        (await actions.FileReconsiderationAsync(id, body, http.GetCaller(), ct)).Created(r => "/api/v1/reconsiderations/" + r.Id.ToString());

    internal static async Task<IResult> RuleReconsideration(Guid id, RulingRequest? body, HttpContext http, CorrectionActions actions, CancellationToken ct) =>
        (await actions.RuleReconsiderationAsync(id, body, http.GetCaller(), ct)).Ok();
}

/// <summary>Response to a filed correction: where it stands and when the court must rule.</summary>
/// <summary>A filed correction; <c>reviewDueOnProvisional</c> when the review date was counted into a year without a holiday notice (API.md).</summary>
public sealed record CorrectionCreated(Guid Id, Guid EntryId, string Status, DateOnly ReviewDueOn, string Rule, string RuleSet, string Source,
    bool ReviewDueOnProvisional = false);

/// <summary>Response to a filed reconsideration: the higher court and its ruling deadline.</summary>
public sealed record ReconsiderationCreated(Guid Id, Guid CorrectionId, Guid EntryId, string Court, string Status, DateOnly RulingDueOn, string Rule, string RuleSet, string Source);
