using Shixin.Screening;

internal static class K
{
    public static SubjectKey Id(ulong n) => SubjectKey.ForResidentId(110101199001010000UL / 10 + n);

    public static SubjectKey Credit(ulong n) => SubjectKey.ForCreditCode(((UInt128)0x12345 << 64) + n);

    public static SubjectKey Org(ulong n) => SubjectKey.ForOrganizationCode(1_000_000_000UL + n);

    public static SubjectKey Passport(ulong n) => SubjectKey.ForPassport(((UInt128)0xE << 60) + n);

    public static EntrySubject Debtor(SubjectKey key) => new(key, SubjectRole.Debtor);

    public static EntryProjection Person(long id, SubjectKey key, bool active = true, params EntrySubject[] more) =>
        new(id, active, DebtorKind.Person, [Debtor(key), .. more]);

    public static EntryProjection Organization(long id, SubjectKey key, bool active = true, params EntrySubject[] related) =>
        new(id, active, DebtorKind.Organization, [Debtor(key), .. related]);

    public static IndexHit[] Hits(this ScreeningSnapshot s, SubjectKey key)
    {
        var buffer = new IndexHit[64];
        int n = s.Lookup(key, buffer);
        n.ShouldBeLessThanOrEqualTo(buffer.Length);
        return buffer[..n];
    }

    public static IndexHit[] Hits(this ScreeningIndex index, SubjectKey key) => index.Current.Hits(key);

    /// <summary>Hits as comparable tuples, sorted.</summary>
    public static List<(long, SubjectRole, bool)> Canon(this IEnumerable<IndexHit> hits) =>
        [.. hits.Select(h => (h.ExternalId, h.Role, h.ViaDocument)).Order()];
}
