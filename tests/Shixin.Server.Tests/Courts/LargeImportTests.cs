using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Shixin.Core.Identifiers;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Courts;

/// <summary>
/// One large import per database in one request (100,000 rows on SQLite, 20,000 on PostgreSQL), generated while
/// it is sent. Its own class, so that it runs alongside the other tests. Reports rows/s; asserts no speed.
/// </summary>
public sealed class LargeImportTests(ServerPerDb servers, ITestOutputHelper output) : IClassFixture<ServerPerDb>
{
    private const string Header = ImportTests.Header;

    [Theory]
    [Trait("Category", "LargeImport")]
    [InlineData(Db.Sqlite, 100_000)]
    [InlineData(Db.Postgres, 20_000)]
    public async Task A_large_import_in_one_request(Db db, int rows)
    {
        var s = await servers.For(db);
        var court = await s.CourtAsync();
        var content = new GeneratedCsv(rows, Today);
        var watch = Stopwatch.StartNew();
        var response = await court.Judge.PostCt("/api/v1/entries/import", content);
        var result = await response.Json(HttpStatusCode.OK);
        watch.Stop();
        result["accepted"]!.GetValue<long>().ShouldBe(rows, result.ToJsonString()[..Math.Min(2000, result.ToJsonString().Length)]);
        result["rejected"]!.AsArray().ShouldBeEmpty();
        var rate = rows / watch.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{db}: imported {rows} rows ({content.Bytes / 1024 / 1024} MiB) in {watch.Elapsed.TotalSeconds:F1} s = {rate:F0} rows/s"));

        var metrics = await s.Client().GetStringCt("/metrics");
        Ops.PromText.Has(metrics, "shixin_list_entries", ("status", "listed")).ShouldBeTrue(metrics);
        var listed = await court.Clerk.GetCt("/api/v1/entries?status=listed&limit=500").Ok();
        listed["items"]!.AsArray().Count.ShouldBe(500);
        listed["next"].ShouldNotBeNull();
    }

    /// <summary>A CSV body generated while it is sent: the test never holds the whole file. With a pause, it trickles (a slow client).</summary>
    internal sealed class GeneratedCsv : HttpContent
    {
        private readonly int _rows;
        private readonly DateOnly _today;
        private readonly TimeSpan _pausePerRow;

        public GeneratedCsv(int rows, DateOnly today, TimeSpan pausePerRow = default)
        {
            _rows = rows;
            _today = today;
            _pausePerRow = pausePerRow;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        }

        public long Bytes { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var gen = new IdentifierGenerator(20240201);
            var writer = new StreamWriter(stream, new UTF8Encoding(true), 1 << 16);
            var served = Iso(_today.AddDays(-30));
            var decided = Iso(_today.AddDays(-20));
            await writer.WriteAsync(Header + ",subjectKind\r\n");
            var sb = new StringBuilder(512);
            var prefix = Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
            for (var i = 0; i < _rows; i++)
            {
                sb.Clear();
                var org = i % 5 == 0;
                sb.Append("(2024)粤0802执").Append(prefix).Append(i.ToString(CultureInfo.InvariantCulture)).Append("号,2024-01-05,(2023)粤0802民初")
                    .Append(i.ToString(CultureInfo.InvariantCulture)).Append("号,湛江市赤坎区人民法院,\"支付货款, 共计")
                    .Append((1000 + i).ToString(CultureInfo.InvariantCulture)).Append("元\",0,").Append((1000 + i).ToString(CultureInfo.InvariantCulture)).Append(',');
                if (org)
                {
                    sb.Append("evades-enforcement,湛江市第").Append(i.ToString(CultureInfo.InvariantCulture)).Append("贸易有限公司,,")
                        .Append(gen.NextCreditCode().Value).Append(",李四,")
                        .Append(gen.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1990, 1, 1)).Value);
                }
                else
                {
                    sb.Append("capable-but-refuses,陈").Append(i.ToString(CultureInfo.InvariantCulture)).Append(',')
                        .Append(gen.NextResidentId(new DateOnly(1960, 1, 1), new DateOnly(1990, 1, 1)).Value).Append(",,,");
                }

                // Every other row arrives already decided.
                sb.Append(',').Append(i % 2 == 0 ? served : "").Append(',').Append(i % 2 == 0 ? decided : "")
                    .Append(',').Append(org ? "organization" : "person").Append("\r\n");
                await writer.WriteAsync(sb);
                Bytes += Encoding.UTF8.GetByteCount(sb.ToString());
                if (_pausePerRow > TimeSpan.Zero)
                {
                    await writer.FlushAsync();
                    await Task.Delay(_pausePerRow);
                }
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
