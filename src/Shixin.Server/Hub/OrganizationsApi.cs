using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Hub;

/// <summary>Body of POST /api/v1/organizations.</summary>
public sealed record CreateOrganizationRequest(string? Kind, string? Code, string? Name, string? Region, string? ParentCode);

/// <summary>Body of POST /api/v1/organizations/{code}/keys.</summary>
public sealed record IssueKeyRequest(string[]? Roles);

/// <summary>An organization as the API shows it.</summary>
public sealed record OrganizationView(string Code, string Kind, string Name, string Region, string? ParentCode)
{
    public static OrganizationView Of(OrganizationRow o) => new(o.Code, o.Kind, o.Name, o.Region, o.ParentCode);
}

/// <summary>A newly issued key; the key itself is shown only in this response.</summary>
public sealed record IssuedKey(string Id, string Organization, string[] Roles, string Key);

/// <summary>A key as the hub lists it: never the key itself.</summary>
public sealed record KeyView(string Id, string Organization, string[] Roles, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static KeyView Of(ApiKeyRow k) => new(k.Id, k.OrganizationCode, k.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries),
        Shixin.Core.ChinaTime.ToChina(k.CreatedAt), k.RevokedAt is { } r ? Shixin.Core.ChinaTime.ToChina(r) : null);
}

