using Shixin.Core;
using Shixin.Core.Identifiers;

namespace Shixin.Core.Tests.Identifiers;

public class CreditCodeTests
{
    public static TheoryData<string> Samples =>
    [
        "91110000600037341L",
        "91350100M000100Y43",
        "91110108551385082Q",
        "915001087093211864",
        "9150022558018866XC",
        "91500107709479493H",
    ];

    // Published samples, LEGAL.md §6.2.
    [Theory]
    [MemberData(nameof(Samples))]
    public void Parse_PublishedSample_IsValidWithValidEmbeddedOrganizationCode(string text)
    {
        CreditCode.TryParse(text, out CreditCode code, out IdentifierError? error).ShouldBeTrue(error?.Message);
        code.Value.ShouldBe(text);
        code.OrganizationCode.ShouldBe(text[8..17]);
        code.HasValidEmbeddedOrganizationCode.ShouldBeTrue();
        code.TryGetOrganizationCode(out OrganizationCode org).ShouldBeTrue();
        org.Value.ShouldBe(text[8..17]);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Parse_PublishedSampleWithWrongCheck_IsRejectedWithExpectedCheck(string text)
    {
        foreach (char wrong in CreditCode.Alphabet)
        {
            if (wrong == text[17])
            {
                continue;
            }

            CreditCode.TryParse(text[..17] + wrong, out _, out IdentifierError? error).ShouldBeFalse();
            error.Code.ShouldBe(IdentifierErrorCodes.InvalidCreditCode);
            error.Message.ShouldBe($"check character should be {text[17]}");
            error.MessageZh.ShouldBe($"校验码应为{text[17]}");
        }
    }

    [Fact]
    public void Parse_Lowercase_IsNormalised()
    {
        CreditCode.Parse(" 9150022558018866xc ").Value.ShouldBe("9150022558018866XC");
    }

    [Fact]
    public void Members_OfPublishedSample_AreDecoded()
    {
        CreditCode code = CreditCode.Parse("91350100M000100Y43");
        code.RegistrationAuthority.ShouldBe('9');
        code.OrganizationType.ShouldBe('1');
        code.RegionCode.ShouldBe("350100");
        code.OrganizationCode.ShouldBe("M000100Y4");
    }

    [Fact]
    public void Parse_LetterRegistrar_IsAccepted()
    {
        // Positions 1–2 may be letters (e.g. Y = other registrars); stricter validators wrongly reject these (LEGAL.md §6.2).
        string first17 = "Y1110000600037341";
        CreditCode.TryParse(first17 + CreditCode.ComputeCheck(first17), out _, out _).ShouldBeTrue();
    }

    [Fact]
    public void Parse_InvalidEmbeddedOrganizationCode_IsAcceptedButReported()
    {
        string first17 = "91110000600037342";
        CreditCode code = CreditCode.Parse(first17 + CreditCode.ComputeCheck(first17));
        code.HasValidEmbeddedOrganizationCode.ShouldBeFalse();
        code.TryGetOrganizationCode(out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData(null, "no credit code given")]
    [InlineData("91110000600037341", "a unified social credit code has 18 characters, got 17")]
    [InlineData("911A0000600037341L", "character 'A' at position 4 must be a digit (region code)")]
    [InlineData("91110000O00037341L", "character 'O' at position 9 is not allowed (digits and letters except I, O, S, V, Z)")]
    [InlineData("91110000600037341I", "character 'I' at position 18 is not allowed (digits and letters except I, O, S, V, Z)")]
    [InlineData("S1110000600037341L", "character 'S' at position 1 is not allowed (digits and letters except I, O, S, V, Z)")]
    public void Parse_Garbage_IsRejectedWithSpecificMessage(string? text, string message)
    {
        CreditCode.TryParse(text, out _, out IdentifierError? error).ShouldBeFalse();
        error.Code.ShouldBe(IdentifierErrorCodes.InvalidCreditCode);
        error.Message.ShouldBe(message);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatException()
    {
        Should.Throw<FormatException>(() => CreditCode.Parse("91110000600037341A")).Message
            .ShouldBe("invalid-credit-code: check character should be L");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Packing_RoundTrips(string text)
    {
        CreditCode code = CreditCode.Parse(text);
        CreditCode.FromPacked(code.ToPackedUInt128()).ShouldBe(code);
    }

    [Fact]
    public void FromPacked_LetterInRegionPositions_Throws()
    {
        // Position 3 valued 10 ('A'): not a digit.
        UInt128 packed = UInt128.Zero;
        for (int i = 0; i < 17; i++)
        {
            packed = (packed * 31) + (i == 2 ? 10u : 0u);
        }

        Should.Throw<ArgumentOutOfRangeException>(() => CreditCode.FromPacked(packed));
    }

    [Fact]
    public void ComputeCheck_InvalidInput_Throws()
    {
        Should.Throw<ArgumentException>(() => CreditCode.ComputeCheck("9111000060003734"));
        Should.Throw<ArgumentException>(() => CreditCode.ComputeCheck("9111000060003734O"));
    }
}
