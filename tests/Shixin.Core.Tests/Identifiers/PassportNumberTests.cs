using Shixin.Core;
using Shixin.Core.Identifiers;

namespace Shixin.Core.Tests.Identifiers;

public class PassportNumberTests
{
    [Theory]
    [InlineData("E12345678")]
    [InlineData("EA1234567")]
    [InlineData("G12345678")]
    public void Parse_ChineseOrdinaryPassport_IsRecognised(string text)
    {
        PassportNumber p = PassportNumber.Parse(text);
        p.Number.ShouldBe(text);
        p.IssuingCountry.ShouldBe("CHN");
        p.LooksLikeChineseOrdinaryPassport.ShouldBeTrue();
    }

    [Fact]
    public void Parse_Lowercase_IsNormalised()
    {
        PassportNumber.Parse(" ea1234567 ").Number.ShouldBe("EA1234567");
    }

    [Fact]
    public void Parse_ForeignCountry_IsKeptAndNotChineseFormat()
    {
        PassportNumber p = PassportNumber.Parse("E12345678", "usa");
        p.IssuingCountry.ShouldBe("USA");
        p.LooksLikeChineseOrdinaryPassport.ShouldBeFalse();
        p.ShouldNotBe(PassportNumber.Parse("E12345678"));
        p.ToString("C", null).ShouldBe("USA:E12345678");
    }

    [Theory]
    [InlineData("EI1234567")]
    [InlineData("D12345678")]
    [InlineData("E1234567")]
    public void LooksLikeChineseOrdinaryPassport_OtherShapes_IsFalse(string text)
    {
        PassportNumber.Parse(text).LooksLikeChineseOrdinaryPassport.ShouldBeFalse();
    }

    [Theory]
    [InlineData(null, null, "no passport number given")]
    [InlineData("E123", null, "a passport number has 5 to 20 characters, got 4")]
    [InlineData("E1234567890123456789X", null, "a passport number has 5 to 20 characters, got 21")]
    [InlineData("E1234-5678", null, "character '-' at position 6 is not a letter or digit")]
    [InlineData("E12345678", "CN", "issuing country 'CN' is not a three-letter ISO 3166 alpha-3 code")]
    [InlineData("E12345678", "C1N", "issuing country 'C1N' is not a three-letter ISO 3166 alpha-3 code")]
    public void Parse_Garbage_IsRejectedWithSpecificMessage(string? text, string? country, string message)
    {
        PassportNumber.TryParse(text, country, out _, out IdentifierError? error).ShouldBeFalse();
        error.Code.ShouldBe(IdentifierErrorCodes.InvalidPassport);
        error.Message.ShouldBe(message);
    }

    [Theory]
    [InlineData("E12345678", "CHN")]
    [InlineData("00000", "AAA")]
    [InlineData("ZZZZZZZZZZZZZZZZZZZZ", "ZZZ")]
    [InlineData("X9Y8Z7", "DEU")]
    public void Packing_RoundTripsNumberAndCountry(string number, string country)
    {
        PassportNumber p = PassportNumber.Parse(number, country);
        UInt128 packed = p.ToPackedUInt128();
        (packed >> 120).ShouldBe(UInt128.Zero);
        PassportNumber back = PassportNumber.FromPacked(packed);
        back.ShouldBe(p);
        back.Number.ShouldBe(number);
        back.IssuingCountry.ShouldBe(country);
    }

    [Fact]
    public void FromPacked_TooShortOrBadCountry_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => PassportNumber.FromPacked(UInt128.Zero));
        Should.Throw<ArgumentOutOfRangeException>(() => PassportNumber.FromPacked(0x7FFF));
    }
}
