using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Shixin.Core.Identifiers;
using static Shixin.Server.Tests.Units.ScreeningWorld;

namespace Shixin.Server.Tests.Units;

/// <summary>POST /api/v1/checks/batch: CSV and NDJSON streamed in and out, one result line per input line.</summary>
public sealed class BatchChecksTests(WorldFixture worlds, ITestOutputHelper output) : IClassFixture<WorldFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpResponseMessage Response, string[] Lines)> PostAsync(HttpClient unit, string query, string contentType, string body)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(body)).ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        var response = await unit.PostAsync("/api/v1/checks/batch" + query, content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return (response, text.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static long ListSequence(HttpResponseMessage r) =>
        long.Parse(r.Headers.GetValues("X-List-Sequence").Single(), CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Csv_OneResultLinePerInputLine_HitsExplained_InvalidLinesNumbered(Db db)
    {
        var w = await worlds.GetAsync(db);
        var listed = w.NewPersonId();
        var entry = await w.ListAsync(Person(listed));
        var head = await w.CaughtUpAsync();
        var unknown = w.NewPersonId();
        var bad = listed[..17] + (listed[17] == '0' ? '1' : '0');

        var body = "idNumber\n" + listed + "\n" + unknown + "\n" + bad + "\n" + unknown + "\n";
        var (response, lines) = await PostAsync(w.Ningxia, "?scenario=civil-aviation.ticket", "text/csv", body);
        ListSequence(response).ShouldBe(head);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        lines[0].ShouldStartWith("line,");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        rows.Select(r => r[0]).ShouldBe(["2", "3", "4", "5"]);

        var hit = rows[0];
        hit[1].ShouldBe("id:" + listed);
        hit[2].ShouldBe("block");
        hit[3].ShouldBe("debtor");
        hit[4].ShouldBe(entry.ToString());
        hit[5].ShouldStartWith("(2024)宁0104执");
        hit[6].ShouldBe(CourtCode + " 名称");
        hit[7].Split(' ').ShouldBe(["national-2016/二.七.1", "ningxia-2017/二.七.1"], ignoreOrder: true);

        rows[1][2].ShouldBe("clear");
        rows[2][2].ShouldBe("error");
        rows[2][3].ShouldBe("invalid-id-number");
        rows[3][2].ShouldBe("clear");

        // Hits only.
        var (_, hitsOnly) = await PostAsync(w.Ningxia, "?scenario=civil-aviation.ticket&only=hits", "text/csv", body);
        var hitRows = hitsOnly.Skip(1).Select(l => l.Split(',')).ToArray();
        hitRows.ShouldNotContain(r => r[2] == "clear");
        hitRows.ShouldContain(r => r[0] == "2" && r[2] == "block" && r[4] == entry.ToString());
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Csv_SubjectHitByTwoEntries_StillGetsOneLine(Db db)
    {
        var w = await worlds.GetAsync(db);
        var person = w.NewPersonId();
        var own = await w.ListAsync(Person(person));
        var company = await w.ListAsync(Organization(w.NewCreditCode().Value, person));

        var (_, lines) = await PostAsync(w.Beijing, "?scenario=civil-aviation.ticket", "text/csv", "idNumber\n" + person + "\n" + w.NewPersonId() + "\n");
        var rows = lines.Skip(1).ToArray();
        rows.Length.ShouldBe(2, string.Join("\n", lines));
        rows[0].ShouldStartWith("2,id:" + person + ",block,");
        rows[0].ShouldContain(own.ToString());
        rows[0].ShouldContain(company.ToString());
        rows[0].ShouldContain("legal-representative");
        rows[1].ShouldStartWith("3,");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Ndjson_OneResultLinePerInputLine_HitsExplained_InvalidLinesNumbered(Db db)
    {
        var w = await worlds.GetAsync(db);
        var credit = w.NewCreditCode();
        var rep = w.NewPersonId();
        var orgEntry = await w.ListAsync(Organization(credit.Value, rep));
        var person = w.NewPersonId();
        var passport = w.NewPassport();
        var personEntry = await w.ListAsync(Person(person, documents: [new { type = "passport", number = passport }]));
        var head = await w.CaughtUpAsync();

        var input = new StringBuilder()
            .Append("{\"creditCode\":\"").Append(credit.Value).Append("\"}\n")          // 1: org debtor
            .Append("{\"idNumber\":\"").Append(rep).Append("\",\"name\":\"李四\"}\n")       // 2: legal representative
            .Append("{\"passport\":\"").Append(passport).Append("\"}\n")                 // 3: passport of a listed person
            .Append("{\"idNumber\":\"").Append(w.NewPersonId()).Append("\"}\n")           // 4: clear
            .Append("not json\n")                                                        // 5: invalid
            .Append("{\"name\":\"无证件\"}\n")                                              // 6: no identifier
            .Append("{\"idNumber\":\"12345\"}\n")                                          // 7: invalid ID
            .Append("{\"organizationCode\":\"").Append(credit.OrganizationCode).Append("\"}\n") // 8: org by organization code
            .ToString();
        var (response, lines) = await PostAsync(w.Beijing, "?scenario=real-estate.purchase", "application/x-ndjson", input);
        ListSequence(response).ShouldBe(head);
        var results = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();
        results.Select(r => r["line"]!.GetValue<long>()).ShouldBe([1, 2, 3, 4, 5, 6, 7, 8]);

        void ShouldHit(JsonObject r, Guid entry, string via)
        {
            r["outcome"]!.GetValue<string>().ShouldBe("block");
            var m = r["matches"]!.AsArray().ShouldHaveSingleItem()!;
            m["entryId"]!.GetValue<string>().ShouldBe(entry.ToString());
            m["via"]!.GetValue<string>().ShouldBe(via);
            m["caseNumber"]!.GetValue<string>().ShouldStartWith("(2024)宁0104执");
            m["measures"]!.AsArray().Select(x => x!.GetValue<string>()).ShouldBe(["national-2016/二.六.1"]);
        }

        ShouldHit(results[0], orgEntry, "debtor");
        ShouldHit(results[1], orgEntry, "legal-representative");
        ShouldHit(results[2], personEntry, "debtor");
        results[3]["outcome"]!.GetValue<string>().ShouldBe("clear");
        results[4]["error"]!.GetValue<string>().ShouldBe("invalid-json");
        results[5]["error"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        results[6]["error"]!.GetValue<string>().ShouldBe("invalid-id-number");
        ShouldHit(results[7], orgEntry, "debtor");

        var (_, hits) = await PostAsync(w.Beijing, "?scenario=real-estate.purchase&only=hits", "application/x-ndjson", input);
        var hitLines = hits.Select(l => JsonNode.Parse(l)!.AsObject()).Where(r => r["error"] is null).ToArray();
        hitLines.Select(r => r["line"]!.GetValue<long>()).ShouldBe([1, 2, 3, 8]);
        hitLines.ShouldAllBe(r => r["outcome"]!.GetValue<string>() == "block");
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task BadBatchRequests_AreRefused(Db db)
    {
        var w = await worlds.GetAsync(db);
        using var csv = new StringContent("idNumber\n" + w.NewPersonId() + "\n", Encoding.UTF8, "text/csv");
        var unknown = await w.Ningxia.PostAsync("/api/v1/checks/batch?scenario=casino.entry", csv, Ct);
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync(Ct)).ShouldContain("unknown-scenario");

        using var json = new StringContent("{}", Encoding.UTF8, "application/json");
        (await w.Ningxia.PostAsync("/api/v1/checks/batch?scenario=civil-aviation.ticket", json, Ct)).StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);

        using var forCourt = new StringContent("idNumber\n" + w.NewPersonId() + "\n", Encoding.UTF8, "text/csv");
        (await w.Court.PostAsync("/api/v1/checks/batch?scenario=civil-aviation.ticket", forCourt, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Files_from_real_systems_are_read_exactly(Db db)
    {
        var w = await worlds.GetAsync(db);
        string listed;
        do
        {
            listed = w.NewPersonId();
        }
        while (string.CompareOrdinal(listed[14..17], "996") >= 0);

        await w.ListAsync(Person(listed));
        await w.CaughtUpAsync();
        var legacy = listed[..6] + listed[8..17];
        var clear = w.NewPersonId();
        var lower = clear[17] == 'X' ? clear[..17] + "x" : clear;

        // CRLF endings, Chinese header names with the ID in the second column, quoted and padded fields,
        // a legacy 15-digit number of a listed person, a blank line, and a last line without a newline.
        var body = "姓名,身份证号码,备注\r\n"
            + "张三,\"" + legacy + "\",x\r\n"
            + "李四, " + lower + " ,\r\n"
            + "\r\n"
            + "王五,12345,\r\n"
            + "赵六," + listed;
        var (_, lines) = await PostAsync(w.Ningxia, "?scenario=civil-aviation.ticket", "text/csv", body);
        var rows = lines.Skip(1).Select(l => l.TrimEnd('\r').Split(',')).ToArray();
        rows.Select(r => r[0]).ShouldBe(["2", "3", "5", "6"]);
        rows[0][1].ShouldBe("id:" + listed);      // canonical 18 digits, not the 15 sent
        rows[0][2].ShouldBe("block");
        rows[1][1].ShouldBe("id:" + clear);
        rows[1][2].ShouldBe("clear");
        rows[2][2].ShouldBe("error");
        rows[2][3].ShouldBe("invalid-id-number");
        rows[3][2].ShouldBe("block");

        // NDJSON with an escaped value and a line too long to be an identifier line.
        var escaped = string.Concat(listed.Select(c => "\\u00" + ((int)c).ToString("x2", CultureInfo.InvariantCulture)));
        var ndjson = "{\"idNumber\":\"" + escaped + "\"}\n{\"idNumber\":\"" + new string('1', 70_000) + "\"}\n{\"idNumber\":\"" + clear + "\"}\n";
        var (_, json) = await PostAsync(w.Ningxia, "?scenario=civil-aviation.ticket", "application/x-ndjson", ndjson);
        var parsed = json.Select(l => JsonNode.Parse(l)!).ToArray();
        parsed[0]["line"]!.GetValue<long>().ShouldBe(1);
        parsed[0]["outcome"]!.GetValue<string>().ShouldBe("block");
        parsed[1]["line"]!.GetValue<long>().ShouldBe(2);
        parsed[1]["error"]!.GetValue<string>().ShouldBe("line-too-long");
        parsed[2]["line"]!.GetValue<long>().ShouldBe(3);
        parsed[2]["outcome"]!.GetValue<string>().ShouldBe("clear");
        parsed.Length.ShouldBe(3);

        // The same over-long line arriving slowly, in pieces, is dropped as it streams and reported once.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/checks/batch?scenario=civil-aviation.ticket")
        {
            Content = new SlowContent(["idNumber\n", new string('1', 200_000) + "\n", clear + "\n"]),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        using var slow = await w.Ningxia.SendAsync(request, Ct);
        var slowLines = (await slow.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        slowLines.Skip(1).Select(l => l.Split(',')[0] + "," + l.Split(',')[2] + "," + l.Split(',')[3]).ShouldBe(["2,error,line-too-long", "3,clear,"]);
    }

    /// <summary>Sends its parts in small, separately flushed writes.</summary>
    private sealed class SlowContent(string[] parts) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            foreach (var part in parts)
            {
                var bytes = Encoding.UTF8.GetBytes(part);
                for (var i = 0; i < bytes.Length; i += 8192)
                {
                    await stream.WriteAsync(bytes.AsMemory(i, Math.Min(8192, bytes.Length - i)));
                    await stream.FlushAsync();
                    await Task.Delay(1);
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>Generates a CSV of valid IDs on the fly, so neither side holds the file.</summary>
    private sealed class GeneratedCsv(int lines, string[] listed, int every) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var ids = new IdentifierGenerator(20240503);
            var buffer = new char[1 << 16];
            var bytes = new byte[1 << 18];
            var n = 0;
            "\uFEFFidNumber\n".CopyTo(buffer);
            n = 10;
            for (var i = 0; i < lines; i++)
            {
                if (n > buffer.Length - 32)
                {
                    var count = Encoding.UTF8.GetBytes(buffer, 0, n, bytes, 0);
                    await stream.WriteAsync(bytes.AsMemory(0, count));
                    n = 0;
                }

                if (i % every == 0)
                {
                    listed[i / every % listed.Length].CopyTo(buffer.AsSpan(n));
                }
                else
                {
                    ids.WriteResidentId(buffer.AsSpan(n), new DateOnly(1950, 1, 1), new DateOnly(2000, 12, 31));
                }

                n += 18;
                buffer[n++] = '\n';
            }

            var last = Encoding.UTF8.GetBytes(buffer, 0, n, bytes, 0);
            await stream.WriteAsync(bytes.AsMemory(0, last));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task StreamedFile_Of200000Lines_IsAnsweredLineByLine(Db db)
    {
        const int Lines = 200_000;
        const int Every = 10_000;
        var w = await worlds.GetAsync(db);
        string[] listed = [w.NewPersonId(), w.NewPersonId()];
        foreach (var id in listed)
        {
            await w.ListAsync(Person(id));
        }

        var watch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/checks/batch?scenario=rail.high-speed-ticket")
        {
            Content = new GeneratedCsv(Lines, listed, Every),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        using var response = await w.Ningxia.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("X-List-Sequence").ShouldBeTrue();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct), Encoding.UTF8);
        (await reader.ReadLineAsync(Ct))!.ShouldStartWith("line,");
        long count = 0, blocks = 0, clear = 0, expectedLine = 2;
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            count++;
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            long.Parse(line.AsSpan(0, comma), CultureInfo.InvariantCulture).ShouldBe(expectedLine++);
            if (line.Contains(",block,", StringComparison.Ordinal))
            {
                blocks++;
            }
            else if (line.Contains(",clear,", StringComparison.Ordinal))
            {
                clear++;
            }
        }

        watch.Stop();
        var rate = count / watch.Elapsed.TotalSeconds;
        output.WriteLine($"[{db}] /checks/batch: {count} lines in {watch.Elapsed.TotalMilliseconds:F0} ms = {rate:F0} lines/s ({blocks} blocks)");
        count.ShouldBe(Lines);
        blocks.ShouldBe(Lines / Every);
        clear.ShouldBe(Lines - (Lines / Every));
    }
}
