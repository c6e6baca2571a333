namespace Shixin.Core.Identifiers;

/// <summary>Deterministic generator of valid identifiers for demo data and benchmarks; not thread-safe, values may repeat.</summary>
/// <remarks>
/// Uses its own xoshiro256** state seeded by SplitMix64, so a seed gives the same sequence on every machine and
/// runtime. The <c>Write…</c> methods fill a caller's buffer and allocate nothing.
/// </remarks>
public sealed class IdentifierGenerator
{
    // Real GB/T 2260 county-level codes, many from the seed documents' regions (DOMAIN.md preamble).
    private static readonly string[] Regions =
    [
        "440802", // 广东 湛江 赤坎区
        "640104", // 宁夏 银川 兴庆区
        "320508", // 江苏 苏州 姑苏区
        "411102", // 河南 漯河 源汇区
        "411104", // 河南 漯河 召陵区
        "130126", // 河北 石家庄 灵寿县
        "110105", // 北京 朝阳区
        "310115", // 上海 浦东新区
        "330106", // 浙江 杭州 西湖区
        "510107", // 四川 成都 武侯区
        "420106", // 湖北 武汉 武昌区
        "440106", // 广东 广州 天河区
        "440305", // 广东 深圳 南山区
        "370202", // 山东 青岛 市南区
        "350102", // 福建 福州 鼓楼区
        "500103", // 重庆 渝中区
        "610113", // 陕西 西安 雁塔区
        "210102", // 辽宁 沈阳 和平区
        "360426", // 江西 九江 德安县
        "650102", // 新疆 乌鲁木齐 天山区
    ];

    // (registration authority, organization type) pairs, GB 32100-2015; weighted towards enterprises (91) and
    // individual businesses (92), which dominate the list.
    private static readonly string[] Registrars = ["91", "91", "91", "91", "91", "91", "92", "92", "93", "11", "12", "51", "52", "53"];

    // Letters a USCC may carry; organization-code bodies draw from these so the code embeds cleanly.
    private const string Letters = "ABCDEFGHJKLMNPQRTUWXY";

    // Letters after E in new-style Chinese passports (no I or O).
    private const string PassportLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ";

    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a generator whose whole output is determined by <paramref name="seed"/>.</summary>
    public IdentifierGenerator(int seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The region codes used when a caller gives none.</summary>
    public static IReadOnlyList<string> DefaultRegionCodes => Regions;

    /// <summary>A valid resident ID born uniformly in [<paramref name="birthFrom"/>, <paramref name="birthTo"/>].</summary>
    public ResidentId NextResidentId(DateOnly birthFrom, DateOnly birthTo, Sex? sex = null, string? regionCode = null)
    {
        Span<char> buf = stackalloc char[ResidentId.Length];
        WriteResidentId(buf, birthFrom, birthTo, sex, regionCode);
        return ResidentId.FromCanonical(new string(buf));
    }

    /// <summary>Writes a valid 18-character resident ID into <paramref name="destination"/> without allocating.</summary>
    public void WriteResidentId(Span<char> destination, DateOnly birthFrom, DateOnly birthTo, Sex? sex = null, string? regionCode = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, ResidentId.Length, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(birthFrom, birthTo, nameof(birthFrom));
        ArgumentOutOfRangeException.ThrowIfLessThan(birthFrom.Year, 1800, nameof(birthFrom));
        string region = Region(regionCode);

        region.CopyTo(destination);
        DateOnly birth = DateOnly.FromDayNumber(birthFrom.DayNumber + NextInt(birthTo.DayNumber - birthFrom.DayNumber + 1));
        (int y, int m, int d) = birth;
        WriteDigits(destination.Slice(6, 4), y);
        WriteDigits(destination.Slice(10, 2), m);
        WriteDigits(destination.Slice(12, 2), d);

        // Sequence 001–995: 996–999 are reserved for centenarians in the legacy scheme (LEGAL.md §6.1); odd = male.
        Sex s = sex ?? (NextInt(2) == 0 ? Sex.Male : Sex.Female);
        int sequence = s == Sex.Male ? (2 * NextInt(498)) + 1 : (2 * NextInt(497)) + 2;
        WriteDigits(destination.Slice(14, 3), sequence);
        destination[17] = ResidentId.Check(destination[..17]);
    }

    /// <summary>A valid credit code whose embedded organization code is valid too.</summary>
    public CreditCode NextCreditCode(string? regionCode = null)
    {
        Span<char> buf = stackalloc char[CreditCode.Length];
        WriteCreditCode(buf, regionCode);
        return CreditCode.FromCanonical(new string(buf));
    }

    /// <summary>Writes a valid 18-character credit code into <paramref name="destination"/> without allocating.</summary>
    public void WriteCreditCode(Span<char> destination, string? regionCode = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, CreditCode.Length, nameof(destination));
        string region = Region(regionCode);
        Registrars[NextInt(Registrars.Length)].CopyTo(destination);
        region.CopyTo(destination[2..]);
        WriteOrganizationCode(destination.Slice(8, OrganizationCode.Length));
        destination[17] = CreditCode.Check(destination[..17]);
    }

    /// <summary>A valid 9-character organization code.</summary>
    public OrganizationCode NextOrganizationCode()
    {
        Span<char> buf = stackalloc char[OrganizationCode.Length];
        WriteOrganizationCode(buf);
        return OrganizationCode.FromCanonical(new string(buf));
    }

    /// <summary>Writes a valid 9-character organization code into <paramref name="destination"/> without allocating.</summary>
    public void WriteOrganizationCode(Span<char> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, OrganizationCode.Length, nameof(destination));

        // Most bodies are digits; about one in five starts with a letter, as newer codes (e.g. M000100Y) do.
        int start = 0;
        if (NextInt(5) == 0)
        {
            destination[0] = Letters[NextInt(Letters.Length)];
            start = 1;
        }

        for (int i = start; i < 8; i++)
        {
            destination[i] = (char)('0' + NextInt(10));
        }

        destination[8] = OrganizationCode.Check(destination[..8]);
    }

    /// <summary>A Chinese ordinary passport number: <c>E</c>+8 digits, <c>E</c>+letter+7 digits or <c>G</c>+8 digits.</summary>
    public PassportNumber NextPassport()
    {
        Span<char> buf = stackalloc char[9];
        int form = NextInt(3);
        buf[0] = form == 2 ? 'G' : 'E';
        buf[1] = form == 1 ? PassportLetters[NextInt(PassportLetters.Length)] : (char)('0' + NextInt(10));
        for (int i = 2; i < 9; i++)
        {
            buf[i] = (char)('0' + NextInt(10));
        }

        return PassportNumber.FromCanonical(new string(buf));
    }

    private string Region(string? regionCode)
    {
        if (regionCode is null)
        {
            return Regions[NextInt(Regions.Length)];
        }

        return ResidentId.IsRegionCode(regionCode)
            ? regionCode
            : throw new ArgumentException("A region code is 6 digits with a known province prefix.", nameof(regionCode));
    }

    private static void WriteDigits(Span<char> destination, int value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    // Uniform in [0, bound) by multiply-high (Lemire); the bias, below bound / 2^64, is immaterial here.
    private int NextInt(int bound) => (int)Math.BigMul(NextUInt64(), (ulong)bound, out _);

    // xoshiro256** (Blackman & Vigna, 2018).
    private ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
