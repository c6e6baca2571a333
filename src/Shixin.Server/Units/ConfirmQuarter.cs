using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Oversight;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;

namespace Shixin.Server.Units;

/// <summary>A unit's confirmation of its quarterly report.</summary>
public sealed record QuarterlyConfirmation(int Year, int Quarter, DateOnly ConfirmedOn);

/// <summary>
/// A unit confirms its quarterly report (003 §四(四)): POST /api/v1/reports/quarterly/confirmation, the unit console and the
/// demo. The rules are <see cref="QuarterlyDecider"/>'s.
/// </summary>
public sealed class ConfirmQuarterService(ShixinDatabase database, EntryService entries)
{
    public async Task<Outcome<QuarterlyConfirmation>> RunAsync(int? year, int? quarter, string? note, Caller caller, CancellationToken ct)
    {
        if (!Quarter.TryCreate(year, quarter, out var q))
        {
            return Problems.Of(DomainError.Codes.ValidationFailed, new("请选择有效的年度和季度（1至4）", "year and quarter (1–4) are required as query parameters"));
        }

        await using var db = database.CreateContext();
        var already = await db.ReportConfirmations.AnyAsync(r => r.OrganizationCode == caller.OrganizationCode && r.Year == q.Year && r.Quarter == q.Number, ct);
        var decision = QuarterlyDecider.Decide(new ConfirmQuarter(caller.OrganizationCode, q, already, note, entries.Today));
        if (decision.IsRefused)
        {
            var e = decision.Errors[0];
            return e.Field is null ? Problems.From(e)
                : Problems.Of(e.Code, e.Message, new Dictionary<string, Bilingual[]> { [e.Field] = [new("该季度尚未结束", "not ended")] });
        }

        var c = decision.Event;
        db.ReportConfirmations.Add(new ReportConfirmationRow { OrganizationCode = c.Organization, Year = c.Quarter.Year, Quarter = c.Quarter.Number, ConfirmedOn = c.ConfirmedOn, Note = c.Note });
        await db.SaveChangesAsync(ct);
        return new QuarterlyConfirmation(c.Quarter.Year, c.Quarter.Number, c.ConfirmedOn);
    }

    /// <summary>Where the confirmation is read back (the report of that year).</summary>
    public static string Location(QuarterlyConfirmation c) => "/api/v1/reports/quarterly?year=" + c.Year.ToString(CultureInfo.InvariantCulture);
}
