using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shixin.Core;

namespace Shixin.Server.Http;

/// <summary>RFC 9457 problem details with a stable machine <c>code</c> (API.md "Errors").</summary>
/// <remarks>
/// Every problem carries its <c>detail</c>, <c>title</c> and <c>errors</c> messages in Chinese and in English
/// (<see cref="BilingualProblemDetails"/>); the language is chosen once, when the problem is written
/// (<see cref="ProblemLanguage"/>, wired in <c>AddProblemDetails</c>), never per endpoint. <c>code</c> and the keys of
/// <c>errors</c> never change with the language.
/// </remarks>
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

    /// <summary>The problem's <c>title</c> for a status, in both languages.</summary>
    public static Bilingual TitleFor(int status) => status switch
    {
        400 => new("请求有误", "The request is invalid"),
        401 => new("需要身份认证", "Authentication required"),
        403 => new("无权办理", "Not allowed"),
        404 => new("未找到", "Not found"),
        405 => new("不支持该请求方法", "Method not allowed"),
        409 => new("与当前状态冲突", "Conflict with the current state"),
        413 => new("请求内容过大", "Request too large"),
        415 => new("不支持的内容类型", "Unsupported media type"),
        422 => new("不符合法定条件", "Refused by a legal rule"),
        429 => new("请求过于频繁", "Too many requests"),
        500 => new("系统内部错误", "Internal error"),
        503 => new("服务暂不可用", "Service unavailable"),
        _ => new("出错了", "Error"),
    };

    public static ProblemHttpResult Of(string code, Bilingual detail, IDictionary<string, Bilingual[]>? errors = null) =>
        TypedResults.Problem(Details(code, detail, errors));

    /// <summary>The problem itself, for writers that are not endpoint results (middleware, exception handler).</summary>
    public static BilingualProblemDetails Details(string code, Bilingual detail, IDictionary<string, Bilingual[]>? errors = null, int? status = null)
    {
        var s = status ?? StatusFor(code);
        var p = new BilingualProblemDetails
        {
            Status = s,
            Type = "https://shixin.example/problems/" + code,
            DetailText = detail,
            TitleText = TitleFor(s),
            FieldErrors = errors is { Count: > 0 } ? new Dictionary<string, Bilingual[]>(errors, StringComparer.Ordinal) : null,
        };
        p.Extensions["code"] = code;
        p.Localize(english: false);
        return p;
    }

    public static ProblemHttpResult From(DomainError error)
    {
        var message = Labeled(error);
        return Of(error.Code, message, error.Field is null ? null : new Dictionary<string, Bilingual[]> { [error.Field] = [message] });
    }

    /// <summary>
    /// An identifier error says what is wrong ("校验码应为9") but not where: the Chinese gets the field's label in front
    /// ("身份证号码：校验码应为9"), so that the message stands on its own in a page's summary.
    /// </summary>
    public static Bilingual Labeled(DomainError error) =>
        error.Field is not null && IdentifierCodes.Contains(error.Code) && !error.Message.Zh.Contains('：', StringComparison.Ordinal)
            ? new(FieldLabels.Zh(error.Field) + "：" + error.Message.Zh, error.Message.En)
            : error.Message;

    private static readonly HashSet<string> IdentifierCodes = new(StringComparer.Ordinal)
    {
        IdentifierErrorCodes.InvalidIdNumber, IdentifierErrorCodes.InvalidCreditCode, IdentifierErrorCodes.InvalidOrganizationCode,
        IdentifierErrorCodes.InvalidPassport, IdentifierErrorCodes.InvalidCaseNumber,
    };

    public static ProblemHttpResult Validation(IDictionary<string, Bilingual[]> errors) =>
        Of(DomainError.Codes.ValidationFailed, ValidationDetail(errors), errors);

    /// <summary>"填写有误" with the count in Chinese (no field paths); the field names in English, as before.</summary>
    public static Bilingual ValidationDetail(IDictionary<string, Bilingual[]> errors)
    {
        var n = errors.Values.Sum(v => v.Length);
        return new(n == 1 ? "填写有误，请按提示更正" : "有" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "处填写有误，请按提示逐项更正",
            "one or more fields are invalid: " + string.Join(", ", errors.Keys));
    }

    public static ProblemHttpResult Unauthorized() =>
        Of("unauthorized", new("请先登录，或以“Authorization: Bearer <密钥>”提供有效的接口密钥", "send a valid key as 'Authorization: Bearer <key>'"));

    public static ProblemHttpResult Forbidden(Bilingual detail) => Of("forbidden", detail);

    /// <summary>404 for a named thing: <paramref name="what"/> as "该条目" / "entry 0190…".</summary>
    public static ProblemHttpResult NotFound(Bilingual what) => Of(NotFoundCode, new("未找到" + what.Zh, what.En + " was not found"));
}

