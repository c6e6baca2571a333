using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Shixin.Server.Tests.Distribution.DistKit;

namespace Shixin.Server.Tests.Distribution;

/// <summary>The feed, snapshot, daily file and public removals, over HTTP on both databases.</summary>
public sealed partial class FeedTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Feed_is_gap_free_pages_with_after_and_limit_and_gives_the_unit_view(Db db)
    {
        await using var s = await ShixinServer.StartAsync(db);
        var court = await CourtAsync(s.Admin);
        var unit = await UnitAsync(s.Admin);
        var restricted = await court.ListAsync("restricted", "李某");
        var listed = new List<Listed> { restricted };
        for (var i = 0; i < 6; i++)
        {
            listed.Add(await court.ListAsync());
        }

        await court.RevokeAsync(listed[1].Id);

        // 7 listings and a revocation: 8 list changes, sequences 1..8 with no gaps.
        var all = await unit.AllEventsAsync(0, limit: 1000);
        all.Select(e => e.Seq()).ShouldBe(Enumerable.Range(1, 8).Select(i => (long)i));
        all.Take(7).ShouldAllBe(e => e["type"]!.GetValue<string>() == "entry.listed");
        all[7]["type"]!.GetValue<string>().ShouldBe("entry.revoked");
        all[7]["entryId"]!.GetValue<string>().ShouldBe(listed[1].Id);

        // Paging by three: after= and next agree and cover the same events.
        var paged = new List<long>();
        long after = 0;
        var pages = 0;
        while (true)
        {
            var page = await unit.FeedAsync(after, limit: 3);
            var events = page["events"]!.AsArray();
            events.Count.ShouldBeLessThanOrEqualTo(3);
            if (events.Count == 0)
            {
                page["next"]!.GetValue<long>().ShouldBe(after);
                break;
            }

            pages++;
            paged.AddRange(events.Select(e => e!.Seq()));
            page["next"]!.GetValue<long>().ShouldBe(events[^1]!.Seq());
            after = page["next"]!.GetValue<long>();
        }

        pages.ShouldBe(3);
        paged.ShouldBe(all.Select(e => e.Seq()));
        (await unit.FeedAsync(5, limit: 2))["events"]!.AsArray().Select(e => e!.Seq()).ShouldBe([6L, 7L]);

        // The unit view: identifiers to screen, no birth date, gender, obligation or amounts; restricted entries marked.
        var first = all[0]["entry"]!.AsObject();
        var text = first.ToJsonString();
        foreach (var banned in new[] { "birthDate", "gender", "obligation", "performance", "performedAmount", "unperformedAmount", "支付货款" })
        {
            text.ShouldNotContain(banned, Case.Insensitive, "unit view: " + text);
        }

        first["id"]!.GetValue<string>().ShouldBe(restricted.Id);
        first["restricted"]!.GetValue<bool>().ShouldBeTrue(text);
        first["subjects"]![0]!["idNumber"]!.GetValue<string>().ShouldBe(restricted.IdNumber);
        all[1]["entry"]!["restricted"]!.GetValue<bool>().ShouldBeFalse();
        all[7]["entry"]!["screened"]!.GetValue<bool>().ShouldBeFalse();

        // Only units and the hub read the feed.
        (await s.Client().GetAsync("/api/v1/feed?after=0", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await court.Clerk.GetAsync("/api/v1/feed?after=0", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Long_poll_wakes_on_commit_and_times_out_empty(Db db)
    {
        await using var s = await ShixinServer.StartAsync(db);
        var court = await CourtAsync(s.Admin);
        var unit = await UnitAsync(s.Admin);
        await court.ListAsync();

        // Nothing happens: the call waits about the wait and answers empty with next = after.
        var watch = Stopwatch.StartNew();
        var empty = await unit.FeedAsync(1, wait: 1);
        watch.Stop();
        empty["events"]!.AsArray().ShouldBeEmpty();
        empty["next"]!.GetValue<long>().ShouldBe(1);
        watch.Elapsed.ShouldBeGreaterThan(TimeSpan.FromMilliseconds(900));
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3));

        // A change commits during the wait: the call returns with it at once.
        var pending = await court.NoticedAsync();
        var poll = unit.FeedAsync(1, wait: 20);
        await Task.Delay(500, Ct);
        poll.IsCompleted.ShouldBeFalse("the long-poll returned before any change");
        var sent = Stopwatch.StartNew();
        await court.DecideAsync(pending);
        var acked = sent.Elapsed;
        var woke = await poll;
        var returned = sent.Elapsed;
        woke["events"]!.AsArray().Select(e => e!.Seq()).ShouldBe([2L]);
        woke["next"]!.GetValue<long>().ShouldBe(2);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{db}: long-poll returned {returned.TotalMilliseconds:F0} ms after the write was sent (write acknowledged at {acked.TotalMilliseconds:F0} ms)"));
        returned.ShouldBeLessThan(TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Snapshot_then_feed_reproduce_the_list_while_writes_continue(Db db)
    {
        await using var s = await ShixinServer.StartAsync(db);
        var court = await CourtAsync(s.Admin);
        var unit = await UnitAsync(s.Admin);
        var early = new List<Listed>();
        for (var i = 0; i < 10; i++)
        {
            early.Add(await court.ListAsync());
        }

        // Concurrent writers: listings and revocations keep committing while snapshots are taken.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var e = await court.ListAsync();
                if (n++ % 3 == 0)
                {
                    await court.RevokeAsync(e.Id);
                }
            }

            return n;
        });

        // At least four snapshots, and on until writes have committed between two of them (a busy machine may be slow
        // to get the writer going).
        var snapshots = new List<(long Seq, Dictionary<string, string> Entries)>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (snapshots.Count < 4 || (snapshots.Select(x => x.Seq).Distinct().Count() < 2 && DateTime.UtcNow < deadline))
        {
            snapshots.Add(await unit.SnapshotAsync());
            await Task.Delay(100, Ct);
        }

        stop.Cancel();
        var written = await writer;
        written.ShouldBeGreaterThan(0);
        snapshots.Select(x => x.Seq).Distinct().Count().ShouldBeGreaterThan(1, "writes committed between snapshots");

        var final = await unit.SnapshotAsync();
        var feed = await unit.AllEventsAsync();
        feed.Select(e => e.Seq()).ShouldBe(Enumerable.Range(1, feed.Count).Select(i => (long)i));
        final.Seq.ShouldBe(feed.Count);

        foreach (var (seq, entries) in snapshots)
        {
            // The snapshot is exactly the list at its sequence: replaying the feed up to it gives the same entries.
            var replay = new Dictionary<string, string>(StringComparer.Ordinal);
            Apply(replay, feed.Where(e => e.Seq() <= seq));
            entries.Keys.Order().ShouldBe(replay.Keys.Order(), "snapshot at " + seq.ToString(CultureInfo.InvariantCulture));

            // And the snapshot followed by the feed from X-List-Sequence is exactly the current list, content too.
            var list = new Dictionary<string, string>(entries, StringComparer.Ordinal);
            Apply(list, await unit.AllEventsAsync(seq, limit: 7));
            list.Keys.Order().ShouldBe(final.Entries.Keys.Order());
            foreach (var (id, json) in final.Entries)
            {
                JsonNode.DeepEquals(JsonNode.Parse(list[id]), JsonNode.Parse(json)).ShouldBeTrue(id);
            }
        }

        final.Entries.Values.ShouldAllBe(v => JsonNode.Parse(v)!["screened"]!.GetValue<bool>());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{db}: {written} concurrent listings; snapshots at {string.Join(", ", snapshots.Select(x => x.Seq))}; final list {final.Entries.Count} at {final.Seq}"));
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Daily_csv_has_bom_chinese_headers_and_one_row_per_change(Db db)
    {
        await using var s = await ShixinServer.StartAsync(db);
        var court = await CourtAsync(s.Admin);
        var unit = await UnitAsync(s.Admin);
        var tricky = await court.ListAsync(name: "王\"五\",有限");
        var a = await court.ListAsync();
        await court.ListAsync("restricted");
        await court.RevokeAsync(a.Id);

        using var r = await unit.GetAsync("/api/v1/exports/daily/" + Iso(Today) + ".csv", Ct);
        r.StatusCode.ShouldBe(HttpStatusCode.OK);
        r.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var bytes = await r.Content.ReadAsByteArrayAsync(Ct);
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var text = new UTF8Encoding(false, true).GetString(bytes, 3, bytes.Length - 3);
        var rows = ParseCsv(text);
        var header = rows[0];
        header.ShouldContain("案号");
        header.ShouldContain("变更类型");
        header.ShouldContain("被执行人姓名/名称");
        header.ShouldContain("身份证号码/统一社会信用代码");
        header.ShouldContain("执行法院");

        var feed = await unit.AllEventsAsync();
        var body = rows.Skip(1).ToList();
        body.Count.ShouldBe(feed.Count);
        body.ShouldAllBe(row => row.Count == header.Count);
        body.Select(row => long.Parse(row[0], CultureInfo.InvariantCulture)).ShouldBe(feed.Select(e => e.Seq()));
        var caseCol = header.IndexOf("案号");
        var nameCol = header.IndexOf("被执行人姓名/名称");
        var typeCol = header.IndexOf("变更类型");
        var restrictedCol = header.IndexOf("不公开");
        body[0][caseCol].ShouldBe(tricky.CaseNumber);
        body[0][nameCol].ShouldBe("王\"五\",有限");
        body.Select(row => row[typeCol]).ShouldBe(["纳入", "纳入", "纳入", "撤销"]);
        body.Select(row => row[restrictedCol]).ShouldBe(["否", "否", "是", "否"]);

        // Another day has none of today's changes; a bad date is a problem.
        var other = ParseCsv(Encoding.UTF8.GetString(await unit.GetByteArrayAsync("/api/v1/exports/daily/" + Iso(-40) + ".csv", Ct)).TrimStart('\uFEFF'));
        other.Count.ShouldBe(1);
        (await unit.GetAsync("/api/v1/exports/daily/2024-13-01.csv", Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // Issue 11 finding 10: 0001-01-01 was a 500 (before DateTimeOffset's range in China time); far dates are 400 problems.
        foreach (var far in new[] { "0001-01-01", "1999-12-31", "9999-12-31", Iso(1) })
        {
            using var refused = await unit.GetAsync("/api/v1/exports/daily/" + far + ".csv", Ct);
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, far);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Public_removals_show_a_revocation_with_a_masked_id_and_no_key(Db db)
    {
        await using var s = await ShixinServer.StartAsync(db);
        var court = await CourtAsync(s.Admin);
        var removed = await court.ListAsync(name: "赵六");
        var kept = await court.ListAsync();
        var hidden = await court.ListAsync("restricted");
        await court.RevokeAsync(removed.Id);
        await court.RevokeAsync(hidden.Id);

        using var anonymous = s.Client();
        var page = await anonymous.GetAsync("/api/v1/public/removals?since=" + Iso(-1), Ct).Expect(HttpStatusCode.OK);
        var items = page["items"]!.AsArray();
        output.WriteLine(page.ToJsonString());
        items.Count.ShouldBe(1, "only the public entry that left the list; the restricted one was never public");
        var item = items[0]!;
        item["caseNumber"]!.GetValue<string>().ShouldBe(removed.CaseNumber);
        item["name"]!.GetValue<string>().ShouldBe("赵六");
        item["kind"]!.GetValue<string>().ShouldBe("revoked");
        var shown = item["identifier"]!.GetValue<string>();
        MaskedId().IsMatch(shown).ShouldBeTrue(shown);
        shown.ShouldBe(removed.IdNumber[..10] + "****" + removed.IdNumber[14..]);
        page.ToJsonString().ShouldNotContain(removed.IdNumber);
        page.ToJsonString().ShouldNotContain(kept.CaseNumber);

        // Removals before the date asked for are not repeated; the date is required.
        (await anonymous.GetAsync("/api/v1/public/removals?since=" + Iso(1), Ct).Expect(HttpStatusCode.OK))["items"]!.AsArray().ShouldBeEmpty();
        (await anonymous.GetAsync("/api/v1/public/removals", Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [GeneratedRegex("^[0-9]{6}[0-9]{4}\\*{4}[0-9]{3}[0-9X]$")]
    private static partial Regex MaskedId();
}
