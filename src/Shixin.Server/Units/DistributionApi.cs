using System.Data;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Shixin.Core;
using Shixin.Core.Calendar;
using Shixin.Core.Entries;
using Shixin.Core.Identifiers;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Units;

/// <summary>The shape GET /api/v1/feed writes (streamed by hand for speed; this record documents it in OpenAPI).</summary>
public sealed record FeedPageDoc(FeedEventDoc[] Events, long Next);

/// <summary>One feed event: its sequence, type, entry and the entry as units see it after the event (null once it left).</summary>
public sealed record FeedEventDoc(long Seq, string Type, Guid EntryId, DateTimeOffset At, UnitEntryView? Entry);

/// <summary>A removal from public view, for those who republished the list (002 §四(二)7).</summary>
/// <summary>
/// An entry removed from public view. <c>dropBy</c>: the last day a republished copy may still show it (002 §四(二)7,
/// rule <c>republished-copy.drop-removed</c> of the deployment's rule set), with <c>dropByProvisional</c> when counted into a
/// year whose holiday notice is not in the data yet.
/// </summary>
public sealed record PublicRemoval(string CaseNumber, string Name, string Identifier, string Court, string Kind, DateOnly? RemovedOn,
    DateOnly? DropBy = null, string? DropRule = null, bool DropByProvisional = false);

/// <summary>The list as units receive it: feed, snapshot and daily files (API.md "Distribution").</summary>
public static class DistributionApi
{
    private static readonly string[] Readers = [Roles.UnitSubscriber, Roles.UnitChecker, Roles.HubAdmin, Roles.HubAuditor];

    public static RouteGroupBuilder MapDistributionApi(this RouteGroupBuilder api)
    {
        api.MapGet("/feed", Feed).RequireRoles(Readers).WithTags("Units: distribution")
            .WithSummary("List changes after a sequence, gap-free; wait= long-polls up to that many seconds")
            .Produces<FeedPageDoc>();
        api.MapGet("/snapshot", Snapshot).RequireRoles(Readers).WithTags("Units: distribution")
            .WithSummary("NDJSON of every entry on the list; X-List-Sequence is the sequence it reflects")
            .Produces<string>(200, "application/x-ndjson");
        api.MapGet("/exports/daily/{date}.csv", Daily).RequireRoles(Readers).WithTags("Units: distribution")
            .WithSummary("The day's list changes as CSV (UTF-8 with BOM, Chinese headers) for units without a system connection")
            .Produces<string>(200, "text/csv");
        api.MapGet("/public/removals", Removals).RequireRateLimiting(Public.PublicApi.RatePolicy).WithTags("Public")
            .WithSummary("Entries removed from public view since a date, for those who republished the list")
            .Produces<Courts.Page<PublicRemoval>>();
        return api;
    }

