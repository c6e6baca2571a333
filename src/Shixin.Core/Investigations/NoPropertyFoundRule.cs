namespace Shixin.Core.Investigations;

/// <summary>
/// SPC 法释〔2017〕7号 Art. 10 ¶1(4) (LEGAL.md §2): after 终本, two or more searches through the network system found no
/// property. An exit for <c>no-property-found</c> is refused unless the case has at least two completed property searches
/// that found nothing, or the judge overrides with a reason that is recorded (a search made outside the platform, e.g.
/// through the SPC's 总对总 system, is real but invisible here; the override is for that, and it leaves a trace).
/// </summary>
/// <remarks>
/// The platform does not record the date of 终本, so every empty search of the case counts, whenever it was made: the
/// milder reading for a debtor whose searches are on record. Searches that are open, partly answered, or found anything
/// do not count.
/// </remarks>
public static class NoPropertyFoundRule
{
    /// <summary>How many empty searches the article asks for (两次以上).</summary>
    public const int Required = 2;

    /// <summary>Null when the exit may go ahead; otherwise the refusal naming the searches on record.</summary>
    public static DomainError? Check(IReadOnlyList<InvestigationState> caseSearches, string? overrideReason)
    {
        var empty = caseSearches.Count(s => s.IsEmptyPropertySearch);
        if (empty >= Required || !string.IsNullOrWhiteSpace(overrideReason))
        {
            return null;
        }

        return new DomainError(InvestigationErrors.NotEnoughSearches,
            new("以“无财产可供执行”为由删除，须至少有" + Required + "次已完成且未查到财产的财产查询（依据：" + LegalCitations.SpcListProvisions
                + "第十条第一款第四项）；本案已有" + empty + "次（共" + caseSearches.Count + "次查询），请先发起财产查询，或说明不经查询的理由",
                "no-property-found needs at least " + Required + " completed property searches that found nothing (SPC Art. 10 para 1 item 4); the case has "
                + empty + " of " + caseSearches.Count + " on record" + (caseSearches.Count == 0 ? "" : " (" + string.Join(", ", caseSearches.Select(s => s.Id)) + ")")
                + "; ask through POST /api/v1/investigations, or give searchOverride with the reason"), "reason");
    }
}
