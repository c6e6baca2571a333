using Shixin.Core.Catalogs;
using Shixin.Server.Auth;
using Shixin.Server.Http;

namespace Shixin.Server.Units;

/// <summary>A scenario as the API lists it, with the context fields its counter asks for.</summary>
public sealed record ScenarioView(string Id, string TitleZh, string TitleEn, string Category, string[] SubjectKinds, IReadOnlyList<string> Measures,
    IReadOnlyList<ContextFieldView> Context, IReadOnlyList<string> Clauses)
{
    public static ScenarioView Of(Scenario s, MeasureCatalogs c) => new(s.Id, s.TitleZh, s.TitleEn, s.Category.ToApiName(),
        [.. s.SubjectKinds.Select(k => k.ToApiName())], s.MeasureIds,
        [.. s.Context.Select(f => c.Context.TryGet(f, out var field) ? ContextFieldView.Of(field) : null).OfType<ContextFieldView>()],
        [.. s.Clauses.Where(x => !x.IsAssist).Select(x => x.Id)]);
}

/// <summary>A context field: <c>type</c> is <c>enum</c> (one of <c>values</c>) or <c>number</c>.</summary>
public sealed record ContextFieldView(string Id, string TitleZh, string TitleEn, string Type, IReadOnlyList<ContextValue> Values)
{
    public static ContextFieldView Of(ContextField f) => new(f.Id, f.TitleZh, f.TitleEn, f.IsNumber ? "number" : "enum", f.Values);
}

/// <summary>A clause as the API lists it under its measure.</summary>
public sealed record ClauseView(string Id, string Text, string Action, string[] SubjectKinds, string[] RelatedRoles, string? RelatedReach,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? When, IReadOnlyList<string> Scenarios, string? Note, bool Assist)
{
    public static ClauseView Of(Clause c, MeasureCatalogs catalogs) => new(c.Id, c.Text, c.Action.ToApiName(),
        [.. c.SubjectKinds.Select(k => k.ToApiName())], [.. c.RelatedRoles.Select(r => r.ToApiName())], c.RelatedReach?.ToApiName(),
        c.When.Count == 0 ? null : c.When.ToDictionary(w => w.Field, w => w.Values, StringComparer.Ordinal),
        [.. catalogs.Scenarios.Where(s => s.Clauses.Contains(c)).Select(s => s.Id)], c.Note, c.IsAssist);
}

/// <summary>A catalog without its measures.</summary>
public sealed record CatalogView(string Id, string Title, string? DocumentNumber, string Issuer, DateOnly IssuedOn, string Region, string RegionName, int MeasureCount);

/// <summary>A measure as the API lists it.</summary>
public sealed record MeasureView(string Id, string Category, string CategoryZh, string Title, string TitleEn, string Text, string Action,
    string[] SubjectKinds, string[] RelatedRoles, string? RelatedReach, IReadOnlyList<string> ResponsibleUnits, string Region, string Source,
    IReadOnlyList<ClauseView> Clauses)
{
    public static MeasureView Of(Measure m, MeasureCatalogs c) => new(m.Id, m.CategoryCode, m.CategoryZh, m.Title, m.TitleEn, m.Text, m.Action.ToApiName(),
        [.. m.SubjectKinds.Select(k => k.ToApiName())], [.. m.RelatedRoles.Select(r => r.ToApiName())], m.RelatedReach?.ToApiName(),
        m.ResponsibleUnits, m.Region, m.Source, [.. m.Clauses.Select(x => ClauseView.Of(x, c))]);
}

/// <summary>Scenarios and measure catalogs (API.md "Screening").</summary>
public static class CatalogsApi
{
    public static RouteGroupBuilder MapCatalogsApi(this RouteGroupBuilder api)
    {
        string[] anyone = [.. Roles.All];
        api.MapGet("/scenarios", (MeasureCatalogs c) => TypedResults.Ok(c.Scenarios.Select(s => ScenarioView.Of(s, c)).ToArray()))
            .RequireRoles(anyone).WithTags("Units: screening").WithSummary("Business scenarios, the measures and clauses each one applies, and the context fields it takes");
        api.MapGet("/catalogs", (MeasureCatalogs c) => TypedResults.Ok(c.Catalogs.Select(k => new CatalogView(k.Id, k.Title, k.DocumentNumber, k.Issuer,
                k.IssuedOn, k.Region, k.RegionName, k.Measures.Count)).ToArray()))
            .RequireRoles(anyone).WithTags("Units: screening").WithSummary("Measure catalogs, one per seed document");
        api.MapGet("/catalogs/{id}/measures", (string id, MeasureCatalogs c) =>
            c.Catalogs.FirstOrDefault(k => string.Equals(k.Id, id, StringComparison.Ordinal)) is { } catalog
                ? (IResult)TypedResults.Ok(catalog.Measures.Select(m => MeasureView.Of(m, c)).ToArray())
                : Problems.NotFound(new("该惩戒措施清单", "catalog '" + id + "'")))
            .RequireRoles(anyone).WithTags("Units: screening").WithSummary("Every measure of one catalog, with its full text and its clauses").Produces<MeasureView[]>();
        return api;
    }
}
