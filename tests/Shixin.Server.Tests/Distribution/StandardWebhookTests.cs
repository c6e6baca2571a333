using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Shixin.Data;
using Shixin.Server.Units;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using static Shixin.Server.Tests.Distribution.DistKit;

namespace Shixin.Server.Tests.Distribution;

/// <summary>
/// Issue 11 F15, F12 and F13 for webhooks: real deliveries verified by the off-the-shelf Standard Webhooks libraries
/// (the StandardWebhooks NuGet package, and the npm standardwebhooks package where Node and npm are present);
/// secrets encrypted at rest; subscriber networks named with ports, https outside listed test networks.
/// </summary>
public sealed class StandardWebhookTests(ITestOutputHelper output)
{
    private const string Legacy = "legacy-secret-0123456789";

    private static HeaderDictionary HeadersOf(Delivery d) =>
        new(d.Headers!.ToDictionary(h => h.Key, h => new Microsoft.Extensions.Primitives.StringValues(h.Value), StringComparer.OrdinalIgnoreCase));

    [Fact]
    public async Task Deliveries_verify_with_the_StandardWebhooks_package_and_secrets_are_encrypted_at_rest()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var legacyReceiver = await Receiver.StartAsync();
        await using var s = await ShixinServer.StartAsync(Db.Sqlite, WebhookTests.Fast());
        var court = await CourtAsync(s.Admin);
        var unit = await UnitAsync(s.Admin);

        // No secret given: the platform generates a whsec_ secret and shows it once.
        var created = await unit.Post("/api/v1/subscriptions", new { url = receiver.Url.ToString() }).Expect(HttpStatusCode.Created);
        var secret = created["secret"]!.GetValue<string>();
        secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Length.ShouldBe(32);
        var id = created["id"]!.GetValue<string>();
        (await unit.GetStringAsync("/api/v1/subscriptions/" + id, Ct)).ShouldNotContain("whsec_");
        (await unit.GetStringAsync("/api/v1/subscriptions", Ct)).ShouldNotContain("whsec_");

        // A subscriber from before keeps its plain secret; a bad whsec_ secret is refused.
        await unit.Post("/api/v1/subscriptions", new { url = legacyReceiver.Url.ToString(), secret = Legacy }).Expect(HttpStatusCode.Created);
        await unit.Post("/api/v1/subscriptions", new { url = receiver.Url.ToString(), secret = "whsec_not base64!" }).Expect(HttpStatusCode.BadRequest);

        await court.ListAsync();
        await Until(() => receiver.Accepted.Count >= 1 && legacyReceiver.Accepted.Count >= 1, TimeSpan.FromSeconds(20), "first deliveries");

        var d = receiver.Accepted[0];
        d.Headers!["webhook-id"].ShouldBe(d.EventId);
        d.Headers["webhook-signature"].ShouldStartWith("v1,");
        new StandardWebhook(secret).Verify(d.Text, HeadersOf(d));
        Should.Throw<WebhookVerificationException>(() => new StandardWebhook(StandardWebhookSignature.NewSecret()).Verify(d.Text, HeadersOf(d)));
        Should.Throw<WebhookVerificationException>(() => new StandardWebhook(secret).Verify(d.Text.Replace("\"seq\"", "\"Seq\"", StringComparison.Ordinal), HeadersOf(d)));

        // The existing signature stays for current subscribers.
        WebhookSignature.Verify(d.Signature!, d.Body, secret, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).ShouldBeTrue();

