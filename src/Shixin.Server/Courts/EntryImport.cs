using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Courts;

/// <summary>One imported entry: a draft plus, optionally, the notice and decision already made.</summary>
public sealed record ImportLine(
    string? CaseNumber,
    string? FilingDate,
    BasisDocumentDto? BasisDocument,
    string? Obligation,
    PerformanceDto? Performance,
    string[]? Circumstances,
    SubjectDto? Subject,
    RelatedPersonDto[]? RelatedPersons,
    string? Publicity,
    string? SpecialStatus,
    string? InitiatedBy,
    string? Severity,
    string? RiskNoticeServedOn,
    string? DecidedOn,
    string? PublishOn,
    int? TermYears)
{
    public DraftEntryRequest ToDraft() => new(CaseNumber, FilingDate, BasisDocument, Obligation, Performance, Circumstances, Subject,
        RelatedPersons, Publicity, SpecialStatus, InitiatedBy, Severity);
}

/// <summary>A rejected import line; <c>errors</c> names each field at fault with its messages (the pages show them in Chinese by field).</summary>
public sealed record ImportRejection(long Line, string Code, string Detail, IDictionary<string, string[]>? Errors = null);

/// <summary>The import's answer (API.md: {accepted, rejected}).</summary>
public sealed record ImportResult(long Accepted, IReadOnlyList<ImportRejection> Rejected, bool Atomic, bool Committed, long RejectedCount, long ListSequence);

/// <summary>
/// Bulk import of entries from CSV or NDJSON, streamed: rows are decided one by one through the same
/// state machine as the API and written in batches inside one transaction (atomic by default).
/// </summary>
public sealed class EntryImport(ShixinDatabase database, EntryService entries, TimeProvider time, LedgerSignal signal, ShixinMetrics metrics, IOptions<JsonOptions> json)
{
    public const int MaxReportedRejections = 1000;

    /// <summary>The line code of a row the caller's roles do not allow (a decision without court.judge).</summary>
    public const string ForbiddenRow = "forbidden-row";
    private const int FlushEvery = 2000;

