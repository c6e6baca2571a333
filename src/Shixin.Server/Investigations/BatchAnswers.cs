using Shixin.Core;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;

namespace Shixin.Server.Investigations;

/// <summary>What a batch of answers did: one line per task; each task's answer stands or falls alone.</summary>
public sealed record BatchAnswerResult(int Accepted, IReadOnlyList<ImportRejection> Rejected);

/// <summary>
/// POST /api/v1/investigation-tasks/answers: a unit's system answers many tasks at once, as NDJSON (one
/// <c>{taskId, answeredAt, noneFound, findings}</c> per line) or CSV (one row per finding; a task that found nothing is
/// one row with noneFound true and empty finding columns). Every answer goes through the same checks as the single
/// answer; a bad line is rejected with its line number and code and its task stays open — the others are independent
/// answers of independent tasks, so one bad line does not hold them back.
/// </summary>
public static class BatchAnswers
{
    public const long MaxBytes = 16 * 1024 * 1024;

    private static readonly Bilingual MissingTask = new("缺少任务编号（taskId）或格式不是UUID", "taskId is missing or not a UUID");

    private static readonly string[] CsvColumns = ["taskId", "answeredAt", "noneFound", "kind", "institution", "holderName", "identifier", "amount", "currency", "asOf", "details"];

    public static RouteGroupBuilder MapBatchAnswers(this RouteGroupBuilder api)
    {
        api.MapPost("/investigation-tasks/answers", Run).RequireRoles(Roles.UnitAssist).WithTags("Courts: investigation and control")
            .WithSummary("Answer many tasks at once: NDJSON (application/x-ndjson) or CSV (text/csv, columns " + string.Join(",", CsvColumns) + ")")
            .Accepts<string>("application/x-ndjson", "text/csv").Produces<BatchAnswerResult>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(413).ProducesProblem(415);
        return api;
    }

    internal static async Task<IResult> Run(HttpContext http, InvestigationService service, CancellationToken ct) =>
        (await AnswerAsync(http.GetCaller(), http.Request.Body, http.Request.ContentType, http.Request.ContentLength, service, ProblemLanguage.IsEnglish(http), ct)).Ok();

    /// <summary>Answers many tasks from one file; each line goes through <see cref="InvestigationService.AnswerAsync"/> (API and unit console alike).</summary>
    public static async Task<Outcome<BatchAnswerResult>> AnswerAsync(Caller caller, Stream file, string? contentType, long? contentLength,
        InvestigationService service, bool english, CancellationToken ct)
    {
        var type = contentType ?? "";
        var csv = type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && !type.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Of("unsupported-media-type", new("请以 application/x-ndjson 或 text/csv 格式提交", "send application/x-ndjson or text/csv"));
        }

        if (contentLength > MaxBytes)
        {
            return Problems.Of("payload-too-large", new("批量文件不得超过16 MiB，请拆分后提交", "a batch is at most 16 MiB; split it"));
        }

        var lines = new List<(long Line, Guid? Task, TaskAnswerRequest? Body, Bilingual? Error)>();
        using var reader = new StreamReader(file, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true);
        try
        {
            if (csv)
            {
                await ReadCsvAsync(reader, lines, ct);
            }
            else
            {
                await ReadNdjsonAsync(reader, lines, ct);
            }
        }
        catch (DecoderFallbackException)
        {
            return Problems.Of("invalid-encoding", new("请求内容不是有效的UTF-8编码", "the body is not valid UTF-8"));
        }

        var accepted = 0;
        var rejected = new List<ImportRejection>();
        foreach (var (line, task, body, error) in lines)
        {
            if (error is not null || task is null || body is null)
            {
                rejected.Add(new ImportRejection(line, "invalid-line", (error ?? new Bilingual("缺少任务编号（taskId）", "taskId is required")).In(english)));
                continue;
            }

            var (_, problem) = await service.AnswerAsync(caller, task.Value, body, ct);
            if (problem is null)
            {
                accepted++;
                continue;
            }

            var details = problem.ProblemDetails;
            var code = details.Extensions.TryGetValue("code", out var c) ? c?.ToString() ?? "invalid" : "invalid";
            rejected.Add(new ImportRejection(line, code, details is BilingualProblemDetails b ? b.DetailText.In(english) : details.Detail ?? code));
        }

