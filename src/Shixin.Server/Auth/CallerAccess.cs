namespace Shixin.Server.Auth;

/// <summary>The caller of a request, and the roles an endpoint requires (enforced by the authorization middleware).</summary>
public static class CallerAccess
{
    public static Caller GetCaller(this HttpContext context) =>
        context.Items[typeof(Caller)] as Caller ?? throw new InvalidOperationException("endpoint requires a caller");

    /// <summary>Requires a valid key (or staff session where a cookie may count) carrying any of the given roles.</summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        // One place checks roles: the authorization middleware, before the endpoint binds its body, so a caller without a
        // key learns 401 and a key without the role 403 whatever the body holds (API.md "Auth"; ShixinAuthentication).
        builder.RequireAuthorization(ShixinAuthentication.RolePolicy(roles));
        builder.WithMetadata(new RequiredRolesMetadata(roles));
        return builder;
    }

    /// <summary>"该操作需要法官角色" / "this key lacks the role: court.judge".</summary>
    public static Shixin.Core.Bilingual LacksRole(IEnumerable<string> roles) =>
        new("无权办理：该事项需要“" + string.Join("”或“", roles.Select(Web.ZhNames.Role)) + "”角色", "this key lacks the role: " + string.Join(" or ", roles));
}

/// <summary>Marks which roles an endpoint needs (shown in the OpenAPI description, read by the endpoint matrix test).</summary>
public sealed record RequiredRolesMetadata(string[] Roles);
