using Shixin.Core.Oversight;
using Shixin.Core.Tests.Entries;

namespace Shixin.Core.Tests.Oversight;

/// <summary>Assertions on oversight decisions: accepted with one event, or refused with the codes and fields given, in both languages.</summary>
internal static class OversightDecisions
{
    public static TEvent ShouldAccept<TEvent>(this Decision<TEvent> d)
    {
        d.IsRefused.ShouldBeFalse(d.IsRefused ? d.Errors[0].Code + ": " + d.Errors[0].Detail : "");
        return d.Events.ShouldHaveSingleItem();
    }

    public static DomainError ShouldRefuse<TEvent>(this Decision<TEvent> d, string code, string? field = null)
    {
        d.IsRefused.ShouldBeTrue("should have been refused with " + code);
        d.Events.ShouldBeEmpty();
        var error = d.Errors.FirstOrDefault(e => e.Code == code && (field is null || e.Field == field));
        error.ShouldNotBeNull("codes were " + string.Join(", ", d.Errors.Select(e => e.Code + "@" + e.Field)));
        foreach (var e in d.Errors)
        {
            BilingualText.ShouldBeBilingual(e);
        }

        return error;
    }
}
