using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shixin.Server.Auth;

namespace Shixin.Server.Web;

/// <summary>
/// A console page: needs a signed-in caller (cookie or key) holding one of <see cref="RequiredRoles"/>.
/// Without a caller it sends the reader to sign in; with the wrong roles it says so.
/// </summary>
public abstract class StaffPage : PageModel
{
    protected abstract string[] RequiredRoles { get; }

    public Caller Caller { get; private set; } = null!;

    public Ui T => Ui.For(HttpContext);

    /// <summary>Messages of the last action (problems, field errors), in the reader's language, for the summary at the top.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The same field errors by the API's field key, so that a form shows each against its input.</summary>
    public Dictionary<string, List<string>> FieldErrors { get; } = new(StringComparer.Ordinal);

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (HttpContext.Items[typeof(Caller)] is not Caller caller)
        {
            context.Result = Redirect("/signin?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
            return;
        }

        // The same role policy the API's endpoints declare, checked by the same authorization service.
        var authorization = HttpContext.RequestServices.GetRequiredService<IAuthorizationService>();
        if (!(await authorization.AuthorizeAsync(HttpContext.User, resource: null, ShixinAuthentication.RolePolicy(RequiredRoles))).Succeeded)
        {
            context.Result = Redirect("/signin?denied=1");
            return;
        }

        Caller = caller;
        await next();
    }

    /// <summary>Reads what an application service answered: its value, or its problem's messages into <see cref="Errors"/> and <see cref="FieldErrors"/>.</summary>
    protected TValue? Read<TValue>(Http.Outcome<TValue> outcome)
        where TValue : class =>
        outcome.Problem is { } problem ? Read<TValue>((IResult)problem) : outcome.Value;

    /// <summary>Reads what an API handler answered: its value, or its problem's messages into <see cref="Errors"/>.</summary>
    protected TValue? Read<TValue>(IResult result)
        where TValue : class
    {
        if (result is IValueHttpResult<TValue> { Value: { } value })
        {
            return value;
        }

        Errors.AddRange(ApiResults.Messages(result, T));
        foreach (var (field, messages) in ApiResults.FieldMessages(result, T))
        {
            if (!FieldErrors.TryGetValue(field, out var list))
            {
                FieldErrors[field] = list = [];
            }

            list.AddRange(messages);
        }

        return null;
    }
}

/// <summary>Turns API results into messages for a page, in the reader's language.</summary>
public static class ApiResults
{
    /// <summary>
    /// One message per field error (or the problem's detail when it names no field). In Chinese each message is the
    /// API's Chinese text, which names the field by its label: no field path, no internal code. In English the API's
    /// English, prefixed by the field key.
    /// </summary>
    public static IEnumerable<string> Messages(IResult result, Ui t)
    {
        if (result is not ProblemHttpResult problem)
        {
            yield return t.English ? "unexpected result: " + result.GetType().Name : "系统返回了意外的结果，请稍后重试";
            yield break;
        }

        if (problem.ProblemDetails is not Http.BilingualProblemDetails p)
        {
            yield return t.English ? problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "error" : "办理失败，请检查后重试";
            yield break;
        }

        if (p.FieldErrors is not { Count: > 0 } fields)
        {
            yield return p.DetailText.In(t.English);
            yield break;
        }

        foreach (var (field, messages) in fields)
        {
            foreach (var m in messages)
            {
                yield return t.English ? field + ": " + m.En : m.Zh;
            }
        }
    }

    /// <summary>Field errors by the API's field key, in the reader's language.</summary>
    public static IReadOnlyDictionary<string, string[]> FieldMessages(IResult result, Ui t) =>
        result is ProblemHttpResult { ProblemDetails: Http.BilingualProblemDetails { FieldErrors: { } fields } }
            ? fields.ToDictionary(kv => kv.Key, kv => kv.Value.Select(m => m.In(t.English)).ToArray(), StringComparer.Ordinal)
            : new Dictionary<string, string[]>(StringComparer.Ordinal);
}
