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

    internal static async Task<IResult> Grant(Guid id, ExemptionRequest? body, HttpContext http, EntryService svc, MeasureCatalogs catalogs, CancellationToken ct)
    {
        if (body is null)
        {
            return Problems.Of("invalid-request-body", EntriesApi.BodyRequired);
        }

        var errors = new FieldErrors();
        string? idNumber = null;
        if (string.IsNullOrWhiteSpace(body.IdNumber))
        {
            errors.Add("idNumber", new("请填写被执行人或其相关人员的身份证号码", "idNumber is required: the debtor's or a related person's ID number"));
        }
        else if (svc.Rules.CheckIdNumber("idNumber", body.IdNumber.Trim(), out var canonical, out _, out _) is { } idError)
        {
            errors.Add(idError);
        }
        else
        {
            idNumber = canonical;
        }

        if (!ExemptionKinds.IsKnown(body.Kind))
        {
            errors.Add("kind", new("解禁类型：请选择" + string.Join("、", ExemptionKinds.All.Select(k => "“" + ExemptionKinds.TitleZh(k) + "”")), "kind must be one of " + string.Join(", ", ExemptionKinds.All)));
        }

        var scenarios = (body.Scenarios ?? []).Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => x.Trim()).Distinct(StringComparer.Ordinal).ToArray();
        if (scenarios.Length == 0)
        {
            errors.Add("scenarios", new("适用场景：请至少选择一项", "name at least one scenario (GET /api/v1/scenarios)"));
        }

        foreach (var unknown in scenarios.Where(x => !catalogs.TryGetScenario(x, out _)))
        {
            errors.Add("scenarios", new("所选场景不在平台的业务场景目录中", "scenario '" + unknown + "' is not defined; GET /api/v1/scenarios lists them"), "unknown-scenario");
        }

        var from = EntryRequestParsing.Date(errors, "validFrom", body.ValidFrom);
        var until = EntryRequestParsing.Date(errors, "validUntil", body.ValidUntil);
        var reason = EntryRequestParsing.Required(errors, "reason", body.Reason);
        var basis = EntryRequestParsing.Required(errors, "basis", body.Basis, 500);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var exemptionId = Guid.CreateVersion7();
        var outcome = await svc.RunOwnAsync(id, http.GetCaller(), "entry.exemption-grant",
            _ => new GrantExemption(exemptionId, idNumber!, body.Kind!, [.. scenarios], from!.Value, until!.Value, reason!, basis!, svc.Today), ct);
        if (outcome.Problem is not null)
        {
            return outcome.Problem;
        }

        var view = ExemptionView.Of(id, outcome.State!.Exemptions.Single(x => x.Id == exemptionId), svc.Today) with { ListSequence = outcome.ListSequence };
        return TypedResults.Created("/api/v1/exemptions/" + exemptionId.ToString(), view);
    }

    internal static async Task<IResult> End(Guid id, EndExemptionRequest? body, HttpContext http, EntryService svc, ShixinDatabase database, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var reason = EntryRequestParsing.Required(errors, "reason", body?.Reason);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        Guid entryId;
        await using (var db = database.CreateContext())
        {
            var row = await db.CourtExemptions.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.EntryId }).FirstOrDefaultAsync(ct);
            if (row is null)
            {
                return Problems.NotFound(new("该解禁记录", "exemption " + id.ToString()));
            }

            entryId = row.EntryId;
        }

        var outcome = await svc.RunOwnAsync(entryId, http.GetCaller(), "entry.exemption-end", _ => new EndExemption(id, reason!, svc.Today), ct);
        if (outcome.Problem is not null)
        {
            return outcome.Problem;
        }

        var view = ExemptionView.Of(entryId, outcome.State!.Exemptions.Single(x => x.Id == id), svc.Today) with { ListSequence = outcome.ListSequence };
        return TypedResults.Ok(view);
    }
}
