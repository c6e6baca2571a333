using Shixin.Core.Identifiers;
using Shixin.Screening;

namespace Shixin.Bench;

/// <summary>Sizes and mix of a synthetic list.</summary>
public sealed record ListShape
{
    /// <summary>Listed subjects (one entry each).</summary>
    public int Subjects { get; init; } = 10_000_000;

    /// <summary>Related persons (legal representatives, then actual controllers) of organization entries.</summary>
    public int RelatedPersons { get; init; } = 2_000_000;

    /// <summary>Share of entries whose debtor is an organization with a unified social credit code.</summary>
    public double CreditCodeShare { get; init; } = 0.15;

    /// <summary>Share of entries whose debtor is an organization known only by its legacy organization code.</summary>
    public double OrganizationCodeShare { get; init; } = 0.01;

    /// <summary>Share of person debtors with a passport bound to their ID.</summary>
    public double PassportShare { get; init; } = 0.03;

    public int Seed { get; init; } = 20_261_122;
}

/// <summary>
/// A synthetic list held compactly: entry i has number i + 1, kind <see cref="Kinds"/>[i] and keys
/// <c>Keys[KeyStarts[i] .. KeyStarts[i + 1]]</c> with their roles and via-document bits.
/// </summary>
public sealed class SyntheticList
{
    private SyntheticList(ListShape shape, byte[] kinds, int[] keyStarts, SubjectKey[] keys, byte[] roles, bool[] via)
    {
        Shape = shape;
        Kinds = kinds;
        KeyStarts = keyStarts;
        Keys = keys;
        Roles = roles;
        Via = via;
    }

    public ListShape Shape { get; }

    public int EntryCount => Kinds.Length;

    public int KeyCount => KeyStarts[^1];

    internal byte[] Kinds { get; }

    internal int[] KeyStarts { get; }

    internal SubjectKey[] Keys { get; }

    internal byte[] Roles { get; }

    internal bool[] Via { get; }

    public static long EntryNo(int index) => index + 1L;

    public DebtorKind KindOf(int entry) => (DebtorKind)Kinds[entry];

    public ReadOnlySpan<SubjectKey> KeysOf(int entry) => Keys.AsSpan(KeyStarts[entry], KeyStarts[entry + 1] - KeyStarts[entry]);

    public SubjectKey KeyAt(int k) => Keys[k];

    public SubjectRole RoleAt(int k) => (SubjectRole)Roles[k];

    public bool ViaAt(int k) => Via[k];

    /// <summary>Generates the list: persons with valid resident IDs (some with passports), organizations with valid codes and their related persons.</summary>
    public static SyntheticList Generate(ListShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int n = shape.Subjects;
        var ids = new IdentifierGenerator(shape.Seed);
        var rng = new Random(shape.Seed);
        var from = new DateOnly(1950, 1, 1);
        var to = new DateOnly(2004, 12, 31);
        int orgs = (int)(n * (shape.CreditCodeShare + shape.OrganizationCodeShare));
        int capacity = n + shape.RelatedPersons + (int)(n * shape.PassportShare) + 16;
        var kinds = new byte[n];
        var starts = new int[n + 1];
        var keys = new SubjectKey[capacity];
        var roles = new byte[capacity];
        var via = new bool[capacity];
        int k = 0;
        int related = shape.RelatedPersons;

        // Organizations are spread evenly through the numbering (entry i is an organization when the running share
        // crosses an integer), so that related persons land on the first organizations in number order.
        double orgStep = n == 0 ? 0 : (double)orgs / n;
        double ccStep = shape.CreditCodeShare + shape.OrganizationCodeShare == 0 ? 0 : shape.CreditCodeShare / (shape.CreditCodeShare + shape.OrganizationCodeShare);
        double acc = 0;
        int orgSeen = 0;
        int extraPerOrg = orgs == 0 ? 0 : Math.Max(0, related - orgs);
        for (int i = 0; i < n; i++)
        {
            starts[i] = k;
            acc += orgStep;
            bool isOrg = acc >= 1;
            if (isOrg)
            {
                acc -= 1;
                kinds[i] = (byte)DebtorKind.Organization;
                if (rng.NextDouble() < ccStep)
                {
                    keys[k] = SubjectKey.ForCreditCode(ids.NextCreditCode().ToPackedUInt128());
                }
                else
                {
                    keys[k] = SubjectKey.ForOrganizationCode(ids.NextOrganizationCode().ToPackedUInt64());
                }

                roles[k++] = (byte)SubjectRole.Debtor;
                if (related > 0)
                {
                    keys[k] = SubjectKey.ForResidentId(ids.NextResidentId(from, to).ToPackedUInt64());
                    roles[k++] = (byte)SubjectRole.LegalRepresentative;
                    related--;
                }

                // Related persons beyond one legal representative per organization: actual controllers on the first ones.
                if (orgSeen < extraPerOrg && related > 0)
                {
                    keys[k] = SubjectKey.ForResidentId(ids.NextResidentId(from, to).ToPackedUInt64());
                    roles[k++] = (byte)SubjectRole.ActualController;
                    related--;
                }

                orgSeen++;
            }
            else
            {
                kinds[i] = (byte)DebtorKind.Person;
                keys[k] = SubjectKey.ForResidentId(ids.NextResidentId(from, to).ToPackedUInt64());
                roles[k++] = (byte)SubjectRole.Debtor;
                if (rng.NextDouble() < shape.PassportShare && k < capacity - 4)
                {
                    keys[k] = SubjectKey.ForPassport(ids.NextPassport().ToPackedUInt128());
                    roles[k] = (byte)SubjectRole.Debtor;
                    via[k++] = true;
                }
            }

            if (k > capacity - 4)
            {
                Array.Resize(ref keys, capacity * 2);
                Array.Resize(ref roles, capacity * 2);
                Array.Resize(ref via, capacity * 2);
                capacity *= 2;
            }
        }

        starts[n] = k;
        Array.Resize(ref keys, k);
        Array.Resize(ref roles, k);
        Array.Resize(ref via, k);
        return new SyntheticList(shape, kinds, starts, keys, roles, via);
    }

