namespace Shixin.Server.Auth;

/// <summary>Reads the bearer key and attaches the caller to the request.</summary>
public sealed class ApiKeyMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, ApiKeys keys)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var key = header["Bearer ".Length..].Trim();
            if (key.Length > 0)
            {
                var caller = await keys.ResolveAsync(key, context.RequestAborted);
                if (caller is not null)
                {
                    context.Items[typeof(Caller)] = caller;
                }
                else
                {
                    context.Items["shixin.bad-key"] = true;
                }
            }
        }

        // Check the key and roles before the endpoint binds its body: a caller without a key learns 401,
        // a key without the role 403, whatever the body holds (API.md "Auth").
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiredRolesMetadata>() is { } required)
        {
            if (context.Items[typeof(Caller)] is not Caller known)
            {
                await Http.Problems.Unauthorized().ExecuteAsync(context);
                return;
            }

            if (!known.HasAny(required.Roles))
            {
                await Http.Problems.Forbidden(CallerAccess.LacksRole(required.Roles)).ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }
}

/// <summary>Endpoint filters that enforce roles: 401 without a valid key, 403 without the role.</summary>
public static class CallerAccess
{
    public static Caller GetCaller(this HttpContext context) =>
        context.Items[typeof(Caller)] as Caller ?? throw new InvalidOperationException("endpoint requires a caller");

    /// <summary>Requires a valid key carrying any of the given roles.</summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (ctx, next) =>
        {
            if (ctx.HttpContext.Items[typeof(Caller)] is not Caller caller)
            {
                return Http.Problems.Unauthorized();
            }

            if (!caller.HasAny(roles))
            {
                return Http.Problems.Forbidden(LacksRole(roles));
            }

            return await next(ctx);
        });
        builder.WithMetadata(new RequiredRolesMetadata(roles));
        return builder;
    }

    /// <summary>"该操作需要法官角色" / "this key lacks the role: court.judge".</summary>
    public static Shixin.Core.Bilingual LacksRole(IEnumerable<string> roles) =>
        new("无权办理：该事项需要“" + string.Join("”或“", roles.Select(Web.ZhNames.Role)) + "”角色", "this key lacks the role: " + string.Join(" or ", roles));
}

/// <summary>Marks which roles an endpoint needs (shown in the OpenAPI description).</summary>
public sealed record RequiredRolesMetadata(string[] Roles);
