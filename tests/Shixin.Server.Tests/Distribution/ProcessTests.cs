using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shixin.Core.Identifiers;
using Shixin.Data;
using Shixin.Testing;
using static Shixin.Server.Tests.Distribution.DistKit;

namespace Shixin.Server.Tests.Distribution;

/// <summary>Real processes and latency limits: run alone, after the parallel tests, so that timings are the platform's.</summary>
[CollectionDefinition(nameof(ProcessTests), DisableParallelization = true)]
public sealed class ProcessCollection;

/// <summary>
/// Real server processes (the built Shixin.Server.dll under `dotnet`) on loopback: two nodes on one
/// PostgreSQL, and SIGKILL in the middle of deliveries and of a large import, on both databases.
/// </summary>
[Collection(nameof(ProcessTests))]
public sealed class ProcessTests(ITestOutputHelper output) : IAsyncDisposable
{
    private const string Secret = "process-secret-0123456789";
    private readonly List<ServerProcess> _processes = [];
    private readonly List<string> _dirs = [];

    // Nodes sharing a database share the Data Protection key ring (webhook secrets are sealed with it).
    private readonly string _keyRing = Path.Combine(Path.GetTempPath(), "shixin-keys-" + Guid.NewGuid().ToString("N")[..10]);

    private async Task<ServerProcess> StartAsync(string dataDir, string? postgres)
    {
        if (!_dirs.Contains(_keyRing))
        {
            _dirs.Add(_keyRing);
        }

        var env = Env(dataDir, postgres);
        env["SHIXIN_KEYS_DIR"] = _keyRing;
        var p = await ServerProcess.StartAsync(env);
        _processes.Add(p);
        return p;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            await p.DisposeAsync();
        }

