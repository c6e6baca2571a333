using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Ops;

namespace Shixin.Server.Http;

/// <summary>
/// Endpoint metadata: the answer of this endpoint can carry secrets in the named top-level JSON fields (an API key, a
/// generated webhook secret). The idempotency record keeps the answer without them, and a replay does not show them
/// again (issue 11 finding 7).
/// </summary>
public sealed class ResponseSecrets(params string[] fields)
{
    public IReadOnlyList<string> Fields { get; } = fields;
}

/// <summary>Settings of the idempotency records (issue 11 finding 7).</summary>
public sealed class IdempotencyOptions
{
    /// <summary>The largest answer kept for replay (SHIXIN_IDEMPOTENCY_REPLAY_MAX_BYTES, default 1 MiB); larger ones are kept by reference.</summary>
    public long ReplayMaxBytes { get; init; } = 1024 * 1024;

    /// <summary>How long a record is kept (SHIXIN_IDEMPOTENCY_RETENTION_HOURS, default 24 h); older ones are pruned.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How often the pruner runs (SHIXIN_IDEMPOTENCY_PRUNE_SECONDS, default 600 s).</summary>
    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromMinutes(10);

    public static IdempotencyOptions From(IConfiguration config)
    {
        var inv = CultureInfo.InvariantCulture;
        return new IdempotencyOptions
        {
            ReplayMaxBytes = long.TryParse(config["SHIXIN_IDEMPOTENCY_REPLAY_MAX_BYTES"], inv, out var max) && max >= 0 ? max : 1024 * 1024,
            Retention = double.TryParse(config["SHIXIN_IDEMPOTENCY_RETENTION_HOURS"], NumberStyles.Float, inv, out var h) && h > 0
                ? TimeSpan.FromHours(h) : TimeSpan.FromHours(24),
            PruneInterval = double.TryParse(config["SHIXIN_IDEMPOTENCY_PRUNE_SECONDS"], NumberStyles.Float, inv, out var s) && s > 0
                ? TimeSpan.FromSeconds(s) : TimeSpan.FromMinutes(10),
        };
    }
}

