using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Shixin.Cli;

/// <summary>
/// The commands that act on a running platform (import, check, export, keys). They go through the HTTP API with the
/// caller's own key, so the CLI passes exactly the authorization rule, validation, audit and idempotency of every other
/// path (README "Command line"); nothing here writes to a database behind the server's back.
/// </summary>
internal sealed class Remote(Uri server, string key, TextWriter output, TextWriter error) : IDisposable
{
    // Long uploads (a national customer base, a province's import) must not be cut by HttpClient's 100 s default.
    private readonly HttpClient _http = new() { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };

    public static Remote? From(string? server, string? key, TextWriter output, TextWriter error)
    {
        server ??= Environment.GetEnvironmentVariable("SHIXIN_URL") is { Length: > 0 } u ? u : "http://localhost:5000";
        key ??= Environment.GetEnvironmentVariable("SHIXIN_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            error.WriteLine("需要访问密钥：--key 或环境变量 SHIXIN_KEY / a key is needed: --key or SHIXIN_KEY");
            return null;
        }

        if (!Uri.TryCreate(server.EndsWith('/') ? server : server + "/", UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error.WriteLine("服务器地址无效 / not a server URL: " + server);
            return null;
        }

        return new Remote(uri, key.Trim(), output, error);
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        // Problems come back in Chinese with the English beside them only on request; the CLI prints what it gets.
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-CN"));
        return request;
    }

    /// <summary><c>shixin import FILE</c>: <c>POST /api/v1/entries/import</c>, with upload progress and the line errors.</summary>
    public async Task<int> ImportAsync(FileInfo file, bool atomic, CancellationToken ct)
    {
        if (!file.Exists)
        {
            await error.WriteLineAsync("找不到文件 / no such file: " + file.FullName);
            return CliApp.CannotRun;
        }

        var path = "api/v1/entries/import" + (atomic ? "" : "?atomic=false");
        using var response = await UploadAsync(path, file, "导入 / import", ct);
        if (response is null)
        {
            return CliApp.CannotRun;
        }

        if (!response.IsSuccessStatusCode)
        {
            return await ProblemAsync(response, ct);
        }

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject();
        var accepted = body["accepted"]?.GetValue<int>() ?? 0;
        var rejected = body["rejected"]?.AsArray() ?? [];
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"已导入 {accepted} 条，拒绝 {rejected.Count} 行 / accepted {accepted}, rejected {rejected.Count}"));
        foreach (var line in rejected)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  第 {line!["line"]} 行 / line {line["line"]}: [{line["code"]}] {line["detail"]}"));
        }

        if (rejected.Count > 0 && atomic)
        {
            await output.WriteLineAsync("整批未写入（原子导入）；改正后重新导入，或用 --atomic false 只写入无误的行 / nothing was written (atomic import)");
        }

        return rejected.Count == 0 ? CliApp.Intact : CliApp.LineErrors;
    }

    /// <summary><c>shixin check FILE</c>: <c>POST /api/v1/checks/batch</c>, the results streamed to a file, with a summary by outcome.</summary>
    public async Task<int> CheckAsync(FileInfo file, string scenario, bool hitsOnly, FileInfo? outFile, CancellationToken ct)
    {
        if (!file.Exists)
        {
            await error.WriteLineAsync("找不到文件 / no such file: " + file.FullName);
            return CliApp.CannotRun;
        }

        var ndjson = IsNdjson(file);
        outFile ??= new FileInfo(Path.Combine(file.DirectoryName ?? ".", Path.GetFileNameWithoutExtension(file.Name) + ".results" + (ndjson ? ".ndjson" : ".csv")));
        var path = "api/v1/checks/batch?scenario=" + Uri.EscapeDataString(scenario) + (hitsOnly ? "&only=hits" : "");
        using var response = await UploadAsync(path, file, "比对 / check", ct);
        if (response is null)
        {
            return CliApp.CannotRun;
        }

        if (!response.IsSuccessStatusCode)
        {
            return await ProblemAsync(response, ct);
        }

        // Results hold full matches of listed people: the file is the unit's own, readable by its owner only.
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long lines = 0;
        await using (var target = CreatePrivateFile(outFile.FullName))
        await using (var source = await response.Content.ReadAsStreamAsync(ct))
        {
            using var reader = new StreamReader(source, Encoding.UTF8);
            await using var writer = new StreamWriter(target, new UTF8Encoding(false));
            var header = !ndjson;
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                await writer.WriteLineAsync(line);
                if (header)
                {
                    header = false;
                    continue;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                lines++;
                var outcome = ndjson ? NdjsonOutcome(line) : CsvOutcome(line);
                counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            }
        }

        var id = response.Headers.TryGetValues("X-Check-Id", out var ids) ? ids.First() : "";
        var seq = response.Headers.TryGetValues("X-List-Sequence", out var seqs) ? seqs.First() : "";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"结果 {lines} 行 / {lines} result lines → {outFile.FullName}"));
        foreach (var (outcome, n) in counts)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {OutcomeZh(outcome)} ({outcome}): {n}"));
        }

        await output.WriteLineAsync($"比对编号 / check id {id}，名单序号 / list sequence {seq}");
        return CliApp.Intact;
    }

    /// <summary><c>shixin export snapshot|daily</c>: the snapshot (NDJSON) or one day's changes (CSV) into a file.</summary>
    public async Task<int> ExportAsync(string what, DateOnly? date, FileInfo? outFile, CancellationToken ct)
    {
        string path;
        string name;
        if (string.Equals(what, "snapshot", StringComparison.Ordinal))
        {
            path = "api/v1/snapshot";
            name = "snapshot.ndjson";
        }
        else if (string.Equals(what, "daily", StringComparison.Ordinal))
        {
            if (date is null)
            {
                await error.WriteLineAsync("daily 需要 --date YYYY-MM-DD / daily needs --date");
                return CliApp.CannotRun;
            }

            var day = date.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            path = "api/v1/exports/daily/" + day + ".csv";
            name = "shixin-" + day + ".csv";
        }
        else
        {
            await error.WriteLineAsync("导出种类应为 snapshot 或 daily / export what: snapshot or daily");
            return CliApp.CannotRun;
        }

        using var request = Request(HttpMethod.Get, path);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response is null)
        {
            return CliApp.CannotRun;
        }

        if (!response.IsSuccessStatusCode)
        {
            return await ProblemAsync(response, ct);
        }

        outFile ??= new FileInfo(name);
        long bytes;
        await using (var target = CreatePrivateFile(outFile.FullName))
        {
            await response.Content.CopyToAsync(target, ct);
            bytes = target.Length;
        }

        var seq = response.Headers.TryGetValues("X-List-Sequence", out var seqs) ? "，名单序号 / list sequence " + seqs.First() : "";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"已导出 {bytes} 字节 / wrote {bytes} bytes → {outFile.FullName}{seq}"));
        return CliApp.Intact;
    }

    /// <summary><c>shixin keys create ORG --role …</c>: the key is printed once, as the API shows it once.</summary>
    public async Task<int> CreateKeyAsync(string organization, string[] roles, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, "api/v1/organizations/" + Uri.EscapeDataString(organization) + "/keys");
        request.Content = JsonContent(new JsonObject { ["roles"] = new JsonArray([.. roles.Select(r => (JsonNode)JsonValue.Create(r))]) });
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        if (response is null)
        {
            return CliApp.CannotRun;
        }

        if (!response.IsSuccessStatusCode)
        {
            return await ProblemAsync(response, ct);
        }

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        await output.WriteLineAsync($"密钥编号 / key id: {body["id"]}");
        await output.WriteLineAsync($"密钥（仅显示一次）/ key (shown once): {body["key"]}");
        return CliApp.Intact;
    }

    /// <summary><c>shixin keys revoke ID</c>.</summary>
    public async Task<int> RevokeKeyAsync(string id, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, "api/v1/keys/" + Uri.EscapeDataString(id) + "/revoke");
        request.Content = JsonContent(new JsonObject());
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        if (response is null)
        {
            return CliApp.CannotRun;
        }

        if (!response.IsSuccessStatusCode)
        {
            return await ProblemAsync(response, ct);
        }

        await output.WriteLineAsync("已吊销 / revoked: " + id);
        return CliApp.Intact;
    }

    private async Task<HttpResponseMessage?> UploadAsync(string path, FileInfo file, string label, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, path);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        HttpResponseMessage? response = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(label + " " + file.Name, maxValue: Math.Max(1, file.Length));
                await using var stream = new ProgressStream(file.OpenRead(), sent => task.Value = sent);
                request.Content = new StreamContent(stream, 64 * 1024);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(IsNdjson(file) ? "application/x-ndjson" : "text/csv") { CharSet = "utf-8" };
                request.Content.Headers.ContentLength = file.Length;
                response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                task.Value = task.MaxValue;
                task.StopTask();
            });
        return response;
    }

    private async Task<HttpResponseMessage?> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        try
        {
            return await _http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"无法连接服务器 {server} / cannot reach the server: {ex.Message}");
            return null;
        }
    }

    /// <summary>Prints an RFC 9457 problem (its code, detail and field errors) and maps it to an exit code.</summary>
    private async Task<int> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        string? code = null;
        try
        {
            if (JsonNode.Parse(text) is JsonObject problem)
            {
                code = problem["code"]?.GetValue<string>();
                await error.WriteLineAsync($"{(int)response.StatusCode} [{code}] {problem["detail"]}");
                if (problem["errors"] is JsonObject errors)
                {
                    foreach (var (field, messages) in errors)
                    {
                        foreach (var m in messages?.AsArray() ?? [])
                        {
                            await error.WriteLineAsync($"  {field}: {m}");
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            await error.WriteLineAsync($"{(int)response.StatusCode} {text}");
        }

        return response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? CliApp.Refused : CliApp.CannotRun;
    }

    private static StringContent JsonContent(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    internal static bool IsNdjson(FileInfo file) =>
        file.Extension.Equals(".ndjson", StringComparison.OrdinalIgnoreCase) || file.Extension.Equals(".jsonl", StringComparison.OrdinalIgnoreCase);

    private static FileStream CreatePrivateFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    // line,subject,outcome,… — the line number and the masked subject never hold a comma.
    private static string CsvOutcome(string line)
    {
        var first = line.IndexOf(',', StringComparison.Ordinal);
        var second = first < 0 ? -1 : line.IndexOf(',', first + 1);
        if (second < 0)
        {
            return "unreadable";
        }

        var third = line.IndexOf(',', second + 1);
        return third < 0 ? line[(second + 1)..] : line[(second + 1)..third];
    }

    private static string NdjsonOutcome(string line)
    {
        try
        {
            return JsonNode.Parse(line)?["outcome"]?.GetValue<string>() ?? "error";
        }
        catch (JsonException)
        {
            return "unreadable";
        }
    }

    private static string OutcomeZh(string outcome) => outcome switch
    {
        "block" => "阻断",
        "strict-review" => "从严审核",
        "quota" => "限额控制",
        "enhanced-supervision" => "加强监管",
        "revoke-honour" => "撤销荣誉",
        "prudential-reference" => "审慎参考",
        "notify" => "告知",
        "clear" => "通过",
        "error" => "无法比对",
        _ => outcome,
    };

    /// <summary>A read-only stream that reports how many bytes were read, for the upload's progress bar.</summary>
    internal sealed class ProgressStream(Stream inner, Action<long> report) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int n)
        {
            _read += n;
            report(_read);
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