        foreach (var d in _dirs)
        {
            try
            {
                Directory.Delete(d, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static Dictionary<string, string> Env(string dataDir, string? postgres) => new()
    {
        ["SHIXIN_DATA_DIR"] = dataDir,
        ["SHIXIN_DATABASE"] = postgres is null ? "sqlite" : "postgres",
        ["SHIXIN_POSTGRES"] = postgres ?? "",
        ["SHIXIN_CLOCK_SECONDS"] = "3600",
        ["SHIXIN_WEBHOOK_ALLOWED_NETWORKS"] = "127.0.0.0/8:*",
        ["SHIXIN_WEBHOOK_ALLOW_HTTP_NETWORKS"] = "127.0.0.0/8",
        ["SHIXIN_WEBHOOK_FIRST_RETRY_SECONDS"] = "0.05",
        ["SHIXIN_WEBHOOK_MAX_BACKOFF_SECONDS"] = "0.3",
        ["SHIXIN_WEBHOOK_BATCH"] = "2",
    };

    private static async Task<string?> PostgresAsync(Db db)
    {
        if (db == Db.Sqlite)
        {
            return null;
        }

        var pg = await PostgresCluster.SharedAsync();
        Assert.SkipUnless(pg.Available, pg.SkipReason ?? "");
        return await pg.CreateDatabaseAsync();
    }

    private string TempDir()
    {
        var d = Directory.CreateTempSubdirectory("shixin-proc-").FullName;
        _dirs.Add(d);
        return d;
    }

    private static ShixinDatabase Open(string dataDir, string? postgres) =>
        postgres is null ? ShixinDatabase.SqliteFile(Path.Combine(dataDir, "shixin.db")) : new ShixinDatabase(DatabaseProvider.Postgres, postgres);

    private static string Stats(IEnumerable<double> ms)
    {
        var sorted = ms.Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture, $"p50 {sorted[sorted.Length / 2]:F0} ms, max {sorted[^1]:F0} ms (n={sorted.Length}; {string.Join(" ", ms.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))})");
    }

    [Fact]
    public async Task Two_nodes_on_one_postgres_see_each_others_listings_and_revocations()
    {
        var pg = await PostgresAsync(Db.Postgres);
        var dirA = TempDir();
        var dirB = TempDir();
        await using var receiver = await Receiver.StartAsync();
        var a = await StartAsync(dirA, pg);
        var b = await StartAsync(dirB, pg);
        var courtA = await CourtAsync(a.Admin);
        var courtB = new DistCourt(courtA.Code, ClientFor(b.BaseAddress, null), ClientFor(b.BaseAddress, null));
        courtB = courtB with { Clerk = await KeyAsync(b.Admin, courtA.Code, "court.clerk"), Judge = await KeyAsync(b.Admin, courtA.Code, "court.judge") };
        var unitCode = Unique("unit-");
        var unitA = await OrgAsync(a.Admin, "unit", unitCode, "unit.subscriber", "unit.checker");
        var unitB = await KeyAsync(b.Admin, unitCode, "unit.checker", "unit.subscriber");
        var sub = (await unitA.Post("/api/v1/subscriptions", new { url = receiver.Url.ToString(), secret = Secret }).Expect(HttpStatusCode.Created))["id"]!.GetValue<string>();

        // Warm-up, not measured: each node's first listing, revocation and check JIT-compiles their paths.
        foreach (var (writer, reader) in new[] { (courtA, unitB), (courtB, unitA) })
        {
            var w = await writer.ListAsync();
            await Until(() => reader.HitAsync(w.IdNumber), TimeSpan.FromSeconds(10), "warm-up listing");
            await writer.RevokeAsync(w.Id);
            await Until(async () => !await reader.HitAsync(w.IdNumber), TimeSpan.FromSeconds(10), "warm-up revocation");
        }

        var listedLatency = new List<double>();
        var revokedLatency = new List<double>();
        var listedAfterAck = new List<double>();
        var revokedAfterAck = new List<double>();
        var entries = new List<Listed>();
        for (var i = 0; i < 8; i++)
        {
            // Listing through A, answered by checks on B.
            var e = await courtA.NoticedAsync();
            (await unitB.HitAsync(e.IdNumber)).ShouldBeFalse();
            var watch = Stopwatch.StartNew();
            await courtA.DecideAsync(e);
            var acked = watch.Elapsed;
            while (!await unitB.HitAsync(e.IdNumber))
            {
                watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5), "node B never saw the listing");
            }

            listedLatency.Add(watch.Elapsed.TotalMilliseconds);
            listedAfterAck.Add((watch.Elapsed - acked).TotalMilliseconds);
            entries.Add(e);
        }

        foreach (var e in entries.Take(6))
        {
            // Revocation through B, no longer answered by checks on A.
            (await unitA.HitAsync(e.IdNumber)).ShouldBeTrue();
            var watch = Stopwatch.StartNew();
            await courtB.RevokeAsync(e.Id);
            var acked = watch.Elapsed;
            while (await unitA.HitAsync(e.IdNumber))
            {
                watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5), "node A still answers a revoked entry");
            }