/// <summary>
/// Writes carrying an Idempotency-Key answer a replay with the first response and change nothing.
/// The key is reserved before the write runs, so two concurrent retries cannot both write.
/// What a record keeps (issue 11 finding 7): never a secret — an answer's secret fields (<see cref="ResponseSecrets"/>)
/// are cut out and a replay answers 409 <c>idempotent-secret-not-replayable</c> naming what was created; never a large
/// body — the answer streams to the client as it is written and only its first <see cref="IdempotencyOptions.ReplayMaxBytes"/>
/// are captured; past that the record keeps the status and the batch's check id, and a replay answers 409
/// <c>idempotent-replay-too-large</c> pointing at <c>GET /api/v1/checks/{id}</c>. Records are pruned after
/// <see cref="IdempotencyOptions.Retention"/> by <see cref="IdempotencyPruner"/>.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    public const string SecretWithheld = "secret-withheld";
    public const string TooLarge = "too-large";

    public async Task InvokeAsync(HttpContext context, ShixinDatabase database, TimeProvider time, IdempotencyOptions options)
    {
        var key = context.Request.Headers[Header].ToString();
        if (key.Length == 0 || !HttpMethods.IsPost(context.Request.Method) && !HttpMethods.IsPut(context.Request.Method)
            && !HttpMethods.IsPatch(context.Request.Method) && !HttpMethods.IsDelete(context.Request.Method))
        {
            await next(context);
            return;
        }

        if (key.Length > 200)
        {
            await Problems.Of("validation-failed", new("幂等键（Idempotency-Key）不能超过200个字符", "Idempotency-Key is longer than 200 characters")).ExecuteAsync(context);
            return;
        }

        var org = (context.Items[typeof(Caller)] as Caller)?.OrganizationCode ?? "public:" + context.Connection.RemoteIpAddress;
        context.Request.EnableBuffering();
        var hash = await HashRequestAsync(context.Request, context.RequestAborted);
        context.Request.Body.Position = 0;

        await using (var db = database.CreateContext())
        {
            var existing = await db.Idempotency.AsNoTracking().FirstOrDefaultAsync(r => r.OrganizationCode == org && r.Key == key, context.RequestAborted);
            // A record past its retention is as good as pruned: the key may be used afresh (the pruner may not have run yet).
            var cutoff = time.GetUtcNow().UtcDateTime - options.Retention;
            if (existing is not null && existing.CreatedAt < cutoff)
            {
                await db.Idempotency.Where(r => r.OrganizationCode == org && r.Key == key && r.CreatedAt < cutoff).ExecuteDeleteAsync(context.RequestAborted);
                existing = null;
            }

            if (existing is not null)
            {
                await ReplayAsync(context, existing, hash);
                return;
            }

            db.Idempotency.Add(new IdempotencyRow
            {
                OrganizationCode = org, Key = key, RequestHash = hash, StatusCode = 0, CreatedAt = time.GetUtcNow().UtcDateTime,
            });
            try
            {
                await db.SaveChangesAsync(context.RequestAborted);
            }
            catch (DbUpdateException)
            {
                // A concurrent request reserved the same key first.
                await Problems.Of("request-in-progress", new("使用该幂等键（Idempotency-Key）的请求正在处理中，请稍后再试", "a request with this Idempotency-Key is being processed")).ExecuteAsync(context);
                return;
            }
        }

        // The answer goes to the client as it is written (a batch of millions of lines streams in constant memory);
        // a copy of at most ReplayMaxBytes is kept aside for the record.
        var original = context.Response.Body;
        var capture = new CaptureStream(original, options.ReplayMaxBytes);
        context.Response.Body = capture;
        var completed = false;
        try
        {
            await next(context);
            completed = true;
        }
        finally
        {
            context.Response.Body = original;
            await using var db = database.CreateContext();
            var row = await db.Idempotency.FirstAsync(r => r.OrganizationCode == org && r.Key == key, CancellationToken.None);
            if (completed && context.Response.StatusCode < 500)
            {
                row.StatusCode = context.Response.StatusCode;
                row.Location = context.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null;
                row.ContentType = context.Response.ContentType;
                if (capture.Overflowed)
                {
                    row.Replay = TooLarge;
                    row.Reference = context.Response.Headers["X-Check-Id"].ToString() is { Length: > 0 } id ? id : null;
                }
                else
                {
                    var body = System.Text.Encoding.UTF8.GetString(capture.Captured);
                    var secrets = context.GetEndpoint()?.Metadata.GetMetadata<ResponseSecrets>();
                    if (secrets is not null && Withhold(body, secrets.Fields) is { } redacted)
                    {
                        row.Replay = SecretWithheld;
                        row.ResponseJson = redacted;
                    }
                    else
                    {
                        row.ResponseJson = body;
                    }
                }
            }
            else
            {
                // A failed attempt may be retried with the same key.
                db.Idempotency.Remove(row);
            }

            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    /// <summary>The answer without its secret fields, or null when it carries none (then it replays as it was).</summary>
    internal static string? Withhold(string body, IReadOnlyList<string> fields)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            json = null;
        }

        if (json is null)
        {
            // Not the JSON object the endpoint documents: keep nothing of it rather than risk keeping a secret.
            return "{}";
        }

        var found = false;
        foreach (var f in fields)
        {
            if (json[f] is not null)
            {
                found = true;
            }

            json.Remove(f);
        }

        return found ? json.ToJsonString() : null;
    }

    private static async Task ReplayAsync(HttpContext context, IdempotencyRow row, string hash)
    {
        if (!string.Equals(hash, row.RequestHash, StringComparison.Ordinal))
        {
            await Problems.Of("idempotency-key-reused", new("该幂等键（Idempotency-Key）已用于另一项不同的请求", "this Idempotency-Key was used for a different request")).ExecuteAsync(context);
            return;
        }

        if (row.StatusCode == 0)
        {
            await Problems.Of("request-in-progress", new("使用该幂等键（Idempotency-Key）的请求正在处理中，请稍后再试", "a request with this Idempotency-Key is being processed")).ExecuteAsync(context);
            return;
        }

        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (row.Replay == SecretWithheld)
        {
            // The first request succeeded; what it created is named, its secret is not kept anywhere and cannot be shown again.
            var created = row.ResponseJson is { } j ? JsonNode.Parse(j) as JsonObject : null;
            var id = created?["id"]?.ToString();
            var ext = new Dictionary<string, object?>
            {
                ["code"] = "idempotent-secret-not-replayable", ["id"] = id, ["location"] = row.Location, ["firstStatus"] = row.StatusCode,
            };
            var secret = Problems.Details("idempotent-secret-not-replayable", new(
                "该请求已成功，已创建 " + (id ?? "资源") + "；密钥只在首次应答中显示，平台不保存，无法再次显示（如已遗失，请吊销或轮换）",
                "the first request with this Idempotency-Key succeeded and created " + (id ?? "the resource") + "; its secret was shown only in that answer and is not kept, so it cannot be shown again (revoke or rotate it if it was lost)"),
                status: 409);
            foreach (var (k, v) in ext)
            {
                secret.Extensions[k] = v;
            }

            await TypedResults.Problem(secret).ExecuteAsync(context);
            return;
        }

        if (row.Replay == TooLarge)
        {
            var ext = new Dictionary<string, object?> { ["code"] = "idempotent-replay-too-large", ["checkId"] = row.Reference, ["firstStatus"] = row.StatusCode };
            var where = row.Reference is null ? "" : " Its check record (hits, masked) is at /api/v1/checks/" + row.Reference + ".";
            var whereZh = row.Reference is null ? "" : "比对记录（命中，已脱敏）见 /api/v1/checks/" + row.Reference + "。";
            var large = Problems.Details("idempotent-replay-too-large", new(
                "该请求已完成，但应答过大，未保存以供重放；如需结果，请使用新的幂等键（Idempotency-Key）重新提交。" + whereZh,
                "the first request with this Idempotency-Key completed (status " + row.StatusCode.ToString(CultureInfo.InvariantCulture)
                    + ") but its answer was too large to keep for replay; send the file again with a new key to have the result lines again." + where),
                status: 409);
            foreach (var (k, v) in ext)
            {
                large.Extensions[k] = v;
            }

            await TypedResults.Problem(large).ExecuteAsync(context);
            return;
        }

        context.Response.StatusCode = row.StatusCode;
        if (row.Location is not null)
        {
            context.Response.Headers.Location = row.Location;
        }

        if (!string.IsNullOrEmpty(row.ResponseJson))
        {
            context.Response.ContentType = row.ContentType ?? (row.StatusCode >= 400 ? "application/problem+json" : "application/json; charset=utf-8");
            await context.Response.WriteAsync(row.ResponseJson, context.RequestAborted);
        }
    }

    private static async Task<string> HashRequestAsync(HttpRequest request, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes(request.Method + " " + request.Path + request.QueryString + "\n"));
        var buf = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(buf, ct)) > 0)
        {
            sha.AppendData(buf, 0, n);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Passes every write through to the response and keeps a copy of the first <c>max</c> bytes.</summary>
    private sealed class CaptureStream(Stream inner, long max) : Stream
    {
        private MemoryStream? _copy = new();

        public bool Overflowed => _copy is null;

        public byte[] Captured => _copy?.ToArray() ?? [];

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> data)
        {
            if (_copy is null)
            {
                return;
            }

            if (_copy.Length + data.Length > max)
            {
                // Past the cap nothing more is kept, and what was kept is dropped: the record holds a reference instead.
                _copy.Dispose();
                _copy = null;
                return;
            }

            _copy.Write(data);
        }
    }
}

/// <summary>Deletes idempotency records older than the retention period (issue 11 finding 7), on every node.</summary>
public sealed class IdempotencyPruner(ShixinDatabase database, IdempotencyOptions options, TimeProvider time, Readiness readiness, ILogger<IdempotencyPruner> logger)
    : BackgroundService
{
    /// <summary>One pass: deletes the records created before now − retention; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var before = time.GetUtcNow().UtcDateTime - options.Retention;
        await using var db = database.CreateContext();
        return await db.Idempotency.Where(r => r.CreatedAt < before).ExecuteDeleteAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Not before the schema is migrated (the startup tasks make the node ready).
            if (!readiness.IsReady)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
                continue;
            }

            try
            {
                var n = await PruneAsync(stoppingToken);
                if (n > 0)
                {
                    logger.LogInformation("Pruned {Count} idempotency records older than {Hours} h", n, options.Retention.TotalHours);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Pruning idempotency records failed; will retry");
            }

            await Task.Delay(options.PruneInterval, stoppingToken);
        }
    }
}
