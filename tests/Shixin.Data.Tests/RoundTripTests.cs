using Microsoft.EntityFrameworkCore;
using Shixin.Core.Entries;
using Shixin.Core.Identifiers;

namespace Shixin.Data.Tests;

/// <summary>What the ledger stores is what the decider folded, and Chinese stays readable.</summary>
public sealed class RoundTripTests
{
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Committed_state_loads_back_equal_to_the_folded_state(Db kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(kind);
        var draft = Ledger.PersonDraft(Guid.NewGuid(), new IdentifierGenerator(11), 42, "张三丰");
        var results = new List<LedgerResult>
        {
            await Ledger.DraftAsync(t.Database, draft, ct),
            await Ledger.AcceptAsync(t.Database, draft.Id, Ledger.Notice(), ct),
            await Ledger.AcceptAsync(t.Database, draft.Id, Ledger.Decide(), ct),
        };
        var folded = results[^1].State.ShouldNotBeNull();
        EntryDecider.Fold(null, results.SelectMany(r => r.Events).Select(e => e.Event)).ShouldBeEquivalentJson(folded);

        await using (var s = await LedgerSession.BeginAsync(t.Database, TimeProvider.System, ct))
        {
            var loaded = (await s.LoadAsync(draft.Id, ct)).ShouldNotBeNull();
            loaded.ShouldBeEquivalentJson(folded);
            loaded.Id.ShouldBe(draft.Id);
            loaded.Status.ShouldBe(EntryStatus.Listed);
            loaded.IsPublished.ShouldBeTrue();
            loaded.IsScreened.ShouldBeTrue();
            loaded.Version.ShouldBe(4);
            loaded.CaseNumber.ShouldBe("（2025）京0101执42号");
            loaded.Subject.Name.ShouldBe("张三丰");
            loaded.Subject.IdNumber.ShouldBe(draft.Subject.IdNumber);
            loaded.Subject.BirthDate.ShouldBe(draft.Subject.BirthDate);
            loaded.BasisDocument.Issuer.ShouldBe("北京市东城区人民法院");
            loaded.Performance.ShouldBe(new Performance(0m, 100000m));
            loaded.Circumstances.ShouldBe([Circumstances.ViolatesPropertyReporting]);
            loaded.RiskNoticeServedOn.ShouldBe(Ledger.Noticed);
            loaded.DecidedOn.ShouldBe(Ledger.Decided);
            loaded.PublishedOn.ShouldBe(Ledger.Decided);
            loaded.TermYears.ShouldBe(2);
            loaded.ExpiresOn.ShouldBe(folded.ExpiresOn);
            loaded.ExpiresOn.ShouldBe(new DateOnly(2027, 3, 3));
        }

        // The projected columns agree with the state.
        var row = (await t.EntryAsync(draft.Id)).ShouldNotBeNull();
        row.CourtCode.ShouldBe(TestDatabase.Court);
        row.Status.ShouldBe("listed");
        row.SubjectKind.ShouldBe("person");
        row.SubjectKey.ShouldBe("id:" + draft.Subject.IdNumber);
        row.SubjectName.ShouldBe("张三丰");
        row.Publicity.ShouldBe("public");
        row.Screened.ShouldBeTrue();
        row.DecidedOn.ShouldBe(Ledger.Decided);
        row.PublishedOn.ShouldBe(Ledger.Decided);
        row.ExpiresOn.ShouldBe(new DateOnly(2027, 3, 3));
        row.ExitedOn.ShouldBeNull();
        row.Version.ShouldBe(4);
        row.CreatedAt.Kind.ShouldBe(DateTimeKind.Utc);
        row.UpdatedAt.Kind.ShouldBe(DateTimeKind.Utc);
        row.UpdatedAt.ShouldBeGreaterThanOrEqualTo(row.CreatedAt);
        row.StateJson.ShouldBe(LedgerJson.WriteState(folded));

        // Events come back as they were decided, each with its type, actor and sequence.
        var stored = results.SelectMany(r => r.Events).ToList();
        var events = await t.EventsAsync(draft.Id);
        events.Select(e => e.Type).ShouldBe(stored.Select(e => e.Type));
        events.Select(e => e.Seq).ShouldBe(stored.Select(e => e.Seq));
        events.Select(e => e.Seq).ShouldBe([null, null, null, 1]);
        for (var i = 0; i < events.Count; i++)
        {
            events[i].ActorOrganization.ShouldBe("court");
            events[i].ActorKey.ShouldBeNull();
            events[i].OccurredAt.Kind.ShouldBe(DateTimeKind.Utc);
            events[i].OccurredAt.ShouldBe(stored[i].OccurredAt, TimeSpan.FromMilliseconds(1));
            var e = LedgerJson.ReadEvent(events[i].DataJson);
            e.Type.ShouldBe(events[i].Type);
            LedgerJson.WriteEvent(e).ShouldBe(LedgerJson.WriteEvent(stored[i].Event));
        }
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Chinese_text_is_stored_readable(Db kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestDatabase.CreateAsync(kind);
        var draft = Ledger.PersonDraft(Guid.NewGuid(), new IdentifierGenerator(12), 7, "欧阳娜娜");
        await Ledger.ListAsync(t.Database, draft, ct);
        await Ledger.AcceptAsync(t.Database, draft.Id, Ledger.Shield(), ct);

        // Read the raw text with SQL, as an operator would with psql or sqlite3.
        await using var db = t.Database.CreateContext();
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT type, data_json FROM ledger_events ORDER BY id";
        var rows = new List<(string Type, string Json)>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var drafted = rows.Single(r => r.Type == EntryEventTypes.Drafted).Json;
        drafted.ShouldContain("\"name\":\"欧阳娜娜\"");
        drafted.ShouldContain("（2025）京0101执7号");
        drafted.ShouldContain("北京市东城区人民法院");
        rows.Single(r => r.Type == EntryEventTypes.Shielded).Json.ShouldContain("已提供执行担保");
        foreach (var (_, json) in rows)
        {
            json.ShouldNotContain("\\u", Case.Insensitive);
        }

        cmd.CommandText = "SELECT state_json, subject_name FROM entries";
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            (await reader.ReadAsync(ct)).ShouldBeTrue();
            var state = reader.GetString(0);
            state.ShouldContain("欧阳娜娜");
            state.ShouldContain("支付货款100000元及利息");
            state.ShouldNotContain("\\u", Case.Insensitive);
            reader.GetString(1).ShouldBe("欧阳娜娜");
        }
    }
}

internal static class JsonAssert
{
    /// <summary>Records holding immutable arrays compare by reference; compare their ledger JSON instead.</summary>
    public static void ShouldBeEquivalentJson(this EntryState actual, EntryState expected) =>
        LedgerJson.WriteState(actual).ShouldBe(LedgerJson.WriteState(expected));
}