        // A plain secret verifies off the shelf as whsec_ + base64 of its UTF-8 bytes.
        var l = legacyReceiver.Accepted[0];
        new StandardWebhook("whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes(Legacy))).Verify(l.Text, HeadersOf(l));
        WebhookSignature.Verify(l.Signature!, l.Body, Legacy, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).ShouldBeTrue();

        // Rotation: the next delivery is signed with both secrets, each verifying on its own.
        var rotated = await unit.Post("/api/v1/subscriptions/" + id + "/secrets", new { }).Expect(HttpStatusCode.OK);
        var secret2 = rotated["secret"]!.GetValue<string>();
        secret2.ShouldStartWith("whsec_");
        await court.ListAsync();
        await Until(() => receiver.Accepted.Count >= 2, TimeSpan.FromSeconds(20), "delivery after rotation");
        var d2 = receiver.Accepted[^1];
        var both = d2.Headers!["webhook-signature"].Split(' ');
        both.Length.ShouldBe(2);
        new StandardWebhook(secret2).Verify(d2.Text, HeadersOf(d2));

        // StandardWebhooks 1.1.2 compares only the first of several signatures (its loop stops before the last one), so
        // the previous secret's signature is checked here on its own; the npm package below checks the header as sent.
        // The new secret goes first: once a unit has switched to it, every library verifies.
        var previousOnly = HeadersOf(d2);
        previousOnly["webhook-signature"] = both[1];
        new StandardWebhook(secret).Verify(d2.Text, previousOnly);

        // At rest: no secret in the database, in any form a copy of the file would give away.
        var database = s.Get<ShixinDatabase>();
        await using (var db = database.CreateContext())
        {
            var stored = await db.Subscriptions.AsNoTracking().Select(r => r.SecretsJson).ToListAsync(Ct);
            stored.Count.ShouldBe(2);
            foreach (var row in stored)
            {
                row.ShouldStartWith("dp1:");
                row.ShouldNotContain(secret["whsec_".Length..]);
                row.ShouldNotContain(secret2["whsec_".Length..]);
                row.ShouldNotContain(Legacy);
            }

            // A row stored in clear by an earlier version is sealed at startup (the same pass, run here) and still delivers.
            var legacyRow = await db.Subscriptions.FirstAsync(r => r.Url == legacyReceiver.Url.ToString(), Ct);
            legacyRow.SecretsJson = JsonSerializer.Serialize(new[] { new { value = Legacy, validUntil = (DateTimeOffset?)null } });
            await db.SaveChangesAsync(Ct);
        }

        (await s.Get<WebhookSecrets>().SealLegacyAsync(database, Ct)).ShouldBe(1);
        await using (var db = database.CreateContext())
        {
            (await db.Subscriptions.AsNoTracking().CountAsync(r => r.SecretsJson.StartsWith("dp1:"), Ct)).ShouldBe(2);
        }

        var before = legacyReceiver.Accepted.Count;
        await court.ListAsync();
        await Until(() => legacyReceiver.Accepted.Count > before, TimeSpan.FromSeconds(20), "legacy delivery after sealing");
        var l2 = legacyReceiver.Accepted[^1];
        WebhookSignature.Verify(l2.Signature!, l2.Body, Legacy, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).ShouldBeTrue();

        // The npm standardwebhooks package verifies the same deliveries.
        await VerifyWithNodeAsync([(secret, d, true), (secret2, d2, true), (secret, d2, true), (StandardWebhookSignature.NewSecret(), d, false)]);
    }

