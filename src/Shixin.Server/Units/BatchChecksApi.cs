using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Shixin.Core;
using Shixin.Core.Catalogs;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Screening;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Units;

/// <summary>
/// POST /api/v1/checks/batch: compares a whole customer base against the list. Lines stream in and
/// results stream out in chunks, so memory stays constant however long the file is.
/// </summary>
public static class BatchChecksApi
{
    private const int Chunk = 8192;

    public static RouteGroupBuilder MapBatchChecksApi(this RouteGroupBuilder api)
    {
        api.MapPost("/checks/batch", Batch).RequireRoles(Roles.UnitChecker).WithTags("Units: screening")
            .WithSummary("Check a file of subjects (CSV with a header naming idNumber/creditCode/organizationCode/passport, or NDJSON); one result line per input line, ?only=hits for hits alone")
            .Accepts<string>("text/csv", "application/x-ndjson");
        return api;
    }

    private readonly record struct Line(long Number, SubjectKey Key, string? Error, string? Detail, string? DetailZh = null);

    /// <summary>What one batch run found: lines read (after the header), hits, blocks, invalid lines and the first few of them.</summary>
    public sealed record BatchSummary(Guid BatchId, long ListSequence, long Lines, long Hits, long Blocked, long Invalid, IReadOnlyList<BatchLineError> Errors);

    /// <summary>One line the batch could not check.</summary>
    public sealed record BatchLineError(long Line, string Code, string Detail, string? DetailZh = null);

