using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Hosting;
using Shixin.Server.Ops;

namespace Shixin.Server.Units;

/// <summary>
/// Webhook signatures: HMAC-SHA256 over "t.body" with each active secret, so a receiver can verify
/// with either secret during a rotation (API.md: <c>X-Shixin-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</c>).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Shixin-Signature";

    public static string Sign(long unixTime, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        var t = unixTime.ToString(CultureInfo.InvariantCulture);
        var payload = new byte[t.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(t, payload);
        payload[t.Length] = (byte)'.';
        body.CopyTo(payload.AsSpan(t.Length + 1));
        var sb = new StringBuilder("t=").Append(t);
        foreach (var secret in secrets)
        {
            sb.Append(",v1=").Append(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload)));
        }

        return sb.ToString();
    }

    /// <summary>Verifies a signature header against one secret, within a tolerance for replays.</summary>
    public static bool Verify(string header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        long? t = null;
        var candidates = new List<string>();
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2)
            {
                continue;
            }

            if (kv[0] == "t" && long.TryParse(kv[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                t = parsed;
            }
            else if (kv[0] == "v1")
            {
                candidates.Add(kv[1]);
            }
        }

        if (t is null || Math.Abs(now.ToUnixTimeSeconds() - t.Value) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Sign(t.Value, body, [secret]).Split(",v1=")[1];
        return candidates.Any(c => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(c), Encoding.ASCII.GetBytes(expected)));
    }
}

