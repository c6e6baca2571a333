using Shixin.Core;
using Shixin.Core.Identifiers;

namespace Shixin.Core.Tests.Identifiers;

public class IdentifierGeneratorTests
{
    private const int Count = 10_000;
    private static readonly DateOnly From = new(1930, 1, 1);
    private static readonly DateOnly To = new(2024, 12, 31);

    [Fact]
    public void SameSeed_GivesSameSequence()
    {
        var a = new IdentifierGenerator(42);
        var b = new IdentifierGenerator(42);
        for (int i = 0; i < 100; i++)
        {
            a.NextResidentId(From, To).ShouldBe(b.NextResidentId(From, To));
            a.NextCreditCode().ShouldBe(b.NextCreditCode());
            a.NextPassport().ShouldBe(b.NextPassport());
        }

        new IdentifierGenerator(43).NextResidentId(From, To).ShouldNotBe(new IdentifierGenerator(42).NextResidentId(From, To));
    }

    [Fact]
    public void ResidentIds_ParseBackPackAndRejectEverySingleSubstitution()
    {
        var gen = new IdentifierGenerator(1);
        var today = new DateOnly(2025, 1, 1);
        for (int n = 0; n < Count; n++)
        {
            ResidentId id = gen.NextResidentId(From, To);
            ResidentId.TryParse(id.Value, today, out ResidentId parsed, out IdentifierError? error).ShouldBeTrue(error?.Message);
            parsed.ShouldBe(id);
            ResidentId.FromPacked(id.ToPackedUInt64()).ShouldBe(id);
            id.BirthDate.ShouldBeInRange(From, To);

            // MOD 11-2 detects every single substitution (LEGAL.md §6.1).
            char[] chars = id.Value.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                char original = chars[i];
                foreach (char c in "0123456789X")
                {
                    if (c == original)
                    {
                        continue;
                    }

                    chars[i] = c;
                    ResidentId.TryParse(new string(chars), out _, out IdentifierError? mutated).ShouldBeFalse();
                    mutated.Code.ShouldBe(IdentifierErrorCodes.InvalidIdNumber);
                }

                chars[i] = original;
            }
        }
    }

    [Fact]
    public void CreditCodes_ParseBackPackAndRejectEverySingleSubstitution()
    {
        var gen = new IdentifierGenerator(2);
        for (int n = 0; n < Count; n++)
        {
            CreditCode code = gen.NextCreditCode();
            CreditCode.TryParse(code.Value, out CreditCode parsed, out IdentifierError? error).ShouldBeTrue(error?.Message);
            parsed.ShouldBe(code);
            code.HasValidEmbeddedOrganizationCode.ShouldBeTrue();
            CreditCode.FromPacked(code.ToPackedUInt128()).ShouldBe(code);

            // MOD 31 with non-zero weights detects every single substitution (LEGAL.md §6.2).
            char[] chars = code.Value.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                char original = chars[i];
                foreach (char c in CreditCode.Alphabet)
                {
                    if (c == original)
                    {
                        continue;
                    }

                    chars[i] = c;
                    CreditCode.TryParse(new string(chars), out _, out IdentifierError? mutated).ShouldBeFalse();
                    mutated.Code.ShouldBe(IdentifierErrorCodes.InvalidCreditCode);
                }

                chars[i] = original;
            }
        }
    }

    [Fact]
    public void OrganizationCodes_ParseBackPackAndRejectEveryDigitSubstitution()
    {
        var gen = new IdentifierGenerator(3);
        for (int n = 0; n < Count; n++)
        {
            OrganizationCode code = gen.NextOrganizationCode();
            OrganizationCode.TryParse(code.Hyphenated, out OrganizationCode parsed, out IdentifierError? error).ShouldBeTrue(error?.Message);
            parsed.ShouldBe(code);
            OrganizationCode.FromPacked(code.ToPackedUInt64()).ShouldBe(code);

            // MOD 11 catches every substitution except between values a multiple of 11 apart (only possible with letters),
            // see OrganizationCodeTests.Check_LetterSubstitutionByMultipleOf11_IsNotDetected.
            char[] chars = code.Value.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                char original = chars[i];
                foreach (char c in "0123456789X")
                {
                    if (c == original || (i < 8 && (Value(c) - Value(original)) % 11 == 0))
                    {
                        continue;
                    }

                    chars[i] = c;
                    OrganizationCode.TryParse(new string(chars), out _, out _).ShouldBeFalse(new string(chars));
                }

                chars[i] = original;
            }
        }
    }

    [Fact]
    public void Passports_ParseBackAndPack()
    {
        var gen = new IdentifierGenerator(4);
        for (int n = 0; n < Count; n++)
        {
            PassportNumber p = gen.NextPassport();
            PassportNumber.Parse(p.Number).ShouldBe(p);
            PassportNumber.FromPacked(p.ToPackedUInt128()).ShouldBe(p);
            p.LooksLikeChineseOrdinaryPassport.ShouldBeTrue(p.Number);
        }
    }

    [Fact]
    public void NextResidentId_HonoursSexRegionAndRange()
    {
        var gen = new IdentifierGenerator(5);
        var day = new DateOnly(2001, 3, 4);
        for (int n = 0; n < 1000; n++)
        {
            ResidentId male = gen.NextResidentId(day, day, Sex.Male, "640104");
            male.Sex.ShouldBe(Sex.Male);
            male.RegionCode.ShouldBe("640104");
            male.BirthDate.ShouldBe(day);
            gen.NextResidentId(From, To, Sex.Female).Sex.ShouldBe(Sex.Female);
        }
    }

    [Fact]
    public void NextResidentId_UsesOnlyDefaultRegionsWhenNoneGiven()
    {
        var gen = new IdentifierGenerator(6);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int n = 0; n < 2000; n++)
        {
            seen.Add(gen.NextResidentId(From, To).RegionCode);
        }

        seen.ShouldBeSubsetOf(IdentifierGenerator.DefaultRegionCodes);
        seen.Count.ShouldBe(IdentifierGenerator.DefaultRegionCodes.Count);
        IdentifierGenerator.DefaultRegionCodes.ShouldContain("440802");
    }

    [Fact]
    public void NextCreditCode_UsesGivenRegion()
    {
        new IdentifierGenerator(7).NextCreditCode("320508").RegionCode.ShouldBe("320508");
    }

    [Theory]
    [InlineData("99010")]
    [InlineData("990101")]
    [InlineData("44080A")]
    public void InvalidRegionCode_Throws(string region)
    {
        var gen = new IdentifierGenerator(8);
        Should.Throw<ArgumentException>(() => gen.NextResidentId(From, To, regionCode: region));
        Should.Throw<ArgumentException>(() => gen.NextCreditCode(region));
    }

    [Fact]
    public void InvertedBirthRange_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new IdentifierGenerator(9).NextResidentId(To, From));
    }

    [Fact]
    public void WriteMethods_FillSpanWithValidNumbers()
    {
        var gen = new IdentifierGenerator(10);
        Span<char> buf = stackalloc char[18];
        gen.WriteResidentId(buf, From, To);
        ResidentId.TryParse(buf.ToString(), out _).ShouldBeTrue();
        gen.WriteCreditCode(buf);
        CreditCode.TryParse(buf.ToString(), out _).ShouldBeTrue();
        gen.WriteOrganizationCode(buf[..9]);
        OrganizationCode.TryParse(buf[..9].ToString(), out _).ShouldBeTrue();
        Should.Throw<ArgumentOutOfRangeException>(() => new IdentifierGenerator(1).WriteResidentId(new char[17], From, To));
    }

    private static int Value(char c) => char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
}
