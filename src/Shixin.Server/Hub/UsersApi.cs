using Shixin.Server.Auth;

namespace Shixin.Server.Hub;

/// <summary>Body of POST /api/v1/organizations/{code}/users.</summary>
public sealed record CreateUserRequest(string? UserName, string? Password, string[]? Roles, string? DisplayName);

/// <summary>Body of POST /api/v1/organizations/{code}/users/{userName}/reset-password.</summary>
public sealed record ResetPasswordRequest(string? Password);

/// <summary>A staff account as the API shows it (never the password hash).</summary>
public sealed record UserView(string Id, string UserName, string DisplayName, string Organization, string[] Roles, DateTime CreatedAt, DateTime? LockedUntil,
    DateTime? LastSignInAt, DateTime? DisabledAt = null);

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
        // Issue 15 item 7: the hub administrator keeps accounts working; each change is in the audit trail with who made it.
        g.MapPost("/{code}/users/{userName}/disable", (string code, string userName, HttpContext http, StaffAccounts accounts, CancellationToken ct) =>
                Change(code, userName, "disable", null, http, accounts, ct))
            .RequireRoles(Roles.HubAdmin).WithSummary("Disable a staff account: it cannot sign in and its open sessions end at once")
            .Produces<UserView>().ProducesProblem(404).ProducesProblem(409);
        g.MapPost("/{code}/users/{userName}/enable", (string code, string userName, HttpContext http, StaffAccounts accounts, CancellationToken ct) =>
                Change(code, userName, "enable", null, http, accounts, ct))
            .RequireRoles(Roles.HubAdmin).WithSummary("Enable a disabled staff account").Produces<UserView>().ProducesProblem(404);
        g.MapPost("/{code}/users/{userName}/unlock", (string code, string userName, HttpContext http, StaffAccounts accounts, CancellationToken ct) =>
                Change(code, userName, "unlock", null, http, accounts, ct))
            .RequireRoles(Roles.HubAdmin).WithSummary("Unlock a staff account locked after five failed sign-ins").Produces<UserView>().ProducesProblem(404);
        g.MapPost("/{code}/users/{userName}/reset-password", (string code, string userName, ResetPasswordRequest? body, HttpContext http, StaffAccounts accounts, CancellationToken ct) =>
                Change(code, userName, "reset-password", body?.Password, http, accounts, ct))
            .RequireRoles(Roles.HubAdmin).WithSummary("Set a new password (10–200 characters); unlocks the account and ends its open sessions")
            .Produces<UserView>().ProducesProblem(400).ProducesProblem(404);
        return api;
    }

    internal static async Task<IResult> Create(string code, CreateUserRequest? body, HttpContext http, StaffAccounts accounts, CancellationToken ct)
    {
        var (user, problem) = await accounts.CreateAsync(http.GetCaller(), code, body?.UserName, body?.DisplayName, body?.Password, body?.Roles, ct);
        return problem ?? TypedResults.Created("/api/v1/organizations/" + code + "/users/" + user!.UserName, ViewOf(user));
    }

    internal static async Task<IResult> List(string code, StaffAccounts accounts, CancellationToken ct) =>
        TypedResults.Ok((await accounts.ListAsync(code, ct)).Select(ViewOf).ToArray());

    internal static async Task<IResult> Change(string code, string userName, string action, string? password, HttpContext http, StaffAccounts accounts, CancellationToken ct)
    {
        var (user, problem) = await accounts.ChangeAsync(http.GetCaller(), code, userName, action, password, ct);
        return problem ?? TypedResults.Ok(ViewOf(user!));
    }

    public static UserView ViewOf(Data.UserRow u) => new(u.Id, u.UserName, u.DisplayName, u.OrganizationCode,
        u.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), u.CreatedAt, u.LockedUntil, u.LastSignInAt, u.DisabledAt);
}
