using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shixin.Core.Identifiers;

namespace Shixin.Server.Tests.Distribution;

/// <summary>A court with a clerk and a judge key, on one node.</summary>
public sealed record DistCourt(string Code, HttpClient Clerk, HttpClient Judge);

/// <summary>An entry listed by a test: its id and the debtor's ID number.</summary>
public sealed record Listed(string Id, string IdNumber, string CaseNumber);

/// <summary>Request builders and readers for the distribution tests (over real HTTP, in-process or child process).</summary>
public static class DistKit
{
    // Dates, unique names and identifiers come from the shared test API.
    public static DateOnly Today => TestApi.Today;

    public static string Iso(DateOnly d) => TestApi.Iso(d);

    public static string Iso(int daysFromToday) => TestApi.Iso(daysFromToday);

    public static int Next() => TestApi.Next();

    public static string Unique(string prefix) => TestApi.Unique(prefix);

    public static string CaseNumber() => TestApi.CaseNumber();

    public static string AdultId() => TestApi.AdultId();

    public static string CreditCode() => TestApi.CreditCode();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static HttpClient ClientFor(Uri baseAddress, string? key)
    {
        var c = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(3) };
        if (key is not null)
        {
            c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return c;
    }

    /// <summary>Registers an organization (409 if it exists is fine) and returns a client with a new key holding the roles.</summary>
    public static async Task<HttpClient> OrgAsync(HttpClient admin, string kind, string code, params string[] roles)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/organizations", new { kind, code, name = code + " 名称", region = "440802", parentCode = (string?)null }, Ct);
        if (created.StatusCode != HttpStatusCode.Created && created.StatusCode != HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException("organization " + code + ": " + await created.Content.ReadAsStringAsync(Ct));
        }