    /// <summary>CSV columns; Chinese headers as exported by the national platform are accepted too.</summary>
    public static readonly IReadOnlyDictionary<string, string> HeaderAliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["案号"] = "caseNumber", ["立案时间"] = "filingDate", ["执行依据文号"] = "basisNumber", ["做出执行依据单位"] = "basisIssuer",
        ["生效法律文书确定的义务"] = "obligation", ["已履行部分"] = "performedAmount", ["未履行部分"] = "unperformedAmount",
        ["失信情形"] = "circumstances", ["主体类型"] = "subjectKind", ["被执行人姓名/名称"] = "name", ["身份证号码"] = "idNumber",
        ["性别"] = "gender", ["护照号码"] = "passport", ["统一社会信用代码"] = "creditCode", ["组织机构代码"] = "organizationCode",
        ["法定代表人"] = "legalRepresentativeName", ["法定代表人身份证号码"] = "legalRepresentativeIdNumber", ["关联人员"] = "relatedPersons",
        ["公开"] = "publicity", ["特殊身份"] = "specialStatus", ["风险提示送达日期"] = "riskNoticeServedOn", ["决定日期"] = "decidedOn",
        ["发布日期"] = "publishOn", ["期限年数"] = "termYears", ["情节"] = "severity", ["发起方式"] = "initiatedBy",
    };

    /// <summary>Rows committed per ledger transaction when the import is not atomic: other writers get the ledger between them.</summary>
    private const int ChunkRows = 2000;

    /// <summary>A valid line before its prior listings are known.</summary>
    private sealed record Candidate(long Line, Guid Id, EntryState Draft,
        Func<ImmutableArray<PriorListing>, (List<EntryEvent>? Events, DomainError? Error)> Decide);

    /// <summary>Lines validated together before one query reads their prior listings.</summary>
    private const int PriorBatch = 500;

    /// <summary>A row decided before the ledger is taken: its entry id, its events, and how to decide it again.</summary>
    private sealed record PreparedRow(long Line, Guid Id, string SubjectCase, EntryState Draft, bool HadPriors, List<EntryEvent> Events,
        Func<ImmutableArray<PriorListing>, (List<EntryEvent>? Events, DomainError? Error)> Redecide);

    /// <summary>
    /// Imports a body already read in full (the endpoint buffers it first, so a slow client never holds the ledger).
    /// Every row is parsed, validated and decided before the ledger is taken; the ledger is then held only to
    /// re-decide the few rows that another writer's entries could affect, and to append. Atomic (the default): one
    /// transaction, all or nothing. Not atomic: appended in chunks of <see cref="ChunkRows"/>, each its own transaction.
    /// Answers once this node's screening index reflects what it wrote (API.md "Consistency").
    /// </summary>
    /// <summary>The roles that may import (API.md: a court's clerk or judge drafts and decides entries).</summary>
    public static readonly string[] ImportRoles = [Roles.CourtClerk, Roles.CourtJudge];

    /// <summary>
    /// The one authorization rule for an import, on every path (the endpoint's policy and the <c>shixin import</c> local
    /// mode): a court's key with a clerk's or judge's role. Rows of another court are refused line by line inside.
    /// </summary>
    public static bool MayImport(Caller caller) =>
        string.Equals(caller.OrganizationKind, "court", StringComparison.Ordinal) && caller.HasAny(ImportRoles);

    public async Task<ImportResult> RunAsync(Caller caller, Stream body, string contentType, bool atomic, CancellationToken ct, bool english = false)
    {
        var result = await ImportAsync(caller, body, contentType, atomic, english, ct);
        await entries.ReflectAsync(result.Committed ? result.ListSequence : null);
        return result;
    }

    private async Task<ImportResult> ImportAsync(Caller caller, Stream body, string contentType, bool atomic, bool english, CancellationToken ct)
    {
        var isCsv = contentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);
        using var reader = new StreamReader(body, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true, bufferSize: 65536);
        var rejected = new List<ImportRejection>();
        long rejectedCount = 0;
        var today = ChinaTime.Today(time);
        var prepared = new List<PreparedRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Reject(long line, string code, string detail, IDictionary<string, string[]>? fields = null)
        {
            rejectedCount++;
            if (rejected.Count < MaxReportedRejections)
            {
                rejected.Add(new ImportRejection(line, code, detail, fields));
            }
        }

        void RejectError(long line, DomainError error) =>
            Reject(line, error.Code, english ? (error.Field is null ? "" : error.Field + ": ") + error.Detail : error.DetailZh,
                error.Field is null ? null : new Dictionary<string, string[]> { [error.Field] = [english ? error.Detail : error.DetailZh] });

        // Phase 1, outside the ledger: parse, validate, decide. Lines are taken in batches of PriorBatch so that the prior
        // listings of a whole batch are read with one query (issue 13: one query per row was most of the import's time);
        // each batch is then handled line by line in file order, so rejections and decisions are exactly as line by line.
        long entriesBefore;
        await using (var db = database.CreateContext())
        {
            entriesBefore = await db.LedgerHead.AsNoTracking().Select(h => h.Entries).FirstAsync(ct);
            var batch = new List<(long Line, ImportLine? Row, Action? Rejection)>(PriorBatch);

            // Validates a line; a pure step (no reads), so that a batch's debtor-and-case pairs are known before deciding.
            Candidate? Validate(long line, ImportLine row, out Action? rejection)
            {
                rejection = null;
                var errors = new FieldErrors();
                var id = Guid.CreateVersion7();
                var draft = EntryRequestParsing.ToDraft(row.ToDraft(), id, caller.OrganizationCode, today, errors);
                var served = EntryRequestParsing.Date(errors, "riskNoticeServedOn", row.RiskNoticeServedOn, required: false);
                var decided = EntryRequestParsing.Date(errors, "decidedOn", row.DecidedOn, required: false);
                var publish = EntryRequestParsing.Date(errors, "publishOn", row.PublishOn, required: false);
                if (decided is not null && served is null)
                {
                    errors.Add("riskNoticeServedOn", new("已作出纳入决定的，须填写风险提示送达日期（依据：" + LegalCitations.Zh("000 §四(二)3") + "）",
                        "a decided entry needs the date its risk notice was served (000 §四(二)3)"), DomainError.Codes.IllegalTransition);
                }

                if (decided is not null && !caller.Has(Roles.CourtJudge))
                {
                    // A row with a decision lists the debtor: the same rule as POST /entries/{id}/decision, a clerk drafts
                    // and a judge decides (000 §四(二)2). The row is refused, not downgraded to a draft, so the file's
                    // author sees which lines a judge must import.
                    rejection = () => Reject(line, ForbiddenRow, english
                        ? "decidedOn: deciding a listing needs the court.judge role; a clerk imports rows without decidedOn (drafts and risk notices)"
                        : "决定日期：作出纳入决定须由法官办理；书记员导入的行不应填写决定日期（仅草稿和风险提示送达）",
                        new Dictionary<string, string[]> { ["decidedOn"] = [english
                            ? "deciding a listing needs the court.judge role"
                            : "填写了决定日期的行须由法官导入；书记员只导入草稿和已送达风险提示的条目"] });
                    return null;
                }

                if (errors.Any || draft is null)
                {
                    var d = errors.ToDictionary();
                    rejection = () => Reject(line, errors.FirstCode is { } fc && d.Values.Sum(v => v.Length) == 1 ? fc : DomainError.Codes.ValidationFailed,
                        english
                            ? string.Join("; ", d.Select(kv => kv.Key + ": " + string.Join(" ", kv.Value.Select(m => m.En))))
                            : string.Join("；", d.SelectMany(kv => kv.Value).Select(m => m.Zh)),
                        d.ToDictionary(kv => kv.Key, kv => kv.Value.Select(m => english ? m.En : m.Zh).ToArray()));
                    return null;
                }

                // Decide every step first so that a refused row leaves nothing staged.
                (List<EntryEvent>?, DomainError?) Decide(ImmutableArray<PriorListing> priors)
                {
                    var commands = new List<EntryCommand> { new DraftEntry(draft, priors, today) };
                    if (served is not null)
                    {
                        commands.Add(new ServeRiskNotice(served.Value, today));
                    }

                    if (decided is not null)
                    {
                        commands.Add(new DecideListing(decided.Value, publish, row.TermYears, row.Severity, today));
                    }

                    EntryState? state = null;
                    var events = new List<EntryEvent>();
                    foreach (var command in commands)
                    {
                        var decision = EntryDecider.Decide(state, command, entries.Rules);
                        if (decision.IsRefused)
                        {
                            return (null, decision.Error);
                        }

                        state = EntryDecider.Fold(state, decision.Events);
                        events.AddRange(decision.Events);
                    }

                    return (events, null);
                }

                return new Candidate(line, id, draft, Decide);
            }

            async Task HandleBatchAsync()
            {
                var validated = new (Candidate? Candidate, Action? Rejection)[batch.Count];
                var pairs = new HashSet<(string, string)>();
                for (var i = 0; i < batch.Count; i++)
                {
                    var (line, row, rejection) = batch[i];
                    if (row is null)
                    {
                        validated[i] = (null, rejection);
                        continue;
                    }

                    var c = Validate(line, row, out var r);
                    validated[i] = (c, r);
                    if (c is not null)
                    {
                        pairs.Add((c.Draft.Subject.Key, c.Draft.CaseNumber));
                    }
                }

                // Skipped once an atomic import has a bad line: nothing will be written, only the rest is validated.
                var known = atomic && rejectedCount > 0 || pairs.Count == 0
                    ? []
                    : await LedgerSession.ReadPriorListingsAsync(db, pairs, ct);
                foreach (var (c, rejection) in validated)
                {
                    if (c is null)
                    {
                        rejection!();
                        continue;
                    }

                    if (atomic && rejectedCount > 0)
                    {
                        // Nothing will be written; keep validating to report every bad line at once.
                        continue;
                    }

                    var subjectCase = c.Draft.Subject.Key + "|" + c.Draft.CaseNumber;
                    // An earlier row of this same file drafted the pair: it counts as a draft already held.
                    var priors = seen.Contains(subjectCase)
                        ? [new PriorListing(Guid.Empty, EntryStatus.Draft, null, null)]
                        : known.TryGetValue((c.Draft.Subject.Key, c.Draft.CaseNumber), out var held) ? held : [];
                    var (events, error) = c.Decide(priors);
                    if (error is not null)
                    {
                        RejectError(c.Line, error);
                        continue;
                    }

                    seen.Add(subjectCase);
                    prepared.Add(new PreparedRow(c.Line, c.Id, subjectCase, c.Draft, !priors.IsEmpty, events!, c.Decide));
                }

                batch.Clear();
            }

            async Task HandleAsync(long line, ImportLine row)
            {
                batch.Add((line, row, null));
                if (batch.Count >= PriorBatch)
                {
                    await HandleBatchAsync();
                }
            }

            // A line the reader itself refuses keeps its place among the batch's lines.
            void ReaderReject(long line, string code, string detail, IDictionary<string, string[]>? fields) =>
                batch.Add((line, null, () => Reject(line, code, detail, fields)));

            if (isCsv)
            {
                await ReadCsvAsync(reader, HandleAsync, ReaderReject, ct);
            }
            else
            {
                await ReadNdjsonAsync(reader, HandleAsync, ReaderReject, ct);
            }

            await HandleBatchAsync();
        }

        if (atomic && rejectedCount > 0)
        {
            return new ImportResult(0, rejected, atomic, false, rejectedCount, signal.Head);
        }

        // Phase 2, holding the ledger: re-decide the rows another writer could have affected, then append.
        long accepted = 0;
        var head = signal.Head;
        var committedAny = false;
        for (var start = 0; start < prepared.Count;)
        {
            var take = atomic ? prepared.Count : Math.Min(ChunkRows, prepared.Count - start);
            await using var session = await LedgerSession.BeginAsync(database, time, ct);
            var added = await session.SubjectCasesAfterAsync(entriesBefore, ct);
            long chunkAccepted = 0;
            var pending = 0;
            for (var i = start; i < start + take; i++)
            {
                var row = prepared[i];
                var events = row.Events;
                if (row.HadPriors || added.Contains(row.SubjectCase))
                {
                    var (again, error) = row.Redecide(await session.PriorListingsAsync(row.Draft.Subject.Key, row.Draft.CaseNumber, ct));
                    if (error is not null)
                    {
                        RejectError(row.Line, error);
                        if (atomic)
                        {
                            // All or nothing: the session is rolled back when disposed.
                            return new ImportResult(0, rejected, atomic, false, rejectedCount, session.StartHead);
                        }

                        continue;
                    }

                    events = again!;
                }

                // Buffered and written in bulk (COPY / multi-row INSERT) at the flush or the commit.
                session.AppendNew(row.Id, events, caller.Actor);
                chunkAccepted++;
                if (++pending >= FlushEvery)
                {
                    await session.FlushAsync(ct);
                    pending = 0;
                }
            }

            if (chunkAccepted > 0)
            {
                Audit.Stage(session.Db, caller, "entry.import", "entries", chunkAccepted.ToString(CultureInfo.InvariantCulture) + " accepted, "
                    + rejectedCount.ToString(CultureInfo.InvariantCulture) + " rejected", time);
                await session.CommitAsync(ct);
                metrics.LedgerCommitted(session.Head);
                signal.Notify(session.Head);
                committedAny = true;
            }

            accepted += chunkAccepted;
            head = session.Head;
            start += take;
        }

        return new ImportResult(accepted, rejected, atomic, committedAny, rejectedCount, head);
    }

    private async Task ReadNdjsonAsync(StreamReader reader, Func<long, ImportLine, Task> handle, Action<long, string, string, IDictionary<string, string[]>?> reject, CancellationToken ct)
    {
        long line = 0;
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            ImportLine? row;
            try
            {
                row = JsonSerializer.Deserialize<ImportLine>(text, json.Value.SerializerOptions);
            }
            catch (JsonException ex)
            {
                reject(line, "invalid-json", ex.Message, null);
                continue;
            }

            if (row is null)
            {
                reject(line, "invalid-json", "a line must hold one JSON object", null);
                continue;
            }

            await handle(line, row);
        }
    }

    private static async Task ReadCsvAsync(StreamReader reader, Func<long, ImportLine, Task> handle, Action<long, string, string, IDictionary<string, string[]>?> reject, CancellationToken ct)
    {
        var csv = new CsvLineReader(reader);
        var fields = new List<string>();
        if (!await csv.ReadAsync(fields, ct))
        {
            return;
        }

        var header = fields.Select(f => f.Trim()).Select(f => HeaderAliases.TryGetValue(f, out var a) ? a : f).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            index[header[i]] = i;
        }

        if (!index.ContainsKey("caseNumber"))
        {
            reject(1, "invalid-csv-header", "the header row must name the columns, starting with caseNumber; see the README for the column list", null);
            return;
        }

        while (await csv.ReadAsync(fields, ct))
        {
            string? F(string name) => index.TryGetValue(name, out var i) && i < fields.Count && fields[i].Trim().Length > 0 ? fields[i].Trim() : null;
            if (fields.Count != header.Length)
            {
                reject(csv.LineNumber, "invalid-csv-row", "the row has " + fields.Count.ToString(CultureInfo.InvariantCulture)
                    + " fields; the header has " + header.Length.ToString(CultureInfo.InvariantCulture), null);
                continue;
            }

            // A value the import cannot read is an error on its line, never a default (issue 15: "五万元" was written as 0).
            var unreadable = new Dictionary<string, string[]>(StringComparer.Ordinal);
            decimal? Amount(string name)
            {
                var text = F(name);
                if (text is null)
                {
                    return null;
                }
                var digits = text.EndsWith('元') ? text[..^1].TrimEnd() : text;
                if (decimal.TryParse(digits, NumberStyles.Number, CultureInfo.InvariantCulture, out var v))
                {
                    return v;
                }
                unreadable[name] = ["'" + text + "' is not an amount: write digits, e.g. 50000 / 「" + text + "」不是金额，请填写阿拉伯数字，如 50000 或 50000.00"];
                return null;
            }
            string? Label(string name)
            {
                var text = F(name);
                return text is not null && ImportLabels.Codes.TryGetValue(text, out var code) ? code : text;
            }
            int? TermYears()
            {
                var text = F("termYears");
                if (text is null)
                {
                    return null;
                }
                if (int.TryParse(text.TrimEnd('年'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var years))
                {
                    return years;
                }
                unreadable["termYears"] = ["'" + text + "' is not a number of years / 「" + text + "」不是年数，请填写 1 至 5 的数字"];
                return null;
            }
            var kind = Label("subjectKind") ?? (F("creditCode") is not null || F("organizationCode") is not null ? "organization" : "person");
            var related = (F("relatedPersons") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => p.Split([':', '：'], StringSplitOptions.TrimEntries))
                .Select(p => new RelatedPersonDto(p.ElementAtOrDefault(0) is { } role && ImportLabels.Codes.TryGetValue(role, out var r) ? r : p.ElementAtOrDefault(0),
                    p.ElementAtOrDefault(1), p.ElementAtOrDefault(2)))
                .ToArray();
            var row = new ImportLine(
                F("caseNumber"), F("filingDate"), new BasisDocumentDto(F("basisNumber"), F("basisIssuer")), F("obligation"),
                new PerformanceDto(Amount("performedAmount"), Amount("unperformedAmount")),
                [.. (F("circumstances") ?? "").Split([';', '|', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(c => ImportLabels.Codes.TryGetValue(c, out var code) ? code : c)],
                new SubjectDto(kind, F("name"), F("idNumber"), Label("gender"),
                    F("passport") is { } pp ? [new DocumentDto("passport", pp)] : null,
                    F("creditCode"), F("organizationCode"),
                    string.Equals(kind, "organization", StringComparison.Ordinal) ? new PersonDto(F("legalRepresentativeName"), F("legalRepresentativeIdNumber")) : null),
                related, Label("publicity"), Label("specialStatus"), Label("initiatedBy"), Label("severity"),
                F("riskNoticeServedOn"), F("decidedOn"), F("publishOn"),
                TermYears());
            if (unreadable.Count > 0)
            {
                reject(csv.LineNumber, "unreadable-value", string.Join("; ", unreadable.Select(kv => kv.Key + ": " + kv.Value[0])), unreadable);
                continue;
            }
            await handle(csv.LineNumber, row);
        }
    }
}

/// <summary>POST /api/v1/entries/import.</summary>
public static class EntryImportApi
{
    public static RouteGroupBuilder MapEntryImportApi(this RouteGroupBuilder api)
    {
        api.MapPost("/entries/import", Import).RequireRoles(EntryImport.ImportRoles).WithTags("Courts: entries")
            .WithSummary("Import entries from CSV (text/csv) or NDJSON (application/x-ndjson); atomic unless ?atomic=false")
            .Accepts<string>("text/csv", "application/x-ndjson").Produces<ImportResult>();
        return api;
    }

    private static IResult TooLarge(long max) => Problems.Of("payload-too-large", new(
        "导入文件超过" + (max / 1024 / 1024).ToString(CultureInfo.InvariantCulture) + " MiB 的上限（SHIXIN_IMPORT_MAX_BYTES），请拆分后分批导入",
        "the import is larger than " + (max / 1024 / 1024).ToString(CultureInfo.InvariantCulture) + " MiB (SHIXIN_IMPORT_MAX_BYTES); split the file"));

    internal static async Task<IResult> Import(HttpContext http, EntryImport import, Hosting.ShixinOptions options, bool? atomic, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!EntryImport.MayImport(caller))
        {
            return Problems.Forbidden(new("只有人民法院可以导入名单条目", "only a court imports entries"));
        }

        var type = http.Request.ContentType ?? "";
        if (!type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Of("unsupported-media-type", new("请以CSV（text/csv）或NDJSON（application/x-ndjson）格式提交", "send text/csv or application/x-ndjson"));
        }

        // The whole body is read (to a temporary file past 1 MiB) before the ledger is taken, so that a slow or stalled
        // client holds nothing; past SHIXIN_IMPORT_MAX_BYTES the server answers 413 payload-too-large.
        var max = options.ImportMaxBytes;
        if (http.Request.ContentLength > max)
        {
            return TooLarge(max);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        try
        {
            http.Request.EnableBuffering(1024 * 1024, max);
            await http.Request.Body.DrainAsync(ct);
            http.Request.Body.Position = 0;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(max);
        }
        catch (IOException) when (http.Request.Body.Length > max)
        {
            return TooLarge(max);
        }

        try
        {
            var result = await import.RunAsync(caller, http.Request.Body, type, atomic ?? true, ct, ProblemLanguage.IsEnglish(http));
            return TypedResults.Ok(result);
        }
        catch (DecoderFallbackException)
        {
            return Problems.Of("invalid-encoding", new("文件不是有效的UTF-8编码，请另存为UTF-8格式（Excel：“CSV UTF-8(逗号分隔)”）", "the body is not valid UTF-8; save the file as UTF-8 (Excel: 'CSV UTF-8')"));
        }
    }
}

/// <summary>
/// The Chinese wording courts write in import files, as the draft form and the national platform show it, read as the
/// API codes. A label not listed stays as written and is refused by validation with its field named.
/// </summary>
internal static class ImportLabels
{
    public static readonly IReadOnlyDictionary<string, string> Codes = Build();

    private static Dictionary<string, string> Build()
    {
        var codes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["自然人"] = "person", ["个人"] = "person",
            ["法人或其他组织"] = "organization", ["法人或者其他组织"] = "organization", ["法人"] = "organization",
            ["其他组织"] = "organization", ["单位"] = "organization", ["非自然人"] = "organization",
            ["男"] = "male", ["女"] = "female",
            ["公开"] = "public", ["是"] = "public", ["不公开"] = "restricted", ["否"] = "restricted", ["依法不宜公开"] = "restricted",
            ["一般"] = "ordinary", ["严重"] = "serious", ["情节严重"] = "serious",
            ["法院依职权"] = "court", ["依职权"] = "court", ["依申请"] = "applicant", ["申请执行人申请"] = "applicant",
            ["公职人员"] = "civil-servant", ["国家工作人员"] = "civil-servant", ["公务员"] = "civil-servant",
            ["中共党员"] = "party-member", ["党员"] = "party-member",
            ["国有企业"] = "state-owned", ["国家机关"] = "state-organ",
            ["人大代表"] = "npc-deputy", ["政协委员"] = "cppcc-member",
            ["法定代表人"] = "legal-representative", ["主要负责人"] = "principal", ["实际控制人"] = "actual-controller",
            ["直接责任人员"] = "responsible-person", ["影响债务履行的直接责任人员"] = "responsible-person",
            ["董事"] = "director", ["监事"] = "supervisor", ["高级管理人员"] = "senior-manager",
        };
        foreach (var code in Shixin.Core.Entries.Circumstances.All)
        {
            codes[Shixin.Core.Entries.Circumstances.TitleZh(code)] = code;
        }
        return codes;
    }
}