    [Fact]
    public async Task Subscriber_networks_name_their_ports_and_plain_http_is_refused_outside_listed_test_networks()
    {
        // The default: private ranges on 443 and 8443, https only.
        var defaults = new WebhookNetworks(null);
        (await defaults.ValidateAsync("https://10.0.0.1/hook", Ct)).ShouldBeNull();
        (await defaults.ValidateAsync("https://10.0.0.1:8443/hook", Ct)).ShouldBeNull();
        (await defaults.ValidateAsync("https://10.0.0.1:22/hook", Ct))!.Value.Code.ShouldBe("webhook-address-not-allowed");
        (await defaults.ValidateAsync("https://10.0.0.1:6379/hook", Ct))!.Value.Code.ShouldBe("webhook-address-not-allowed");
        (await defaults.ValidateAsync("http://10.0.0.1:443/hook", Ct))!.Value.Code.ShouldBe("webhook-https-required");
        (await defaults.ValidateAsync("http://10.0.0.1/hook", Ct))!.Value.Code.ShouldBe("webhook-address-not-allowed");
        (await defaults.ValidateAsync("https://127.0.0.1/hook", Ct))!.Value.Code.ShouldBe("webhook-address-not-allowed");
        (await defaults.ValidateAsync("https://169.254.169.254/latest", Ct))!.Value.Code.ShouldBe("webhook-address-not-allowed");

        // Networks with their ports, as an operator writes them.
        var listed = new WebhookNetworks("10.0.0.0/8:443,192.168.0.0/16:8443,fd00::/8:9443");
        (await listed.ValidateAsync("https://10.1.2.3/x", Ct)).ShouldBeNull();
        (await listed.ValidateAsync("https://10.1.2.3:8443/x", Ct))!.Value.Code.ShouldBe("webhook-address-not-allowed");
        (await listed.ValidateAsync("https://192.168.1.1:8443/x", Ct)).ShouldBeNull();
        (await listed.ValidateAsync("https://192.168.1.1/x", Ct))!.Value.Code.ShouldBe("webhook-address-not-allowed");
        (await listed.ValidateAsync("https://[fd00::5]:9443/x", Ct)).ShouldBeNull();
        (await listed.ValidateAsync("https://[fd00::5]:22/x", Ct))!.Value.Code.ShouldBe("webhook-address-not-allowed");

        // Over the API, with loopback allowed on any port but no plain-http network: the subscription is refused...
        await using var receiver = await Receiver.StartAsync();
        var settings = WebhookTests.Fast();
        settings.Remove("SHIXIN_WEBHOOK_ALLOW_HTTP_NETWORKS");
        await using var s = await ShixinServer.StartAsync(Db.Sqlite, settings);
        var unit = await UnitAsync(s.Admin);
        var refused = await unit.Post("/api/v1/subscriptions", new { url = receiver.Url.ToString(), secret = Legacy }).Expect(HttpStatusCode.BadRequest);
        refused["code"]!.GetValue<string>().ShouldBe("webhook-https-required");
        var port = await unit.Post("/api/v1/subscriptions", new { url = "https://10.0.0.1:22/hook", secret = Legacy }).Expect(HttpStatusCode.BadRequest);
        port["code"]!.GetValue<string>().ShouldBe("webhook-address-not-allowed");

        // ...and the delivery client itself will not send personal data over plain http there.
        using var client = s.Get<WebhookNetworks>().CreateClient(TimeSpan.FromSeconds(5));
        await Should.ThrowAsync<HttpRequestException>(() => client.PostAsync(receiver.Url, new StringContent("{\"events\":[]}"), Ct));
        receiver.Attempts.ShouldBe(0);

        // With the test network listed for http, the same client reaches it.
        using var allowed = new WebhookNetworks("127.0.0.0/8:*", "127.0.0.0/8").CreateClient(TimeSpan.FromSeconds(5));
        (await allowed.PostAsync(receiver.Url, new StringContent("{\"events\":[]}"), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        receiver.Attempts.ShouldBe(1);
    }

    /// <summary>Runs the npm standardwebhooks package over recorded deliveries; skipped, visibly, without Node or npm.</summary>
    private async Task VerifyWithNodeAsync(IReadOnlyList<(string Secret, Delivery Delivery, bool Valid)> cases)
    {
        var node = File.Exists("/usr/bin/node") ? "/usr/bin/node" : null;
        var npm = File.Exists("/usr/bin/npm") ? "/usr/bin/npm" : null;
        Assert.SkipWhen(node is null || npm is null, "Node or npm is not installed; the npm standardwebhooks check did not run");
        var dir = Directory.CreateTempSubdirectory("shixin-swh-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "package.json"), "{\"private\":true}", Ct);
            var (installed, log) = await RunAsync(npm!, dir, TimeSpan.FromSeconds(180), "install", "--no-audit", "--no-fund", "standardwebhooks@1");
            Assert.SkipUnless(installed == 0, "npm could not install standardwebhooks (offline?): " + log);
            await File.WriteAllTextAsync(Path.Combine(dir, "verify.js"), """
                const { Webhook } = require("standardwebhooks");
                const fs = require("fs");
                const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
                const results = cases.map(c => {
                  try { new Webhook(c.secret).verify(c.body, c.headers); return true; } catch (e) { return false; }
                });
                console.log(JSON.stringify(results));
                """, Ct);
            var input = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
            {
                ["secret"] = c.Secret,
                ["body"] = c.Delivery.Text,
                ["headers"] = new JsonObject
                {
                    ["webhook-id"] = c.Delivery.Headers!["webhook-id"],
                    ["webhook-timestamp"] = c.Delivery.Headers["webhook-timestamp"],
                    ["webhook-signature"] = c.Delivery.Headers["webhook-signature"],
                },
            })]);
            await File.WriteAllTextAsync(Path.Combine(dir, "cases.json"), input.ToJsonString(), Ct);
            var (code, stdout) = await RunAsync(node!, dir, TimeSpan.FromSeconds(60), "verify.js", "cases.json");
            code.ShouldBe(0, stdout);
            output.WriteLine("npm standardwebhooks: " + stdout.Trim());
            JsonSerializer.Deserialize<bool[]>(stdout.Trim()).ShouldBe(cases.Select(c => c.Valid).ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string dir, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(Ct);
        var stderr = p.StandardError.ReadToEndAsync(Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }

        return (p.ExitCode, await stdout + await stderr);
    }
}
