using Shixin.Core;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Units;

/// <summary>Body of POST /api/v1/subscriptions.</summary>
public sealed record CreateSubscriptionRequest(string? Url, string? Secret, string[]? Types, long? After);

/// <summary>Body of POST /api/v1/subscriptions/{id}/secrets.</summary>
public sealed record RotateSecretRequest(string? Secret, int? PreviousValidHours);

/// <summary>
/// A subscription with its delivery state. <c>secret</c> appears once, in the answer that created or rotated it, when
/// the platform generated it (a <c>whsec_</c> secret, Standard Webhooks); it is never shown again.
/// </summary>
public sealed record SubscriptionView(Guid Id, string Organization, string Url, string[]? Types, long Cursor, long Lag, string Status, int Failures,
    string? LastError, DateTimeOffset? LastAttemptAt, DateTimeOffset? LastDeliveredAt, DateTimeOffset? NextAttemptAt, int ActiveSecrets,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null);

/// <summary>Webhook subscriptions (API.md "Distribution").</summary>
public static class SubscriptionsApi
{
    public static RouteGroupBuilder MapSubscriptionsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/subscriptions").WithTags("Units: distribution");
        g.MapPost("", Create).RequireRoles(Roles.UnitSubscriber).WithSummary("Subscribe a URL to list events (signed, in order, at least once)")
            .Produces<SubscriptionView>(201).ProducesProblem(400).WithMetadata(new ResponseSecrets("secret"));
        g.MapGet("", List).RequireRoles(Roles.UnitSubscriber, Roles.HubAdmin, Roles.HubAuditor).WithSummary("The caller's subscriptions (all, for the hub)")
            .Produces<SubscriptionView[]>();
        g.MapGet("/{id:guid}", Get).RequireRoles(Roles.UnitSubscriber, Roles.HubAdmin, Roles.HubAuditor).WithSummary("cursor, lag, lastError, status")
            .Produces<SubscriptionView>();
        g.MapPost("/{id:guid}/resume", Resume).RequireRoles(Roles.UnitSubscriber, Roles.HubAdmin).WithSummary("Resume a paused subscription now").Produces<SubscriptionView>();
        g.MapPost("/{id:guid}/secrets", Rotate).RequireRoles(Roles.UnitSubscriber).WithSummary("Rotate the secret; the previous one stays valid for a while (default 24 h)")
            .Produces<SubscriptionView>().WithMetadata(new ResponseSecrets("secret"));
        g.MapDelete("/{id:guid}", Delete).RequireRoles(Roles.UnitSubscriber).WithSummary("Stop deliveries").Produces(204);
        return api;
    }

    internal static async Task<IResult> Create(CreateSubscriptionRequest? body, HttpContext http, ShixinDatabase database, WebhookNetworks networks,
        WebhookSecrets sealedSecrets, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (await networks.ValidateAsync(body?.Url, ct) is { } urlError)
        {
            errors.Add("url", urlError.Message, urlError.Code);
        }

        if (SecretError(body?.Secret) is { } secretError)
        {
            errors.Add("secret", secretError);
        }

        foreach (var t in body?.Types ?? [])
        {
            if (!EntryEventTypes.IsListChange(t))
            {
                errors.Add("types", new("订阅类型无法识别", "unknown event type '" + t + "'; known: " + string.Join(", ", EntryEventTypes.ListChanges)));
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var caller = http.GetCaller();
        await using var db = database.CreateContext();
        var head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync(ct);
        var generated = string.IsNullOrEmpty(body!.Secret) ? StandardWebhookSignature.NewSecret() : null;
        var row = new SubscriptionRow
        {
            Id = Guid.CreateVersion7(),
            OrganizationCode = caller.OrganizationCode,
            Url = body.Url!,
            SecretsJson = sealedSecrets.Seal([new WebhookSecret(generated ?? body.Secret!, null)]),
            Types = body.Types is { Length: > 0 } types ? string.Join(',', types) : null,
            // A new subscriber starts from now (take GET /snapshot for the current list) unless it names a sequence.
            Cursor = Math.Clamp(body.After ?? head, 0, head),
            Status = "active",
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Subscriptions.Add(row);
        Audit.Stage(db, caller, "subscription.create", "subscription:" + row.Id.ToString(), row.Url, time);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created("/api/v1/subscriptions/" + row.Id.ToString(), View(row, head, time, sealedSecrets) with { Secret = generated });
    }

    internal static async Task<IResult> List(HttpContext http, ShixinDatabase database, WebhookSecrets sealedSecrets, TimeProvider time, CancellationToken ct)
    {
        var caller = http.GetCaller();
        await using var db = database.CreateContext();
        var head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync(ct);
        var hub = caller.HasAny(Roles.HubAdmin, Roles.HubAuditor);
        var rows = await db.Subscriptions.AsNoTracking().Where(s => hub || s.OrganizationCode == caller.OrganizationCode).OrderBy(s => s.Id).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => View(r, head, time, sealedSecrets)).ToArray());
    }

    internal static async Task<IResult> Get(Guid id, HttpContext http, ShixinDatabase database, WebhookSecrets sealedSecrets, TimeProvider time, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var (row, problem) = await FindAsync(db, id, http.GetCaller(), ct);
        if (problem is not null)
        {
            return problem;
        }

        var head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync(ct);
        return TypedResults.Ok(View(row!, head, time, sealedSecrets));
    }

    internal static async Task<IResult> Resume(Guid id, HttpContext http, ShixinDatabase database, LedgerSignal signal, WebhookSecrets sealedSecrets,
        TimeProvider time, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var (row, problem) = await FindAsync(db, id, http.GetCaller(), ct);
        if (problem is not null)
        {
            return problem;
        }

        row!.Status = "active";
        row.Failures = 0;
        row.FirstFailureAt = null;
        row.NextAttemptAt = null;
        Audit.Stage(db, http.GetCaller(), "subscription.resume", "subscription:" + id.ToString(), null, time);
        await db.SaveChangesAsync(ct);
        var head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync(ct);
        signal.Notify(head);
        return TypedResults.Ok(View(row, head, time, sealedSecrets));
    }

    internal static async Task<IResult> Rotate(Guid id, RotateSecretRequest? body, HttpContext http, ShixinDatabase database, WebhookSecrets sealedSecrets,
        TimeProvider time, CancellationToken ct)
    {
        if (SecretError(body?.Secret) is { } secretError)
        {
            return Problems.Of("validation-failed", secretError, new Dictionary<string, Bilingual[]> { ["secret"] = [secretError] });
        }

        var generated = string.IsNullOrEmpty(body?.Secret) ? StandardWebhookSignature.NewSecret() : null;

        await using var db = database.CreateContext();
        var (row, problem) = await FindAsync(db, id, http.GetCaller(), ct);
        if (problem is not null)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var previousUntil = now.AddHours(Math.Clamp(body?.PreviousValidHours ?? 24, 0, 24 * 30));

        // Two secrets are active during a rotation: the new one, and the previous one until it lapses.
        var secrets = (sealedSecrets.TryOpen(row!.SecretsJson) ?? [])
            .Where(s => s.ValidUntil is null || s.ValidUntil > now)
            .Select(s => s.ValidUntil is null ? s with { ValidUntil = previousUntil } : s)
            .Prepend(new WebhookSecret(generated ?? body!.Secret!, null))
            .Take(2).ToList();
        row.SecretsJson = sealedSecrets.Seal(secrets);
        Audit.Stage(db, http.GetCaller(), "subscription.rotate-secret", "subscription:" + id.ToString(), null, time);
        await db.SaveChangesAsync(ct);
        var head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync(ct);
        return TypedResults.Ok(View(row, head, time, sealedSecrets) with { Secret = generated });
    }

    internal static async Task<IResult> Delete(Guid id, HttpContext http, ShixinDatabase database, TimeProvider time, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var (row, problem) = await FindAsync(db, id, http.GetCaller(), ct);
        if (problem is not null)
        {
            return problem;
        }

        db.Subscriptions.Remove(row!);
        Audit.Stage(db, http.GetCaller(), "subscription.delete", "subscription:" + id.ToString(), null, time);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<(SubscriptionRow? Row, IResult? Problem)> FindAsync(ShixinDbContext db, Guid id, Caller caller, CancellationToken ct)
    {
        var row = await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (row is null)
        {
            return (null, Problems.NotFound(new("该订阅", "subscription " + id.ToString())));
        }

        return !string.Equals(row.OrganizationCode, caller.OrganizationCode, StringComparison.Ordinal) && !caller.HasAny(Roles.HubAdmin, Roles.HubAuditor)
            ? (null, Problems.Forbidden(new("该订阅属于其他单位", "the subscription belongs to another organization")))
            : (row, null);
    }

    /// <summary>
    /// Null when the secret is acceptable: none (the platform generates one), a Standard Webhooks <c>whsec_</c> secret
    /// with 24–64 bytes of base64 key material, or any other 16–256 characters (as before).
    /// </summary>
    private static Bilingual? SecretError(string? secret) =>
        string.IsNullOrEmpty(secret) ? null
        : secret.StartsWith(StandardWebhookSignature.SecretPrefix, StringComparison.Ordinal)
            ? (StandardWebhookSignature.TryDecode(secret, out _) ? null
                : new Bilingual("以whsec_开头的签名密钥，前缀后应为24至64字节的Base64编码", "a whsec_ secret is base64 of 24–64 bytes after the prefix"))
            : secret.Length is >= 16 and <= 256 ? null
                : new Bilingual("签名密钥应为16至256个字符，或以whsec_开头；也可不填，由平台生成",
                    "secret must be 16–256 characters, a whsec_ secret, or left out for the platform to generate one");

    private static SubscriptionView View(SubscriptionRow r, long head, TimeProvider time, WebhookSecrets sealedSecrets)
    {
        var now = time.GetUtcNow();
        var active = sealedSecrets.TryOpen(r.SecretsJson)?.Count(s => s.ValidUntil is null || s.ValidUntil > now) ?? 0;
        static DateTimeOffset? China(DateTime? d) => d is null ? null : Shixin.Core.ChinaTime.ToChina(d.Value);
        return new SubscriptionView(r.Id, r.OrganizationCode, r.Url, r.Types?.Split(','), r.Cursor, Math.Max(0, head - r.Cursor), r.Status, r.Failures,
            r.LastError, China(r.LastAttemptAt), China(r.LastDeliveredAt), China(r.NextAttemptAt), active);
    }
}
