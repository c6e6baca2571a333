using Shixin.Core.Catalogs;

namespace Shixin.Core.Investigations;

/// <summary>One row of the hub's routing table: the unit that answers a kind of question for courts in a region.</summary>
/// <param name="Region">GB/T 2260 code the route covers (000000 national, a province, a city or a district).</param>
/// <param name="Kind">An <see cref="InvestigationKinds"/> code.</param>
/// <param name="UnitCode">The answering unit's organization code.</param>
public sealed record InvestigationRoute(string Region, string Kind, string UnitCode);

/// <summary>One task a request opens: this unit is asked this kind of question.</summary>
public sealed record TaskAddress(string UnitCode, string Kind);

/// <summary>The routing rule: kind → units by region; units a court names override the table.</summary>
public static class InvestigationRouting
{
    /// <summary>
    /// The tasks for a request. Without explicit units, each kind goes to every unit whose route covers the court's
    /// region at any level (national, provincial, city, district): a national bank and a local one both hold deposits
    /// (000 §四(一)1 asks for a network that covers all of them). With explicit units, every named unit is asked every
    /// kind: the court knows which unit holds what (API.md: "a court may also address units directly"), and the table
    /// is not consulted. A kind no unit answers is refused rather than dropped, so a court never believes it asked.
    /// </summary>
    public static IReadOnlyList<TaskAddress> Route(IReadOnlyList<string> kinds, string courtRegion, IReadOnlyList<InvestigationRoute> table,
        IReadOnlyList<string>? explicitUnits, out DomainError? error)
    {
        error = null;
        var tasks = new List<TaskAddress>();
        if (explicitUnits is { Count: > 0 })
        {
            foreach (var kind in kinds)
            {
                tasks.AddRange(explicitUnits.Distinct(StringComparer.Ordinal).Select(u => new TaskAddress(u, kind)));
            }

            return tasks;
        }

        var enclosing = RegionCodes.IsValid(courtRegion) ? RegionCodes.Enclosing(courtRegion) : [RegionCodes.National];
        var unrouted = new List<string>();
        foreach (var kind in kinds)
        {
            var units = table.Where(r => string.Equals(r.Kind, kind, StringComparison.Ordinal) && enclosing.Contains(r.Region, StringComparer.Ordinal))
                .Select(r => r.UnitCode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            if (units.Length == 0)
            {
                unrouted.Add(kind);
            }

            tasks.AddRange(units.Select(u => new TaskAddress(u, kind)));
        }

        if (unrouted.Count > 0)
        {
            error = new DomainError(InvestigationErrors.NoRoute,
                new("本地区没有承接所选查询事项的协助单位，请指定协助单位，或请平台管理员增加路由",
                    "no unit answers " + string.Join(", ", unrouted) + " for courts in region " + courtRegion
                    + "; name the units in 'units' or ask the hub to add a route (GET /api/v1/investigation-routes)"), "kinds");
            return [];
        }

        return tasks;
    }
}

/// <summary>
/// Which units the seed catalogs make responsible for answering each kind, clause by clause (the routing table's seed).
/// The catalogs name units by title (e.g. 自治区公安厅), not by the organization codes the hub registers, so these
/// rows are shown beside the table as what the documents expect; the hub binds them to registered units with PUT.
/// </summary>
public static class RouteSeeds
{
    /// <summary>A clause that asks named units to assist with some kinds.</summary>
    public sealed record Seed(string ClauseId, string Region, IReadOnlyList<string> Kinds);

    /// <summary>Clause id → kinds, for every assistance clause of the five catalogs that asks for a query or control.</summary>
    public static IReadOnlyList<Seed> All { get; } =
    [
        new("national-2016/二.六.1#1", "000000", [InvestigationKinds.RealEstate]),
        new("national-2016/二.八#1", "000000", [InvestigationKinds.TravelDocuments, InvestigationKinds.Vehicles]),
        new("national-2016/二.八#2", "000000", [InvestigationKinds.Vehicles]),
        new("national-2016/二.八#3", "000000", [InvestigationKinds.Whereabouts]),
        new("zhanjiang-2019/二.六.1#1", "440800", [InvestigationKinds.RealEstate]),
        new("zhanjiang-2019/二.八#1", "440800", [InvestigationKinds.TravelDocuments, InvestigationKinds.Vehicles]),
        new("zhanjiang-2019/二.八#2", "440800", [InvestigationKinds.Vehicles]),
        new("zhanjiang-2019/二.八#3", "440800", [InvestigationKinds.Whereabouts]),
        new("ningxia-2017/二.六.1#1", "640000", [InvestigationKinds.RealEstate]),
        new("ningxia-2017/二.八#1", "640000", [InvestigationKinds.TravelDocuments, InvestigationKinds.Vehicles]),
        new("ningxia-2017/二.八#2", "640000", [InvestigationKinds.Vehicles]),
        new("ningxia-2017/二.八#3", "640000", [InvestigationKinds.Whereabouts]),
        new("ningxia-2017/二.九.1#1", "640000", [InvestigationKinds.SafeDepositBox, InvestigationKinds.WealthManagement, InvestigationKinds.Insurance]),
        new("ningxia-2017/二.九.2#1", "640000", [InvestigationKinds.Marriage, InvestigationKinds.Subsistence]),
        new("ningxia-2017/二.九.3#1", "640000", [InvestigationKinds.ProvidentFund]),
        new("jiangsu-2017/三.七#1", "320000", [InvestigationKinds.TravelDocuments, InvestigationKinds.Marriage, InvestigationKinds.Accommodation, InvestigationKinds.Vehicles]),
        new("jiangsu-2017/三.七#2", "320000", [InvestigationKinds.Whereabouts]),
        new("jiangsu-2017/三.七#5", "320000", [InvestigationKinds.WealthManagement, InvestigationKinds.SafeDepositBox]),
        new("jiangsu-2017/三.七#6", "320000", [InvestigationKinds.Insurance]),
        new("jiangsu-2017/三.七#7", "320000", [InvestigationKinds.RealEstate]),
        new("jiangsu-2017/三.十#3", "320000", [InvestigationKinds.Vehicles]),
        new("zhaoling-2018/三.八#2", "411104", [InvestigationKinds.Whereabouts]),
        new("zhaoling-2018/三.八#7", "411104", [InvestigationKinds.Accommodation, InvestigationKinds.Whereabouts]),
        new("zhaoling-2018/三.十一#5", "411104", [InvestigationKinds.Equity]),
        new("zhaoling-2018/三.十五#1", "411104", [InvestigationKinds.Marriage, InvestigationKinds.Subsistence]),
        new("zhaoling-2018/三.十六#1", "411104", [InvestigationKinds.TaxRefund]),
        new("zhaoling-2018/三.十七#1", "411104", [InvestigationKinds.Deposits]),
    ];
}
