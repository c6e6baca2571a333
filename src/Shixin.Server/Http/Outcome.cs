using System.Collections.Immutable;
using Microsoft.AspNetCore.Http.HttpResults;
using Shixin.Core;

namespace Shixin.Server.Http;

/// <summary>
/// What an application service answers: its value, or the problem every caller gets (the endpoint returns it as is, a page
/// shows its messages, the demo seeder skips the step). Services never build HTTP contexts or unwrap endpoint results.
/// </summary>
public readonly record struct Outcome<T>(T? Value, ProblemHttpResult? Problem)
    where T : class
{
    public bool Failed => Problem is not null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(ProblemHttpResult problem) => new(null, problem);

    /// <summary>A problem another service answered (the entry service answers <see cref="IResult"/>; it is always a problem there).</summary>
    public static Outcome<T> Fail(IResult problem) => new(null, problem as ProblemHttpResult ?? throw new InvalidOperationException("not a problem: " + problem.GetType().Name));

    /// <summary>200 with the value, or the problem.</summary>
    public IResult Ok() => Problem ?? (IResult)TypedResults.Ok(Value);

    /// <summary>201 with the value at <paramref name="location"/>, or the problem.</summary>
    public IResult Created(Func<T, string> location) => Problem ?? (IResult)TypedResults.Created(location(Value!), Value);

    /// <summary>The endpoint's answer: the problem, or <paramref name="ok"/> applied to the value.</summary>
    public IResult Map(Func<T, IResult> ok) => Problem is { } p ? p : ok(Value!);
}

/// <summary>Turns a decider's refusals into the one problem the caller reads.</summary>
public static class Refusals
{
    /// <summary>
    /// Refusals on fields are answered together (400 validation-failed, or the one error's own code when there is one);
    /// a refusal of the whole act (403, 404, 409 …) is answered alone.
    /// </summary>
    public static ProblemHttpResult Problem(ImmutableArray<DomainError> errors)
    {
        if (errors.FirstOrDefault(e => e.Field is null) is { } whole)
        {
            return Problems.From(whole);
        }

        var fields = new FieldErrors();
        foreach (var e in errors)
        {
            fields.Add(e);
        }

        return fields.ToProblem();
    }
}
