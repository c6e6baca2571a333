using Shixin.Core.Entries;
using Shixin.Server.Hub;
using static Shixin.Server.Hub.ListSizeHistory;

namespace Shixin.Server.Tests.Hub;

/// <summary>The dashboard's list size over time, replayed from list events (pure; no server).</summary>
public sealed class ListSizeHistoryTests
{
    private static readonly Guid A = Guid.CreateVersion7(), B = Guid.CreateVersion7(), C = Guid.CreateVersion7();

    private static DateOnly D(int month, int day) => new(2026, month, day);

    [Fact]
    public void Sizes_count_entries_from_publication_until_their_exit_takes_effect()
    {
        ListEvent[] events =
        [
            new(A, EntryEventTypes.Listed, D(1, 10)),
            new(B, EntryEventTypes.Listed, D(2, 3)),
            new(A, EntryEventTypes.Shielded, D(2, 20)),
            new(C, EntryEventTypes.Listed, D(3, 31)),
            new(B, EntryEventTypes.Expired, D(4, 1)),
        ];

        SizesAt(events, [D(1, 9), D(1, 31), D(2, 28), D(3, 31), D(4, 30)]).ShouldBe([0, 1, 1, 2, 1]);
    }

    [Fact]
    public void An_exit_of_an_entry_never_published_does_not_lower_the_count()
    {
        // C left during its grace period: an exit event without a listing before it.
        ListEvent[] events = [new(A, EntryEventTypes.Listed, D(1, 10)), new(C, EntryEventTypes.Revoked, D(1, 12))];

        SizesAt(events, [D(1, 31)]).ShouldBe([1]);
    }

    [Fact]
    public void Month_ends_run_oldest_first_and_end_today()
    {
        MonthEnds(D(11, 22), 3).ShouldBe([D(9, 30), D(10, 31), D(11, 22)]);
        MonthEnds(new DateOnly(2026, 3, 5), 2).ShouldBe([new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 5)]);
    }
}