        return await KeyAsync(admin, code, roles);
    }

    public static async Task<HttpClient> KeyAsync(HttpClient admin, string code, params string[] roles)
    {
        var issued = await admin.PostAsJsonAsync("/api/v1/organizations/" + code + "/keys", new { roles }, Ct);
        var text = await issued.Content.ReadAsStringAsync(Ct);
        issued.IsSuccessStatusCode.ShouldBeTrue(text);
        return ClientFor(admin.BaseAddress!, JsonNode.Parse(text)!["key"]!.GetValue<string>());
    }

    public static async Task<DistCourt> CourtAsync(HttpClient admin)
    {
        var code = Unique("court-");
        var clerk = await OrgAsync(admin, "court", code, "court.clerk");
        var judge = await KeyAsync(admin, code, "court.judge");
        return new DistCourt(code, clerk, judge);
    }

    /// <summary>A unit with subscriber and checker roles.</summary>
    public static Task<HttpClient> UnitAsync(HttpClient admin, string? code = null) =>
        OrgAsync(admin, "unit", code ?? Unique("unit-"), "unit.subscriber", "unit.checker");

    public static JsonObject Draft(string idNumber, string publicity = "public", string name = "张三") => new()
    {
        ["caseNumber"] = CaseNumber(),
        ["filingDate"] = "2024-01-05",
        ["basisDocument"] = new JsonObject { ["number"] = "(2023)粤0802民初100号", ["issuer"] = "湛江市赤坎区人民法院" },
        ["obligation"] = "支付货款人民币100000元及利息",
        ["performance"] = new JsonObject { ["performedAmount"] = 0, ["unperformedAmount"] = 100000 },
        ["circumstances"] = new JsonArray("capable-but-refuses"),
        ["subject"] = new JsonObject { ["kind"] = "person", ["name"] = name, ["idNumber"] = idNumber },
        ["publicity"] = publicity,
    };

    public static async Task<JsonObject> Expect(this Task<HttpResponseMessage> call, HttpStatusCode status)
    {
        var r = await call;
        var text = await r.Content.ReadAsStringAsync(Ct);
        r.StatusCode.ShouldBe(status, r.RequestMessage?.Method + " " + r.RequestMessage?.RequestUri + " → " + text);
        return JsonNode.Parse(text)!.AsObject();
    }

    public static Task<HttpResponseMessage> Post(this HttpClient c, string path, object body) =>
        c.PostAsync(path, new StringContent(body is JsonNode n ? n.ToJsonString() : System.Text.Json.JsonSerializer.Serialize(body, ShixinServer.Json), Encoding.UTF8, "application/json"), Ct);

    /// <summary>Drafts and serves the risk notice; the decision (the list change) is left to the caller.</summary>
    public static async Task<Listed> NoticedAsync(this DistCourt court, string publicity = "public", string name = "张三")
    {
        var idn = AdultId();
        var body = Draft(idn, publicity, name);
        var e = await court.Clerk.Post("/api/v1/entries", body).Expect(HttpStatusCode.Created);
        var id = e["id"]!.GetValue<string>();
        await court.Clerk.Post("/api/v1/entries/" + id + "/risk-notice", new { servedOn = Iso(-15) }).Expect(HttpStatusCode.OK);
        return new Listed(id, idn, body["caseNumber"]!.GetValue<string>());
    }

    public static Task<JsonObject> DecideAsync(this DistCourt court, Listed e) =>
        court.Judge.Post("/api/v1/entries/" + e.Id + "/decision", new { decidedOn = Iso(-10) }).Expect(HttpStatusCode.OK);

    /// <summary>Draft, risk notice and decision: one entry.listed event.</summary>
    public static async Task<Listed> ListAsync(this DistCourt court, string publicity = "public", string name = "张三")
    {
        var e = await court.NoticedAsync(publicity, name);
        await court.DecideAsync(e);
        return e;
    }

    public static Task<JsonObject> RevokeAsync(this DistCourt court, string id) =>
        court.Judge.Post("/api/v1/entries/" + id + "/exit", new { kind = "revoke", reason = "wrongly-listed", effectiveOn = Iso(0) }).Expect(HttpStatusCode.OK);

    public static async Task<JsonObject> FeedAsync(this HttpClient unit, long after, int? limit = null, int? wait = null)
    {
        var q = "/api/v1/feed?after=" + after.ToString(CultureInfo.InvariantCulture)
            + (limit is null ? "" : "&limit=" + limit.Value.ToString(CultureInfo.InvariantCulture))
            + (wait is null ? "" : "&wait=" + wait.Value.ToString(CultureInfo.InvariantCulture));
        return await unit.GetAsync(q, Ct).Expect(HttpStatusCode.OK);
    }

    /// <summary>Every feed event after a sequence, paging until empty.</summary>
    public static async Task<List<JsonObject>> AllEventsAsync(this HttpClient unit, long after = 0, int limit = 1000)
    {
        var all = new List<JsonObject>();
        while (true)
        {
            var page = await unit.FeedAsync(after, limit);
            var events = page["events"]!.AsArray();
            if (events.Count == 0)
            {
                page["next"]!.GetValue<long>().ShouldBe(after);
                return all;
            }

            all.AddRange(events.Select(e => e!.AsObject()));
            after = page["next"]!.GetValue<long>();
            after.ShouldBe(all[^1]["seq"]!.GetValue<long>());
        }
    }

    public static long Seq(this JsonNode e) => e["seq"]!.GetValue<long>();

    /// <summary>The snapshot: its sequence and every entry by id.</summary>
    public static async Task<(long Seq, Dictionary<string, string> Entries)> SnapshotAsync(this HttpClient unit)
    {
        using var r = await unit.GetAsync("/api/v1/snapshot", HttpCompletionOption.ResponseHeadersRead, Ct);
        r.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seq = long.Parse(r.Headers.GetValues("X-List-Sequence").Single(), CultureInfo.InvariantCulture);
        var text = await r.Content.ReadAsStringAsync(Ct);
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var node = JsonNode.Parse(line)!;
            entries.Add(node["id"]!.GetValue<string>(), node.ToJsonString());
        }

        return (seq, entries);
    }

    /// <summary>Applies feed events to a list: screened entries are on it, others leave it.</summary>
    public static void Apply(Dictionary<string, string> list, IEnumerable<JsonObject> events)
    {
        foreach (var e in events)
        {
            var entry = e["entry"]!;
            var id = e["entryId"]!.GetValue<string>();
            if (entry["screened"]!.GetValue<bool>())
            {
                list[id] = entry.ToJsonString();
            }
            else
            {
                list.Remove(id);
            }
        }
    }

    /// <summary>Whether a check on this node finds the ID number on the list (any match or cleared hit).</summary>
    public static async Task<bool> HitAsync(this HttpClient checker, string idNumber)
    {
        var r = await checker.Post("/api/v1/checks", new { scenario = "civil-aviation.ticket", subjects = new[] { new { idNumber } } }).Expect(HttpStatusCode.OK);
        var res = r["results"]![0]!;
        return res["matches"]!.AsArray().Count + res["cleared"]!.AsArray().Count > 0;
    }

    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException("timed out after " + timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s waiting for " + what);
            }

            await Task.Delay(20, Ct);
        }
    }

    public static Task Until(Func<bool> condition, TimeSpan timeout, string what) => Until(() => Task.FromResult(condition()), timeout, what);

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Minimal RFC 4180 reader (quotes, doubled quotes, CRLF, commas and newlines in fields).</summary>
    public static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                field.Length.ShouldBe(0, "a quote inside an unquoted field at " + i.ToString(CultureInfo.InvariantCulture));
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        quoted.ShouldBeFalse("unterminated quoted field");
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }

        return rows;
    }
}

