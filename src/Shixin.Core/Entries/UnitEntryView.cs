using System.Collections.Immutable;

namespace Shixin.Core.Entries;

/// <summary>A person or organization a unit must screen, with the role the entry reaches them in.</summary>
public sealed record UnitViewSubject(string Role, string Name, string? IdNumber, string? CreditCode, string? OrganizationCode, ImmutableArray<string> Passports);

/// <summary>
/// A court exemption as units receive it: who, which scenarios, the window and the court's basis; not the reason,
/// which may carry medical or family details (法发〔2019〕35号 §17 grounds) that a unit does not need in order to honour it.
/// </summary>
public sealed record UnitViewExemption(Guid Id, string Role, string IdNumber, string Kind, ImmutableArray<string> Scenarios,
    DateOnly ValidFrom, DateOnly ValidUntil, string Basis, DateOnly? EndedOn);

/// <summary>
/// A measure an objection suspends for one unit's checks (002 §四(二)3): that unit stops applying it while the court
/// verifies, and for good when upheld. Not the grounds, which are the debtor's own account.
/// </summary>
public sealed record UnitViewSuspension(Guid ObjectionId, string Organization, string MeasureCode, string Status, DateOnly ReceivedOn);

/// <summary>
/// What units receive about an entry: enough to screen and to apply measures, and no more
/// (no birth date, gender, obligation text or amounts). Restricted entries (依法不宜公开) are marked.
/// </summary>
public sealed record UnitEntryView(
    Guid Id,
    string Status,
    bool Screened,
    bool Restricted,
    string CaseNumber,
    string Court,
    ImmutableArray<string> Circumstances,
    DateOnly? DecidedOn,
    DateOnly? PublishedOn,
    DateOnly? ExpiresOn,
    DateOnly? ExitedOn,
    string? ExitReason,
    string DebtorKind,
    ImmutableArray<UnitViewSubject> Subjects)
{
    /// <summary>The entry's court exemptions (API.md "Court exemptions"); empty in views stored before exemptions existed.</summary>
    public ImmutableArray<UnitViewExemption> Exemptions { get; init; } = [];

    /// <summary>Measures suspended by standing objections, per objecting unit; empty in views stored before objections were events.</summary>
    public ImmutableArray<UnitViewSuspension> Suspensions { get; init; } = [];

    public static UnitEntryView Of(EntryState s)
    {
        var subjects = ImmutableArray.CreateBuilder<UnitViewSubject>();
        var d = s.Subject;
        subjects.Add(new UnitViewSubject(RelatedRoles.Debtor, d.Name, d.IdNumber, d.CreditCode, d.OrganizationCode,
            [.. d.Documents.Select(x => x.Number)]));
        foreach (var r in s.RelatedPersons)
        {
            subjects.Add(new UnitViewSubject(r.Role, r.Name, r.IdNumber, null, null, []));
        }

        return new UnitEntryView(s.Id, s.Status.ToApi(), s.IsScreened, string.Equals(s.Publicity, "restricted", StringComparison.Ordinal),
            s.CaseNumber, s.CourtCode, s.Circumstances, s.DecidedOn, s.PublishedOn, s.ExpiresOn, s.ExitedOn, s.ExitReason, d.Kind,
            subjects.ToImmutable())
        {
            Exemptions = [.. s.Exemptions.Select(x => new UnitViewExemption(x.Id, x.Role, x.IdNumber, x.Kind, x.Scenarios, x.ValidFrom, x.ValidUntil, x.Basis, x.EndedOn))],
            Suspensions = [.. s.Objections.Where(o => o.Suspends).Select(o => new UnitViewSuspension(o.Id, o.Organization, o.MeasureId, Oversight.ObjectionNames.ToApi(o.Status), o.ReceivedOn))],
        };
    }
}
