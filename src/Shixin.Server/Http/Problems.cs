using Microsoft.AspNetCore.Http.HttpResults;
using Shixin.Core;

namespace Shixin.Server.Http;

/// <summary>RFC 9457 problem details with a stable machine <c>code</c> (API.md "Errors").</summary>
public static class Problems
{
    public const string NotFoundCode = "not-found";

    /// <summary>HTTP status for each stable code; unknown codes are client errors, never 500.</summary>
    public static int StatusFor(string code) => code switch
    {
        NotFoundCode => 404,
        "unauthorized" => 401,
        "forbidden" => 403,
        DomainError.Codes.IllegalTransition or DomainError.Codes.DuplicateEntry or DomainError.Codes.RelistingBarred
            or "conflict" or "idempotency-key-reused" or "request-in-progress" or "measure-not-applied"
            or "already-answered" or "control-not-renewable" => 409,
        // Issue 14: refused by a legal rule (Art. 485 terms, SPC Art. 10 para 1 item 4) or by the routing table.
        "control-term-exceeds-maximum" or "not-enough-searches" or "no-route" => 422,
        DomainError.Codes.SubjectIsMinor or DomainError.Codes.WindowClosed or DomainError.Codes.InvalidTerm
            or DomainError.Codes.InvalidExtension or DomainError.Codes.InvalidExitReason => 422,
        "payload-too-large" => 413,
        "unsupported-media-type" => 415,
        "rate-limited" => 429,
        "pdf-unavailable" or "busy" or "index-behind" => 503,
        _ => 400,
    };

    private static string TitleFor(int status) => status switch
    {
        400 => "The request is invalid",
        401 => "Authentication required",
        403 => "Not allowed",
        404 => "Not found",
        409 => "Conflict with the current state",
        413 => "Request too large",
        415 => "Unsupported media type",
        422 => "Refused by a legal rule",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => "Error",
    };

    public static ProblemHttpResult Of(string code, string detail, IDictionary<string, string[]>? errors = null)
    {
        var status = StatusFor(code);
        var ext = new Dictionary<string, object?> { ["code"] = code };
        if (errors is { Count: > 0 })
        {
            ext["errors"] = errors;
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: TitleFor(status), type: "https://shixin.example/problems/" + code, extensions: ext);
    }

    public static ProblemHttpResult From(DomainError error) =>
        Of(error.Code, error.Detail, error.Field is null ? null : new Dictionary<string, string[]> { [error.Field] = [error.Detail] });

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        Of(DomainError.Codes.ValidationFailed, "one or more fields are invalid: " + string.Join(", ", errors.Keys), errors);

    public static ProblemHttpResult Unauthorized() => Of("unauthorized", "send a valid key as 'Authorization: Bearer <key>'");

    public static ProblemHttpResult Forbidden(string detail) => Of("forbidden", detail);

    public static ProblemHttpResult NotFound(string what) => Of(NotFoundCode, what + " was not found");
}

/// <summary>Collects field errors for a request (the <c>errors</c> member of a problem).</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>The first error's stable code, when a field error carries a more specific code.</summary>
    public string? FirstCode { get; private set; }

    public void Add(string field, string message, string? code = null)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        FirstCode ??= code;
    }

    public void Add(DomainError error) => Add(error.Field ?? "body", error.Detail, error.Code);

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>A single identifier error keeps its specific code (e.g. invalid-id-number); several become validation-failed.</summary>
    public ProblemHttpResult ToProblem()
    {
        var dict = ToDictionary();
        var count = dict.Values.Sum(v => v.Length);
        return count == 1 && FirstCode is not null
            ? Problems.Of(FirstCode, dict.Values.First()[0], dict)
            : Problems.Validation(dict);
    }
}
