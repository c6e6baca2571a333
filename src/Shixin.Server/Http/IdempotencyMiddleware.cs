using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Auth;

namespace Shixin.Server.Http;

/// <summary>
/// Writes carrying an Idempotency-Key answer a replay with the first response and change nothing.
/// The key is reserved before the write runs, so two concurrent retries cannot both write.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext context, ShixinDatabase database, TimeProvider time)
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

        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
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
                row.ResponseJson = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
                row.Location = context.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null;
            }
            else
            {
                // A failed attempt may be retried with the same key.
                db.Idempotency.Remove(row);
            }

            await db.SaveChangesAsync(CancellationToken.None);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
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

        context.Response.StatusCode = row.StatusCode;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (row.Location is not null)
        {
            context.Response.Headers.Location = row.Location;
        }

        if (!string.IsNullOrEmpty(row.ResponseJson))
        {
            context.Response.ContentType = row.StatusCode >= 400 ? "application/problem+json" : "application/json; charset=utf-8";
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
}