    internal static async Task Batch(HttpContext http, CheckService checks, IndexFollower follower, EntryDetails details, CheckRecordWriter records,
        ShixinMetrics metrics, TimeProvider time, string? scenario, string? only, CancellationToken ct)
    {
        var caller = http.GetCaller();
        var type = http.Request.ContentType ?? "";
        var csv = type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && !type.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase))
        {
            await Problems.Of("unsupported-media-type", "send text/csv or application/x-ndjson").ExecuteAsync(http);
            return;
        }

        if (string.IsNullOrWhiteSpace(scenario) || !checks.Catalogs.TryGetScenario(scenario, out _))
        {
            await Problems.Of("unknown-scenario", "give ?scenario= with a known scenario id; GET /api/v1/scenarios lists them").ExecuteAsync(http);
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var hitsOnly = string.Equals(only, "hits", StringComparison.Ordinal);
        using var reader = new StreamReader(http.Request.Body, new UTF8Encoding(false, false), true, 1 << 16);
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(csv), 1 << 16);
        await RunAsync(caller, scenario, csv, hitsOnly, reader, writer, (sequence, batchId) =>
        {
            http.Response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
            http.Response.Headers["X-List-Sequence"] = sequence.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-Check-Id"] = batchId.ToString();
        }, new BatchServices(checks, follower, details, records, metrics, time), ct);
    }

    /// <summary>The services a batch run needs.</summary>
    internal sealed record BatchServices(CheckService Checks, IndexFollower Follower, EntryDetails Details, CheckRecordWriter Records, ShixinMetrics Metrics, TimeProvider Time);

    /// <summary>
    /// Checks every line of <paramref name="reader"/> for <paramref name="scenario"/> and writes one result line per input line
    /// to <paramref name="writer"/> (CSV header <c>line,subject,outcome,via,entryId,caseNumber,court,measures</c>, or NDJSON);
    /// records the batch and its hits like the API. The API streams the request into the response through it; the unit
    /// console runs an uploaded file through it. <paramref name="started"/> hears the list sequence and batch id before
    /// the first byte is written.
    /// </summary>
    internal static async Task<BatchSummary> RunAsync(Caller caller, string scenario, bool csv, bool hitsOnly, TextReader reader, TextWriter writer,
        Action<long, Guid>? started, BatchServices services, CancellationToken ct, int keepErrors = 0)
    {
        var (checks, follower, details, records, metrics, time) = services;
        await checks.Suspensions.EnsureFreshAsync(ct);
        var snapshot = follower.Index.Current;
        var batchId = Guid.CreateVersion7();
        var now = time.GetUtcNow().UtcDateTime;
        started?.Invoke(snapshot.Sequence, batchId);
        var kept = new List<BatchLineError>();
        if (csv)
        {
            await writer.WriteAsync("line,subject,outcome,via,entryId,caseNumber,court,measures\n");
        }

        var lines = new List<Line>(Chunk);
        var hitRecords = new List<CheckRecordRow>();
        long total = 0, hitCount = 0, blocked = 0, errorCount = 0, lineNo = 0;
        int[] columns = [];
        SubjectKeyKind[] kinds = [];
        if (csv)
        {
            var header = await reader.ReadLineAsync(ct);
            lineNo++;
            (columns, kinds) = ParseHeader(header);
            if (columns.Length == 0)
            {
                const string detail = "the header must name idNumber, creditCode, organizationCode or passport";
                await writer.WriteAsync("1,,error,invalid-csv-header,,,,\"" + detail + "\"\n");
                return new BatchSummary(batchId, snapshot.Sequence, 0, 0, 0, 1,
                    [new BatchLineError(1, "invalid-csv-header", detail, "首行须为列名，且包含 idNumber（身份证号码）、creditCode（统一社会信用代码）、organizationCode 或 passport 之一")]);
            }
        }

        var hits = new IndexHit[64];
        while (true)
        {
            lines.Clear();
            while (lines.Count < Chunk && await reader.ReadLineAsync(ct) is { } text)
            {
                lineNo++;
                if (text.Length == 0)
                {
                    continue;
                }

                lines.Add(csv ? ParseCsv(lineNo, text, columns, kinds) : ParseNdjson(lineNo, text));
            }

            if (lines.Count == 0)
            {
                break;
            }

            total += lines.Count;

            // Look every key up first; only hits need decisions and entry details.
            var decided = new List<(int Index, SubjectDecision Decision)>();
            var nos = new HashSet<long>();
            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i].Error is not null)
                {
                    continue;
                }

                var key = lines[i].Key;
                var n = snapshot.Lookup(key, hits.AsSpan());
                if (n == 0)
                {
                    continue;
                }

                n = Math.Min(n, hits.Length);
                var candidates = checks.Candidates(hits.AsSpan(0, n));
                foreach (var c in candidates)
                {
                    nos.Add(c.EntryRef);
                }

                decided.Add((i, ScreeningDecision.Decide(checks.Catalogs, scenario, caller.Region, ScreeningKeys.CheckedKind(key), candidates)));
            }

            var info = nos.Count == 0 ? new Dictionary<long, EntryDetail>() : await details.GetAsync(nos, ct);
            var d = 0;
            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i];
                if (line.Error is not null)
                {
                    errorCount++;
                    if (kept.Count < keepErrors)
                    {
                        kept.Add(new BatchLineError(line.Number, line.Error, line.Detail ?? "", line.DetailZh));
                    }

                    await WriteErrorAsync(writer, csv, line);
                    continue;
                }

                if (d < decided.Count && decided[d].Index == i)
                {
                    var decision = decided[d++].Decision;
                    if (decision.Outcome != ScreeningOutcome.Clear)
                    {
                        hitCount++;
                        blocked += decision.Outcome == ScreeningOutcome.Block ? 1 : 0;
                        hitRecords.Add(new CheckRecordRow
                        {
                            Id = Guid.CreateVersion7(), BatchId = batchId, OrganizationCode = caller.OrganizationCode, Scenario = scenario,
                            Reference = "batch line " + line.Number.ToString(CultureInfo.InvariantCulture), SubjectKey = ScreeningKeys.Text(line.Key),
                            Outcome = decision.Outcome.ToApiName(), ListSeq = snapshot.Sequence, CheckedAt = now,
                            EntryNos = string.Join(',', decision.Matches.Select(m => m.EntryRef.ToString(CultureInfo.InvariantCulture))),
                        });
                        await WriteHitAsync(writer, csv, line, decision, info);
                        continue;
                    }
                }

                if (!hitsOnly)
                {
                    await writer.WriteAsync(csv
                        ? line.Number.ToString(CultureInfo.InvariantCulture) + "," + ScreeningKeys.Text(line.Key) + ",clear,,,,,\n"
                        : "{\"line\":" + line.Number.ToString(CultureInfo.InvariantCulture) + ",\"outcome\":\"clear\"}\n");
                }
            }

            // Hits are recorded chunk by chunk, so memory stays flat however long the file is.
            if (hitRecords.Count > 0)
            {
                await records.RecordAsync([.. hitRecords], ct);
                hitRecords.Clear();
            }

            await writer.FlushAsync(ct);
        }

        // The batch and its hits are recorded durably before the stream ends.
        hitRecords.Add(new CheckRecordRow
        {
            Id = batchId, BatchId = batchId, OrganizationCode = caller.OrganizationCode, Scenario = scenario,
            Reference = "batch: " + total.ToString(CultureInfo.InvariantCulture) + " lines, " + hitCount.ToString(CultureInfo.InvariantCulture)
                + " hits, " + errorCount.ToString(CultureInfo.InvariantCulture) + " invalid",
            SubjectKey = "batch", Outcome = hitCount > 0 ? "hits" : "clear", ListSeq = snapshot.Sequence, CheckedAt = now,
        });
        await records.RecordAsync(hitRecords, ct);
        metrics.Check(scenario, "batch-lines", total);
        metrics.Check(scenario, "batch-hits", hitCount);
        await writer.FlushAsync(ct);
        return new BatchSummary(batchId, snapshot.Sequence, total, hitCount, blocked, errorCount, kept);
    }

    private static (int[] Columns, SubjectKeyKind[] Kinds) ParseHeader(string? header)
    {
        var names = (header ?? "").TrimStart('\uFEFF').Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        var cols = new List<int>();
        var kinds = new List<SubjectKeyKind>();
        for (var i = 0; i < names.Length; i++)
        {
            SubjectKeyKind? k = names[i] switch
            {
                "idNumber" or "身份证号码" => SubjectKeyKind.ResidentId,
                "creditCode" or "统一社会信用代码" => SubjectKeyKind.CreditCode,
                "organizationCode" or "组织机构代码" => SubjectKeyKind.OrganizationCode,
                "passport" or "护照号码" => SubjectKeyKind.Passport,
                _ => null,
            };
            if (k is not null)
            {
                cols.Add(i);
                kinds.Add(k.Value);
            }
        }

        return ([.. cols], [.. kinds]);
    }

    private static Line ParseCsv(long number, string text, int[] columns, SubjectKeyKind[] kinds)
    {
        // Identifier columns never contain commas or quotes; a plain split is exact for them.
        var fields = text.Split(',');
        for (var c = 0; c < columns.Length; c++)
        {
            if (columns[c] < fields.Length && fields[columns[c]].Trim().Trim('"') is { Length: > 0 } value)
            {
                return ScreeningKeys.TryPack(kinds[c], value, out var key, out var error)
                    ? new Line(number, key, null, null)
                    : new Line(number, default, error!.Code, error.Message, error.MessageZh);
            }
        }

        return new Line(number, default, DomainError.Codes.ValidationFailed, "no identifier on this line", "该行没有证件号码");
    }

    private static Line ParseNdjson(long number, string text)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new Line(number, default, "invalid-json", "a line must hold one JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                SubjectKeyKind? kind = reader.ValueTextEquals("idNumber"u8) ? SubjectKeyKind.ResidentId
                    : reader.ValueTextEquals("creditCode"u8) ? SubjectKeyKind.CreditCode
                    : reader.ValueTextEquals("organizationCode"u8) ? SubjectKeyKind.OrganizationCode
                    : reader.ValueTextEquals("passport"u8) ? SubjectKeyKind.Passport : null;
                reader.Read();
                if (kind is not null && reader.TokenType == JsonTokenType.String)
                {
                    return ScreeningKeys.TryPack(kind.Value, reader.GetString(), out var key, out var error)
                        ? new Line(number, key, null, null)
                        : new Line(number, default, error!.Code, error.Message, error.MessageZh);
                }

                reader.Skip();
            }

            return new Line(number, default, DomainError.Codes.ValidationFailed, "no idNumber, creditCode, organizationCode or passport");
        }
        catch (JsonException ex)
        {
            return new Line(number, default, "invalid-json", ex.Message);
        }
    }

    private static Task WriteErrorAsync(TextWriter writer, bool csv, Line line) => writer.WriteAsync(csv
        ? line.Number.ToString(CultureInfo.InvariantCulture) + ",,error," + line.Error + ",,,,\"" + line.Detail!.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"\n"
        : "{\"line\":" + line.Number.ToString(CultureInfo.InvariantCulture) + ",\"error\":\"" + line.Error + "\",\"detail\":" + JsonSerializer.Serialize(line.Detail) + "}\n");

    private static async Task WriteHitAsync(TextWriter writer, bool csv, Line line, SubjectDecision decision, IReadOnlyDictionary<long, EntryDetail> info)
    {
        var subject = ScreeningKeys.Text(line.Key);
        if (csv)
        {
            // One result line per input line (API.md): several matches share the line, their fields joined by ';'.
            var ms = decision.Matches.Where(m => info.ContainsKey(m.EntryRef)).ToArray();
            string Join(Func<MatchDecision, string> field) => CsvField(string.Join(';', ms.Select(field)));
            await writer.WriteAsync(line.Number.ToString(CultureInfo.InvariantCulture) + "," + subject + "," + decision.Outcome.ToApiName() + ","
                + Join(m => m.Via.ToApiName()) + "," + Join(m => info[m.EntryRef].Id.ToString()) + "," + Join(m => info[m.EntryRef].CaseNumber) + ","
                + Join(m => info[m.EntryRef].CourtName) + "," + Join(m => string.Join(' ', m.Measures.Select(x => x.Id))) + "\n");
            return;
        }

        var matches = decision.Matches.Where(m => info.ContainsKey(m.EntryRef)).Select(m => new
        {
            entryId = info[m.EntryRef].Id,
            caseNumber = info[m.EntryRef].CaseNumber,
            court = info[m.EntryRef].CourtName,
            via = m.Via.ToApiName(),
            outcome = m.Outcome.ToApiName(),
            measures = m.Measures.Select(x => x.Id),
        });
        await writer.WriteAsync(JsonSerializer.Serialize(new { line = line.Number, subject, outcome = decision.Outcome.ToApiName(), matches }, BatchJson) + "\n");
    }

    private static string CsvField(string value) => value.AsSpan().IndexOfAny(",\"\r\n") < 0
        ? value
        : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static readonly JsonSerializerOptions BatchJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };
}
