using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.OpenApi;
using Shixin.Server.Auth;

namespace Shixin.Server.Http;

/// <summary>
/// Makes /openapi/v1.json usable by client generators and linters (issue 11, finding 16): security schemes, every
/// error status an operation can answer, the problem schema with <c>code</c> and <c>errors</c>, operation ids, and
/// schemas for the non-JSON bodies (CSV, NDJSON, HTML, PDF, Prometheus text). Written once here from endpoint
/// metadata, so an endpoint only declares its roles and success type and the contract follows.
/// </summary>
internal static class OpenApiContract
{
    public const string BearerScheme = "bearer";
    private const string ProblemSchema = "ProblemDetails";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Operations"] = "Health, readiness and Prometheus metrics (no key).",
        ["Public"] = "Public query of the list, complaints and removals (no key; rate-limited per client).",
        ["Hub: organizations"] = "Organizations, their keys and staff accounts (hub).",
        ["Hub: oversight"] = "Oversight: complaints, credit repair, notices, quarterly reports, compliance, audit (hub).",
        ["Courts: entries"] = "The list's entries and their legal life (executing courts).",
        ["Courts: corrections"] = "Corrections and reconsiderations (纠正、复议).",
        ["Courts: exemptions"] = "Court exemptions (单次解禁、特定消费许可): a person on an entry exempted from named scenarios for a window.",
        ["Units: screening"] = "Checks against the list inside a unit's approval steps.",
        ["Units: distribution"] = "Feed, snapshot, daily exports and webhook subscriptions.",
        ["Units: feedback"] = "Feedback, objections, complaints and credit repair handled by units.",
    };

    /// <summary>Registers the document and operation transformers on the v1 document.</summary>
    public static OpenApiOptions UseShixinContract(this OpenApiOptions o)
    {
        o.AddDocumentTransformer((doc, _, _) =>
        {
            Describe(doc);
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            Complete(operation, context);
            return Task.CompletedTask;
        });
        // Runs after the operation transformers, when every tag in use is known.
        o.AddDocumentTransformer((doc, _, _) =>
        {
            DescribeTags(doc);
            return Task.CompletedTask;
        });
        return o;
    }

    private static void Describe(OpenApiDocument doc)
    {
        doc.Info.Title = "Shixin 失信被执行人名单与联合惩戒平台";
        doc.Info.Version = "v1";
        doc.Info.Description = "The HTTP contract of the Shixin platform (README.md in the repository describes it further). Authenticate with 'Authorization: Bearer <key>'; a key belongs to "
            + "one organization and carries roles. Errors are RFC 9457 problem details with a stable `code`.";
        doc.Info.License = new OpenApiLicense { Name = "Proprietary — operated for the courts and credit hubs", Identifier = "LicenseRef-Shixin" };
        // The server answers on whatever address it was reached at: a relative server keeps generated clients portable.
        doc.Servers = [new OpenApiServer { Url = "/", Description = "this Shixin node" }];
        doc.Components ??= new OpenApiComponents();
        doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        doc.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "Shixin API key",
            Description = "An organization's API key (POST /api/v1/organizations/{code}/keys). Missing or invalid → 401; "
                + "valid without the role or outside the organization's scope → 403.",
        };
        doc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        doc.Components.Schemas[ProblemSchema] = Problem();
    }

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. `code` is stable and machine-readable; `errors` maps a field to its messages.",
        Required = new HashSet<string>(StringComparer.Ordinal) { "status", "title", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Stable machine code, e.g. invalid-id-number, subject-is-minor, illegal-transition, window-closed, not-found.",
                Examples = [JsonValue.Create("illegal-transition")],
            },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Field → messages, for validation errors.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
    };

    private static void DescribeTags(OpenApiDocument doc)
    {
        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in doc.Paths.Values)
        {
            if (path.Operations is null)
            {
                continue;
            }
            foreach (var op in path.Operations.Values)
            {
                foreach (var t in op.Tags ?? new HashSet<OpenApiTagReference>())
                {
                    if (t.Name is { } name)
                    {
                        used.Add(name);
                    }
                }
            }
        }
        doc.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag
        {
            Name = name,
            Description = TagDescriptions.TryGetValue(name, out var d) ? d : name,
        }));
    }

    private static void Complete(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var endpoint = context.Description.ActionDescriptor.EndpointMetadata;
        var method = context.Description.HttpMethod ?? "GET";
        var route = "/" + (context.Description.RelativePath ?? string.Empty).TrimStart('/');
        var document = context.Document;

        operation.OperationId ??= OperationId(method, route);
        if (string.IsNullOrWhiteSpace(operation.Summary))
        {
            operation.Summary = method.ToUpperInvariant() + " " + route;
        }

        var roles = endpoint.OfType<RequiredRolesMetadata>().LastOrDefault()?.Roles;
        operation.Security ??= [];
        operation.Security.Clear();
        if (roles is not null)
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
            var needs = "Roles: " + string.Join(", ", roles) + ".";
            operation.Description = string.IsNullOrWhiteSpace(operation.Description) ? needs : operation.Description + "\n\n" + needs;
        }

        operation.Responses ??= [];
        var isPublic = roles is null;
        var hasInput = operation.RequestBody is not null || (operation.Parameters?.Count ?? 0) > 0;
        var ops = route.StartsWith("/healthz", StringComparison.Ordinal) || route.StartsWith("/readyz", StringComparison.Ordinal)
            || route.StartsWith("/metrics", StringComparison.Ordinal);
        if (hasInput)
        {
            AddProblem(operation, document, 400, "The request is invalid (see `code` and `errors`)");
        }
        if (!isPublic)
        {
            AddProblem(operation, document, 401, "No key, or the key is unknown or revoked");
            AddProblem(operation, document, 403, "The key lacks the role, or the object is outside its organization's scope");
        }
        if (route.Contains('{', StringComparison.Ordinal))
        {
            AddProblem(operation, document, 404, "No such object (or not visible to this key)");
        }
        if (isPublic && !ops)
        {
            AddProblem(operation, document, 429, "Too many requests from this client; retry after `Retry-After` seconds");
        }
        if (ops && !operation.Responses.Keys.Any(k => k.StartsWith('4')))
        {
            // Operations endpoints answer 503 when not ready; a 4xx is documented for the unknown-route case linters expect.
            AddProblem(operation, document, 404, "Not served on this node");
        }

        DeclaredContentTypes(operation, endpoint);
        foreach (var (code, response) in operation.Responses)
        {
            if (response is not OpenApiResponse r)
            {
                continue;
            }
            if (code.StartsWith('2') && code != "204")
            {
                GiveSchemas(r, route);
            }
        }
    }

    /// <summary>
    /// Non-JSON success bodies declared with <c>Produces&lt;string&gt;(200, "text/csv")</c> reach the document as
    /// <c>application/json</c>; put the declared media types back so generators see CSV, NDJSON, HTML and PDF.
    /// </summary>
    private static void DeclaredContentTypes(OpenApiOperation operation, IList<object> metadata)
    {
        var produces = metadata.OfType<IProducesResponseTypeMetadata>().Where(m => m.StatusCode is >= 200 and < 300).ToList();
        var mixed = produces.Where(m => m.ContentTypes.Any(t => !t.StartsWith("application/json", StringComparison.Ordinal)))
            .Select(m => m.StatusCode).ToHashSet();
        foreach (var group in produces.Where(m => mixed.Contains(m.StatusCode)).GroupBy(m => m.StatusCode))
        {
            var key = group.Key.ToString(CultureInfo.InvariantCulture);
            operation.Responses ??= [];
            if (!operation.Responses.TryGetValue(key, out var existing) || existing is not OpenApiResponse response)
            {
                response = new OpenApiResponse { Description = "OK" };
                operation.Responses[key] = response;
            }
            var declared = group.SelectMany(m => m.ContentTypes).Distinct(StringComparer.Ordinal).ToList();
            var content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
            foreach (var type in declared)
            {
                content[type] = response.Content is not null && response.Content.TryGetValue(type, out var known) && type.StartsWith("application/json", StringComparison.Ordinal)
                    ? known
                    : new OpenApiMediaType();
            }
            response.Content = content;
        }
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument? document, int status, string description)
    {
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse known)
        {
            known.Content ??= new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
            known.Content.Remove("application/json");
            known.Content["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, document) };
            if (string.IsNullOrWhiteSpace(known.Description) || known.Description is "Bad Request" or "Not Found" or "Conflict")
            {
                known.Description = description;
            }
            return;
        }
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }

    /// <summary>Every success body gets a schema: text formats are strings, PDFs binary; JSON without one is an object.</summary>
    private static void GiveSchemas(OpenApiResponse response, string route)
    {
        if (response.Content is null || response.Content.Count == 0)
        {
            response.Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                [DefaultMediaType(route)] = new OpenApiMediaType(),
            };
        }
        foreach (var (type, media) in response.Content)
        {
            if (media.Schema is not null)
            {
                continue;
            }
            media.Schema = type switch
            {
                "application/pdf" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "A PDF document" },
                "application/x-ndjson" => new OpenApiSchema { Type = JsonSchemaType.String, Description = "Newline-delimited JSON: one JSON object a line" },
                "text/csv" => new OpenApiSchema { Type = JsonSchemaType.String, Description = "UTF-8 CSV with a header line" },
                "text/html" => new OpenApiSchema { Type = JsonSchemaType.String, Description = "A print-ready HTML page (Chinese)" },
                "text/plain" => new OpenApiSchema { Type = JsonSchemaType.String, Description = "Plain text" },
                _ => new OpenApiSchema { Type = JsonSchemaType.Object, Description = "JSON object" },
            };
        }
    }

    private static string DefaultMediaType(string route) =>
        route.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv"
        : route is "/metrics" or "/healthz" or "/readyz" ? "text/plain"
        : "application/json";

    /// <summary>A stable id from the verb and the route: <c>POST /api/v1/entries/{id}/decision</c> → <c>postEntriesByIdDecision</c>.</summary>
    internal static string OperationId(string method, string route)
    {
        var sb = new StringBuilder(method.ToLowerInvariant());
        var path = route.StartsWith("/api/v1", StringComparison.Ordinal) ? route["/api/v1".Length..] : route;
        foreach (var raw in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            // "{id:guid}" → "ById"; "{date}.csv" → "ByDateCsv".
            var segment = System.Text.RegularExpressions.Regex.Replace(raw, @"\{([A-Za-z]+)(:[^}]*)?\}", m => "By-" + m.Groups[1].Value + "-");
            foreach (var word in segment.Split(['-', '.', '_'], StringSplitOptions.RemoveEmptyEntries))
            {
                sb.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
            }
        }
        return sb.ToString();
    }
}
