using Shixin.Core;
using Shixin.Core.Identifiers;

namespace Shixin.Core.Tests.Identifiers;

public class OrganizationCodeTests
{
    // Embedded in the published USCC samples (LEGAL.md §6.2), plus zxgk display samples (§4.2, §6.2).
    [Theory]
    [InlineData("60003734-1", "600037341")]
    [InlineData("55138508-2", "551385082")]
    [InlineData("58018866-X", "58018866X")]
    [InlineData("58018866x", "58018866X")]
    [InlineData("M000100Y4", "M000100Y4")]
    [InlineData("619848910", "619848910")]
    [InlineData(" 680926658 ", "680926658")]
    public void Parse_PublishedSample_IsValidAndCanonicalWithoutHyphen(string text, string canonical)
    {
        OrganizationCode.TryParse(text, out OrganizationCode code, out IdentifierError? error).ShouldBeTrue(error?.Message);
        code.Value.ShouldBe(canonical);
    }

    [Theory]
    [InlineData("600037341")]
    [InlineData("551385082")]
    [InlineData("58018866X")]
    public void Parse_PublishedSampleWithWrongCheck_IsRejectedWithExpectedCheck(string text)
    {
        foreach (char wrong in "0123456789X")
        {
            if (wrong == text[8])
            {
                continue;
            }

            OrganizationCode.TryParse(text[..8] + "-" + wrong, out _, out IdentifierError? error).ShouldBeFalse();
            error.Code.ShouldBe(IdentifierErrorCodes.InvalidOrganizationCode);
            error.Message.ShouldBe($"check character should be {text[8]}");
            error.MessageZh.ShouldBe($"校验码应为{text[8]}");
        }
    }

    [Theory]
    [InlineData(null, "no organization code given")]
    [InlineData("6000373", "an organization code has 9 characters (XXXXXXXX-X), got 7")]
    [InlineData("6000-37341", "an organization code has 9 characters (XXXXXXXX-X), got 10")]
    [InlineData("60003#341", "character '#' at position 6 is not a digit or letter")]
    [InlineData("60003734A", "check character 'A' must be a digit or X")]
    public void Parse_Garbage_IsRejectedWithSpecificMessage(string? text, string message)
    {
        OrganizationCode.TryParse(text, out _, out IdentifierError? error).ShouldBeFalse();
        error.Code.ShouldBe(IdentifierErrorCodes.InvalidOrganizationCode);
        error.Message.ShouldBe(message);
    }

    [Fact]
    public void Hyphenated_IsCustomaryForm()
    {
        OrganizationCode code = OrganizationCode.Parse("58018866X");
        code.Hyphenated.ShouldBe("58018866-X");
        $"{code:H}".ShouldBe("58018866-X");
        code.ToString().ShouldBe("58018866X");
    }

    [Fact]
    public void Packing_RoundTrips()
    {
        OrganizationCode code = OrganizationCode.Parse("M000100Y4");
        OrganizationCode.FromPacked(code.ToPackedUInt64()).ShouldBe(code);
        OrganizationCode.Parse("60003734-1").ToPackedUInt64().ShouldBe(Base36("60003734"));
        Should.Throw<ArgumentOutOfRangeException>(() => OrganizationCode.FromPacked(2_821_109_907_456UL));
    }

    [Fact]
    public void Check_LetterSubstitutionByMultipleOf11_IsNotDetected()
    {
        // Why the mutation test only covers digits: '0' (0) and 'B' (11) weigh the same mod 11.
        OrganizationCode.TryParse("6B0037341", out _).ShouldBeTrue();
        OrganizationCode.ComputeCheck("B0003734").ShouldBe(OrganizationCode.ComputeCheck("00003734"));
    }

    [Fact]
    public void ComputeCheck_InvalidInput_Throws()
    {
        Should.Throw<ArgumentException>(() => OrganizationCode.ComputeCheck("6000373"));
        Should.Throw<ArgumentException>(() => OrganizationCode.ComputeCheck("6000373a"));
    }

    private static ulong Base36(string s)
    {
        ulong n = 0;
        foreach (char c in s)
        {
            n = (n * 36) + (ulong)(char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10);
        }

        return n;
    }
}
