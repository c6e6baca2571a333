namespace Shixin.Core.Catalogs;

/// <summary>GB/T 2260 region-code helpers: which catalog regions enclose a caller's region.</summary>
public static class RegionCodes
{
    /// <summary>The code of the national catalog (中办发〔2016〕64号 covers the whole country).</summary>
    public const string National = "000000";

    /// <summary>True when the code is exactly six ASCII digits.</summary>
    public static bool IsValid(string? code)
    {
        if (code is null || code.Length != 6)
        {
            return false;
        }
        foreach (var c in code)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The national code plus every enclosing level of <paramref name="code"/>, broadest first, without duplicates:
    /// 640104 → 000000, 640000, 640100, 640104; a province code 320000 → 000000, 320000.
    /// </summary>
    public static IReadOnlyList<string> Enclosing(string code)
    {
        if (!IsValid(code))
        {
            throw new ArgumentException($"Region code '{code}' is not six digits (GB/T 2260).", nameof(code));
        }
        var result = new List<string>(4) { National };
        if (string.Equals(code, National, StringComparison.Ordinal))
        {
            return result;
        }
        // Province = first 2 digits + 0000; city = first 4 + 00; district = the full code.
        foreach (var level in (ReadOnlySpan<string>)[string.Concat(code.AsSpan(0, 2), "0000"), string.Concat(code.AsSpan(0, 4), "00"), code])
        {
            if (!result.Contains(level, StringComparer.Ordinal))
            {
                result.Add(level);
            }
        }
        return result;
    }
}
