using Shixin.Server.Units;

namespace Shixin.Server.Tests.Units;

/// <summary>The in-memory explanation store: what a hit says about its entry, without the database.</summary>
public sealed class EntryCardsTests
{
    [Fact]
    public void A_card_reads_back_whole_and_replacing_or_removing_it_is_seen()
    {
        var cards = new EntryCards();
        var id = Guid.CreateVersion7();
        cards.Get(5).ShouldBeNull();
        cards.Set(5, id, "（2024）宁0104执123号", "ningxia-xingqing", "银川市兴庆区人民法院", new DateOnly(2024, 3, 1), restricted: false);
        var card = cards.Get(5)!;
        card.ShouldBe(new EntryDetail(5, id, "（2024）宁0104执123号", "ningxia-xingqing", "银川市兴庆区人民法院", new DateOnly(2024, 3, 1), "public"));
        cards.Count.ShouldBe(1);

        // Published later, restricted, the court renamed: the card follows.
        cards.Set(5, id, "（2024）宁0104执123号之一", "ningxia-xingqing", "兴庆区人民法院", null, restricted: true);
        cards.Get(5).ShouldBe(new EntryDetail(5, id, "（2024）宁0104执123号之一", "ningxia-xingqing", "兴庆区人民法院", null, "restricted"));
        cards.Count.ShouldBe(1);

        cards.Remove(5);
        cards.Get(5).ShouldBeNull();
        cards.Count.ShouldBe(0);
        cards.Get(0).ShouldBeNull();
        cards.Get(-1).ShouldBeNull();
        cards.Get(1_000_000_000).ShouldBeNull();
    }

    [Fact]
    public void Many_cards_grow_the_arrays_and_the_arena_and_all_stay_readable()
    {
        var cards = new EntryCards();
        var ids = new Guid[300_000];
        for (var no = 1; no < ids.Length; no++)
        {
            ids[no] = Guid.CreateVersion7();
            cards.Set(no, ids[no], "（2023）粤0305执" + no + "号", "court-" + (no % 7), "法院" + (no % 7), DateOnly.FromDayNumber(738_000 + (no % 400)), no % 3 == 0);
        }

        cards.Count.ShouldBe(ids.Length - 1);
        foreach (var no in new[] { 1, 2, 4_095, 65_536, 150_001, ids.Length - 1 })
        {
            var c = cards.Get(no)!;
            c.Id.ShouldBe(ids[no]);
            c.CaseNumber.ShouldBe("（2023）粤0305执" + no + "号");
            c.Court.ShouldBe("court-" + (no % 7));
            c.CourtName.ShouldBe("法院" + (no % 7));
            c.ListedOn.ShouldBe(DateOnly.FromDayNumber(738_000 + (no % 400)));
            c.Publicity.ShouldBe(no % 3 == 0 ? "restricted" : "public");
        }
    }

    [Fact]
    public void A_case_number_too_long_for_a_card_is_left_to_the_database()
    {
        var cards = new EntryCards();
        cards.Set(9, Guid.CreateVersion7(), "案", "c", "法院", null, false);
        cards.Set(9, Guid.CreateVersion7(), new string('案', 100), "c", "法院", null, false);
        cards.Get(9).ShouldBeNull();
    }
}
