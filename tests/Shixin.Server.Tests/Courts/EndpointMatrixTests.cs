using System.Net;
using Microsoft.AspNetCore.Routing;
using Shixin.Server.Auth;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Courts;

/// <summary>
/// Every endpoint under /api/v1, enumerated from the running app's EndpointDataSource, must appear in <see cref="Matrix"/>
/// with the roles it admits (or as public). A new endpoint without an entry fails this test, and so does an endpoint
/// whose roles drift from the matrix. For each, a request without a key answers 401 and a key holding none of its roles
/// answers 403, before any body is read. (Issue 11 "What to build" 1; the per-object other-organization column is in
/// EndpointMatrixTests.OtherOrganization.cs.)
/// </summary>
public sealed partial class EndpointMatrixTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    private const string Public = "public";

    /// <summary>"VERB pattern" → roles (comma-separated, sorted) or "public". Add a line for every new endpoint.</summary>
    private static readonly Dictionary<string, string> Matrix = new(StringComparer.Ordinal)
    {
        ["DELETE /api/v1/subscriptions/{id:guid}"] = "unit.subscriber",
        ["GET /api/v1/audit"] = "hub.admin,hub.auditor",
        ["GET /api/v1/catalogs"] = "court.clerk,court.judge,hub.admin,hub.auditor,unit.assist,unit.checker,unit.feedback,unit.subscriber",
        ["GET /api/v1/catalogs/{id}/measures"] = "court.clerk,court.judge,hub.admin,hub.auditor,unit.assist,unit.checker,unit.feedback,unit.subscriber",
        ["GET /api/v1/complaints"] = "hub.admin,hub.auditor,unit.feedback",
        ["GET /api/v1/complaints/{trackingCode}"] = "public",
        ["GET /api/v1/compliance"] = "hub.admin,hub.auditor",
        ["GET /api/v1/credit-repairs"] = "hub.admin,hub.auditor,unit.feedback",
        ["GET /api/v1/entries/"] = "court.clerk,court.judge,hub.admin,hub.auditor",
        ["GET /api/v1/entries/{id:guid}"] = "court.clerk,court.judge,hub.admin,hub.auditor",
        ["GET /api/v1/entries/{id:guid}/special-notification"] = "court.clerk,court.judge,hub.admin,hub.auditor",
        ["GET /api/v1/exports/daily/{date}.csv"] = "hub.admin,hub.auditor,unit.checker,unit.subscriber",
        ["GET /api/v1/feed"] = "hub.admin,hub.auditor,unit.checker,unit.subscriber",
        ["GET /api/v1/feedback"] = "hub.admin,hub.auditor,unit.feedback",
        ["GET /api/v1/notices"] = "court.clerk,court.judge,hub.admin,hub.auditor,unit.assist,unit.checker,unit.feedback,unit.subscriber",
        ["GET /api/v1/objections/{id:guid}"] = "court.clerk,court.judge,hub.admin,hub.auditor,unit.assist,unit.checker,unit.feedback,unit.subscriber",
        ["GET /api/v1/obligations"] = "court.clerk,court.judge,hub.admin,hub.auditor,unit.assist,unit.checker,unit.feedback,unit.subscriber",
        ["GET /api/v1/organizations/"] = "hub.admin,hub.auditor",
        ["GET /api/v1/organizations/{code}"] = "hub.admin,hub.auditor",
        ["GET /api/v1/organizations/{code}/keys"] = "court.admin,hub.admin,hub.auditor,unit.admin",
        ["GET /api/v1/organizations/{code}/users"] = "hub.admin,hub.auditor",
        ["GET /api/v1/public/entries/{id:guid}"] = "public",
        ["GET /api/v1/public/removals"] = "public",
        ["GET /api/v1/public/search"] = "public",
        ["GET /api/v1/reports/quarterly"] = "hub.admin,hub.auditor,unit.feedback",
        ["GET /api/v1/scenarios"] = "court.clerk,court.judge,hub.admin,hub.auditor,unit.assist,unit.checker,unit.feedback,unit.subscriber",
        ["GET /api/v1/snapshot"] = "hub.admin,hub.auditor,unit.checker,unit.subscriber",
        ["GET /api/v1/subjects/status"] = "court.clerk,court.judge,hub.admin,hub.auditor",
        ["GET /api/v1/subscriptions/"] = "hub.admin,hub.auditor,unit.subscriber",
        ["GET /api/v1/subscriptions/{id:guid}"] = "hub.admin,hub.auditor,unit.subscriber",
        ["POST /api/v1/investigations"] = "court.clerk,court.judge",
        ["GET /api/v1/investigations"] = "court.clerk,court.judge,hub.auditor,unit.assist",
        ["GET /api/v1/investigations/{id:guid}"] = "court.clerk,court.judge,hub.auditor",
        ["POST /api/v1/investigation-tasks/{id:guid}/answer"] = "unit.assist",
        ["POST /api/v1/investigation-tasks/answers"] = "unit.assist",
        ["GET /api/v1/investigation-routes"] = "court.clerk,court.judge,hub.admin,hub.auditor",
        ["PUT /api/v1/investigation-routes"] = "hub.admin",
        ["POST /api/v1/controls"] = "court.judge",
        ["GET /api/v1/controls"] = "court.clerk,court.judge,hub.auditor,unit.assist",
        ["POST /api/v1/control-tasks/{id:guid}/answer"] = "unit.assist",
        ["POST /api/v1/checks"] = "unit.checker",
        ["POST /api/v1/checks/batch"] = "unit.checker",
        ["POST /api/v1/complaints"] = "public",
        ["POST /api/v1/complaints/{id:guid}/resolution"] = "unit.feedback",
        ["POST /api/v1/corrections/{id:guid}/reconsideration"] = "court.clerk,court.judge",
        ["POST /api/v1/corrections/{id:guid}/ruling"] = "court.judge",
        ["POST /api/v1/credit-repairs"] = "hub.admin,unit.feedback",
        ["POST /api/v1/credit-repairs/{id:guid}/decision"] = "unit.feedback",
        ["POST /api/v1/entries/"] = "court.clerk,court.judge",
        ["POST /api/v1/entries/import"] = "court.clerk,court.judge",
        ["POST /api/v1/entries/{id:guid}/amendment"] = "court.judge",
        ["POST /api/v1/entries/{id:guid}/corrections"] = "court.clerk,court.judge",
        ["POST /api/v1/entries/{id:guid}/decision"] = "court.judge",
        ["POST /api/v1/entries/{id:guid}/exit"] = "court.judge",
        ["POST /api/v1/entries/{id:guid}/extension"] = "court.judge",
        ["POST /api/v1/entries/{id:guid}/performance"] = "court.clerk,court.judge",
        ["POST /api/v1/entries/{id:guid}/risk-notice"] = "court.clerk,court.judge",
        ["POST /api/v1/entries/{id:guid}/special-notification"] = "court.clerk,court.judge",
        ["POST /api/v1/feedback"] = "unit.feedback",
        ["POST /api/v1/keys/{id}/revoke"] = "court.admin,hub.admin,unit.admin",
        ["POST /api/v1/notices"] = "hub.admin",
        ["POST /api/v1/objections"] = "unit.feedback",
        ["POST /api/v1/objections/{id:guid}/verification"] = "court.judge",
        ["POST /api/v1/organizations/"] = "hub.admin",
        ["POST /api/v1/organizations/{code}/keys"] = "hub.admin",
        ["POST /api/v1/organizations/{code}/users"] = "hub.admin",
        ["POST /api/v1/organizations/{code}/users/{userName}/disable"] = "hub.admin",
        ["POST /api/v1/organizations/{code}/users/{userName}/enable"] = "hub.admin",
        ["POST /api/v1/organizations/{code}/users/{userName}/unlock"] = "hub.admin",
        ["POST /api/v1/organizations/{code}/users/{userName}/reset-password"] = "hub.admin",
        ["POST /api/v1/reconsiderations/{id:guid}/ruling"] = "court.judge",
        ["POST /api/v1/reports/quarterly/confirmation"] = "unit.feedback",
        ["POST /api/v1/subscriptions/"] = "unit.subscriber",
        ["POST /api/v1/subscriptions/{id:guid}/resume"] = "hub.admin,unit.subscriber",
        ["POST /api/v1/subscriptions/{id:guid}/secrets"] = "unit.subscriber",
        ["GET /api/v1/checks/{checkId:guid}"] = "court.clerk,court.judge,hub.admin,hub.auditor,unit.assist,unit.checker,unit.feedback,unit.subscriber",
        ["POST /api/v1/entries/{id:guid}/exemptions"] = "court.judge",
        ["POST /api/v1/exemptions/{id:guid}/end"] = "court.judge",
    };

    [Fact]
    public async Task Every_endpoint_has_a_rule_and_enforces_it()
    {
        var s = await servers.For(Db.Sqlite);
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in s.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + e.RoutePattern.RawText?.TrimStart('/');
            if (!pattern.StartsWith("/api/v1", StringComparison.Ordinal))
            {
                continue;
            }

            var verbs = e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var roles = e.Metadata.GetMetadata<RequiredRolesMetadata>()?.Roles;
            // One place checks roles: the authorization policy the endpoint carries admits exactly the roles it declares.
            var policyRoles = e.Metadata.OfType<Microsoft.AspNetCore.Authorization.AuthorizationPolicy>()
                .SelectMany(p => p.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>())
                .SelectMany(r => r.AllowedRoles).Order(StringComparer.Ordinal).ToArray();
            policyRoles.ShouldBe(roles?.Order(StringComparer.Ordinal).ToArray() ?? [], pattern + ": authorization policy and declared roles");
            foreach (var verb in verbs)
            {
                found[verb + " " + pattern] = roles is null ? Public : string.Join(",", roles.Order(StringComparer.Ordinal));
            }
        }

        var missing = found.Where(f => !Matrix.TryGetValue(f.Key, out var r) || !string.Equals(r, f.Value, StringComparison.Ordinal)).ToList();
        missing.ShouldBeEmpty("endpoints without a (matching) line in the matrix; the app's rules are:\n"
            + string.Join("\n", found.Select(f => "        [\"" + f.Key + "\"] = \"" + f.Value + "\",")));
        Matrix.Keys.Except(found.Keys).ShouldBeEmpty("matrix lines for endpoints that no longer exist");

        // A hub key without court roles, a court key without hub roles, a unit key: one of them lacks every role of any endpoint.
        using var anonymous = s.Client();
        var callers = new (string Roles, HttpClient Client)[]
        {
            ("court.clerk,court.judge", await s.OrganizationAsync("court", Unique("court-mx-"), "440802", null, "court.clerk", "court.judge")),
            ("unit.checker,unit.feedback,unit.subscriber", await s.OrganizationAsync("unit", Unique("unit-mx-"), "440802", null, "unit.checker", "unit.feedback", "unit.subscriber")),
            ("hub.admin,hub.auditor", s.Admin),
        };
        foreach (var (line, roles) in found.Where(f => f.Value != Public))
        {
            var verb = line[..line.IndexOf(' ', StringComparison.Ordinal)];
            var path = Fill(line[(verb.Length + 1)..]);
            using var none = await anonymous.SendCt(new HttpRequestMessage(new HttpMethod(verb), path) { Content = verb == "GET" ? null : new StringContent("{", System.Text.Encoding.UTF8, "application/json") });
            ((int)none.StatusCode).ShouldBeOneOf([401, 415], line + " without a key");
            var allowed = roles.Split(',');
            foreach (var (held, client) in callers.Where(c => !c.Roles.Split(',').Intersect(allowed, StringComparer.Ordinal).Any()))
            {
                using var r = await client.SendCt(new HttpRequestMessage(new HttpMethod(verb), path) { Content = verb == "GET" ? null : new StringContent("{", System.Text.Encoding.UTF8, "application/json") });
                ((int)r.StatusCode).ShouldBeOneOf([403, 415], line + " with " + held);
            }
        }
    }

    private static string Fill(string pattern) => System.Text.RegularExpressions.Regex.Replace(pattern, "\\{([^}:]+)(:[^}]*)?\\}", m =>
        m.Groups[2].Value.Contains("guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString() : m.Groups[1].Value == "date" ? "2025-01-01" : "x1");
}
