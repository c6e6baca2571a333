using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Catalogs;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;

namespace Shixin.Server.Courts;

/// <summary>Body of POST /api/v1/entries/{id}/exemptions.</summary>
public sealed record ExemptionRequest(string? IdNumber, string? Kind, string[]? Scenarios, string? ValidFrom, string? ValidUntil, string? Reason, string? Basis);

/// <summary>Body of POST /api/v1/exemptions/{id}/end.</summary>
public sealed record EndExemptionRequest(string? Reason);

/// <summary>
/// A court exemption as court staff see it. <c>status</c>: <c>pending</c> (window not begun), <c>standing</c>,
/// <c>lapsed</c> (window over) or <c>ended</c> (ended by a judge), on the server's China date.
/// </summary>
public sealed record ExemptionView(Guid Id, Guid EntryId, string IdNumber, string Role, string Name, string Kind, string KindZh,
    ImmutableArray<string> Scenarios, DateOnly ValidFrom, DateOnly ValidUntil, string Reason, string Basis, DateOnly GrantedOn,
    DateOnly? EndedOn, string? EndReason, string Status)
{
    /// <summary>The list sequence of the write that answered with this view (API.md "Consistency").</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ListSequence { get; init; }

    public static ExemptionView Of(Guid entryId, CourtExemption x, DateOnly today) => new(x.Id, entryId, x.IdNumber, x.Role, x.Name, x.Kind,
        ExemptionKinds.TitleZh(x.Kind), x.Scenarios, x.ValidFrom, x.ValidUntil, x.Reason, x.Basis, x.GrantedOn, x.EndedOn, x.EndReason,
        x.EndedOn is not null ? "ended" : today < x.ValidFrom ? "pending" : today > x.ValidUntil ? "lapsed" : "standing");
}

/// <summary>Court exemptions (单次解禁、特定消费许可): API.md "Court exemptions".</summary>
public static class ExemptionsApi
{
    public static RouteGroupBuilder MapExemptionsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/entries/{id:guid}/exemptions", Grant).RequireRoles(Roles.CourtJudge).WithTags("Courts: exemptions")
            .WithSummary("Grant a court exemption (judge of the executing court): a person on the entry is exempted from the named scenarios' measures from validFrom through validUntil")
            .Produces<ExemptionView>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(409);
        api.MapPost("/exemptions/{id:guid}/end", End).RequireRoles(Roles.CourtJudge).WithTags("Courts: exemptions")
            .WithSummary("End a court exemption before its window closes (judge of the executing court)")
            .Produces<ExemptionView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        return api;
    }

    internal static async Task<IResult> Grant(Guid id, ExemptionRequest? body, HttpContext http, ExemptionService exemptions, CancellationToken ct)
    {
        var (view, problem) = await exemptions.GrantAsync(id, body, http.GetCaller(), ct);
        return problem ?? TypedResults.Created("/api/v1/exemptions/" + view!.Id.ToString(), view);
    }

    internal static async Task<IResult> End(Guid id, EndExemptionRequest? body, HttpContext http, ExemptionService exemptions, CancellationToken ct)
    {
        var (view, problem) = await exemptions.EndAsync(id, body, http.GetCaller(), ct);
        return problem ?? TypedResults.Ok(view);
    }
}