/// <summary>
/// Standard Webhooks signatures (https://www.standardwebhooks.com, issue 11 F15), so units verify deliveries with
/// the off-the-shelf libraries in Java, Go, Python, Node and C#: <c>webhook-id</c>, <c>webhook-timestamp</c> and
/// <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>, one space-separated signature per
/// active secret. The key is the base64 material after <c>whsec_</c> as the standard defines; a secret without the
/// prefix (subscribers from before) keys the HMAC with its UTF-8 bytes, which a standard library verifies when given
/// <c>"whsec_" + base64(utf8(secret))</c>.
/// </summary>
public static class StandardWebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret as the standard writes it: whsec_ and 32 random bytes in base64.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The HMAC key of a secret: the decoded material of a whsec_ secret, else the secret's UTF-8 bytes.</summary>
    public static byte[] KeyOf(string secret) =>
        TryDecode(secret, out var key) ? key : Encoding.UTF8.GetBytes(secret);

    /// <summary>Whether a secret is a well-formed whsec_ secret (base64 of 24–64 bytes).</summary>
    public static bool TryDecode(string secret, out byte[] key)
    {
        key = [];
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var material = secret[SecretPrefix.Length..];
        var buffer = new byte[(material.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(material, buffer, out var n) || n is < 24 or > 64)
        {
            return false;
        }

        key = buffer[..n];
        return true;
    }

    /// <summary>The webhook-signature header: "v1,&lt;base64&gt;" per secret, space-separated.</summary>
    public static string Sign(string id, long timestamp, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        var prefix = Encoding.UTF8.GetBytes(id + "." + timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var payload = new byte[prefix.Length + body.Length];
        prefix.CopyTo(payload, 0);
        body.CopyTo(payload.AsSpan(prefix.Length));
        return string.Join(' ', secrets.Select(secret => "v1," + Convert.ToBase64String(HMACSHA256.HashData(KeyOf(secret), payload))));
    }
}

/// <summary>A secret and until when it stays valid (null: the current one).</summary>
public sealed record WebhookSecret(string Value, DateTimeOffset? ValidUntil);

/// <summary>
/// Subscription secrets at rest, encrypted with the ASP.NET Core Data Protection keys (issue 11 F13): a copy of the
/// database alone does not let anyone sign deliveries as the platform. Rows written before are read as plain JSON and
/// sealed by <see cref="SealLegacyAsync"/> at startup. The key ring lives in the data directory (0700, files 0600);
/// nodes sharing a PostgreSQL database must share that key ring directory.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    /// <summary>What a subscription shows when this node cannot open its secrets.</summary>
    public const string KeyRingMissing = "this node cannot read the subscription's secret: nodes sharing a database must share the Data Protection key ring (SHIXIN_KEYS_DIR)";

    private const string Sealed = "dp1:";
    private readonly IDataProtector _protector = provider.CreateProtector("Shixin.Webhooks.Secrets.v1");

    public string Seal(IEnumerable<WebhookSecret> secrets) =>
        Sealed + _protector.Protect(JsonSerializer.Serialize(secrets.ToList(), LedgerJson.Options));

    public List<WebhookSecret> Open(string stored) => JsonSerializer.Deserialize<List<WebhookSecret>>(
        stored.StartsWith(Sealed, StringComparison.Ordinal) ? _protector.Unprotect(stored[Sealed.Length..]) : stored, LedgerJson.Options)!;

    /// <summary>The secrets, or null when this node's key ring cannot open them (a node not sharing SHIXIN_KEYS_DIR).</summary>
    public List<WebhookSecret>? TryOpen(string stored)
    {
        try
        {
            return Open(stored);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Encrypts the secrets of subscriptions stored in clear by earlier versions; returns how many.</summary>
    public async Task<int> SealLegacyAsync(ShixinDatabase database, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var clear = await db.Subscriptions.Where(s => !s.SecretsJson.StartsWith(Sealed)).ToListAsync(ct);
        foreach (var row in clear)
        {
            row.SecretsJson = Seal(Open(row.SecretsJson));
        }

        await db.SaveChangesAsync(ct);
        return clear.Count;
    }
}

/// <summary>
/// Where subscribers may be (SSRF guard, issue 11 F12). SHIXIN_WEBHOOK_ALLOWED_NETWORKS lists networks with their
/// ports, <c>10.0.0.0/8:443,192.168.0.0/16:8443</c>; a network without a port allows 443 and 8443 only, and
/// <c>:*</c> any port (for test listeners). The default is the private ranges where government intranets live, on
/// 443 and 8443; never loopback or link-local unless listed. Deliveries carry full ID numbers, so https is required
/// except to networks listed in SHIXIN_WEBHOOK_ALLOW_HTTP_NETWORKS (for tests; empty by default).
/// </summary>
public sealed class WebhookNetworks
{
    /// <summary>The ports a network without an explicit port allows.</summary>
    public static readonly int[] DefaultPorts = [443, 8443];

    private readonly List<(IPAddress Network, int Prefix, int? Port)> _allowed = [];
    private readonly List<(IPAddress Network, int Prefix, int? Port)> _plainHttp = [];

    public WebhookNetworks(string? config, string? allowHttp = null)
    {
        var spec = string.IsNullOrWhiteSpace(config) ? "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7" : config;
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (ip, prefix, port) = Parse(part);
            if (port is { } p)
            {
                _allowed.Add((ip, prefix, p));
            }
            else
            {
                _allowed.AddRange(DefaultPorts.Select(d => (ip, prefix, (int?)d)));
            }
        }

        foreach (var part in (allowHttp ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (ip, prefix, _) = Parse(part);
            _plainHttp.Add((ip, prefix, null));
        }
    }

    public string Description => string.Join(",", _allowed.Select(a => a.Network + "/" + a.Prefix.ToString(CultureInfo.InvariantCulture)
        + ":" + (a.Port is { } p && p > 0 ? p.ToString(CultureInfo.InvariantCulture) : "*")).Distinct(StringComparer.Ordinal));

    // "10.0.0.0/8:443", "10.1.2.3", "fc00::/7:8443", "127.0.0.0/8:*" (port 0 stands for any port).
    private static (IPAddress Ip, int Prefix, int? Port) Parse(string part)
    {
        int? port = null;
        var slash = part.IndexOf('/', StringComparison.Ordinal);
        var colon = part.LastIndexOf(':');
        var ipv6 = part.Count(c => c == ':') > 1;
        if (colon > 0 && (slash >= 0 ? colon > slash : !ipv6))
        {
            var p = part[(colon + 1)..];
            port = p == "*" ? 0 : int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture);
            if (port is < 0 or > 65535)
            {
                throw new FormatException("port out of range in '" + part + "'");
            }

            part = part[..colon];
        }

        slash = part.IndexOf('/', StringComparison.Ordinal);
        var ip = IPAddress.Parse(slash < 0 ? part : part[..slash]);
        var prefix = slash < 0 ? (ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128) : int.Parse(part[(slash + 1)..], CultureInfo.InvariantCulture);
        return (ip, prefix, port);
    }

    /// <summary>Whether the address is in an allowed network on some port.</summary>
    public bool IsAllowed(IPAddress address) => Allowed(address, null);

    /// <summary>Whether the address and port are allowed.</summary>
    public bool IsAllowed(IPAddress address, int port) => Allowed(address, port);

    /// <summary>Whether plain http may be used to this address (a listed test network).</summary>
    public bool AllowsPlainHttp(IPAddress address) => Matches(_plainHttp, address, null);

    private bool Allowed(IPAddress address, int? port) => Matches(_allowed, address, port);

    private static bool Matches(List<(IPAddress Network, int Prefix, int? Port)> list, IPAddress address, int? port)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var (network, prefix, allowedPort) in list)
        {
            if (network.AddressFamily != address.AddressFamily || (port is { } p && allowedPort is { } ap && ap != 0 && ap != p))
            {
                continue;
            }

            var a = address.GetAddressBytes();
            var n = network.GetAddressBytes();
            var full = prefix / 8;
            var rest = prefix % 8;
            if (a.AsSpan(0, full).SequenceEqual(n.AsSpan(0, full))
                && (rest == 0 || (a[full] >> (8 - rest)) == (n[full] >> (8 - rest))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Checks a subscriber URL now; delivery checks the connected address, port and scheme again.</summary>
    public async Task<(string Code, Shixin.Core.Bilingual Message)?> ValidateAsync(string? url, CancellationToken ct)
    {
        const string NotAllowed = "webhook-address-not-allowed";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return (NotAllowed, new("推送地址应为完整的https网址", "url must be an absolute https URL"));
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return (NotAllowed, new("推送地址中不得包含用户名或密码", "url must not carry credentials"));
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.DnsSafeHost, ct);
        }
        catch (SocketException)
        {
            return (NotAllowed, new("推送地址的主机“" + uri.Host + "”无法解析", "the host '" + uri.Host + "' does not resolve"));
        }

        if (addresses.Length == 0 || !addresses.All(a => IsAllowed(a, uri.Port)))
        {
            return (NotAllowed, new("推送地址“" + uri.Authority + "”不在允许订阅单位使用的网络和端口范围内（" + Description + "）",
                "the address and port of '" + uri.Authority + "' are outside the networks and ports subscribers may use (" + Description + ")"));
        }

        // Deliveries carry full ID numbers: plain http only to networks listed for it (issue 11 F12).
        return uri.Scheme == Uri.UriSchemeHttp && !addresses.All(AllowsPlainHttp)
            ? ("webhook-https-required", new Shixin.Core.Bilingual("推送内容含个人信息，推送地址必须使用https", "deliveries carry personal data; the url must use https"))
            : null;
    }

    /// <summary>
    /// An HTTP client that connects only to allowed addresses and ports (plain http only where allowed), follows no
    /// redirects and bounds its time.
    /// </summary>
    public HttpClient CreateClient(TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxResponseHeadersLength = 64,
            ConnectCallback = async (ctx, ct) =>
            {
                var port = ctx.DnsEndPoint.Port;
                var plain = ctx.InitialRequestMessage.RequestUri?.Scheme != Uri.UriSchemeHttps;
                var addresses = await Dns.GetHostAddressesAsync(ctx.DnsEndPoint.Host, ct);
                var allowed = addresses.FirstOrDefault(a => IsAllowed(a, port) && (!plain || AllowsPlainHttp(a)))
                    ?? throw new HttpRequestException("address of " + ctx.DnsEndPoint.Host + ":" + port.ToString(CultureInfo.InvariantCulture)
                        + (plain ? " is not allowed for plain http (https is required)" : " is not in an allowed network and port"));
                var socket = new Socket(allowed.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(allowed, port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = timeout, MaxResponseContentBufferSize = 64 * 1024 };
    }
}

/// <summary>Settings of webhook delivery (configurable so tests can compress days into seconds).</summary>
public sealed record WebhookOptions(TimeSpan Timeout, TimeSpan FirstRetry, TimeSpan MaxBackoff, TimeSpan GiveUpAfter, int BatchSize)
{
    public static WebhookOptions From(IConfiguration c) => new(
        TimeSpan.FromSeconds(Num(c, "SHIXIN_WEBHOOK_TIMEOUT_SECONDS", 10)),
        TimeSpan.FromSeconds(Num(c, "SHIXIN_WEBHOOK_FIRST_RETRY_SECONDS", 1)),
        TimeSpan.FromSeconds(Num(c, "SHIXIN_WEBHOOK_MAX_BACKOFF_SECONDS", 3600)),
        TimeSpan.FromHours(Num(c, "SHIXIN_WEBHOOK_GIVE_UP_HOURS", 72)),
        (int)Num(c, "SHIXIN_WEBHOOK_BATCH", 100));

    private static double Num(IConfiguration c, string key, double fallback) =>
        double.TryParse(c[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    /// <summary>Capped exponential backoff after the n-th consecutive failure.</summary>
    public TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstRetry.Ticks * (1L << Math.Min(failures - 1, 30))));
}

/// <summary>
/// Delivers list events to subscribers: strictly in sequence per subscription, at least once,
/// signed, retried with capped backoff and paused after <see cref="WebhookOptions.GiveUpAfter"/>.
/// Progress lives in the database, so deliveries survive a restart; on PostgreSQL one node at a
/// time dispatches (advisory lock), and receivers can also drop duplicates by event id.
/// </summary>
public sealed class WebhookDispatcher(ShixinDatabase database, LedgerSignal signal, WebhookNetworks networks, WebhookOptions options,
    WebhookSecrets sealedSecrets, Readiness readiness, TimeProvider time, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private const long AdvisoryLockKey = 0x5348_4958_494E_5748; // "SHIXINWH"
    private readonly HttpClient _http = networks.CreateClient(options.Timeout);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        System.Data.Common.DbConnection? lockConnection = null;
        var legacySealed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.NextAsync();
            try
            {
                if (readiness.IsReady && await HoldsDispatchAsync(() => lockConnection, c => lockConnection = c, stoppingToken))
                {
                    if (!legacySealed)
                    {
                        var n = await sealedSecrets.SealLegacyAsync(database, stoppingToken);
                        legacySealed = true;
                        if (n > 0)
                        {
                            logger.LogInformation("Encrypted the secrets of {Count} subscriptions stored in clear", n);
                        }
                    }

                    await DispatchDueAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Webhook dispatch pass failed; will retry");
                if (lockConnection is not null)
                {
                    await lockConnection.DisposeAsync();
                    lockConnection = null;
                }
            }

            await Task.WhenAny(wake, Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken));
        }

        if (lockConnection is not null)
        {
            await lockConnection.DisposeAsync();
        }
    }

    private async Task<bool> HoldsDispatchAsync(Func<System.Data.Common.DbConnection?> get, Action<System.Data.Common.DbConnection> set, CancellationToken ct)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            return true;
        }

        if (get() is { State: System.Data.ConnectionState.Open })
        {
            return true;
        }

        // Unpooled: the lock must end with this session, not linger on a pooled connection.
        var conn = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT pg_try_advisory_lock(" + AdvisoryLockKey.ToString(CultureInfo.InvariantCulture) + ")";
        if (await cmd.ExecuteScalarAsync(ct) is true)
        {
            set(conn);
            return true;
        }

        await conn.DisposeAsync();
        return false;
    }

    /// <summary>One pass over every subscription that has something due.</summary>
    public async Task DispatchDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<Guid> due;
        await using (var db = database.CreateContext())
        {
            var head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync(ct);
            due = await db.Subscriptions.AsNoTracking()
                .Where(s => s.Status == "active" && s.Cursor < head && (s.NextAttemptAt == null || s.NextAttemptAt <= now))
                .Select(s => s.Id).ToListAsync(ct);
        }

        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct },
            async (id, token) => await DeliverAsync(id, token));
    }

    private async Task DeliverAsync(Guid id, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var sub = await db.Subscriptions.FirstAsync(s => s.Id == id, ct);
        var types = sub.Types?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var cursor = sub.Cursor;
        var pending = sub.PendingThrough ?? long.MaxValue;
        var rows = await db.LedgerEvents.AsNoTracking().Where(e => e.Seq > cursor && e.Seq <= pending).OrderBy(e => e.Seq).Take(options.BatchSize)
            .Select(e => new { Seq = e.Seq!.Value, e.Type, e.EntryId, e.OccurredAt, e.EntryViewJson }).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return;
        }

        var wanted = rows.Where(r => types is null || types.Contains(r.Type)).ToList();
        var through = rows[^1].Seq;
        var now = time.GetUtcNow();
        if (wanted.Count == 0)
        {
            // Nothing this subscriber asked for: move past it without a call.
            sub.Cursor = through;
            await db.SaveChangesAsync(ct);
            return;
        }

        using var body = new MemoryStream();
        await using (var json = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = LedgerJson.Options.Encoder }))
        {
            json.WriteStartObject();
            json.WriteStartArray("events");
            foreach (var r in wanted)
            {
                json.WriteStartObject();
                json.WriteNumber("seq", r.Seq);
                json.WriteString("type", r.Type);
                json.WriteString("entryId", r.EntryId);
                json.WriteString("at", Shixin.Core.ChinaTime.ToChina(r.OccurredAt));
                json.WritePropertyName("entry");
                json.WriteRawValue(r.EntryViewJson ?? "null", skipInputValidation: true);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        // Remember the batch before sending it: after a crash or a failure the same events go again
        // under the same event id, so receivers can drop the duplicate.
        if (sub.PendingThrough != through)
        {
            sub.PendingThrough = through;
            await db.SaveChangesAsync(ct);
        }

        var bytes = body.ToArray();
        if (sealedSecrets.TryOpen(sub.SecretsJson) is not { } opened)
        {
            // Never send unsigned: say why on the subscription and try again later.
            logger.LogError("Subscription {Id}: {Error}", sub.Id, WebhookSecrets.KeyRingMissing);
            sub.LastError = WebhookSecrets.KeyRingMissing;
            sub.NextAttemptAt = now.UtcDateTime + options.MaxBackoff;
            await db.SaveChangesAsync(ct);
            return;
        }

        var secrets = opened.Where(s => s.ValidUntil is null || s.ValidUntil > now).Select(s => s.Value).ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, sub.Url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var unix = now.ToUnixTimeSeconds();
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(unix, bytes, secrets));
        // Stable per content: a retry of the same events carries the same id, so receivers can drop duplicates.
        var eventId = sub.Id.ToString("N") + ":" + wanted[0].Seq.ToString(CultureInfo.InvariantCulture) + "-" + wanted[^1].Seq.ToString(CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation(StandardWebhookSignature.IdHeader, eventId);
        request.Headers.TryAddWithoutValidation(StandardWebhookSignature.TimestampHeader, unix.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(eventId, unix, bytes, secrets));
        request.Headers.TryAddWithoutValidation("X-Shixin-Event-Id", eventId);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", eventId);
        request.Headers.TryAddWithoutValidation("X-Shixin-Sequence", wanted[^1].Seq.ToString(CultureInfo.InvariantCulture));

        string? error = null;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                error = "HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + " " + response.ReasonPhrase;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            error = ex is TaskCanceledException ? "timed out after " + options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s" : ex.Message;
        }

        sub.LastAttemptAt = now.UtcDateTime;
        if (error is null)
        {
            sub.Cursor = through;
            sub.PendingThrough = null;
            sub.Failures = 0;
            sub.FirstFailureAt = null;
            sub.NextAttemptAt = null;
            sub.LastError = null;
            sub.LastDeliveredAt = now.UtcDateTime;
        }
        else
        {
            sub.Failures++;
            sub.FirstFailureAt ??= now.UtcDateTime;
            sub.LastError = error;
            sub.NextAttemptAt = now.UtcDateTime + options.Backoff(sub.Failures);
            if (now.UtcDateTime - sub.FirstFailureAt.Value >= options.GiveUpAfter)
            {
                sub.Status = "paused";
                logger.LogWarning("Subscription {Id} paused after failing since {Since}: {Error}", sub.Id, sub.FirstFailureAt, error);
            }
        }

        await db.SaveChangesAsync(ct);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
