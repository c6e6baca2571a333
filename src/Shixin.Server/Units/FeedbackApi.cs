using Shixin.Core.Oversight;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;

namespace Shixin.Server.Units;

/// <summary>Feedback and objections from units (API.md "Feedback, objections"): thin endpoints over the services named by action.</summary>
public static class FeedbackApi
{
    /// <summary>The actions a unit may report, by API name (the console's choices).</summary>
    public static readonly string[] Actions = [.. FeedbackActions.All.Select(a => a.ToApi())];

    public static RouteGroupBuilder MapFeedbackApi(this RouteGroupBuilder api)
    {
        api.MapPost("/feedback", Record).RequireRoles(Roles.UnitFeedback).WithTags("Units: feedback")
            .WithSummary("Report that a measure was applied, lifted, suspended, resumed, or kept after exit (with legal basis and end date)")
            .Produces<FeedbackView>(201).ProducesProblem(400);
        api.MapGet("/feedback", List).RequireRoles(Roles.UnitFeedback, Roles.HubAdmin, Roles.HubAuditor).WithTags("Units: feedback")
            .WithSummary("The caller's feedback (all, for the hub), newest first").Produces<FeedbackView[]>();
        api.MapPost("/objections", Object).RequireRoles(Roles.UnitFeedback).WithTags("Units: feedback")
            .WithSummary("Record an objection to a measure this unit applied: suspended for this unit's checks of the subject until the executing court verifies")
            .WithDescription("The unit must have reported the measure applied to the entry (POST /feedback, action applied) and the entry must be listed; "
                + "the measure must be in force in the unit's region. Other units' checks are not affected. The objection is a ledger event "
                + "(entry.objection-filed) with a list sequence, answered as listSequence.")
            .Produces<ObjectionView>(201);
        api.MapGet("/objections/{id:guid}", GetObjection).RequireRoles([.. Roles.All]).WithTags("Units: feedback")
            .WithSummary("One objection and its verification").Produces<ObjectionView>();
        api.MapPost("/objections/{id:guid}/verification", Verify).RequireRoles(Roles.CourtJudge).WithTags("Courts: corrections")
            .WithSummary("The executing court verifies an objection: upheld keeps the measure suspended, rejected resumes it (entry.objection-verified)")
            .Produces<ObjectionView>();
        return api;
    }

    // Each endpoint reads its request, calls the one application service for its action and maps the answer to HTTP.
    internal static async Task<IResult> Record(FeedbackRequest? body, HttpContext http, RecordFeedbackService service, CancellationToken ct) =>
        (await service.RunAsync(body, http.GetCaller(), ct)).Map(f => TypedResults.Created("/api/v1/feedback/" + f.Id.ToString(), f));

    internal static async Task<IResult> List(HttpContext http, FeedbackReads reads, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await reads.FeedbackAsync(http.GetCaller(), limit, ct));

    internal static async Task<IResult> Object(ObjectionRequest? body, HttpContext http, FileObjectionService service, CancellationToken ct) =>
        (await service.RunAsync(body, http.GetCaller(), ct)).Map(o => TypedResults.Created("/api/v1/objections/" + o.Id.ToString(), o));

    internal static async Task<IResult> GetObjection(Guid id, HttpContext http, FeedbackReads reads, CancellationToken ct) =>
        (await reads.ObjectionAsync(id, http.GetCaller(), ct)).Map(TypedResults.Ok);

    internal static async Task<IResult> Verify(Guid id, VerificationRequest? body, HttpContext http, VerifyObjectionService service, CancellationToken ct) =>
        (await service.RunAsync(id, body, http.GetCaller(), ct)).Map(TypedResults.Ok);
}