/// <summary>One webhook request as the receiver saw it.</summary>
public sealed record Delivery(string? EventId, string? Signature, byte[] Body, long[] Seqs, string[] Types, bool Accepted,
    IReadOnlyDictionary<string, string>? Headers = null)
{
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>How the receiver answers.</summary>
public enum ReceiverMode
{
    Ok,
    Down,
    Error,
    Redirect,
}

/// <summary>A webhook receiver: Kestrel on 127.0.0.1 with a random port, recording every request.</summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Delivery> _all = new();

    private Receiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public volatile ReceiverMode Mode;

    public string? RedirectTo { get; set; }

    public TimeSpan Delay { get; set; }

    /// <summary>Every request, accepted or not.</summary>
    public IReadOnlyList<Delivery> All => [.. _all];

    public IReadOnlyList<Delivery> Accepted => [.. _all.Where(d => d.Accepted)];

    public int Attempts => _all.Count;

    /// <summary>Sequences of accepted deliveries, in the order they arrived.</summary>
    public List<long> AcceptedSeqs => [.. Accepted.SelectMany(d => d.Seqs)];

    public static async Task<Receiver> StartAsync()
    {
        var b = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.ClearProviders();
        var app = b.Build();
        var r = new Receiver(app);
        app.MapPost("/hook", r.HandleAsync);
        await app.StartAsync();
        r.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook");
        return r;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        using var ms = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted);
        var body = ms.ToArray();
        long[] seqs = [];
        string[] types = [];
        try
        {
            var events = JsonNode.Parse(body)!["events"]!.AsArray();
            seqs = [.. events.Select(e => e!.Seq())];
            types = [.. events.Select(e => e!["type"]!.GetValue<string>())];
        }
        catch (System.Text.Json.JsonException)
        {
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay);
        }

        var mode = Mode;
        _all.Enqueue(new Delivery(ctx.Request.Headers["X-Shixin-Event-Id"].FirstOrDefault(), ctx.Request.Headers["X-Shixin-Signature"].FirstOrDefault(),
            body, seqs, types, mode == ReceiverMode.Ok,
            ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        switch (mode)
        {
            case ReceiverMode.Ok:
                ctx.Response.StatusCode = 200;
                break;
            case ReceiverMode.Down:
                ctx.Abort();
                break;
            case ReceiverMode.Error:
                ctx.Response.StatusCode = 503;
                break;
            case ReceiverMode.Redirect:
                ctx.Response.StatusCode = 302;
                ctx.Response.Headers.Location = RedirectTo;
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// The built server (Shixin.Server.dll next to the tests) run as a child process with `dotnet`, on
/// a loopback port of its own. Killed with SIGKILL by <see cref="Kill"/>.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Admin = DistKit.ClientFor(baseAddress, ShixinServer.AdminKey);
    }

    public Uri BaseAddress { get; }

    public HttpClient Admin { get; }

    public string Log => string.Join('\n', _log);

    public static string ServerDll
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Shixin.Server.dll");
            File.Exists(path).ShouldBeTrue(path);
            return path;
        }
    }

    public static async Task<ServerProcess> StartAsync(IDictionary<string, string> env)
    {
        var port = DistKit.FreePort();
        var url = "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(ServerDll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(url);
        psi.Environment["SHIXIN_ADMIN_KEY"] = ShixinServer.AdminKey;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Warning";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        var p = Process.Start(psi)!;
        var sp = new ServerProcess(p, new Uri(url));
        p.OutputDataReceived += (_, e) => sp.Capture(e.Data);
        p.ErrorDataReceived += (_, e) => sp.Capture(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = sp.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (p.HasExited)
            {
                throw new InvalidOperationException("server exited with " + p.ExitCode.ToString(CultureInfo.InvariantCulture) + ":\n" + sp.Log);
            }

            try
            {
                using var r = await probe.GetAsync("/readyz", DistKit.Ct);
                if (r.IsSuccessStatusCode)
                {
                    return sp;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!DistKit.Ct.IsCancellationRequested)
            {
            }

            if (watch.Elapsed > TimeSpan.FromSeconds(60))
            {
                p.Kill(true);
                throw new TimeoutException("server not ready after 60 s:\n" + sp.Log);
            }

            await Task.Delay(50, DistKit.Ct);
        }
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
            while (_log.Count > 400)
            {
                _log.TryDequeue(out _);
            }
        }
    }

    /// <summary>SIGKILL, no shutdown of any kind.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        _process.WaitForExit(10_000).ShouldBeTrue();
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