            revokedLatency.Add(watch.Elapsed.TotalMilliseconds);
            revokedAfterAck.Add((watch.Elapsed - acked).TotalMilliseconds);
        }

        output.WriteLine("listing via A → visible to checks on B (from sending the decision): " + Stats(listedLatency));
        output.WriteLine("revocation via B → gone from checks on A (from sending the revocation): " + Stats(revokedLatency));
        output.WriteLine("  the same from the write's acknowledgement: listing " + Stats(listedAfterAck) + "; revocation " + Stats(revokedAfterAck));
        // The one-second target (commit → visible on another node) is measured by the bench, not asserted here: a timed
        // assertion fails on a loaded 2-core runner (1,193 ms once at load 30) without anything being wrong. This test
        // asserts that every change crosses nodes at all, within the 5 s bounds above; bench/RESULTS.md has the p99.

        // Both nodes serve the same feed, and the webhook went out once per event however many nodes run.
        var head = 4L + 14L;
        (await unitA.AllEventsAsync()).Select(x => x.Seq()).ShouldBe(Enumerable.Range(1, (int)head).Select(i => (long)i));
        (await unitB.AllEventsAsync()).Select(x => x.Seq()).ShouldBe(Enumerable.Range(1, (int)head).Select(i => (long)i));
        await Until(() => receiver.AcceptedSeqs.Distinct().Count() >= head, TimeSpan.FromSeconds(10), "all deliveries");
        await Task.Delay(700, Ct); // a duplicate from the other node would arrive by now
        var bySeq = receiver.Accepted.SelectMany(d => d.Seqs.Select(seq => (seq, d.EventId))).GroupBy(x => x.seq).ToList();
        var duplicates = bySeq.Count(g => g.Count() > 1);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"webhook: {receiver.Accepted.Count} deliveries for {head} events, {duplicates} seqs delivered more than once"));
        bySeq.ShouldAllBe(g => g.Select(x => x.EventId).Distinct().Count() == 1, "a duplicate must carry the same event id");
        duplicates.ShouldBe(0);
        receiver.AcceptedSeqs.ShouldBe(Enumerable.Range(1, (int)head).Select(i => (long)i));
        (await unitB.GetAsync("/api/v1/subscriptions/" + sub, Ct).Expect(HttpStatusCode.OK))["lag"]!.GetValue<long>().ShouldBe(0);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Killed_during_deliveries_and_a_large_import_it_restarts_whole_and_delivers_every_event(Db db)
    {
        var pg = await PostgresAsync(db);
        var dir = TempDir();
        await using var receiver = await Receiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(250);
        var server = await StartAsync(dir, pg);
        var court = await CourtAsync(server.Admin);
        var unit = await UnitAsync(server.Admin);
        await unit.Post("/api/v1/subscriptions", new { url = receiver.Url.ToString(), secret = Secret }).Expect(HttpStatusCode.Created);

        // Acknowledged writes: 10 listings one by one (201 and 200), then 40 in one import; 50 list changes to deliver two at a time.
        var acknowledged = new List<Listed>();
        for (var i = 0; i < 10; i++)
        {
            acknowledged.Add(await court.ListAsync());
        }

        var small = await court.Judge.PostAsync("/api/v1/entries/import", new Csv(40, Today), Ct).Expect(HttpStatusCode.OK);
        small["accepted"]!.GetValue<long>().ShouldBe(40);
        const int events = 50;

        // A streamed 50,000-row import, killed part-way through its body while deliveries are still under way.
        var body = new Csv(50_000, Today);
        var import = court.Judge.PostAsync("/api/v1/entries/import", body, Ct);
        await Until(() => body.Rows >= 10_000 || import.IsCompleted, TimeSpan.FromSeconds(60), "the import under way");
        import.IsCompleted.ShouldBeFalse("the import ended before the kill");
        server.Kill();
        var before = receiver.AcceptedSeqs.Distinct().Count();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{db}: SIGKILL after {body.Rows} import rows were sent and {before} of {events} events delivered"));
        before.ShouldBeLessThan(events, "the kill came after every delivery");
        await Should.ThrowAsync<Exception>(async () => (await import).EnsureSuccessStatusCode());

        server = await StartAsync(dir, pg);
        var clerk = await KeyAsync(server.Admin, court.Code, "court.clerk");
        court = new DistCourt(court.Code, clerk, await KeyAsync(server.Admin, court.Code, "court.judge"));
        foreach (var e in acknowledged)
        {
            (await clerk.GetAsync("/api/v1/entries/" + e.Id, Ct).Expect(HttpStatusCode.OK))["status"]!.GetValue<string>().ShouldBe("listed");
        }

        await Until(() => receiver.AcceptedSeqs.Distinct().Count() >= events, TimeSpan.FromSeconds(30), "every event after the restart");
        await LedgerShouldBeWholeAsync(Open(dir, pg), events);

        // Every event, in order; a redelivery is the same batch under the same event id.
        var seqs = receiver.AcceptedSeqs;
        seqs.Distinct().Order().ShouldBe(Enumerable.Range(1, events).Select(i => (long)i));
        for (var i = 1; i < seqs.Count; i++)
        {
            (seqs[i] <= seqs[i - 1] + 1).ShouldBeTrue("out of order: " + string.Join(",", seqs));
        }

        receiver.Accepted.SelectMany(d => d.Seqs.Select(s => (s, d.EventId))).GroupBy(x => x.s)
            .ShouldAllBe(g => g.Select(x => x.EventId).Distinct().Count() == 1);
        receiver.Accepted.ShouldAllBe(d => Shixin.Server.Units.WebhookSignature.Verify(d.Signature!, d.Body, Secret, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{db}: {receiver.Accepted.Count} deliveries, {seqs.Count - events} events redelivered"));

        // The platform keeps working after the kill: an import and a listing commit, and the feed stays gap-free.
        (await court.Judge.PostAsync("/api/v1/entries/import", new Csv(300, Today), Ct).Expect(HttpStatusCode.OK))["accepted"]!.GetValue<long>().ShouldBe(300);
        await court.ListAsync();
        var reader = await UnitAsync(server.Admin);
        var feed = await reader.AllEventsAsync(0, 10_000);
        feed.Select(x => x.Seq()).ShouldBe(Enumerable.Range(1, events + 301).Select(i => (long)i));
        (await reader.SnapshotAsync()).Entries.Count.ShouldBe(events + 301);
        await LedgerShouldBeWholeAsync(Open(dir, pg), events + 301);
    }

    /// <summary>Sequences 1..head contiguous and unique, the head and entry counters agree with the rows.</summary>
    private async Task LedgerShouldBeWholeAsync(ShixinDatabase database, long expectedHead)
    {
        await using var db = database.CreateContext();
        var head = await db.LedgerHead.AsNoTracking().FirstAsync(Ct);
        var seqs = await db.LedgerEvents.AsNoTracking().Where(e => e.Seq != null).Select(e => e.Seq!.Value).OrderBy(s => s).ToListAsync(Ct);
        var entries = await db.Entries.AsNoTracking().CountAsync(Ct);
        var listed = await db.Entries.AsNoTracking().CountAsync(e => e.Screened, Ct);
        var keysWithoutEntry = await db.SubjectKeys.AsNoTracking().CountAsync(k => !db.Entries.Any(e => e.No == k.EntryNo), Ct);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ledger head {head.Seq}, {seqs.Count} list events, {entries} entries ({listed} listed)"));
        head.Seq.ShouldBe(expectedHead);
        seqs.ShouldBe(Enumerable.Range(1, (int)head.Seq).Select(i => (long)i));
        head.Entries.ShouldBe(entries);
        listed.ShouldBe((int)expectedHead);
        keysWithoutEntry.ShouldBe(0);
        (await db.Entries.AsNoTracking().Select(e => e.No).Distinct().CountAsync(Ct)).ShouldBe(entries);
    }

    /// <summary>A CSV import body of decided listings, generated while it is sent.</summary>
    private sealed class Csv : HttpContent
    {
        private readonly int _rows;
        private readonly DateOnly _today;
        private int _sent;

        public Csv(int rows, DateOnly today)
        {
            _rows = rows;
            _today = today;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        }

        public int Rows => Volatile.Read(ref _sent);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var gen = new IdentifierGenerator(Random.Shared.Next());
            await using var writer = new StreamWriter(stream, new UTF8Encoding(true), 1 << 14, leaveOpen: true);
            var served = Iso(_today.AddDays(-30));
            var decided = Iso(_today.AddDays(-20));
            await writer.WriteAsync("caseNumber,filingDate,basisNumber,basisIssuer,obligation,unperformedAmount,circumstances,name,idNumber,riskNoticeServedOn,decidedOn\r\n");
            // Serials go up to 999999999: four digits of prefix and five of row number.
            var prefix = (1000 + (Next() % 9000)).ToString(CultureInfo.InvariantCulture);
            var sb = new StringBuilder(256);
            for (var i = 0; i < _rows; i++)
            {
                sb.Clear();
                var n = i.ToString(CultureInfo.InvariantCulture);
                sb.Append("(2024)粤0802执").Append(prefix).Append(i.ToString("D5", CultureInfo.InvariantCulture)).Append("号,2024-01-05,(2023)粤0802民初").Append(n)
                    .Append("号,湛江市赤坎区人民法院,支付货款,1000,capable-but-refuses,陈").Append(n).Append(',')
                    .Append(gen.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1990, 1, 1)).Value)
                    .Append(',').Append(served).Append(',').Append(decided).Append("\r\n");
                await writer.WriteAsync(sb);
                if (i % 256 == 0)
                {
                    await writer.FlushAsync();
                }

                Interlocked.Increment(ref _sent);
            }

            await writer.FlushAsync();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
