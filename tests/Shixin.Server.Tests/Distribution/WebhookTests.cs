using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Shixin.Server.Units;
using static Shixin.Server.Tests.Distribution.DistKit;

namespace Shixin.Server.Tests.Distribution;

/// <summary>Signed, ordered, at-least-once webhooks to a real receiver on loopback.</summary>
public sealed class WebhookTests(ITestOutputHelper output)
{
    private const string Secret1 = "first-secret-0123456789";
    private const string Secret2 = "second-secret-9876543210";

    public static Dictionary<string, string?> Fast(string? giveUpHours = null) => new()
    {
        // Test receivers listen on loopback, on any port, over plain http: explicitly allowed for tests only.
        ["SHIXIN_WEBHOOK_ALLOWED_NETWORKS"] = "127.0.0.0/8:*",
        ["SHIXIN_WEBHOOK_ALLOW_HTTP_NETWORKS"] = "127.0.0.0/8",
        ["SHIXIN_WEBHOOK_FIRST_RETRY_SECONDS"] = "0.05",
        ["SHIXIN_WEBHOOK_MAX_BACKOFF_SECONDS"] = "0.3",
        ["SHIXIN_WEBHOOK_TIMEOUT_SECONDS"] = "5",
        ["SHIXIN_WEBHOOK_GIVE_UP_HOURS"] = giveUpHours ?? "72",
        ["SHIXIN_WEBHOOK_BATCH"] = "3",
    };

    private static async Task<string> SubscribeAsync(HttpClient unit, Uri url, string secret = Secret1, string[]? types = null)
    {
        var created = await unit.Post("/api/v1/subscriptions", new { url = url.ToString(), secret, types }).Expect(HttpStatusCode.Created);
        return created["id"]!.GetValue<string>();
    }

    private static Task<JsonObject> StateAsync(HttpClient unit, string id) => unit.GetAsync("/api/v1/subscriptions/" + id, Ct).Expect(HttpStatusCode.OK);