/// <summary>The hub's endpoints for organizations and their keys (API.md "Bootstrap and organizations").</summary>
public static class OrganizationsApi
{
    public static RouteGroupBuilder MapOrganizationsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/organizations").WithTags("Hub: organizations");
        g.MapPost("", Create).RequireRoles(Roles.HubAdmin).WithSummary("Register a court, unit or hub").Produces<OrganizationView>(201).ProducesProblem(400).ProducesProblem(409);
        g.MapGet("", List).RequireRoles(Roles.HubAdmin, Roles.HubAuditor).WithSummary("All organizations").Produces<OrganizationView[]>();
        g.MapGet("/{code}", Get).RequireRoles(Roles.HubAdmin, Roles.HubAuditor).WithSummary("One organization").Produces<OrganizationView>();
        g.MapPost("/{code}/keys", IssueKey).RequireRoles(Roles.HubAdmin).WithSummary("Issue an API key (shown once; with Idempotency-Key a replay answers 409 idempotent-secret-not-replayable, the key is never stored)")
            .Produces<IssuedKey>(201).WithMetadata(new ResponseSecrets("key"));
        g.MapGet("/{code}/keys", ListKeys).RequireRoles(Roles.HubAdmin, Roles.HubAuditor, Roles.CourtAdmin, Roles.UnitAdmin)
            .WithSummary("The organization's keys (ids, roles, revocation; never the key); a court's or unit's key administrator sees its own organization's only")
            .Produces<KeyView[]>().ProducesProblem(403).ProducesProblem(404);
        // Issue 11: revocation by the hub administrator and by the owning organization's key administrator (court.admin,
        // unit.admin; API.md names the hub admin, these roles are an addition); another organization's administrator gets 403.
        api.MapPost("/keys/{id}/revoke", Revoke).RequireRoles(Roles.HubAdmin, Roles.CourtAdmin, Roles.UnitAdmin).WithTags("Hub: organizations")
            .WithSummary("Revoke a key (the hub administrator, or the owning organization's key administrator): it answers 401 on every node within a second")
            .Produces<KeyView>().ProducesProblem(403).ProducesProblem(404);
        return api;
    }

    internal static async Task<IResult> Create(CreateOrganizationRequest? body, HttpContext http, ShixinDatabase database, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body?.Kind is not ("court" or "unit" or "hub"))
        {
            errors.Add("kind", new("单位类型：请选择“人民法院”“联合惩戒单位”或“信用信息共享平台”", "kind must be 'court', 'unit' or 'hub'"));
        }

        if (string.IsNullOrWhiteSpace(body?.Code) || body.Code.Length > 64 || !body.Code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add("code", new("单位代码须为1至64个英文字母、数字或“-”“_”“.”", "code is required: 1–64 ASCII letters, digits, '-', '_' or '.'"));
        }

        if (string.IsNullOrWhiteSpace(body?.Name) || body.Name.Length > 200)
        {
            errors.Add("name", new("请填写单位名称（不超过200个字）", "name is required (at most 200 characters)"));
        }

        // GB/T 2260: six digits.
        if (body?.Region is null || body.Region.Length != 6 || !body.Region.All(char.IsAsciiDigit))
        {
            errors.Add("region", new("行政区划代码应为6位数字（GB/T 2260）", "region must be a 6-digit administrative division code (GB/T 2260)"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = database.CreateContext();
        if (await db.Organizations.AnyAsync(o => o.Code == body!.Code, ct))
        {
            return Problems.Of("conflict", new("单位代码“" + body!.Code + "”已被使用", "organization '" + body!.Code + "' exists already"));
        }

        if (body!.ParentCode is not null)
        {
            var parent = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Code == body.ParentCode, ct);
            if (parent is null)
            {
                return Problems.Of(Shixin.Core.DomainError.Codes.ValidationFailed, new("上级单位“" + body.ParentCode + "”尚未登记", "parentCode '" + body.ParentCode + "' is not a registered organization"),
                    new Dictionary<string, Shixin.Core.Bilingual[]> { ["parentCode"] = [new("上级单位尚未登记", "unknown organization")] });
            }

            if (string.Equals(body.Kind, "court", StringComparison.Ordinal) && !string.Equals(parent.Kind, "court", StringComparison.Ordinal))
            {
                return Problems.Of(Shixin.Core.DomainError.Codes.ValidationFailed, new("法院的上级单位应为其上一级人民法院", "a court's parentCode must name its higher court"),
                    new Dictionary<string, Shixin.Core.Bilingual[]> { ["parentCode"] = [new("上级单位不是人民法院", "not a court")] });
            }
        }

        var row = new OrganizationRow
        {
            Code = body.Code!, Kind = body.Kind!, Name = body.Name!.Trim(), Region = body.Region!, ParentCode = body.ParentCode,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Organizations.Add(row);
        Audit.Stage(db, http.GetCaller(), "organization.create", "organization:" + row.Code, row.Kind, time);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created("/api/v1/organizations/" + row.Code, OrganizationView.Of(row));
    }

    internal static async Task<IResult> List(ShixinDatabase database, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var rows = await db.Organizations.AsNoTracking().OrderBy(o => o.Code).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(OrganizationView.Of).ToArray());
    }

    internal static async Task<IResult> Get(string code, ShixinDatabase database, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var row = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Code == code, ct);
        return row is null ? Problems.NotFound(new("单位“" + code + "”", "organization '" + code + "'")) : TypedResults.Ok(OrganizationView.Of(row));
    }

    internal static async Task<IResult> IssueKey(string code, IssueKeyRequest? body, HttpContext http, ShixinDatabase database, ApiKeys keys, TimeProvider time, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Code == code, ct);
        if (org is null)
        {
            return Problems.NotFound(new("单位“" + code + "”", "organization '" + code + "'"));
        }

        var roles = body?.Roles ?? [];
        var errors = new FieldErrors();
        if (roles.Length == 0)
        {
            errors.Add("roles", new("请至少选择一个角色", "at least one role is required: " + string.Join(", ", Roles.Issuable)));
        }

        foreach (var r in roles)
        {
            if (!Roles.Issuable.Contains(r, StringComparer.Ordinal))
            {
                errors.Add("roles", new("所选角色无法识别", "unknown role '" + r + "'"));
            }
            else if (!Roles.FitsKind(r, org.Kind))
            {
                errors.Add("roles", new("“" + Web.ZhNames.Role(r) + "”角色不适用于" + Web.ZhNames.OrganizationKind(org.Kind), "role '" + r + "' does not fit a " + org.Kind));
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        Audit.Stage(db, http.GetCaller(), "key.issue", "organization:" + code, string.Join(",", roles), time);
        var (id, key) = await keys.IssueAsync(db, code, roles, null, ct);
        return TypedResults.Created("/api/v1/organizations/" + code + "/keys/" + id, new IssuedKey(id, code, roles, key));
    }

    internal static async Task<IResult> ListKeys(string code, HttpContext http, ShixinDatabase database, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!caller.HasAny(Roles.HubAdmin, Roles.HubAuditor) && !string.Equals(caller.OrganizationCode, code, StringComparison.Ordinal))
        {
            return Problems.Forbidden(new("仅可查看本单位的密钥", "a key administrator sees its own organization's keys only"));
        }

        await using var db = database.CreateContext();
        if (!await db.Organizations.AsNoTracking().AnyAsync(o => o.Code == code, ct))
        {
            return Problems.NotFound(new("单位“" + code + "”", "organization '" + code + "'"));
        }

        var rows = await db.ApiKeys.AsNoTracking().Where(k => k.OrganizationCode == code).OrderBy(k => k.Id).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(KeyView.Of).ToArray());
    }

    internal static async Task<IResult> Revoke(string id, HttpContext http, ShixinDatabase database, ApiKeys keys, TimeProvider time, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var row = id.Length <= 64 ? await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct) : null;
        if (row is null)
        {
            return Problems.NotFound(new("该接口密钥", "key '" + (id.Length <= 64 ? id : id[..64] + "…") + "'"));
        }

        var caller = http.GetCaller();
        if (!caller.Has(Roles.HubAdmin) && !string.Equals(caller.OrganizationCode, row.OrganizationCode, StringComparison.Ordinal))
        {
            return Problems.Forbidden(new("仅可吊销本单位的密钥", "a key administrator revokes its own organization's keys only"));
        }

        // Revoking twice changes nothing and answers the first revocation.
        if (row.RevokedAt is null)
        {
            row.RevokedAt = time.GetUtcNow().UtcDateTime;
            Audit.Stage(db, http.GetCaller(), "key.revoke", "key:" + row.Id, row.OrganizationCode, time);
            await db.SaveChangesAsync(ct);
        }

        keys.Forget(row.Id);
        return TypedResults.Ok(KeyView.Of(row));
    }
}
