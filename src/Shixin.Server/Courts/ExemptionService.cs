using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Catalogs;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Http;

namespace Shixin.Server.Courts;

/// <summary>What granting or ending an exemption answered: the exemption as it now stands, or the problem why not.</summary>
public readonly record struct ExemptionOutcome(ExemptionView? View, IResult? Problem);

/// <summary>
/// Court exemptions (单次解禁、特定消费许可; 法发〔2019〕35号 §17; API.md "Court exemptions"): the one place that grants and
/// ends them. The API endpoints and the court console both call it, so the same checks hold on every path: only a judge
/// (<see cref="Roles.CourtJudge"/>) of the executing court, a person named on the entry, known scenarios, a whole window.
/// </summary>
public sealed class ExemptionService(EntryService entries, MeasureCatalogs catalogs, ShixinDatabase database)
{
    public async Task<ExemptionOutcome> GrantAsync(Guid entryId, ExemptionRequest? body, Caller caller, CancellationToken ct)
    {
        // The role filter refuses a clerk on the API already; this repeats it for every other path (the console).
        if (!caller.Has(Roles.CourtJudge))
        {
            return new(null, Problems.Forbidden(new("解禁须由执行法院的法官准许", "only a judge of the executing court grants an exemption (" + Roles.CourtJudge + ")")));
        }

        if (body is null)
        {
            return new(null, Problems.Of("invalid-request-body", EntriesApi.BodyRequired));
        }

        var errors = new FieldErrors();
        string? idNumber = null;
        if (string.IsNullOrWhiteSpace(body.IdNumber))
        {
            errors.Add("idNumber", new("请填写被执行人或其相关人员的身份证号码", "idNumber is required: the debtor's or a related person's ID number"));
        }
        else if (entries.Rules.CheckIdNumber("idNumber", body.IdNumber.Trim(), out var canonical, out _, out _) is { } idError)
        {
            errors.Add(idError);
        }
        else
        {
            idNumber = canonical;
        }

        if (!ExemptionKinds.IsKnown(body.Kind))
        {
            errors.Add("kind", new("解禁类型：请选择" + string.Join("、", ExemptionKinds.All.Select(k => "“" + ExemptionKinds.TitleZh(k) + "”")), "kind must be one of " + string.Join(", ", ExemptionKinds.All)));
        }

        var scenarios = (body.Scenarios ?? []).Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => x.Trim()).Distinct(StringComparer.Ordinal).ToArray();
        if (scenarios.Length == 0)
        {
            errors.Add("scenarios", new("适用场景：请至少选择一项", "name at least one scenario (GET /api/v1/scenarios)"));
        }

        foreach (var unknown in scenarios.Where(x => !catalogs.TryGetScenario(x, out _)))
        {
            errors.Add("scenarios", new("所选场景不在平台的业务场景目录中", "scenario '" + unknown + "' is not defined; GET /api/v1/scenarios lists them"), "unknown-scenario");
        }

        var from = EntryRequestParsing.Date(errors, "validFrom", body.ValidFrom);
        var until = EntryRequestParsing.Date(errors, "validUntil", body.ValidUntil);
        var reason = EntryRequestParsing.Required(errors, "reason", body.Reason);
        var basis = EntryRequestParsing.Required(errors, "basis", body.Basis, 500);
        if (errors.Any)
        {
            return new(null, errors.ToProblem());
        }

        var exemptionId = Guid.CreateVersion7();
        var outcome = await entries.RunOwnAsync(entryId, caller, "entry.exemption-grant",
            _ => new GrantExemption(exemptionId, idNumber!, body.Kind!, [.. scenarios], from!.Value, until!.Value, reason!, basis!, entries.Today), ct);
        return outcome.Problem is not null
            ? new(null, outcome.Problem)
            : new(ExemptionView.Of(entryId, outcome.State!.Exemptions.Single(x => x.Id == exemptionId), entries.Today) with { ListSequence = outcome.ListSequence }, null);
    }

    public async Task<ExemptionOutcome> EndAsync(Guid exemptionId, EndExemptionRequest? body, Caller caller, CancellationToken ct)
    {
        if (!caller.Has(Roles.CourtJudge))
        {
            return new(null, Problems.Forbidden(new("终止解禁须由执行法院的法官决定", "only a judge of the executing court ends an exemption (" + Roles.CourtJudge + ")")));
        }

        var errors = new FieldErrors();
        var reason = EntryRequestParsing.Required(errors, "reason", body?.Reason);
        if (errors.Any)
        {
            return new(null, errors.ToProblem());
        }

        Guid entryId;
        await using (var db = database.CreateContext())
        {
            var row = await db.CourtExemptions.AsNoTracking().Where(x => x.Id == exemptionId).Select(x => new { x.EntryId }).FirstOrDefaultAsync(ct);
            if (row is null)
            {
                return new(null, Problems.NotFound(new("该解禁记录", "exemption " + exemptionId.ToString())));
            }

            entryId = row.EntryId;
        }

        var outcome = await entries.RunOwnAsync(entryId, caller, "entry.exemption-end", _ => new EndExemption(exemptionId, reason!, entries.Today), ct);
        return outcome.Problem is not null
            ? new(null, outcome.Problem)
            : new(ExemptionView.Of(entryId, outcome.State!.Exemptions.Single(x => x.Id == exemptionId), entries.Today) with { ListSequence = outcome.ListSequence }, null);
    }
}
