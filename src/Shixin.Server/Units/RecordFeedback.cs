using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Catalogs;
using Shixin.Core.Entries;
using Shixin.Core.Oversight;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Units;

/// <summary>Body of POST /api/v1/feedback.</summary>
public sealed record FeedbackRequest(Guid? EntryId, string? MeasureCode, string? Action, DateTimeOffset? OccurredAt, Guid? CheckId, string? Note,
    string? LegalBasis, string? KeepUntil);

/// <summary>A recorded feedback.</summary>
public sealed record FeedbackView(Guid Id, string Organization, Guid EntryId, string MeasureCode, string Action, DateTimeOffset OccurredAt, Guid? CheckId,
    string? Note, string? LegalBasis, DateOnly? KeepUntil)
{
    public static FeedbackView Of(FeedbackRow f) => new(f.Id, f.OrganizationCode, f.EntryId, f.MeasureCode, f.Action.ToApi(), ChinaTime.ToChina(f.OccurredAt),
        f.CheckId, f.Note, f.LegalBasis, f.KeepUntil);
}

/// <summary>
/// A unit reports what it did with a measure (POST /api/v1/feedback, the unit console, the demo): the request is read
/// here, the rules are <see cref="FeedbackDecider"/>'s.
/// </summary>
public sealed class RecordFeedbackService(ShixinDatabase database, MeasureCatalogs catalogs, TimeProvider time)
{
    public async Task<Outcome<FeedbackView>> RunAsync(FeedbackRequest? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body?.EntryId is null)
        {
            errors.Add("entryId", new("请指明名单条目", "entryId is required"));
        }

        var measureId = Measures.IdOf(catalogs, body?.MeasureCode);
        if (measureId is null)
        {
            errors.Add("measureCode", new("惩戒措施无法识别，请从措施清单中选择", "measureCode must be a measure id or a clause code of a catalog (GET /api/v1/catalogs/{id}/measures)"));
        }

        if (!FeedbackActions.TryParse(body?.Action, out var action))
        {
            errors.Add("action", new("处理方式应为“已采取”“已解除”“已暂停”“已恢复”或“继续保留”之一",
                "action must be one of " + string.Join(", ", FeedbackActions.All.Select(a => a.ToApi()))));
        }

        var keepUntil = EntryRequestParsing.Date(errors, "keepUntil", body?.KeepUntil, required: false);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = database.CreateContext();
        var status = await db.Entries.AsNoTracking().Where(e => e.Id == body!.EntryId).Select(e => e.Status).FirstOrDefaultAsync(ct);
        if (status is null)
        {
            return Problems.NotFound(new("该名单条目", "entry " + body!.EntryId.ToString()));
        }

        var now = time.GetUtcNow();
        var known = EntryStatusNames.TryParse(status, out var st);
        var decision = FeedbackDecider.Decide(new RecordFeedback(known && st != EntryStatus.Draft && st != EntryStatus.Noticed,
            known ? st.TitleZh() : "未知", status, action, body!.LegalBasis, keepUntil, body.OccurredAt ?? now, now));
        if (decision.IsRefused)
        {
            return Refusals.Problem(decision.Errors);
        }

        var row = new FeedbackRow
        {
            Id = Guid.CreateVersion7(), OrganizationCode = caller.OrganizationCode, EntryId = body.EntryId!.Value, MeasureCode = measureId!,
            Action = action, OccurredAt = decision.Event.OccurredAt.UtcDateTime, CheckId = body.CheckId, Note = body.Note,
            LegalBasis = body.LegalBasis, KeepUntil = keepUntil, CreatedAt = now.UtcDateTime,
        };
        db.Feedback.Add(row);
        Audit.Stage(db, caller, "feedback." + action.ToApi(), "entry:" + row.EntryId.ToString(), row.MeasureCode, time);
        await db.SaveChangesAsync(ct);
        return FeedbackView.Of(row);
    }
}

/// <summary>Measure codes as units send them.</summary>
public static class Measures
{
    // A check answers clause codes (jiangsu-2017/三.二#4) beside measure ids; a unit reporting what it did with a check's
    // answer may send either. Feedback, objections and the quarterly report count by measure (000 §四(二)), so a
    // clause code is recorded as the measure it belongs to.
    public static string? IdOf(MeasureCatalogs catalogs, string? code)
    {
        if (code is null)
        {
            return null;
        }

        if (catalogs.TryGetMeasure(code, out _))
        {
            return code;
        }

        return catalogs.TryGetClause(code, out var clause) ? clause.Measure.Id : null;
    }

    /// <summary>The measure belongs to a catalog in force in the region and some scenario applies it.</summary>
    public static bool InForce(MeasureCatalogs catalogs, string measureId, string region) =>
        catalogs.TryGetMeasure(measureId, out var m)
        && catalogs.ForRegion(region).Any(c => string.Equals(c.Id, m.CatalogId, StringComparison.Ordinal))
        && catalogs.Scenarios.Any(s => s.MeasureIds.Contains(measureId, StringComparer.Ordinal));
}
