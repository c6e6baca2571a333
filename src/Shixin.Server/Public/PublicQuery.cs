using System.Collections.Immutable;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Core.Identifiers;
using Shixin.Data;
using Shixin.Server.Http;
using Shixin.Server.Units;

namespace Shixin.Server.Public;

/// <summary>
/// An entry as the public sees it, with the fields of the national platform (失信被执行人名单公布事项):
/// a natural person's ID number is always masked; an organization's code is shown in full.
/// </summary>
public sealed record PublicEntry(
    Guid Id,
    string Name,
    string SubjectKind,
    string Identifier,
    string? LegalRepresentative,
    string CourtName,
    string Region,
    string? Province,
    string? Gender,
    int? Age,
    string CaseNumber,
    DateOnly FilingDate,
    DateOnly? PublishedOn,
    string BasisDocumentNumber,
    string BasisDocumentIssuer,
    string Obligation,
    string Performance,
    decimal PerformedAmount,
    decimal UnperformedAmount,
    ImmutableArray<string> Circumstances,
    ImmutableArray<string> CircumstancesZh);

/// <summary>One page of public search results; <c>total</c> counts every match, <c>offset</c> is how many came before this page.</summary>
public sealed record PublicPage(ImmutableArray<PublicEntry> Items, string? Next, long Total = 0, long Offset = 0);

/// <summary>What a public search asks for.</summary>
public sealed record PublicSearch(string? Name, string? IdNumber, string? CreditCode, string? Cursor);

/// <summary>
/// Searches public, currently listed entries only (screened and publicity=public, 000 §三(一)). Like the
/// national platform, a name is required unless a full ID number or credit code is given, so the list
/// cannot be walked by an empty query.
/// </summary>
public sealed class PublicQuery(ShixinDatabase database, TimeProvider time)
{
    public const int PageSize = 20;

