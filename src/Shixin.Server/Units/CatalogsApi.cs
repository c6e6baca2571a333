using Shixin.Core.Catalogs;
using Shixin.Server.Auth;
using Shixin.Server.Http;

namespace Shixin.Server.Units;

/// <summary>A scenario as the API lists it.</summary>
public sealed record ScenarioView(string Id, string TitleZh, string TitleEn, string Category, string[] SubjectKinds, IReadOnlyList<string> Measures);

/// <summary>A catalog without its measures.</summary>
public sealed record CatalogView(string Id, string Title, string? DocumentNumber, string Issuer, DateOnly IssuedOn, string Region, string RegionName, int MeasureCount);

/// <summary>A measure as the API lists it.</summary>
public sealed record MeasureView(string Id, string Category, string CategoryZh, string Title, string TitleEn, string Text, string Action,
    string[] SubjectKinds, string[] RelatedRoles, string? RelatedReach, IReadOnlyList<string> ResponsibleUnits, string Region, string Source)
{
    public static MeasureView Of(Measure m) => new(m.Id, m.CategoryCode, m.CategoryZh, m.Title, m.TitleEn, m.Text, m.Action.ToApiName(),
        [.. m.SubjectKinds.Select(k => k.ToApiName())], [.. m.RelatedRoles.Select(r => r.ToApiName())], m.RelatedReach?.ToApiName(),
        m.ResponsibleUnits, m.Region, m.Source);
}

/// <summary>Scenarios and measure catalogs (API.md "Screening").</summary>
public static class CatalogsApi
{
    public static RouteGroupBuilder MapCatalogsApi(this RouteGroupBuilder api)
    {
        string[] anyone = [.. Roles.All];
        api.MapGet("/scenarios", (MeasureCatalogs c) => TypedResults.Ok(c.Scenarios.Select(s => new ScenarioView(s.Id, s.TitleZh, s.TitleEn,
                s.Category.ToApiName(), [.. s.SubjectKinds.Select(k => k.ToApiName())], s.MeasureIds)).ToArray()))
            .RequireRoles(anyone).WithTags("Units: screening").WithSummary("Business scenarios and the measures each one applies");
        api.MapGet("/catalogs", (MeasureCatalogs c) => TypedResults.Ok(c.Catalogs.Select(k => new CatalogView(k.Id, k.Title, k.DocumentNumber, k.Issuer,
                k.IssuedOn, k.Region, k.RegionName, k.Measures.Count)).ToArray()))
            .RequireRoles(anyone).WithTags("Units: screening").WithSummary("Measure catalogs, one per seed document");
        api.MapGet("/catalogs/{id}/measures", (string id, MeasureCatalogs c) =>
            c.Catalogs.FirstOrDefault(k => string.Equals(k.Id, id, StringComparison.Ordinal)) is { } catalog
                ? (IResult)TypedResults.Ok(catalog.Measures.Select(MeasureView.Of).ToArray())
                : Problems.NotFound("catalog '" + id + "'"))
            .RequireRoles(anyone).WithTags("Units: screening").WithSummary("Every measure of one catalog, with its full text").Produces<MeasureView[]>();
        return api;
    }
}