    /// <summary>The entries as the index's projections (what the server's follower feeds its builder).</summary>
    public IEnumerable<EntryProjection> Projections()
    {
        for (int i = 0; i < EntryCount; i++)
        {
            yield return Projection(i);
        }
    }

    public EntryProjection Projection(int i, bool active = true)
    {
        int s = KeyStarts[i], e = KeyStarts[i + 1];
        var subjects = new Shixin.Screening.EntrySubject[e - s];
        for (int k = s; k < e; k++)
        {
            SubjectKey bound = Via[k] ? Keys[s] : default;
            subjects[k - s] = new Shixin.Screening.EntrySubject(Keys[k], (SubjectRole)Roles[k], Via[k], bound);
        }

        return new EntryProjection(EntryNo(i), active, (DebtorKind)Kinds[i], subjects);
    }

    /// <summary>Every distinct key, sorted.</summary>
    public SubjectKey[] DistinctKeys()
    {
        var all = Keys.AsSpan(0, KeyCount).ToArray();
        Array.Sort(all);
        int w = 0;
        for (int r = 0; r < all.Length; r++)
        {
            if (w == 0 || all[r] != all[w - 1])
            {
                all[w++] = all[r];
            }
        }

        Array.Resize(ref all, w);
        return all;
    }

    /// <summary>The stored key text (<c>id:…</c>, <c>uscc:…</c>, <c>org:…</c>, <c>passport:…</c>).</summary>
    public static string KeyText(in SubjectKey key) => Prefix(key.Kind) + Raw(key);

    public static string Prefix(SubjectKind kind) => kind switch
    {
        SubjectKind.ResidentId => "id:",
        SubjectKind.CreditCode => "uscc:",
        SubjectKind.OrganizationCode => "org:",
        _ => "passport:",
    };

    /// <summary>The identifier as a user would type it.</summary>
    public static string Raw(in SubjectKey key) => key.Kind switch
    {
        SubjectKind.ResidentId => ResidentId.FromPacked((ulong)key.Value).Value,
        SubjectKind.CreditCode => CreditCode.FromPacked(key.Value).Value,
        SubjectKind.OrganizationCode => OrganizationCode.FromPacked((ulong)key.Value).Value,
        _ => PassportNumber.FromPacked(key.Value).Number,
    };

    /// <summary>The JSON/CSV field name of an identifier kind in the check APIs.</summary>
    public static string Field(SubjectKind kind) => kind switch
    {
        SubjectKind.ResidentId => "idNumber",
        SubjectKind.CreditCode => "creditCode",
        SubjectKind.OrganizationCode => "organizationCode",
        _ => "passport",
    };
}
