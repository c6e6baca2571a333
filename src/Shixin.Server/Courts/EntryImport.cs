using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
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

/// <summary>A rejected import line.</summary>
public sealed record ImportRejection(long Line, string Code, string Detail);

/// <summary>The import's answer (API.md: {accepted, rejected}).</summary>
public sealed record ImportResult(long Accepted, IReadOnlyList<ImportRejection> Rejected, bool Atomic, bool Committed, long RejectedCount, long ListSequence);

/// <summary>
/// Bulk import of entries from CSV or NDJSON, streamed: rows are decided one by one through the same
/// state machine as the API and written in batches inside one transaction (atomic by default).
/// </summary>
public sealed class EntryImport(ShixinDatabase database, EntryService entries, TimeProvider time, LedgerSignal signal, ShixinMetrics metrics, IOptions<JsonOptions> json)
{
    public const int MaxReportedRejections = 1000;
    private const int FlushEvery = 500;

    /// <summary>CSV columns; Chinese headers as exported by the national platform are accepted too.</summary>
    public static readonly IReadOnlyDictionary<string, string> HeaderAliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["案号"] = "caseNumber", ["立案时间"] = "filingDate", ["执行依据文号"] = "basisNumber", ["做出执行依据单位"] = "basisIssuer",
        ["生效法律文书确定的义务"] = "obligation", ["已履行部分"] = "performedAmount", ["未履行部分"] = "unperformedAmount",
        ["失信情形"] = "circumstances", ["主体类型"] = "subjectKind", ["被执行人姓名/名称"] = "name", ["身份证号码"] = "idNumber",
        ["性别"] = "gender", ["护照号码"] = "passport", ["统一社会信用代码"] = "creditCode", ["组织机构代码"] = "organizationCode",
        ["法定代表人"] = "legalRepresentativeName", ["法定代表人身份证号码"] = "legalRepresentativeIdNumber", ["关联人员"] = "relatedPersons",
        ["公开"] = "publicity", ["特殊身份"] = "specialStatus", ["风险提示送达日期"] = "riskNoticeServedOn", ["决定日期"] = "decidedOn",
        ["发布日期"] = "publishOn", ["期限年数"] = "termYears", ["情节"] = "severity",
    };

    /// <summary>Imports the file in one ledger transaction; answers once this node's index reflects what it wrote.</summary>
    public async Task<ImportResult> RunAsync(Caller caller, Stream body, string contentType, bool atomic, CancellationToken ct)
    {
        var result = await ImportAsync(caller, body, contentType, atomic, ct);
        await entries.ReflectAsync(result.Committed ? result.ListSequence : null);
        return result;
    }

    private async Task<ImportResult> ImportAsync(Caller caller, Stream body, string contentType, bool atomic, CancellationToken ct)
    {
        var isCsv = contentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);
        using var reader = new StreamReader(body, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true, bufferSize: 65536);
        var rejected = new List<ImportRejection>();
        long rejectedCount = 0;
        long accepted = 0;
        var today = ChinaTime.Today(time);
        await using var session = await LedgerSession.BeginAsync(database, time, ct);
        var pending = 0;

        void Reject(long line, string code, string detail)
        {
            rejectedCount++;
            if (rejected.Count < MaxReportedRejections)
            {
                rejected.Add(new ImportRejection(line, code, detail));
            }
        }

        async Task HandleAsync(long line, ImportLine row)
        {
            var errors = new FieldErrors();
            var id = Guid.CreateVersion7();
            var draft = EntryRequestParsing.ToDraft(row.ToDraft(), id, caller.OrganizationCode, today, errors);
            var served = EntryRequestParsing.Date(errors, "riskNoticeServedOn", row.RiskNoticeServedOn, required: false);
            var decided = EntryRequestParsing.Date(errors, "decidedOn", row.DecidedOn, required: false);
            var publish = EntryRequestParsing.Date(errors, "publishOn", row.PublishOn, required: false);
            if (decided is not null && served is null)
            {
                errors.Add("riskNoticeServedOn", "a decided entry needs the date its risk notice was served (000 §四(二)3)", DomainError.Codes.IllegalTransition);
            }

            if (errors.Any || draft is null)
            {
                var d = errors.ToDictionary();
                Reject(line, errors.FirstCode is { } fc && d.Values.Sum(v => v.Length) == 1 ? fc : DomainError.Codes.ValidationFailed,
                    string.Join("; ", d.Select(kv => kv.Key + ": " + string.Join(" ", kv.Value))));
                return;
            }

            if (atomic && rejectedCount > 0)
            {
                // Nothing will be written; keep validating to report every bad line at once.
                accepted++;
                return;
            }

            var commands = new List<EntryCommand> { new DraftEntry(draft, await session.PriorListingsAsync(draft.Subject.Key, draft.CaseNumber, ct), today) };
            if (served is not null)
            {
                commands.Add(new ServeRiskNotice(served.Value, today));
            }

            if (decided is not null)
            {
                commands.Add(new DecideListing(decided.Value, publish, row.TermYears, row.Severity, today));
            }

            // Decide every step first so that a refused row leaves nothing staged.
            EntryState? state = null;
            var events = new List<EntryEvent>();
            foreach (var command in commands)
            {
                var decision = EntryDecider.Decide(state, command, entries.Rules);
                if (decision.IsRefused)
                {
                    Reject(line, decision.Error!.Code, (decision.Error.Field is null ? "" : decision.Error.Field + ": ") + decision.Error.Detail);
                    return;
                }

                state = EntryDecider.Fold(state, decision.Events);
                events.AddRange(decision.Events);
            }

            session.Stage(id, null, events, caller.Actor);

            accepted++;
            if (++pending >= FlushEvery)
            {
                await session.FlushAsync(ct);
                pending = 0;
            }
        }

        if (isCsv)
        {
            await ReadCsvAsync(reader, HandleAsync, Reject, ct);
        }
        else
        {
            await ReadNdjsonAsync(reader, HandleAsync, Reject, ct);
        }

        if (atomic && rejectedCount > 0)
        {
            return new ImportResult(0, rejected, atomic, false, rejectedCount, session.StartHead);
        }

        if (accepted > 0)
        {
            Audit.Stage(session.Db, caller, "entry.import", "entries", accepted.ToString(CultureInfo.InvariantCulture) + " accepted, "
                + rejectedCount.ToString(CultureInfo.InvariantCulture) + " rejected", time);
            await session.CommitAsync(ct);
            metrics.LedgerCommitted(session.Head);
            signal.Notify(session.Head);
        }

        return new ImportResult(accepted, rejected, atomic, accepted > 0, rejectedCount, session.Head);
    }

    private async Task ReadNdjsonAsync(StreamReader reader, Func<long, ImportLine, Task> handle, Action<long, string, string> reject, CancellationToken ct)
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
                reject(line, "invalid-json", ex.Message);
                continue;
            }

            if (row is null)
            {
                reject(line, "invalid-json", "a line must hold one JSON object");
                continue;
            }

            await handle(line, row);
        }
    }

    private static async Task ReadCsvAsync(StreamReader reader, Func<long, ImportLine, Task> handle, Action<long, string, string> reject, CancellationToken ct)
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
            reject(1, "invalid-csv-header", "the header row must name the columns, starting with caseNumber; see the README for the column list");
            return;
        }

        while (await csv.ReadAsync(fields, ct))
        {
            string? F(string name) => index.TryGetValue(name, out var i) && i < fields.Count && fields[i].Trim().Length > 0 ? fields[i].Trim() : null;
            if (fields.Count != header.Length)
            {
                reject(csv.LineNumber, "invalid-csv-row", "the row has " + fields.Count.ToString(CultureInfo.InvariantCulture)
                    + " fields; the header has " + header.Length.ToString(CultureInfo.InvariantCulture));
                continue;
            }

            decimal? Amount(string name) => decimal.TryParse(F(name), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : null;
            var kind = F("subjectKind") ?? (F("creditCode") is not null || F("organizationCode") is not null ? "organization" : "person");
            var related = (F("relatedPersons") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => p.Split(':', StringSplitOptions.TrimEntries))
                .Select(p => new RelatedPersonDto(p.ElementAtOrDefault(0), p.ElementAtOrDefault(1), p.ElementAtOrDefault(2)))
                .ToArray();
            var row = new ImportLine(
                F("caseNumber"), F("filingDate"), new BasisDocumentDto(F("basisNumber"), F("basisIssuer")), F("obligation"),
                new PerformanceDto(Amount("performedAmount"), Amount("unperformedAmount")),
                (F("circumstances") ?? "").Split([';', '|', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                new SubjectDto(kind, F("name"), F("idNumber"), F("gender"),
                    F("passport") is { } pp ? [new DocumentDto("passport", pp)] : null,
                    F("creditCode"), F("organizationCode"),
                    string.Equals(kind, "organization", StringComparison.Ordinal) ? new PersonDto(F("legalRepresentativeName"), F("legalRepresentativeIdNumber")) : null),
                related, F("publicity"), F("specialStatus"), F("initiatedBy"), F("severity"),
                F("riskNoticeServedOn"), F("decidedOn"), F("publishOn"),
                int.TryParse(F("termYears"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : null);
            await handle(csv.LineNumber, row);
        }
    }
}

/// <summary>POST /api/v1/entries/import.</summary>
public static class EntryImportApi
{
    public static RouteGroupBuilder MapEntryImportApi(this RouteGroupBuilder api)
    {
        api.MapPost("/entries/import", Import).RequireRoles(Roles.CourtClerk, Roles.CourtJudge).WithTags("Courts: entries")
            .WithSummary("Import entries from CSV (text/csv) or NDJSON (application/x-ndjson); atomic unless ?atomic=false")
            .Accepts<string>("text/csv", "application/x-ndjson").Produces<ImportResult>();
        return api;
    }

    internal static async Task<IResult> Import(HttpContext http, EntryImport import, bool? atomic, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!string.Equals(caller.OrganizationKind, "court", StringComparison.Ordinal))
        {
            return Problems.Forbidden("only a court imports entries");
        }

        var type = http.Request.ContentType ?? "";
        if (!type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Of("unsupported-media-type", "send text/csv or application/x-ndjson");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = 4L * 1024 * 1024 * 1024;
        }

        try
        {
            var result = await import.RunAsync(caller, http.Request.Body, type, atomic ?? true, ct);
            return TypedResults.Ok(result);
        }
        catch (DecoderFallbackException)
        {
            return Problems.Of("invalid-encoding", "the body is not valid UTF-8; save the file as UTF-8 (Excel: 'CSV UTF-8')");
        }
    }
}