/// <summary>
/// A problem whose texts exist in both languages. Serialised as a plain RFC 9457 problem: the bilingual texts are not
/// written; <see cref="Localize"/> puts one language into <c>detail</c>, <c>title</c> and <c>errors</c>.
/// </summary>
public sealed class BilingualProblemDetails : ProblemDetails
{
    [JsonIgnore]
    public Bilingual DetailText { get; init; }

    [JsonIgnore]
    public Bilingual TitleText { get; init; }

    /// <summary>Field errors by stable key (the request's field path), each message in both languages.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Bilingual[]>? FieldErrors { get; init; }

    [JsonIgnore]
    public string? Code => Extensions.TryGetValue("code", out var c) ? c as string : null;

    public void Localize(bool english)
    {
        Detail = DetailText.In(english);
        Title = TitleText.In(english);
        if (FieldErrors is not null)
        {
            Extensions["errors"] = FieldErrors.ToDictionary(kv => kv.Key, kv => kv.Value.Select(m => m.In(english)).ToArray(), StringComparer.Ordinal);
        }
    }
}

/// <summary>
/// The language a problem answers in: Chinese unless the request asks for English by <c>?lang=en</c>, by the pages'
/// language cookie (<c>shixin.lang=en</c>), or by an <c>Accept-Language</c> that prefers English to Chinese.
/// <c>?lang=zh</c> and the cookie <c>zh</c> keep Chinese whatever the header says.
/// </summary>
public static class ProblemLanguage
{
    public static bool IsEnglish(HttpContext http)
    {
        var q = http.Request.Query["lang"].ToString();
        if (q.Length > 0)
        {
            return q.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        }

        if (http.Request.Cookies[Web.Ui.CookieName] is { Length: > 0 } cookie)
        {
            return cookie.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        }

        return PrefersEnglish(http.Request.Headers.AcceptLanguage.ToString());
    }

    /// <summary>True when the header's best-rated language of en/zh is English (q-values; ties go to the first named).</summary>
    public static bool PrefersEnglish(string? acceptLanguage)
    {
        if (string.IsNullOrWhiteSpace(acceptLanguage)
            || !Microsoft.Net.Http.Headers.StringWithQualityHeaderValue.TryParseList(acceptLanguage.Split(','), out var items))
        {
            return false;
        }

        double en = -1, zh = -1;
        int enAt = int.MaxValue, zhAt = int.MaxValue, i = 0;
        foreach (var item in items)
        {
            var tag = item.Value.ToString();
            var q = item.Quality ?? 1.0;
            if (q > 0 && tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) && q > en)
            {
                (en, enAt) = (q, i);
            }
            else if (q > 0 && tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) && q > zh)
            {
                (zh, zhAt) = (q, i);
            }

            i++;
        }

        return en > zh || (en == zh && en >= 0 && enAt < zhAt);
    }

    /// <summary>Puts the request's language into a problem about to be written (AddProblemDetails' CustomizeProblemDetails).</summary>
    public static void Apply(ProblemDetailsContext context)
    {
        var english = IsEnglish(context.HttpContext);
        if (context.ProblemDetails is BilingualProblemDetails bilingual)
        {
            bilingual.Localize(english);
            return;
        }

        // A problem the framework made (e.g. a 400 from binding): a title in the reader's language.
        if (context.ProblemDetails.Status is { } status)
        {
            context.ProblemDetails.Title = Problems.TitleFor(status).In(english);
        }
    }
}

/// <summary>Collects field errors for a request (the <c>errors</c> member of a problem).</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<Bilingual>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>The first error's stable code, when a field error carries a more specific code.</summary>
    public string? FirstCode { get; private set; }

    /// <summary>Adds a message on <paramref name="field"/> (the stable key, e.g. <c>subject.idNumber</c>), in both languages.</summary>
    public void Add(string field, Bilingual message, string? code = null)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        FirstCode ??= code;
    }

    public void Add(DomainError error) => Add(error.Field ?? "body", Problems.Labeled(error), error.Code);

    /// <summary>An identifier that failed to parse, keeping its code; the Chinese names the field by its label.</summary>
    public void AddIdentifier(string field, IdentifierError error) =>
        Add(field, new(FieldLabels.Zh(field) + "：" + error.MessageZh, error.Message), error.Code);

    public IDictionary<string, Bilingual[]> ToDictionary() => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>All messages in one language, in order (for an import line or a page).</summary>
    public IEnumerable<string> Messages(bool english) => _errors.Values.SelectMany(v => v).Select(m => m.In(english));

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
