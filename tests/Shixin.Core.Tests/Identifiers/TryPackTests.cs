using Shixin.Core;
using Shixin.Core.Identifiers;

namespace Shixin.Core.Tests.Identifiers;

/// <summary>The allocation-free packers used by bulk screening accept and reject exactly what the parsers do, with the same errors.</summary>
public class TryPackTests
{
    private static readonly DateOnly From = new(1930, 1, 1);
    private static readonly DateOnly To = new(2024, 12, 31);

    private static IEnumerable<string> Variants(string valid, Random rng)
    {
        yield return valid;
        yield return "  " + valid.ToLowerInvariant() + "\t";
        for (int m = 0; m < 6; m++)
        {
            var chars = valid.ToCharArray();
            chars[rng.Next(chars.Length)] = "0123456789ABXYZxa-"[rng.Next(18)];
            yield return new string(chars);
        }

        yield return valid[..^1];
        yield return valid + "1";
    }

    [Fact]
    public void ResidentId_TryPack_agrees_with_TryParse()
    {
        var gen = new IdentifierGenerator(7);
        var rng = new Random(7);
        int rejected = 0;
        for (int n = 0; n < 3_000; n++)
        {
            var id = gen.NextResidentId(From, To).Value;
            var legacy = id[..6] + id[8..17];
            foreach (var text in Variants(id, rng).Append(legacy))
            {
                var parsed = ResidentId.TryParse(text, out var value, out var parseError);
                ResidentId.TryPack(text, out var packed, out var packError).ShouldBe(parsed, text);
                if (parsed)
                {
                    packed.ShouldBe(value.ToPackedUInt64(), text);
                }
                else
                {
                    rejected++;
                    packError!.Message.ShouldBe(parseError!.Message, text);
                    packError.Code.ShouldBe(parseError.Code);
                }
            }
        }

        rejected.ShouldBeGreaterThan(10_000);
    }

    [Fact]
    public void CreditCode_TryPack_agrees_with_TryParse()
    {
        var gen = new IdentifierGenerator(8);
        var rng = new Random(8);
        int rejected = 0;
        for (int n = 0; n < 3_000; n++)
        {
            foreach (var text in Variants(gen.NextCreditCode().Value, rng))
            {
                var parsed = CreditCode.TryParse(text, out var value, out var parseError);
                CreditCode.TryPack(text, out var packed, out var packError).ShouldBe(parsed, text);
                if (parsed)
                {
                    packed.ShouldBe(value.ToPackedUInt128(), text);
                    CreditCode.FromPacked(packed).ShouldBe(value);
                }
                else
                {
                    rejected++;
                    packError!.Message.ShouldBe(parseError!.Message, text);
                }
            }
        }

        rejected.ShouldBeGreaterThan(10_000);
    }

    [Fact]
    public void OrganizationCode_TryPack_agrees_with_TryParse()
    {
        var gen = new IdentifierGenerator(9);
        var rng = new Random(9);
        int rejected = 0;
        for (int n = 0; n < 3_000; n++)
        {
            var code = gen.NextCreditCode().OrganizationCode;
            foreach (var text in Variants(code, rng).Append(code[..8] + "-" + code[8]))
            {
                var parsed = OrganizationCode.TryParse(text, out var value, out var parseError);
                OrganizationCode.TryPack(text, out var packed, out var packError).ShouldBe(parsed, text);
                if (parsed)
                {
                    packed.ShouldBe(value.ToPackedUInt64(), text);
                }
                else
                {
                    rejected++;
                    packError!.Message.ShouldBe(parseError!.Message, text);
                }
            }
        }

        rejected.ShouldBeGreaterThan(5_000);
    }

    [Fact]
    public void Canonical_input_keeps_its_string_and_other_input_is_normalised()
    {
        var id = new IdentifierGenerator(3).NextResidentId(From, To).Value;
        ResidentId.TryParse(id, out var same).ShouldBeTrue();
        ReferenceEquals(same.Value, id).ShouldBeTrue();
        ResidentId.TryParse(" " + id + " ", out var trimmed).ShouldBeTrue();
        trimmed.Value.ShouldBe(id);
    }
}

/// <summary>Formatting a packed ID without allocating gives the canonical number back.</summary>
public class FormatPackedTests
{
    [Fact]
    public void FormatPacked_round_trips()
    {
        var gen = new IdentifierGenerator(11);
        Span<char> buf = stackalloc char[18];
        for (int n = 0; n < 2_000; n++)
        {
            var id = gen.NextResidentId(new DateOnly(1930, 1, 1), new DateOnly(2020, 1, 1));
            ResidentId.FormatPacked(id.ToPackedUInt64(), buf);
            new string(buf).ShouldBe(id.Value);
        }
    }
}
