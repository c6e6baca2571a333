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

    /// <summary>Messages of the last action (problems, field errors).</summary>
    public List<string> Errors { get; } = [];

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (HttpContext.Items[typeof(Caller)] is not Caller caller)
        {
            context.Result = Redirect("/signin?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
            return;
        }

        if (!caller.HasAny(RequiredRoles))
        {
            context.Result = Redirect("/signin?denied=1");
            return;
        }

        Caller = caller;
        await next();
    }

    /// <summary>Reads what an API handler answered: its value, or its problem's messages into <see cref="Errors"/>.</summary>
    protected TValue? Read<TValue>(IResult result)
        where TValue : class
    {
        if (result is IValueHttpResult<TValue> { Value: { } value })
        {
            return value;
        }

        Errors.AddRange(ApiResults.Messages(result, T));
        return null;
    }
}

/// <summary>Turns API results into messages for a page.</summary>
public static class ApiResults
{
    public static IEnumerable<string> Messages(IResult result, Ui t)
    {
        if (result is not ProblemHttpResult problem)
        {
            yield return "unexpected result: " + result.GetType().Name;
            yield break;
        }

        var p = problem.ProblemDetails;
        var code = p.Extensions.TryGetValue("code", out var c) ? c as string : null;
        var fields = p.Extensions.TryGetValue("errors", out var e) ? e as IDictionary<string, string[]> : null;

        // The reader's language first (what went wrong, by the stable code), then the API's own detail.
        var said = code is not null && t.Code("error", code) is var words && !string.Equals(words, code, StringComparison.Ordinal) ? words + "：" : "";
        if (fields is null || fields.Count == 0)
        {
            yield return said + (code is null ? "" : "[" + code + "] ") + p.Detail;
            yield break;
        }

        foreach (var (field, messages) in fields)
        {
            foreach (var m in messages)
            {
                yield return said + t.Code("field", field) + ": " + m;
            }
        }
    }
}