    /// <summary>Runs a search; a problem (with field errors) when the query is not acceptable.</summary>
    public async Task<(PublicPage? Page, FieldErrors? Errors)> SearchAsync(PublicSearch q, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = string.IsNullOrWhiteSpace(q.Name) ? null : q.Name.Trim();
        string? key = null;
        if (!string.IsNullOrWhiteSpace(q.IdNumber))
        {
            if (ResidentId.TryParse(q.IdNumber, out var id, out var error))
            {
                key = "id:" + id.Value;
            }
            else
            {
                errors.AddIdentifier("idNumber", error);
            }
        }

        if (!string.IsNullOrWhiteSpace(q.CreditCode))
        {
            var text = q.CreditCode.Trim();
            if (CreditCode.TryParse(text, out var cc, out var error))
            {
                key = "uscc:" + cc.Value;
            }
            else if (text.Length is 9 or 10 && OrganizationCode.TryParse(text, out var oc))
            {
                key = "org:" + oc.Value;
            }
            else
            {
                errors.AddIdentifier("creditCode", error);
            }
        }

        if (!string.IsNullOrWhiteSpace(q.IdNumber) && !string.IsNullOrWhiteSpace(q.CreditCode))
        {
            errors.Add("creditCode", new("身份证号码与统一社会信用代码只填其一", "give an ID number or a credit code, not both"));
        }

        // An ID number narrows a name search; it never searches alone. The public mask keeps region, birth year,
        // sequence and check digit (LEGAL.md §4.2), leaving about 33 candidate birth dates: if an ID number alone
        // (or with any name) told whether it is listed, looping those dates would recover the full number from the
        // masked one (issue 11 F3). So both must be given and both must match the same entry, and PublicApi limits
        // such queries per name and masked number (see PublicApi.IdQueryPartition).
        if (key is not null && !string.IsNullOrWhiteSpace(q.IdNumber) && name is null)
        {
            errors.Add("name", new("按身份证号码查询时须同时填写被执行人姓名", "an ID number is searched together with the name"), DomainError.Codes.ValidationFailed);
        }

        if (name is null && key is null && !errors.Any)
        {
            errors.Add("name", new("请输入被执行人姓名或名称", "a name is required unless a full credit code is given"), DomainError.Codes.ValidationFailed);
        }

        if (name is { Length: > 100 })
        {
            errors.Add("name", new("姓名或名称过长", "the name is too long"));
        }

        long after = 0;
        if (q.Cursor is { Length: > 0 } && (!long.TryParse(q.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
        {
            errors.Add("cursor", new("翻页位置无效，请重新查询", "cursor is not one this server issued"));
        }

        if (errors.Any)
        {
            return (null, errors);
        }

        await using var db = database.CreateContext();
        var all = db.Entries.AsNoTracking().Where(e => e.Status == "listed" && e.Screened && e.Publicity == "public");
        if (name is not null)
        {
            // Complete names only: the national platform's public query matches the whole name too, and a prefix search
            // would let the list be walked by surname; the page says so when nothing matches (issue 15, milder reading).
            all = all.Where(e => e.SubjectName == name);
        }

        if (key is not null)
        {
            all = all.Where(e => e.SubjectKey == key);
        }

        var rows = all.Where(e => e.No > after);

        // The total and how many come before this page, so the page says "共 N 条，第 a–b 条" (issue 15).
        var total = await all.LongCountAsync(ct);
        var before = after == 0 ? 0 : await all.LongCountAsync(e => e.No <= after, ct);
        var found = await rows.OrderBy(e => e.No).Take(PageSize + 1)
            .Join(db.Organizations.AsNoTracking(), e => e.CourtCode, o => o.Code, (e, o) => new { e.No, e.StateJson, o.Name, o.Region })
            .ToListAsync(ct);
        var today = ChinaTime.Today(time);
        var items = found.Take(PageSize)
            .Select(r => (State: LedgerJson.ReadState(r.StateJson), r.Name, r.Region))
            .Where(x => x.State.IsPublic)
            .Select(x => Of(x.State, x.Name, x.Region, today))
            .ToImmutableArray();
        var next = found.Count > PageSize ? found[PageSize - 1].No.ToString(CultureInfo.InvariantCulture) : null;
        return (new PublicPage(items, next, total, before), null);
    }

    /// <summary>One public entry; null when it does not exist or is not publicly listed.</summary>
    public async Task<PublicEntry?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var row = await db.Entries.AsNoTracking().Where(e => e.Id == id && e.Status == "listed" && e.Screened && e.Publicity == "public")
            .Join(db.Organizations.AsNoTracking(), e => e.CourtCode, o => o.Code, (e, o) => new { e.StateJson, o.Name, o.Region })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        var s = LedgerJson.ReadState(row.StateJson);
        return s.IsPublic ? Of(s, row.Name, row.Region, ChinaTime.Today(time)) : null;
    }

    /// <summary>
    /// The public fields. Gender and age are shown for a natural person as the national platform shows them, so that
    /// namesakes can be told apart; the age is in whole years on <paramref name="today"/>, and the birth date itself stays
    /// masked in the identifier (SPC 2017 Provisions Art. 6(2): name, sex, age and ID number are published; LEGAL.md §1.6 and
    /// §4.2 性别, 年龄, 省份). 省份 is the listing court's province by name.
    /// </summary>
    public static PublicEntry Of(EntryState s, string courtName, string region, DateOnly today) => new(
        s.Id,
        s.Subject.Name,
        s.Subject.Kind,
        DistributionApi.PublicIdentifier(s.Subject),
        s.Subject.IsPerson ? null : s.Subject.LegalRepresentative?.Name,
        courtName,
        region,
        Provinces.NameOf(region),
        s.Subject.IsPerson ? s.Subject.Gender switch { "male" => "男", "female" => "女", _ => null } : null,
        s.Subject.IsPerson && s.Subject.BirthDate is { } birth ? AgeOn(birth, today) : null,
        s.CaseNumber,
        s.FilingDate,
        s.PublishedOn,
        s.BasisDocument.Number,
        s.BasisDocument.Issuer,
        s.Obligation,
        PerformanceZh(s.Performance),
        s.Performance.PerformedAmount,
        s.Performance.UnperformedAmount,
        s.Circumstances,
        [.. s.Circumstances.Select(Circumstances.TitleZh)]);

    /// <summary>Whole years from <paramref name="birth"/> to <paramref name="today"/>.</summary>
    public static int AgeOn(DateOnly birth, DateOnly today) =>
        today.Year - birth.Year - (today.Month < birth.Month || (today.Month == birth.Month && today.Day < birth.Day) ? 1 : 0);

    /// <summary>被执行人的履行情况 as the national platform words it.</summary>
    public static string PerformanceZh(Performance p) =>
        p.PerformedAmount <= 0 ? "全部未履行" : p.UnperformedAmount <= 0 ? "全部履行" : "部分未履行";
}