    private static void ShouldBeSigned(Delivery d, params string[] secrets)
    {
        d.Signature.ShouldNotBeNull();
        d.EventId.ShouldNotBeNullOrEmpty();
        foreach (var secret in secrets)
        {
            WebhookSignature.Verify(d.Signature, d.Body, secret, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).ShouldBeTrue(d.Signature);
        }

        WebhookSignature.Verify(d.Signature, d.Body, "not-the-secret-at-all", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).ShouldBeFalse();
        var tampered = (byte[])d.Body.Clone();
        tampered[^2] ^= 1;
        WebhookSignature.Verify(d.Signature, tampered, secrets[0], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).ShouldBeFalse();
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task Deliveries_are_signed_in_order_and_rotation_signs_with_both_secrets(Db db)
    {
        await using var receiver = await Receiver.StartAsync();
        await using var s = await ShixinServer.StartAsync(db, Fast());
        var court = await CourtAsync(s.Admin);
        var unit = await UnitAsync(s.Admin);
        await court.ListAsync(); // before the subscription: not delivered
        var sub = await SubscribeAsync(unit, receiver.Url);
        (await StateAsync(unit, sub))["cursor"]!.GetValue<long>().ShouldBe(1);
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await court.ListAsync()).Id);
        }

        await Until(() => receiver.AcceptedSeqs.Count >= 7, TimeSpan.FromSeconds(10), "7 deliveries");
        receiver.AcceptedSeqs.ShouldBe(Enumerable.Range(2, 7).Select(i => (long)i));
        foreach (var d in receiver.Accepted)
        {
            ShouldBeSigned(d, Secret1);
            d.Signature!.Split(',').Count(p => p.StartsWith("v1=", StringComparison.Ordinal)).ShouldBe(1);
            d.Seqs.Length.ShouldBeLessThanOrEqualTo(3);
            var body = JsonNode.Parse(d.Body)!["events"]!.AsArray();
            body.ShouldAllBe(e => e!["entry"]!["subjects"] != null && e["entry"]!["obligation"] == null);
        }

        receiver.Accepted.Select(d => d.EventId).Distinct().Count().ShouldBe(receiver.Accepted.Count);
        await Until(async () => (await StateAsync(unit, sub))["lag"]!.GetValue<long>() == 0, TimeSpan.FromSeconds(5), "lag 0");
        var state = await StateAsync(unit, sub);
        state["cursor"]!.GetValue<long>().ShouldBe(8);
        state["lastError"].ShouldBeNull();

        // Rotation: the new and the previous secret both sign, each v1 verifies with its own secret.
        var rotated = await unit.Post("/api/v1/subscriptions/" + sub + "/secrets", new { secret = Secret2, previousValidHours = 1 }).Expect(HttpStatusCode.OK);
        rotated["activeSecrets"]!.GetValue<int>().ShouldBe(2);
        var before = receiver.Accepted.Count;
        await court.ListAsync();
        await Until(() => receiver.Accepted.Count > before, TimeSpan.FromSeconds(10), "a delivery after rotation");
        var during = receiver.Accepted[^1];
        ShouldBeSigned(during, Secret1, Secret2);
        var parts = during.Signature!.Split(',');
        var t = long.Parse(parts.Single(p => p.StartsWith("t=", StringComparison.Ordinal))[2..], CultureInfo.InvariantCulture);
        var v1s = parts.Where(p => p.StartsWith("v1=", StringComparison.Ordinal)).ToList();
        v1s.Count.ShouldBe(2);
        foreach (var secret in new[] { Secret1, Secret2 })
        {
            var own = WebhookSignature.Sign(t, during.Body, [secret]).Split(',')[1];
            v1s.ShouldContain(own);
        }

        // Ending the previous secret at once: only the new one signs.
        await unit.Post("/api/v1/subscriptions/" + sub + "/secrets", new { secret = "third-secret-5555555555", previousValidHours = 0 }).Expect(HttpStatusCode.OK);
        before = receiver.Accepted.Count;
        await court.ListAsync();
        await Until(() => receiver.Accepted.Count > before, TimeSpan.FromSeconds(10), "a delivery after the second rotation");
        var after = receiver.Accepted[^1];
        after.Signature!.Split(',').Count(p => p.StartsWith("v1=", StringComparison.Ordinal)).ShouldBe(1);
        WebhookSignature.Verify(after.Signature, after.Body, "third-secret-5555555555", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).ShouldBeTrue();
        WebhookSignature.Verify(after.Signature, after.Body, Secret2, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).ShouldBeFalse();
        receiver.AcceptedSeqs.ShouldBe(Enumerable.Range(2, 9).Select(i => (long)i));
    }

    [Fact]
    public async Task Subscriber_urls_are_validated_against_the_allowed_networks()
    {
        await using var receiver = await Receiver.StartAsync();
        await using (var strict = await ShixinServer.StartAsync(Db.Sqlite))
        {
            var unit = await UnitAsync(strict.Admin);
            foreach (var url in new[] { receiver.Url.ToString(), "http://127.0.0.1/hook", "http://localhost/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/x" })
            {
                var p = await unit.Post("/api/v1/subscriptions", new { url, secret = Secret1 }).Expect(HttpStatusCode.BadRequest);
                p.ToJsonString().ShouldContain("url", Case.Sensitive, url);
            }
        }

        await using var s = await ShixinServer.StartAsync(Db.Sqlite, Fast());
        var u = await UnitAsync(s.Admin);
        foreach (var url in new[] { "http://169.254.169.254/latest/meta-data", "ftp://127.0.0.1/hook", "file:///etc/passwd", "hook", "http://user:pw@127.0.0.1/x", "http://10.1.2.3/x" })
        {
            await u.Post("/api/v1/subscriptions", new { url, secret = Secret1 }).Expect(HttpStatusCode.BadRequest);
        }

        await u.Post("/api/v1/subscriptions", new { url = receiver.Url.ToString(), secret = "short" }).Expect(HttpStatusCode.BadRequest);
        await u.Post("/api/v1/subscriptions", new { url = receiver.Url.ToString(), secret = Secret1, types = new[] { "entry.nonsense" } }).Expect(HttpStatusCode.BadRequest);
        await SubscribeAsync(u, receiver.Url);
    }

    [Fact]
    public async Task A_redirect_is_a_failure_and_the_target_gets_nothing()
    {
        await using var target = await Receiver.StartAsync();
        await using var redirecting = await Receiver.StartAsync();
        redirecting.Mode = ReceiverMode.Redirect;
        redirecting.RedirectTo = target.Url.ToString();
        await using var s = await ShixinServer.StartAsync(Db.Sqlite, Fast());
        var court = await CourtAsync(s.Admin);
        var unit = await UnitAsync(s.Admin);
        var sub = await SubscribeAsync(unit, redirecting.Url);
        await court.ListAsync();
        await Until(() => redirecting.Attempts >= 3, TimeSpan.FromSeconds(10), "retries to the redirecting receiver");
        var state = await StateAsync(unit, sub);
        state["cursor"]!.GetValue<long>().ShouldBe(0);
        state["lag"]!.GetValue<long>().ShouldBe(1);
        state["lastError"]!.GetValue<string>().ShouldContain("302");
        state["failures"]!.GetValue<int>().ShouldBeGreaterThan(0);
        target.Attempts.ShouldBe(0);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task A_receiver_down_for_a_while_gets_every_event_in_order(Db db)
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Mode = ReceiverMode.Down;
        await using var s = await ShixinServer.StartAsync(db, Fast());
        var court = await CourtAsync(s.Admin);
        var unit = await UnitAsync(s.Admin);
        var sub = await SubscribeAsync(unit, receiver.Url);
        var listed = new List<Listed>();
        for (var i = 0; i < 8; i++)
        {
            listed.Add(await court.ListAsync());
        }

        await court.RevokeAsync(listed[2].Id);
        await Until(() => receiver.Attempts >= 3, TimeSpan.FromSeconds(10), "failed attempts");

        // Meanwhile the subscription shows how far behind it is and why.
        var state = await StateAsync(unit, sub);
        output.WriteLine("while down: " + state.ToJsonString());
        state["lag"]!.GetValue<long>().ShouldBe(9);
        state["cursor"]!.GetValue<long>().ShouldBe(0);
        state["lastError"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        state["status"]!.GetValue<string>().ShouldBe("active");

        receiver.Mode = ReceiverMode.Ok;
        await court.ListAsync();
        await Until(() => receiver.AcceptedSeqs.Count >= 10, TimeSpan.FromSeconds(15), "every event after the receiver returns");
        receiver.AcceptedSeqs.ShouldBe(Enumerable.Range(1, 10).Select(i => (long)i));
        receiver.Accepted.ShouldAllBe(d => WebhookSignature.Verify(d.Signature!, d.Body, Secret1, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        await Until(async () => (await StateAsync(unit, sub))["lag"]!.GetValue<long>() == 0, TimeSpan.FromSeconds(5), "lag 0");
        (await StateAsync(unit, sub))["lastError"].ShouldBeNull();

        // Every failed attempt retried from the cursor (seq 1); each accepted batch came once, under its own event id.
        receiver.All.Where(d => !d.Accepted).ShouldAllBe(d => d.Seqs.Length > 0 && d.Seqs[0] == 1);
        receiver.Accepted.Select(d => d.EventId).Distinct().Count().ShouldBe(receiver.Accepted.Count);
    }

    [Theory]
    [InlineData(Db.Sqlite)]
    [InlineData(Db.Postgres)]
    public async Task After_give_up_the_subscription_pauses_and_resume_delivers_the_rest(Db db)
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Mode = ReceiverMode.Error;
        await using var s = await ShixinServer.StartAsync(db, Fast(giveUpHours: "0.0003")); // about a second
        var court = await CourtAsync(s.Admin);
        var unit = await UnitAsync(s.Admin);
        var sub = await SubscribeAsync(unit, receiver.Url);
        for (var i = 0; i < 5; i++)
        {
            await court.ListAsync();
        }

        await Until(async () => (await StateAsync(unit, sub))["status"]!.GetValue<string>() == "paused", TimeSpan.FromSeconds(15), "paused");
        var paused = await StateAsync(unit, sub);
        paused["lastError"]!.GetValue<string>().ShouldContain("503");
        paused["lag"]!.GetValue<long>().ShouldBe(5);

        // Paused: no more attempts even though the receiver is back.
        receiver.Mode = ReceiverMode.Ok;
        var attempts = receiver.Attempts;
        await court.ListAsync();
        await Task.Delay(800, Ct);
        receiver.Attempts.ShouldBe(attempts);
        receiver.Accepted.ShouldBeEmpty();

        var resumed = await unit.PostAsync("/api/v1/subscriptions/" + sub + "/resume", null, Ct).Expect(HttpStatusCode.OK);
        resumed["status"]!.GetValue<string>().ShouldBe("active");
        await Until(() => receiver.AcceptedSeqs.Count >= 6, TimeSpan.FromSeconds(10), "the rest after resume");
        receiver.AcceptedSeqs.ShouldBe(Enumerable.Range(1, 6).Select(i => (long)i));
        await Until(async () => (await StateAsync(unit, sub))["lag"]!.GetValue<long>() == 0, TimeSpan.FromSeconds(5), "lag 0");
    }

    [Fact]
    public async Task A_types_filter_delivers_only_those_types_and_moves_past_the_rest()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var s = await ShixinServer.StartAsync(Db.Sqlite, Fast());
        var court = await CourtAsync(s.Admin);
        var unit = await UnitAsync(s.Admin);
        var sub = await SubscribeAsync(unit, receiver.Url, types: ["entry.revoked"]);
        var a = await court.ListAsync();
        await court.ListAsync();
        var c = await court.ListAsync();
        await court.RevokeAsync(c.Id);
        await court.ListAsync();
        await court.ListAsync();
        await court.RevokeAsync(a.Id);
        await Until(async () => (await StateAsync(unit, sub))["lag"]!.GetValue<long>() == 0, TimeSpan.FromSeconds(10), "cursor at head");
        receiver.Accepted.SelectMany(d => d.Types).ShouldAllBe(t => t == "entry.revoked");
        receiver.AcceptedSeqs.ShouldBe([4L, 7L]);
        receiver.Accepted.SelectMany(d => JsonNode.Parse(d.Body)!["events"]!.AsArray()).Select(e => e!["entryId"]!.GetValue<string>()).ShouldBe([c.Id, a.Id]);
    }
}