        return new BatchAnswerResult(accepted, rejected);
    }

    private static async Task ReadNdjsonAsync(StreamReader reader, List<(long, Guid?, TaskAnswerRequest?, Bilingual?)> lines, CancellationToken ct)
    {
        long number = 0;
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                Guid? task = root.TryGetProperty("taskId", out var t) && t.ValueKind == JsonValueKind.String && Guid.TryParse(t.GetString(), out var g) ? g : null;
                var body = root.Deserialize<TaskAnswerRequest>(WebJson);
                lines.Add((number, task, body, task is null ? MissingTask : null));
            }
            catch (JsonException ex)
            {
                lines.Add((number, null, null, new Bilingual("该行不是格式正确的JSON对象", "not a JSON object of this shape: " + ex.Message)));
            }
        }
    }

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private static async Task ReadCsvAsync(StreamReader reader, List<(long, Guid?, TaskAnswerRequest?, Bilingual?)> lines, CancellationToken ct)
    {
        var csv = new CsvLineReader(reader);
        var fields = new List<string>();
        if (!await csv.ReadAsync(fields, ct))
        {
            return;
        }

        var index = fields.Select((f, i) => (f.Trim(), i)).ToDictionary(x => x.Item1, x => x.i, StringComparer.Ordinal);
        var missing = CsvColumns.Take(3).Where(c => !index.ContainsKey(c)).ToArray();
        if (missing.Length > 0)
        {
            lines.Add((csv.LineNumber, null, null, new Bilingual("列名行有误：首行须为列名 " + string.Join(",", CsvColumns) + "，缺少 " + string.Join("、", missing),
                "the header lacks " + string.Join(", ", missing) + " (columns: " + string.Join(",", CsvColumns) + ")")));
            return;
        }

        string? Get(List<string> row, string column) => index.TryGetValue(column, out var i) && i < row.Count && row[i].Trim().Length > 0 ? row[i].Trim() : null;

        // Rows of one task are gathered into one answer, reported at the task's first row.
        var byTask = new Dictionary<Guid, (long Line, string? At, bool? None, List<FindingBody> Findings, Bilingual? Error)>();
        var order = new List<Guid>();
        while (await csv.ReadAsync(fields, ct))
        {
            var line = csv.LineNumber;
            if (!Guid.TryParse(Get(fields, "taskId"), out var task))
            {
                lines.Add((line, null, null, MissingTask));
                continue;
            }

            var noneText = Get(fields, "noneFound");
            bool? none = noneText switch { "true" or "TRUE" or "1" or "是" => true, "false" or "FALSE" or "0" or "否" => false, _ => null };
            Bilingual? error = noneText is not null && none is null ? new Bilingual("是否查到（noneFound）应为true或false，不能是“" + noneText + "”", "noneFound '" + noneText + "' is not true or false") : null;
            decimal? amount = null;
            if (Get(fields, "amount") is { } a)
            {
                if (decimal.TryParse(a, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
                {
                    amount = parsed;
                }
                else
                {
                    error ??= new Bilingual("金额“" + a + "”不是数字", "amount '" + a + "' is not a number");
                }
            }

            if (!byTask.TryGetValue(task, out var entry))
            {
                entry = (line, Get(fields, "answeredAt"), none, [], null);
                order.Add(task);
            }

            if (Get(fields, "kind") is not null)
            {
                entry.Findings.Add(new FindingBody(Get(fields, "kind"), Get(fields, "institution"), Get(fields, "holderName"), Get(fields, "identifier"), amount,
                    Get(fields, "currency"), Get(fields, "asOf"), Get(fields, "details")));
            }

            entry.Error ??= error;
            entry.None ??= none;
            byTask[task] = entry;
        }

        foreach (var task in order)
        {
            var e = byTask[task];
            lines.Add((e.Line, task, new TaskAnswerRequest(e.At, e.None, [.. e.Findings]), e.Error));
        }
    }
}
