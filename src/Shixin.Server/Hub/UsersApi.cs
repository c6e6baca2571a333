using Shixin.Server.Auth;

namespace Shixin.Server.Hub;

/// <summary>Body of POST /api/v1/organizations/{code}/users.</summary>
public sealed record CreateUserRequest(string? UserName, string? Password, string[]? Roles, string? DisplayName);

/// <summary>A staff account as the API shows it (never the password hash).</summary>
public sealed record UserView(string Id, string UserName, string DisplayName, string Organization, string[] Roles, DateTime CreatedAt, DateTime? LockedUntil, DateTime? LastSignInAt);

/// <summary>The hub creates personal staff accounts for organizations (issue 5 "Staff accounts").</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/organizations").WithTags("Hub: organizations");
        g.MapPost("/{code}/users", Create).RequireRoles(Roles.HubAdmin).WithSummary("Create a staff account (user name + password) bound to the organization")
            .Produces<UserView>(201).ProducesProblem(400).ProducesProblem(409);
        g.MapGet("/{code}/users", List).RequireRoles(Roles.HubAdmin, Roles.HubAuditor).WithSummary("The organization's staff accounts")
            .Produces<UserView[]>();
        return api;
    }

    internal static async Task<IResult> Create(string code, CreateUserRequest? body, HttpContext http, StaffAccounts accounts, CancellationToken ct)
    {
        var (user, problem) = await accounts.CreateAsync(http.GetCaller(), code, body?.UserName, body?.DisplayName, body?.Password, body?.Roles, ct);
        return problem ?? TypedResults.Created("/api/v1/organizations/" + code + "/users/" + user!.UserName, ViewOf(user));
    }

    internal static async Task<IResult> List(string code, StaffAccounts accounts, CancellationToken ct) =>
        TypedResults.Ok((await accounts.ListAsync(code, ct)).Select(ViewOf).ToArray());

    public static UserView ViewOf(Data.UserRow u) => new(u.Id, u.UserName, u.DisplayName, u.OrganizationCode,
        u.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), u.CreatedAt, u.LockedUntil, u.LastSignInAt);
}
