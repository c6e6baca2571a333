using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
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
            .Accepts<string>("text/csv", "application/x-ndjson")
            .Produces<string>(200, "text/csv").Produces<string>(200, "application/x-ndjson").ProducesProblem(503);
        return api;
    }

    /// <summary>A chunk of parsed lines: line numbers and packed keys in arrays, an error only where a line is bad.</summary>
    private sealed class ChunkLines
    {
        public readonly long[] Numbers = new long[Chunk];
        public readonly SubjectKey[] Keys = new SubjectKey[Chunk];
        public readonly string?[] ErrorCodes = new string?[Chunk];
        public readonly string?[] ErrorDetails = new string?[Chunk];
        public readonly string?[] ErrorDetailsZh = new string?[Chunk];

        /// <summary>Per line, the context it gave; null (most lines) for none.</summary>
        public readonly CheckContext?[] Contexts = new CheckContext?[Chunk];

        /// <summary>Per line, the officers of an organization subject (NDJSON); null for none.</summary>
        public readonly OfficerKey[]?[] Officers = new OfficerKey[]?[Chunk];
        public int Count;

        public void Add(long number, in SubjectKey key)
        {
            Numbers[Count] = number;
            Keys[Count] = key;
            ErrorCodes[Count] = null;
            Contexts[Count] = null;
            Officers[Count] = null;
            Count++;
        }

        public void AddError(long number, string code, string detail, string? detailZh = null)
        {
            Numbers[Count] = number;
            Keys[Count] = default;
            ErrorCodes[Count] = code;
            ErrorDetails[Count] = detail;
            ErrorDetailsZh[Count] = detailZh;
            Contexts[Count] = null;
            Officers[Count] = null;
            Count++;
        }

        public void Add(long number, bool packed, in SubjectKey key, IdentifierError? error)
        {
            if (packed)
            {
                Add(number, key);
            }
            else
            {
                AddError(number, error!.Code, error.Message, error.MessageZh);
            }
        }
    }

    /// <summary>How the file's lines are laid out: CSV with the identifier columns its header names, or NDJSON.</summary>
    private sealed class Layout(bool csv, Scenario scenario, MeasureCatalogs catalogs)
    {
        public bool Csv { get; } = csv;

        public Scenario Scenario { get; } = scenario;

        public MeasureCatalogs Catalogs { get; } = catalogs;

        /// <summary>Per CSV column, the identifier kind it holds (null for other columns); null until the header is read.</summary>
        public SubjectKeyKind?[]? Columns { get; set; }

        /// <summary>Per CSV column, the scenario's context field it holds (columns named like the field); null when the header names none.</summary>
        public string?[]? ContextColumns { get; set; }

        public bool HeaderInvalid { get; set; }

        /// <summary>Dropping the rest of a line longer than <see cref="MaxLineBytes"/> that has not ended yet.</summary>
        public bool SkippingLongLine { get; set; }
    }

    /// <summary>What every chunk of one request shares.</summary>
    private sealed record BatchRun(Caller Caller, string Scenario, bool Csv, bool HitsOnly, ScreeningSnapshot Snapshot, Guid BatchId, DateTime Now,
        CheckService Checks, EntryDetails Details, int KeepErrors)
    {
        public SubjectHasher Hasher { get; init; } = null!;

        /// <summary>Lookup buffer; grows when a subject has more hits, so none is cut off (API.md "No silent limits").</summary>
        public IndexHit[] Hits = new IndexHit[64];

        public List<BatchLineError> Kept { get; } = [];

        public long Blocked { get; set; }

        public long Total { get; set; }

        public long HitCount { get; set; }

        public long ErrorCount { get; set; }
    }

    private const int MaxLineBytes = 64 * 1024;
    private const string TooLong = "a line is longer than 64 KiB";
    private const string TooLongZh = "该行超过 64 KiB";

    internal static async Task Batch(HttpContext http, CheckService checks, IndexFollower follower, EntryDetails details, CheckRecordWriter records,
        ShixinMetrics metrics, TimeProvider time, string? scenario, string? only, long? minSequence, CancellationToken ct)
    {
        var caller = http.GetCaller();
        var type = http.Request.ContentType ?? "";
        var csv = type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && !type.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase))
        {
            await Problems.Of("unsupported-media-type", new("请以CSV（text/csv）或NDJSON（application/x-ndjson）格式提交", "send text/csv or application/x-ndjson")).ExecuteAsync(http);
            return;
        }

        if (string.IsNullOrWhiteSpace(scenario) || !checks.Catalogs.TryGetScenario(scenario, out _))
        {
            await Problems.Of("unknown-scenario", new("请选择平台业务场景目录中的业务场景", "give ?scenario= with a known scenario id; GET /api/v1/scenarios lists them")).ExecuteAsync(http);
            return;
        }

        if (await checks.EnsureSequenceAsync(http, minSequence, ct) is { } behind)
        {
            await behind.ExecuteAsync(http);
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        await RunAsync(caller, scenario, csv, string.Equals(only, "hits", StringComparison.Ordinal), http.Request.BodyReader, http.Response.BodyWriter,
            (sequence, batchId) =>
            {
                http.Response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
                http.Response.Headers["X-List-Sequence"] = sequence.ToString(CultureInfo.InvariantCulture);
                http.Response.Headers["X-Check-Id"] = batchId.ToString();
            }, new BatchServices(checks, follower, details, records, metrics, time), ct);
    }

    /// <summary>What one batch run found: lines read (after the header), hits, blocks, invalid lines and the first few of them.</summary>
    public sealed record BatchSummary(Guid BatchId, long ListSequence, long Lines, long Hits, long Blocked, long Invalid, IReadOnlyList<BatchLineError> Errors);

    /// <summary>One line the batch could not check.</summary>
    public sealed record BatchLineError(long Line, string Code, string Detail, string? DetailZh = null);

    /// <summary>The services a batch run needs.</summary>
    internal sealed record BatchServices(CheckService Checks, IndexFollower Follower, EntryDetails Details, CheckRecordWriter Records, ShixinMetrics Metrics, TimeProvider Time);

    /// <summary>
    /// Checks every line of <paramref name="body"/> for <paramref name="scenario"/> and writes one result line per input line to
    /// <paramref name="output"/> (CSV header <c>line,subject,outcome,via,entryId,caseNumber,court,measures,clauses,needsContext,exemptedEntryId,exemptionId</c>, or NDJSON), recording
    /// the batch and its hits. The API streams the request into the response through it; the unit console runs an uploaded file
    /// through it. <paramref name="started"/> hears the list sequence and batch id before the first byte is written.
    /// </summary>
    internal static async Task<BatchSummary> RunAsync(Caller caller, string scenario, bool csv, bool hitsOnly, PipeReader body, PipeWriter output,
        Action<long, Guid>? started, BatchServices services, CancellationToken ct, int keepErrors = 0)
    {
        var (checks, follower, details, records, metrics, time) = services;
        var run = new BatchRun(caller, scenario, csv, hitsOnly, follower.Index.Current, Guid.CreateVersion7(),
            time.GetUtcNow().UtcDateTime, checks, details, keepErrors) { Hasher = records.Hasher };
        started?.Invoke(run.Snapshot.Sequence, run.BatchId);
        if (csv)
        {
            // With a BOM, so that spreadsheet programs read the Chinese court names as UTF-8.
            await output.WriteAsync("\uFEFFline,subject,outcome,via,entryId,caseNumber,court,measures,clauses,needsContext,exemptedEntryId,exemptionId\n"u8.ToArray(), ct);
        }

        // Lines are read and parsed as bytes, a chunk at a time. Each chunk's hits are recorded while the next
        // chunk is looked up, and a chunk's result lines go out only once its records are committed.
        checks.Catalogs.TryGetScenario(scenario, out var scenarioInfo);
        var layout = new Layout(csv, scenarioInfo!, checks.Catalogs);
        var chunk = new ChunkLines();
        ArrayBufferWriter<byte>[] buffers = [new(1 << 20), new(1 << 20)];
        var which = 0;
        Task previousRecords = Task.CompletedTask;
        ArrayBufferWriter<byte>? previousLines = null;
        long lineNo = 0;
        while (true)
        {
            var read = await body.ReadAsync(ct);
            var buffer = read.Buffer;
            var consumed = Fill(buffer, read.IsCompleted, layout, chunk, ref lineNo);
            var rest = buffer.Slice(consumed);
            var done = read.IsCompleted && rest.IsEmpty;
            var full = chunk.Count == Chunk;
            if (layout.HeaderInvalid)
            {
                body.AdvanceTo(buffer.End);
                const string detail = "the header must name idNumber, creditCode, organizationCode or passport";
                await output.WriteAsync(Encoding.UTF8.GetBytes("1,,error,invalid-csv-header,,,,\"" + detail + "\",,,,\n"), ct);
                await output.FlushAsync(ct);
                return new BatchSummary(run.BatchId, run.Snapshot.Sequence, 0, 0, 0, 1,
                    [new BatchLineError(1, "invalid-csv-header", detail, "首行须为列名，且包含 idNumber（身份证号码）、creditCode（统一社会信用代码）、organizationCode 或 passport 之一")]);
            }

            // Examined up to the end only when no whole line is left, so that a full chunk does not wait for more bytes.
            if (full)
            {
                body.AdvanceTo(consumed);
            }
            else
            {
                body.AdvanceTo(consumed, buffer.End);
            }

            if (full || (done && chunk.Count > 0))
            {
                var lines = buffers[which];
                lines.ResetWrittenCount();
                var hitRecords = await ProcessAsync(run, chunk, lines, ct);
                chunk.Count = 0;
                var recorded = hitRecords.Count > 0 ? records.RecordAsync(hitRecords, ct) : Task.CompletedTask;
                await previousRecords;
                if (previousLines is not null)
                {
                    await output.WriteAsync(previousLines.WrittenMemory, ct);
                }

                previousRecords = recorded;
                previousLines = lines;
                which ^= 1;
            }

            if (done)
            {
                break;
            }
        }

        await previousRecords;
        if (previousLines is not null)
        {
            await output.WriteAsync(previousLines.WrittenMemory, ct);
        }

        // The batch itself is recorded durably before the stream ends.
        await records.RecordAsync([new CheckRecordRow
        {
            Action = "check.batch", Id = run.BatchId, BatchId = run.BatchId, OrganizationCode = caller.OrganizationCode, KeyId = caller.KeyId, Scenario = scenario,
            Reference = "batch: " + run.Total.ToString(CultureInfo.InvariantCulture) + " lines, " + run.HitCount.ToString(CultureInfo.InvariantCulture)
                + " hits, " + run.ErrorCount.ToString(CultureInfo.InvariantCulture) + " invalid",
            SubjectKey = "batch", Outcome = run.HitCount > 0 ? "hits" : "clear", ListSeq = run.Snapshot.Sequence, CheckedAt = run.Now,
        }], ct);
        metrics.Check(scenario, "batch-lines", run.Total);
        metrics.Check(scenario, "batch-hits", run.HitCount);
        await output.FlushAsync(ct);
        return new BatchSummary(run.BatchId, run.Snapshot.Sequence, run.Total, run.HitCount, run.Blocked, run.ErrorCount, run.Kept);
    }

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Parses whole lines from the buffer into the chunk until it is full; returns the position after the last line taken.</summary>
    private static SequencePosition Fill(in ReadOnlySequence<byte> buffer, bool final, Layout layout, ChunkLines chunk, ref long lineNo)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (chunk.Count < Chunk && !layout.HeaderInvalid)
        {
            if (layout.SkippingLongLine)
            {
                // Memory stays bounded: the rest of an over-long line is dropped as it arrives, then reported once.
                if (!reader.TryAdvanceTo((byte)'\n'))
                {
                    reader.AdvanceToEnd();
                    if (!final)
                    {
                        break;
                    }
                }

                layout.SkippingLongLine = false;
                chunk.AddError(++lineNo, "line-too-long", TooLong, TooLongZh);
                continue;
            }

            if (!reader.TryReadTo(out ReadOnlySpan<byte> line, (byte)'\n'))
            {
                if (!final && reader.Remaining > MaxLineBytes)
                {
                    layout.SkippingLongLine = true;
                    reader.AdvanceToEnd();
                    continue;
                }

                if (!final || reader.End)
                {
                    break;
                }

                // The last line has no newline.
                line = reader.UnreadSequence.IsSingleSegment ? reader.UnreadSpan : reader.UnreadSequence.ToArray();
                reader.AdvanceToEnd();
            }

            lineNo++;
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (lineNo == 1 && line.StartsWith(Bom))
            {
                line = line[Bom.Length..];
            }

            if (line.Length > MaxLineBytes)
            {
                chunk.AddError(lineNo, "line-too-long", TooLong, TooLongZh);
                continue;
            }

            if (layout.Csv && layout.Columns is null)
            {
                var header = Encoding.UTF8.GetString(line);
                layout.Columns = ParseHeader(header);
                layout.HeaderInvalid = !layout.Columns.Any(c => c is not null);
                // Columns named like one of the scenario's context fields carry each line's context (API.md "Screening additions").
                var contextColumns = header.TrimStart('\uFEFF').Split(',').Select(h => h.Trim().Trim('"'))
                    .Select(h => layout.Scenario.Context.Contains(h, StringComparer.Ordinal) ? h : null).ToArray();
                layout.ContextColumns = contextColumns.Any(c => c is not null) ? contextColumns : null;
                continue;
            }

            if (line.IsEmpty)
            {
                continue;
            }

            if (layout.Csv)
            {
                if (layout.ContextColumns is null)
                {
                    ParseCsv(lineNo, line, layout.Columns!, chunk);
                }
                else
                {
                    ParseCsvWithContext(lineNo, line, layout, chunk);
                }
            }
            else
            {
                ParseNdjson(lineNo, line, layout, chunk);
            }
        }

        return reader.Position;
    }

    /// <summary>Looks a chunk up, explains its hits and writes its result lines; returns the hits' check records.</summary>
    private static async Task<List<CheckRecordRow>> ProcessAsync(BatchRun run, ChunkLines chunk, ArrayBufferWriter<byte> lines, CancellationToken ct)
    {
        // Look every key up first; only hits need decisions and entry details.
        var decided = Decide(run, chunk, out var nos);
        var info = nos.Count == 0 ? EmptyDetails : await run.Details.GetAsync(nos, ct);
        return Write(run, chunk, decided, info, lines);
    }

    private static readonly IReadOnlyDictionary<long, EntryDetail> EmptyDetails = new Dictionary<long, EntryDetail>();

    /// <summary>A hit a court exemption cleared on one line: which entry, through whom, which exemption, and the clauses it lifted.</summary>
    private sealed record ExemptedHit(long EntryRef, RelatedRole Via, Guid ExemptionId, IReadOnlyList<string> Clauses);

    private static List<(int Index, SubjectDecision Decision, ExemptedHit[]? Exempted)> Decide(BatchRun run, ChunkLines chunk, out HashSet<long> nos)
    {
        var decided = new List<(int, SubjectDecision, ExemptedHit[]?)>();
        var exempted = new Dictionary<long, Guid>();
        nos = [];
        for (var i = 0; i < chunk.Count; i++)
        {
            if (chunk.ErrorCodes[i] is not null)
            {
                continue;
            }

            ref readonly var key = ref chunk.Keys[i];
            var n = CheckService.LookupAll(run.Snapshot, key, ref run.Hits);
            var officers = chunk.Officers[i];
            if (n == 0 && officers is null)
            {
                continue;
            }

            exempted.Clear();
            var candidates = run.Checks.Candidates(run.Snapshot, key, run.Hits.AsSpan(0, n), run.Caller.OrganizationCode, run.Scenario, run.Now.Ticks, exempted);
            if (officers is not null)
            {
                var all = new List<MatchCandidate>(candidates);
                run.Checks.AddOfficerCandidates(run.Snapshot, officers, run.Caller.OrganizationCode, ref run.Hits, all);
                candidates = [.. all];
            }

            var decision = ScreeningDecision.Decide(run.Checks.Catalogs, run.Scenario, run.Caller.Region, ScreeningKeys.CheckedKind(key), candidates,
                chunk.Contexts[i]);

            // A hit a court exemption cleared is named on the line with its exemption, as a single check names it (API.md
            // "Court exemptions"); the other cleared reasons stay out of the batch line, which keeps clear lines cheap.
            ExemptedHit[]? lifted = null;
            if (exempted.Count > 0)
            {
                var checkedKind = ScreeningKeys.CheckedKind(key);
                lifted = [.. decision.Cleared.Where(c => c.Reason == ClearedReason.Exempted && exempted.ContainsKey(c.EntryRef))
                    .Select(c => (c, candidates.FirstOrDefault(x => x.EntryRef == c.EntryRef && x.Via == c.Via)))
                    .Where(t => t.Item2 is { Exemptions: not null })
                    .Select(t => new ExemptedHit(t.c.EntryRef, t.c.Via, exempted[t.c.EntryRef],
                        run.Checks.LiftedClauses(run.Scenario, run.Caller.Region, checkedKind, t.Item2!, chunk.Contexts[i] ?? CheckContext.Empty)))];
                if (lifted.Length == 0)
                {
                    lifted = null;
                }
            }

            if (decision.Outcome == ScreeningOutcome.Clear && lifted is null)
            {
                continue;
            }

            foreach (var m in decision.Matches)
            {
                nos.Add(m.EntryRef);
            }

            foreach (var x in lifted ?? [])
            {
                nos.Add(x.EntryRef);
            }

            decided.Add((i, decision, lifted));
        }

        return decided;
    }

    private static List<CheckRecordRow> Write(BatchRun run, ChunkLines chunk, List<(int Index, SubjectDecision Decision, ExemptedHit[]? Exempted)> decided,
        IReadOnlyDictionary<long, EntryDetail> info, ArrayBufferWriter<byte> lines)
    {
        var hitRecords = new List<CheckRecordRow>(decided.Count);
        var d = 0;
        run.Total += chunk.Count;
        for (var i = 0; i < chunk.Count; i++)
        {
            var number = chunk.Numbers[i];
            if (chunk.ErrorCodes[i] is { } code)
            {
                run.ErrorCount++;
                if (run.Kept.Count < run.KeepErrors)
                {
                    run.Kept.Add(new BatchLineError(number, code, chunk.ErrorDetails[i]!, chunk.ErrorDetailsZh[i]));
                }

                WriteString(lines, run.Csv
                    ? number.ToString(CultureInfo.InvariantCulture) + ",,error," + code + ",,,," + CsvText.Cell(chunk.ErrorDetails[i]) + ",,,,\n"
                    : NdjsonError(number, code, chunk.ErrorDetails[i]!));
                continue;
            }

            if (d < decided.Count && decided[d].Index == i)
            {
                var (_, decision, lifted) = decided[d++];
                if (decision.Outcome == ScreeningOutcome.Clear)
                {
                    // Cleared by a court exemption alone: a clear line that names the exemption (written with ?only=hits too,
                    // since the subject is on the list).
                    WriteString(lines, HitLine(run.Csv, number, chunk.Keys[i], decision, info, chunk.Officers[i], lifted));
                    continue;
                }

                run.HitCount++;
                run.Blocked += decision.Outcome == ScreeningOutcome.Block ? 1 : 0;
                hitRecords.Add(new CheckRecordRow
                {
                    Id = Guid.CreateVersion7(), BatchId = run.BatchId, OrganizationCode = run.Caller.OrganizationCode, KeyId = run.Caller.KeyId, Scenario = run.Scenario,
                    Reference = "batch line " + number.ToString(CultureInfo.InvariantCulture), SubjectKey = ScreeningKeys.Text(chunk.Keys[i]),
                    Outcome = decision.Outcome.ToApiName(), ListSeq = run.Snapshot.Sequence, CheckedAt = run.Now,
                    EntryNos = string.Join(',', decision.Matches.Select(m => m.EntryRef.ToString(CultureInfo.InvariantCulture))),
                    Detail = CheckService.ContextDetail(chunk.Contexts[i]),
                });
                WriteString(lines, HitLine(run.Csv, number, chunk.Keys[i], decision, info, chunk.Officers[i], lifted));
                continue;
            }

            if (!run.HitsOnly)
            {
                WriteClear(lines, run.Csv, number, chunk.Keys[i]);
            }
        }

        // Every checked line is in the audit trail: one compact record per chunk with 8 bytes of keyed hash per line,
        // so "was this person checked?" is answered for clear lines too without a record per line.
        var valid = 0;
        for (var i = 0; i < chunk.Count; i++)
        {
            valid += chunk.ErrorCodes[i] is null ? 1 : 0;
        }

        if (valid > 0)
        {
            var subjects = new byte[valid * 8];
            Span<byte> text = stackalloc byte[256];
            for (int i = 0, k = 0; i < chunk.Count; i++)
            {
                if (chunk.ErrorCodes[i] is null)
                {
                    run.Hasher.Short(text[..ScreeningKeys.WriteText(chunk.Keys[i], text)], subjects.AsSpan(8 * k++, 8));
                }
            }

            hitRecords.Add(new CheckRecordRow
            {
                Action = "check.batch-lines", Id = run.BatchId, BatchId = run.BatchId, OrganizationCode = run.Caller.OrganizationCode, KeyId = run.Caller.KeyId,
                Scenario = run.Scenario, Reference = "lines " + chunk.Numbers[0].ToString(CultureInfo.InvariantCulture) + "-" + chunk.Numbers[chunk.Count - 1].ToString(CultureInfo.InvariantCulture),
                SubjectKey = "batch", Outcome = "checked", ListSeq = run.Snapshot.Sequence, CheckedAt = run.Now, Subjects = subjects,
            });
        }

        return hitRecords;
    }

    // "{line},{subject},clear,,,,,,,,,\n" or {"line":N,"outcome":"clear"}: most lines of any file, written without allocating.
    // The subject is the platform's normalised key text ("id:…", "uscc:…", "org:…", "passport:…"), never a formula, so
    // this path needs no CsvText neutralising; every other CSV cell goes through CsvText.
    private static void WriteClear(ArrayBufferWriter<byte> lines, bool csv, long number, in SubjectKey key)
    {
        var span = lines.GetSpan(256);
        int n;
        if (csv)
        {
            number.TryFormat(span, out n, default, CultureInfo.InvariantCulture);
            span[n++] = (byte)',';
            n += ScreeningKeys.WriteText(key, span[n..]);
            n += Copy(",clear,,,,,,,,,\n"u8, span[n..]);
        }
        else
        {
            n = Copy("{\"line\":"u8, span);
            number.TryFormat(span[n..], out var digits, default, CultureInfo.InvariantCulture);
            n += digits;
            n += Copy(",\"outcome\":\"clear\"}\n"u8, span[n..]);
        }

        lines.Advance(n);
    }

    private static int Copy(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        text.CopyTo(destination);
        return text.Length;
    }

    private static void WriteString(ArrayBufferWriter<byte> lines, string text)
    {
        var n = Encoding.UTF8.GetBytes(text, lines.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        lines.Advance(n);
    }

    private static string NdjsonError(long number, string code, string detail) =>
        "{\"line\":" + number.ToString(CultureInfo.InvariantCulture) + ",\"error\":\"" + code + "\",\"detail\":" + JsonSerializer.Serialize(detail) + "}\n";

    private static SubjectKeyKind?[] ParseHeader(string header) =>
        [.. header.TrimStart('\uFEFF').Split(',').Select(h => h.Trim().Trim('"') switch
        {
            "idNumber" or "身份证号码" => SubjectKeyKind.ResidentId,
            "creditCode" or "统一社会信用代码" => SubjectKeyKind.CreditCode,
            "organizationCode" or "组织机构代码" => SubjectKeyKind.OrganizationCode,
            "passport" or "护照号码" => (SubjectKeyKind?)SubjectKeyKind.Passport,
            _ => null,
        })];

    // The first non-empty identifier column, in header order, is the line's subject.
    private static void ParseCsv(long number, ReadOnlySpan<byte> line, SubjectKeyKind?[] columns, ChunkLines chunk)
    {
        // Identifier columns never contain commas or quotes; splitting on commas is exact for them.
        var start = 0;
        for (var c = 0; c < columns.Length; c++)
        {
            var comma = line[start..].IndexOf((byte)',');
            var field = comma < 0 ? line[start..] : line.Slice(start, comma);
            if (columns[c] is { } kind && field.Trim(" \t"u8).Trim((byte)'"') is { IsEmpty: false } value)
            {
                chunk.Add(number, ScreeningKeys.TryPack(kind, value, out var key, out var error), key, error);
                return;
            }

            if (comma < 0)
            {
                break;
            }

            start += comma + 1;
        }

        chunk.AddError(number, DomainError.Codes.ValidationFailed, "no identifier on this line", "该行没有证件号码");
    }

    private static void ParseNdjson(long number, ReadOnlySpan<byte> line, Layout layout, ChunkLines chunk)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                chunk.AddError(number, "invalid-json", "a line must hold one JSON object");
                return;
            }

            // The first identifier is the subject; `context` and `officers` may come before or after it.
            var found = false;
            var packed = false;
            SubjectKey key = default;
            IdentifierError? error = null;
            Dictionary<string, JsonElement>? context = null;
            CheckOfficer[]? officers = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("context"u8))
                {
                    reader.Read();
                    context = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(ref reader);
                    continue;
                }

                if (reader.ValueTextEquals("officers"u8))
                {
                    reader.Read();
                    officers = JsonSerializer.Deserialize<CheckOfficer[]>(ref reader, BatchJson);
                    continue;
                }

                SubjectKeyKind? kind = found ? null
                    : reader.ValueTextEquals("idNumber"u8) ? SubjectKeyKind.ResidentId
                    : reader.ValueTextEquals("creditCode"u8) ? SubjectKeyKind.CreditCode
                    : reader.ValueTextEquals("organizationCode"u8) ? SubjectKeyKind.OrganizationCode
                    : reader.ValueTextEquals("passport"u8) ? SubjectKeyKind.Passport : null;
                reader.Read();
                if (kind is not null && reader.TokenType == JsonTokenType.String)
                {
                    packed = reader.ValueIsEscaped
                        ? ScreeningKeys.TryPack(kind.Value, reader.GetString(), out key, out error)
                        : ScreeningKeys.TryPack(kind.Value, reader.ValueSpan, out key, out error);
                    found = true;
                    continue;
                }

                reader.Skip();
            }

            if (!found)
            {
                chunk.AddError(number, DomainError.Codes.ValidationFailed, "no idNumber, creditCode, organizationCode or passport");
                return;
            }

            chunk.Add(number, packed, key, error);
            if (!packed || (context is null && officers is null))
            {
                return;
            }

            Extras(number, layout, chunk, key, context, officers);
        }
        catch (JsonException ex)
        {
            chunk.AddError(number, "invalid-json", ex.Message);
        }
    }

    /// <summary>Validates a line's context and officers onto the line just added; a bad one turns the line into an error.</summary>
    private static void Extras(long number, Layout layout, ChunkLines chunk, in SubjectKey key, Dictionary<string, JsonElement>? context, CheckOfficer[]? officers)
    {
        var at = chunk.Count - 1;
        if (context is { Count: > 0 })
        {
            if (!TryContext(layout, context.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value.ValueKind switch
            {
                JsonValueKind.String => kv.Value.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => null,
                _ => kv.Value.GetRawText(),
            })), out var parsed, out var problem))
            {
                chunk.Count--;
                chunk.AddError(number, "invalid-context", problem!.Message, problem.MessageZh);
                return;
            }

            chunk.Contexts[at] = parsed;
        }

        if (officers is { Length: > 0 })
        {
            var errors = new FieldErrors();
            var keys = CheckService.OfficersOf(new CheckSubject(null, null, null, null, null, officers), key, "line", errors);
            if (errors.Any)
            {
                chunk.Count--;
                var first = errors.ToDictionary().First();
                chunk.AddError(number, DomainError.Codes.ValidationFailed, first.Key + ": " + first.Value[0]);
                return;
            }

            chunk.Officers[at] = keys;
        }
    }

    private static bool TryContext(Layout layout, IEnumerable<KeyValuePair<string, string?>> pairs, out CheckContext? context, out ContextError? error)
    {
        var ok = layout.Catalogs.TryParseContext(layout.Scenario.Id, pairs, out var parsed, out error);
        context = ok && !parsed.IsEmpty ? parsed : null;
        return ok;
    }

    // A CSV whose header names context columns: the identifier as in ParseCsv, then each context cell. Lines whose
    // context cells are all blank allocate nothing more than a plain line.
    private static void ParseCsvWithContext(long number, ReadOnlySpan<byte> line, Layout layout, ChunkLines chunk)
    {
        var columns = layout.Columns!;
        var contextColumns = layout.ContextColumns!;
        var before = chunk.Count;
        ParseCsv(number, line, columns, chunk);
        if (chunk.Count == before || chunk.ErrorCodes[before] is not null)
        {
            return;
        }

        List<KeyValuePair<string, string?>>? pairs = null;
        var start = 0;
        for (var c = 0; c < contextColumns.Length && start <= line.Length; c++)
        {
            var comma = line[start..].IndexOf((byte)',');
            var field = comma < 0 ? line[start..] : line.Slice(start, comma);
            if (contextColumns[c] is { } name && field.Trim(" \t"u8).Trim((byte)'"') is { IsEmpty: false } value)
            {
                (pairs ??= []).Add(new(name, Encoding.UTF8.GetString(value)));
            }

            if (comma < 0)
            {
                break;
            }

            start += comma + 1;
        }

        if (pairs is null)
        {
            return;
        }

        if (!TryContext(layout, pairs, out var context, out var error))
        {
            chunk.Count--;
            chunk.AddError(number, "invalid-context", error!.Message, error.MessageZh);
            return;
        }

        chunk.Contexts[before] = context;
    }

    private static string HitLine(bool csv, long number, in SubjectKey key, SubjectDecision decision, IReadOnlyDictionary<long, EntryDetail> info,
        OfficerKey[]? officers, ExemptedHit[]? lifted)
    {
        var subject = ScreeningKeys.Text(key);
        var exempted = (lifted ?? []).Where(x => info.ContainsKey(x.EntryRef)).ToArray();
        if (csv)
        {
            // One result line per input line (API.md): several matches share the line, their fields joined by ';'.
            var ms = decision.Matches.Where(m => info.ContainsKey(m.EntryRef)).ToArray();
            string Join(Func<MatchDecision, string> field) => CsvField(string.Join(';', ms.Select(field)));
            return number.ToString(CultureInfo.InvariantCulture) + "," + CsvText.Cell(subject) + "," + decision.Outcome.ToApiName() + ","
                + Join(m => m.Via.ToApiName()) + "," + Join(m => info[m.EntryRef].Id.ToString()) + "," + Join(m => info[m.EntryRef].CaseNumber) + ","
                + Join(m => info[m.EntryRef].CourtName) + "," + Join(m => string.Join(' ', m.Measures.Select(x => x.Id))) + ","
                + Join(m => string.Join(' ', m.Clauses.Select(x => x.Id))) + "," + Join(m => string.Join(' ', m.NeedsContext)) + ","
                + CsvField(string.Join(';', exempted.Select(x => info[x.EntryRef].Id.ToString()))) + "," + CsvField(string.Join(';', exempted.Select(x => x.ExemptionId.ToString())))
                + "\n";
        }

        CheckOfficer? OfficerAt(int k) => officers is not null && k >= 0 && k < officers.Length ? officers[k].Officer : null;
        var omitted = decision.Matches.Count(m => !info.ContainsKey(m.EntryRef));

        var matches = decision.Matches.Where(m => info.ContainsKey(m.EntryRef)).Select(m => new
        {
            entryId = info[m.EntryRef].Id,
            caseNumber = info[m.EntryRef].CaseNumber,
            court = info[m.EntryRef].CourtName,
            via = m.Via.ToApiName(),
            outcome = m.Outcome.ToApiName(),
            measures = m.Measures.Select(x => x.Id),
            clauses = m.Clauses.Select(x => x.Id),
            needsContext = m.NeedsContext,
            officer = OfficerAt(m.Officer),
        });
        // A hit whose entry details are gone (the entry changed after this snapshot) is counted, not dropped silently.
        return JsonSerializer.Serialize(new
        {
            line = number, subject, outcome = decision.Outcome.ToApiName(), matches,
            cleared = exempted.Length == 0 ? null : exempted.Select(x => new ClearedHit(info[x.EntryRef].Id, info[x.EntryRef].CaseNumber, x.Via.ToApiName(),
                "exempted", null, x.ExemptionId, x.Clauses)).ToArray(),
            omittedMatches = omitted == 0 ? null : new OmittedMatches(omitted, "entry-details-unavailable", "条目详情暂不可读（该条目在本次比对后已变更）"),
        }, BatchJson) + "\n";
    }

    private static string CsvField(string value) => CsvText.Cell(value);

    private static readonly JsonSerializerOptions BatchJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };
}
