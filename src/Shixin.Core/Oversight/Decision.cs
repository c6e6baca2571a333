using System.Collections.Immutable;
using System.Globalization;

namespace Shixin.Core.Oversight;

/// <summary>
/// What an oversight decider answers: the events a command produces, or every rule it breaks. Several refusals at once
/// (each on its field) let a form show them all together, as the request validation does.
/// </summary>
public readonly record struct Decision<TEvent>(ImmutableArray<TEvent> Events, ImmutableArray<DomainError> Errors)
{
    public bool IsRefused => !Errors.IsDefaultOrEmpty;

    /// <summary>The one event of an accepted decision.</summary>
    public TEvent Event => IsRefused ? throw new InvalidOperationException("refused: " + Errors[0].Code) : Events[0];

    public static Decision<TEvent> Accept(params TEvent[] events) => new([.. events], []);

    public static Decision<TEvent> Refuse(params DomainError[] errors) => new([], [.. errors]);

    public static Decision<TEvent> Refuse(string code, Bilingual message, string? field = null) => Refuse(new DomainError(code, message, field));

    /// <summary>Accepted when <paramref name="errors"/> is empty; otherwise refused with all of them.</summary>
    public static Decision<TEvent> AcceptUnless(List<DomainError> errors, Func<TEvent> accept) =>
        errors.Count == 0 ? Accept(accept()) : Refuse([.. errors]);
}

/// <summary>Stable codes of the oversight rules beside <see cref="DomainError.Codes"/> (API.md "Errors").</summary>
public static class OversightCodes
{
    /// <summary>A unit objects to (or a complaint names) a measure it never reported applying.</summary>
    public const string MeasureNotApplied = "measure-not-applied";

    /// <summary>The act belongs to another organization (answered 403).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>Something done twice that is done once (answered 409).</summary>
    public const string Conflict = "conflict";
}

/// <summary>Small helpers shared by the oversight deciders.</summary>
internal static class Rule
{
    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An act dated after today: a record states what happened, never what will.</summary>
    public static DomainError? NotInFuture(DateOnly on, DateOnly today, string field, string zhLabel) =>
        on > today ? new DomainError(DomainError.Codes.InvalidDate, new(zhLabel + "不能晚于今天", field + " is in the future"), field) : null;

    /// <summary>An act that answers another cannot precede it.</summary>
    public static DomainError? NotBefore(DateOnly on, DateOnly earliest, string field, Bilingual message) =>
        on < earliest ? new DomainError(DomainError.Codes.InvalidDate, message, field) : null;

    public static void AddIf(this List<DomainError> errors, DomainError? error)
    {
        if (error is not null)
        {
            errors.Add(error);
        }
    }
}
