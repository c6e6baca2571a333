using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Core.Oversight;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;
using Shixin.Server.Ops;

namespace Shixin.Server.Units;

/// <summary>Body of POST /api/v1/credit-repairs.</summary>
public sealed record CreditRepairRequest(Guid? EntryId, string? Organization, string? Grounds, string? AppliedOn);

/// <summary>Body of POST /api/v1/credit-repairs/{id}/decision.</summary>
public sealed record CreditRepairDecision(string? Outcome, string? DecidedOn, string? Reasons);

/// <summary>
/// Records a credit repair application (002 §四(二)6): POST /api/v1/credit-repairs, the unit console and the demo.
/// A unit files into its own queue only; the hub, on a subject's behalf, into any unit's. The rules are <see cref="RepairDecider"/>'s.
/// </summary>
public sealed class ApplyForRepairService(ShixinDatabase database, EntryService entries, TimeProvider time)
{
    public async Task<Outcome<CreditRepairRow>> RunAsync(CreditRepairRequest? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var grounds = EntryRequestParsing.Required(errors, "grounds", body?.Grounds, 4000);
        var applied = EntryRequestParsing.Date(errors, "appliedOn", body?.AppliedOn, required: false) ?? entries.Today;
        if (body?.EntryId is null)
        {
            errors.Add("entryId", new("请指明名单条目", "entryId is required"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // Issue 11 finding 10: the organization decides the application (002 §四(二)6: the subject applies to a unit).
        var hub = caller.Has(Roles.HubAdmin);
        var org = string.IsNullOrWhiteSpace(body!.Organization) ? (hub ? null : caller.OrganizationCode) : body.Organization.Trim();
        if (org is null || org.Length > 64)
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("请填写受理信用修复申请的单位", "organization must name the unit that decides the application"),
                new Dictionary<string, Bilingual[]> { ["organization"] = [org is null ? new("请填写受理单位", "organization is required") : new("单位代码不能超过64个字符", "at most 64 characters")] });
        }

        if (!hub && !string.Equals(org, caller.OrganizationCode, StringComparison.Ordinal))
        {
            return Problems.Forbidden(new("联合惩戒单位只能登记向本单位提出的信用修复申请", "a unit records credit repair applications made to itself only"));
        }

        await using var db = database.CreateContext();
        var isUnit = await db.Organizations.AsNoTracking().AnyAsync(o => o.Code == org && o.Kind == "unit", ct);
        var status = await db.Entries.AsNoTracking().Where(e => e.Id == body.EntryId).Select(e => e.Status).FirstOrDefaultAsync(ct);
        if (isUnit && status is null)
        {
            return Problems.NotFound(new("该名单条目", "entry " + body.EntryId.ToString()));
        }

        var entryStatus = status is not null && EntryStatusNames.TryParse(status, out var st) ? st : EntryStatus.Draft;
        var decision = RepairDecider.Decide(null, new ApplyForRepair(Guid.CreateVersion7(), body.EntryId!.Value, entryStatus, org, isUnit, grounds!, applied, entries.Today));
        if (decision.IsRefused)
        {
            return decision.Errors[0].Field == "organization"
                ? Problems.Of(DomainError.Codes.ValidationFailed, decision.Errors[0].Message,
                    new Dictionary<string, Bilingual[]> { ["organization"] = [new("未找到该单位", "unknown unit")] })
                : Refusals.Problem(decision.Errors);
        }

        var a = (RepairApplied)decision.Event;
        var row = new CreditRepairRow
        {
            Id = a.Id, EntryId = a.EntryId, OrganizationCode = a.Organization, Grounds = a.Grounds, Status = RepairStatus.Pending,
            AppliedOn = a.AppliedOn, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.CreditRepairs.Add(row);
        Audit.Stage(db, caller, "credit-repair.apply", "entry:" + row.EntryId.ToString(), org, time);
        await db.SaveChangesAsync(ct);
        return row;
    }
}

/// <summary>The unit decides a credit repair, once (POST /api/v1/credit-repairs/{id}/decision, the unit console, the demo).</summary>
public sealed class DecideRepairService(ShixinDatabase database, TimeProvider time)
{
    public async Task<Outcome<CreditRepairRow>> RunAsync(Guid id, CreditRepairDecision? body, Caller caller, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (!RepairNames.TryParseOutcome(body?.Outcome, out var outcome))
        {
            errors.Add("outcome", new("审查结论：请选择“准予修复”或“不予修复”", "outcome must be 'granted' or 'refused'"));
        }

        var on = EntryRequestParsing.Date(errors, "decidedOn", body?.DecidedOn);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = database.CreateContext();
        var row = await db.CreditRepairs.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null)
        {
            return Problems.NotFound(new("该信用修复申请", "credit repair " + id.ToString()));
        }

        var state = new RepairState(row.Id, row.EntryId, row.OrganizationCode, row.Status, row.AppliedOn, row.DecidedOn);
        var decision = RepairDecider.Decide(state, new DecideRepair(caller.OrganizationCode, outcome, on!.Value, body!.Reasons, ChinaTime.Today(time)));
        if (decision.IsRefused)
        {
            return Refusals.Problem(decision.Errors);
        }

        var decided = (RepairDecided)decision.Event;
        row.Status = RepairDecider.Evolve(state, decided).Status;
        row.DecidedOn = decided.DecidedOn;
        row.Reasons = decided.Reasons;
        Audit.Stage(db, caller, "credit-repair.decide", "credit-repair:" + id.ToString(), row.Status.ToApi(), time);
        await db.SaveChangesAsync(ct);
        return row;
    }
}