    internal static async Task Feed(HttpContext http, ShixinDatabase database, LedgerSignal signal, Audit audit, long? after, int? limit, int? wait, CancellationToken ct)
    {
        var from = Math.Max(0, after ?? 0);
        var take = Math.Clamp(limit ?? 1000, 1, 10_000);
        // A long-poll budget, not a legal time: measured on the monotonic clock.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var budget = TimeSpan.FromSeconds(Math.Clamp(wait ?? 0, 0, 60));
        await using var db = database.CreateContext();
        while (true)
        {
            var next = signal.NextAsync();
            var head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync(ct);
            var remaining = budget - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (head > from || remaining <= TimeSpan.Zero)
            {
                break;
            }

            // Woken by a commit (this node's, or another's through LISTEN/NOTIFY), or polling.
            await Task.WhenAny(next, Task.Delay(remaining < TimeSpan.FromMilliseconds(250) ? remaining : TimeSpan.FromMilliseconds(250), ct));
        }

        await audit.ReadAsync(http.GetCaller(), "feed.read", "after:" + from.ToString(CultureInfo.InvariantCulture), ct);

        // Rows stream from the database reader straight into the response: no per-event objects.
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "SELECT seq, type, entry_id, occurred_at, entry_view_json FROM ledger_events WHERE seq > "
            + from.ToString(CultureInfo.InvariantCulture) + " ORDER BY seq LIMIT " + take.ToString(CultureInfo.InvariantCulture);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = http.Response.BodyWriter;
        await using var json = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = LedgerJson.Options.Encoder, SkipValidation = true });
        json.WriteStartObject();
        json.WriteStartArray("events");
        var last = from;
        var count = 0;
        while (await reader.ReadAsync(ct))
        {
            last = reader.GetInt64(0);
            json.WriteStartObject();
            json.WriteNumber("seq", last);
            json.WriteString("type", reader.GetString(1));
            json.WriteString("entryId", reader.GetGuid(2));
            json.WriteString("at", ChinaTime.ToChina(DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc)));
            json.WritePropertyName("entry");
            if (reader.IsDBNull(4))
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteRawValue(reader.GetString(4), skipInputValidation: true);
            }

            json.WriteEndObject();
            if (++count % 500 == 0)
            {
                await json.FlushAsync(ct);
                await body.FlushAsync(ct);
            }
        }

        json.WriteEndArray();
        json.WriteNumber("next", last);
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    internal static async Task Snapshot(HttpContext http, ShixinDatabase database, Audit audit, CancellationToken ct)
    {
        await audit.ReadAsync(http.GetCaller(), "snapshot.read", "list", ct);
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(ct);

        // One read transaction: the sequence and the entries come from the same moment, so that
        // the snapshot followed by the feed from X-List-Sequence gives exactly the current list.
        IDbContextTransaction tx = db.Database.GetDbConnection() is SqliteConnection sqlite
            ? await db.Database.UseTransactionAsync(sqlite.BeginTransaction(deferred: true), ct) ?? throw new InvalidOperationException("no transaction")
            : await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (tx)
        {
            var head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync(ct);
            http.Response.ContentType = "application/x-ndjson; charset=utf-8";
            http.Response.Headers["X-List-Sequence"] = head.ToString(CultureInfo.InvariantCulture);
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 1 << 16);
            await foreach (var view in db.Entries.AsNoTracking().Where(e => e.Screened).OrderBy(e => e.No).Select(e => e.UnitViewJson).AsAsyncEnumerable().WithCancellation(ct))
            {
                await writer.WriteAsync(view);
                await writer.WriteAsync('\n');
            }

            await writer.FlushAsync(ct);
        }
    }

    /// <summary>The first day a daily export can name: the list system began with 法释〔2013〕17号 (in force 2013-10-01).</summary>
    public static readonly DateOnly FirstExportDay = new(2013, 10, 1);

    internal static async Task<IResult> Daily(string date, HttpContext http, ShixinDatabase database, Audit audit, TimeProvider time, CancellationToken ct)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return Problems.Of(DomainError.Codes.InvalidDate, new("文件名应为日期，如2024-03-01.csv", "the file name is the date: /api/v1/exports/daily/YYYY-MM-DD.csv"));
        }

        // Issue 11 finding 10: 0001-01-01 in China time lies before DateTimeOffset's range (was a 500). The list began with
        // the SPC provisions of 2013 (法释〔2013〕17号); a day before that or after today has no file to give.
        var today = ChinaTime.Today(time);
        if (day < FirstExportDay || day > today)
        {
            return Problems.Of(DomainError.Codes.InvalidDate,
                new("日期应在" + Iso(FirstExportDay) + "至今天（" + Iso(today) + "）之间", "the date must lie between " + Iso(FirstExportDay) + " and today (" + Iso(today) + ")"),
                new Dictionary<string, Bilingual[]> { ["date"] = [new("日期超出" + Iso(FirstExportDay) + "至" + Iso(today) + "的范围", "outside " + Iso(FirstExportDay) + " … " + Iso(today))] });
        }

        // The day in China time, as UTC instants.
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).UtcDateTime;
        var to = from.AddDays(1);
        await using var db = database.CreateContext();
        var rows = await db.LedgerEvents.AsNoTracking().Where(e => e.Seq != null && e.OccurredAt >= from && e.OccurredAt < to)
            .OrderBy(e => e.Seq).Select(e => new FeedRow(e.Seq!.Value, e.Type, e.EntryId, e.OccurredAt, e.EntryViewJson)).ToListAsync(ct);
        var courts = await db.Organizations.AsNoTracking().Where(o => o.Kind == "court").ToDictionaryAsync(o => o.Code, o => o.Name, ct);
        var sb = new StringBuilder();
        sb.Append('\uFEFF');
        sb.Append("序号,变更类型,案号,被执行人姓名/名称,身份证号码/统一社会信用代码,关联人员,执行法院,失信情形,决定日期,发布日期,期限届满日期,退出日期,退出原因,不公开,变更时间\r\n");
        foreach (var r in rows)
        {
            var v = JsonSerializer.Deserialize<UnitEntryView>(r.View!, LedgerJson.Options)!;
            var debtor = v.Subjects[0];
            var related = string.Join("；", v.Subjects.Skip(1).Select(s => RoleZh(s.Role) + "：" + s.Name + " " + s.IdNumber));
            sb.Append(string.Join(',', new[]
            {
                r.Seq.ToString(CultureInfo.InvariantCulture), TypeZh(r.Type), v.CaseNumber, debtor.Name,
                debtor.IdNumber ?? debtor.CreditCode ?? debtor.OrganizationCode ?? "", related, courts.GetValueOrDefault(v.Court, v.Court),
                string.Join("；", v.Circumstances.Select(Circumstances.TitleZh)), Iso(v.DecidedOn), Iso(v.PublishedOn), Iso(v.ExpiresOn),
                Iso(v.ExitedOn), v.ExitReason ?? "", v.Restricted ? "是" : "否",
                ChinaTime.ToChina(r.At).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            }.Select(CsvText.Cell)));
            sb.Append("\r\n");
        }

        await audit.ReadAsync(http.GetCaller(), "export.daily", date, ct);
        return TypedResults.File(Encoding.UTF8.GetBytes(sb.ToString()), "text/csv; charset=utf-8", "shixin-" + date + ".csv");
    }

    internal static async Task<IResult> Removals(ShixinDatabase database, Courts.EntryService entries, string? since, string? cursor, int? limit, CancellationToken ct)
    {
        if (!DateOnly.TryParseExact(since, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from))
        {
            return Problems.Of(DomainError.Codes.InvalidDate, new("请提供起始日期（since=年-月-日）", "since=YYYY-MM-DD is required"));
        }

        var take = Math.Clamp(limit ?? 200, 1, 1000);
        var after = long.TryParse(cursor, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : 0;
        await using var db = database.CreateContext();
        string[] gone = ["shielded", "revoked", "deleted", "expired"];
        var rows = await db.Entries.AsNoTracking()
            .Where(e => gone.Contains(e.Status) && e.ExitedOn >= from && e.PublishedOn != null && e.Publicity == "public" && e.No > after)
            .OrderBy(e => e.No).Take(take + 1)
            .Join(db.Organizations.AsNoTracking(), e => e.CourtCode, o => o.Code, (e, o) => new { e.No, e.StateJson, Court = o.Name })
            .ToListAsync(ct);
        var items = rows.Take(take).Select(r =>
        {
            var s = LedgerJson.ReadState(r.StateJson);
            // 002 §四(二)7 names shielded and revoked entries; a deleted or expired one is gone from the list just the same,
            // so a republisher is given the same period for every removal.
            var drop = s.ExitedOn is { } exited ? entries.Rules.Due(RuleIds.RepublishedCopyDropRemoved, exited) : (Deadline?)null;
            return new PublicRemoval(s.CaseNumber, s.Subject.Name, PublicIdentifier(s.Subject), r.Court, s.Status.ToApi(), s.ExitedOn,
                drop?.DueOn, drop?.RuleId, drop?.Provisional ?? false);
        }).ToArray();
        return TypedResults.Ok(new Courts.Page<PublicRemoval>([.. items],
            rows.Count > take ? rows[take - 1].No.ToString(CultureInfo.InvariantCulture) : null));
    }

    /// <summary>A person's ID is shown masked (3423011964****3224); an organization's code in full (LEGAL.md §4.2).</summary>
    public static string PublicIdentifier(EntrySubject s) =>
        s.IsPerson ? (ResidentId.TryParse(s.IdNumber, out var id) ? id.Masked : "") : s.CreditCode ?? s.OrganizationCode ?? "";

    private static string Iso(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    private static string TypeZh(string type) => type switch
    {
        EntryEventTypes.Listed => "纳入",
        EntryEventTypes.Updated => "更正",
        EntryEventTypes.Extended => "延长期限",
        EntryEventTypes.Shielded => "屏蔽",
        EntryEventTypes.Revoked => "撤销",
        EntryEventTypes.Deleted => "删除",
        EntryEventTypes.Expired => "期限届满",
        EntryEventTypes.ExemptionGranted => "法院准许解禁",
        EntryEventTypes.ExemptionEnded => "解禁终止",
        EntryEventTypes.ObjectionFiled => "异议暂停措施",
        EntryEventTypes.ObjectionVerified => "异议核实",
        _ => type,
    };

    private static string RoleZh(string role) => role switch
    {
        RelatedRoles.LegalRepresentative => "法定代表人",
        RelatedRoles.Principal => "主要负责人",
        RelatedRoles.ActualController => "实际控制人",
        RelatedRoles.ResponsiblePerson => "直接责任人员",
        RelatedRoles.Director => "董事",
        RelatedRoles.Supervisor => "监事",
        RelatedRoles.SeniorManager => "高级管理人员",
        _ => role,
    };

    private sealed record FeedRow(long Seq, string Type, Guid EntryId, DateTime At, string? View);
}
