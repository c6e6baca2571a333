using Microsoft.AspNetCore.Http.HttpResults;

namespace Shixin.Server.Http;

/// <summary>
/// What an application service answers: a value, or the problem that refused it. Endpoints turn it into a response;
/// pages show the value or the problem's messages against their fields.
/// </summary>
public readonly record struct Outcome<T>(T? Value, ProblemHttpResult? Problem)
    where T : class
{
    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(ProblemHttpResult problem) => new(null, problem);

    public IResult Ok() => Problem ?? (IResult)TypedResults.Ok(Value);

    public IResult Created(Func<T, string> location) => Problem ?? (IResult)TypedResults.Created(location(Value!), Value);
}
