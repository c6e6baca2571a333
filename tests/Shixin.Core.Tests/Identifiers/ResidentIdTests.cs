using Shixin.Core;
using Shixin.Core.Identifiers;

namespace Shixin.Core.Tests.Identifiers;

public class ResidentIdTests
{
    // Published samples, LEGAL.md §6.1.
    [Theory]
    [InlineData("360426199101010071")]
    [InlineData("11010519491231002X")]
    public void Parse_PublishedSample_IsValid(string text)
    {
        ResidentId.TryParse(text, out ResidentId id, out IdentifierError? error).ShouldBeTrue(error?.Message);
        id.Value.ShouldBe(text);
    }

    [Theory]
    [InlineData("360426199101010071")]
    [InlineData("11010519491231002X")]
    public void Parse_PublishedSampleWithWrongCheck_IsRejectedWithExpectedCheck(string text)
    {
        foreach (char wrong in "0123456789X")
        {
            if (wrong == text[17])
            {
                continue;
            }

            ResidentId.TryParse(text[..17] + wrong, out _, out IdentifierError? error).ShouldBeFalse();
            error.Code.ShouldBe(IdentifierErrorCodes.InvalidIdNumber);
            error.Message.ShouldBe($"check character should be {text[17]}");
            error.MessageZh.ShouldBe($"校验码应为{text[17]}");
        }
    }

    [Fact]
    public void Parse_LowercaseX_IsNormalised()
    {
        ResidentId.Parse("11010519491231002x").Value.ShouldBe("11010519491231002X");
    }

    [Fact]
    public void Parse_SurroundingWhitespace_IsTrimmed()
    {
        ResidentId.Parse("  360426199101010071\t").Value.ShouldBe("360426199101010071");
    }

    [Fact]
    public void Parse_Legacy15Digit_IsConvertedTo18()
    {
        ResidentId.Parse("110105491231002").Value.ShouldBe("11010519491231002X");
    }

    [Fact]
    public void Parse_Legacy15DigitCentenarianSequence_Uses18xx()
    {
        ResidentId id = ResidentId.Parse("110105051231996");
        id.Value.ShouldBe("110105180512319968");
        id.BirthDate.ShouldBe(new DateOnly(1805, 12, 31));
    }

    [Fact]
    public void Parse_Feb30_IsRejected()
    {
        ResidentId.TryParse("110105203102300010", out _, out IdentifierError? error).ShouldBeFalse();
        error.Code.ShouldBe(IdentifierErrorCodes.InvalidIdNumber);
        error.Message.ShouldBe("birth date 2031-02-30 does not exist");
        error.MessageZh.ShouldBe("出生日期2031-02-30不存在");
    }

    [Fact]
    public void Parse_Feb29InCommonYear_IsRejected()
    {
        ResidentId.TryParse(WithCheck("11010519010229001"), out _, out IdentifierError? error).ShouldBeFalse();
        error.Message.ShouldBe("birth date 1901-02-29 does not exist");
    }

    [Fact]
    public void Parse_BirthDateAfterToday_IsRejected()
    {
        string text = WithCheck("11010520300101001");
        ResidentId.TryParse(text, new DateOnly(2025, 6, 1), out _, out IdentifierError? error).ShouldBeFalse();
        error.Code.ShouldBe(IdentifierErrorCodes.InvalidIdNumber);
        error.Message.ShouldBe("birth date 2030-01-01 is in the future");
    }

    [Fact]
    public void Parse_BirthDateInFutureWithoutToday_IsAccepted()
    {
        ResidentId.TryParse(WithCheck("11010520300101001"), out _, out _).ShouldBeTrue();
    }

    [Fact]
    public void Parse_BornToday_IsAccepted()
    {
        ResidentId.TryParse(WithCheck("11010520250601001"), new DateOnly(2025, 6, 1), out _, out _).ShouldBeTrue();
    }

    [Fact]
    public void Parse_UnknownProvince_IsRejected()
    {
        ResidentId.TryParse(WithCheck("99010519491231002"), out _, out IdentifierError? error).ShouldBeFalse();
        error.Message.ShouldBe("unknown province code 99");
        error.MessageZh.ShouldBe("未知的省级行政区划代码99");
    }

    [Theory]
    [InlineData(null, "no ID number given")]
    [InlineData("", "an ID number has 18 characters (or 15 digits if legacy), got 0")]
    [InlineData("3604261991010100711", "an ID number has 18 characters (or 15 digits if legacy), got 19")]
    [InlineData("36042619910101007Y", "check character 'Y' must be a digit or X")]
    [InlineData("3604261991X1010071", "character 'X' at position 11 is not a digit")]
    [InlineData("36042619910101 071", "character 'U+0020' at position 15 is not a digit")]
    [InlineData("11010549123100X", "character 'X' at position 15 is not a digit")]
    [InlineData("110105179912310012", "birth date 1799-12-31 is before 1800")]
    public void Parse_Garbage_IsRejectedWithSpecificMessage(string? text, string message)
    {
        ResidentId.TryParse(text, out _, out IdentifierError? error).ShouldBeFalse();
        error.Code.ShouldBe(IdentifierErrorCodes.InvalidIdNumber);
        error.Message.ShouldBe(message);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithCode()
    {
        var ex = Should.Throw<FormatException>(() => ResidentId.Parse("360426199101010072"));
        ex.Message.ShouldBe("invalid-id-number: check character should be 1");
    }

    [Fact]
    public void Members_OfPublishedSample_AreDecoded()
    {
        ResidentId id = ResidentId.Parse("11010519491231002X");
        id.RegionCode.ShouldBe("110105");
        id.BirthDate.ShouldBe(new DateOnly(1949, 12, 31));
        id.Sex.ShouldBe(Sex.Female);
        ResidentId.Parse("360426199101010071").Sex.ShouldBe(Sex.Male);
    }

    [Fact]
    public void Masked_HidesBirthMonthAndDay()
    {
        // The zxgk display sample, LEGAL.md §4.2.
        ResidentId id = ResidentId.Parse("342301196401183224");
        id.Masked.ShouldBe("3423011964****3224");
        id.ToString("M", null).ShouldBe("3423011964****3224");
        $"{id:M}".ShouldBe("3423011964****3224");
    }

    [Fact]
    public void IsMinorOn_17Years364Days_IsTrue()
    {
        ResidentId id = ResidentId.Parse(WithCheck("11010520000510001"));
        id.IsMinorOn(new DateOnly(2018, 5, 9)).ShouldBeTrue();
        id.AgeOn(new DateOnly(2018, 5, 9)).ShouldBe(17);
    }

    [Fact]
    public void IsMinorOn_Exactly18_IsFalse()
    {
        ResidentId id = ResidentId.Parse(WithCheck("11010520000510001"));
        id.IsMinorOn(new DateOnly(2018, 5, 10)).ShouldBeFalse();
        id.AgeOn(new DateOnly(2018, 5, 10)).ShouldBe(18);
    }

    [Fact]
    public void IsMinorOn_BeforeBirth_IsTrue()
    {
        ResidentId.Parse(WithCheck("11010520000510001")).IsMinorOn(new DateOnly(1999, 1, 1)).ShouldBeTrue();
    }

    [Fact]
    public void AgeOn_BeforeBirth_Throws()
    {
        ResidentId id = ResidentId.Parse(WithCheck("11010520000510001"));
        Should.Throw<ArgumentOutOfRangeException>(() => id.AgeOn(new DateOnly(2000, 5, 9)));
    }

    [Theory]
    [InlineData(2005, 2, 27, 0)]
    [InlineData(2005, 2, 28, 1)]
    [InlineData(2008, 2, 28, 3)]
    [InlineData(2008, 2, 29, 4)]
    [InlineData(2022, 2, 27, 17)]
    [InlineData(2022, 2, 28, 18)]
    public void AgeOn_Feb29Birthday_CountsFeb28InCommonYears(int year, int month, int day, int age)
    {
        ResidentId id = ResidentId.Parse(WithCheck("11010520040229002"));
        id.AgeOn(new DateOnly(year, month, day)).ShouldBe(age);
        id.IsMinorOn(new DateOnly(year, month, day)).ShouldBe(age < 18);
    }

    [Fact]
    public void Packing_RoundTrips()
    {
        ResidentId id = ResidentId.Parse("11010519491231002X");
        id.ToPackedUInt64().ShouldBe(11010519491231002UL);
        ResidentId.FromPacked(11010519491231002UL).ShouldBe(id);
    }

    [Theory]
    [InlineData(100_000_000_000_000_000UL)]
    [InlineData(99010519491231002UL)]
    [InlineData(11010519490231002UL)]
    public void FromPacked_NotAnId_Throws(ulong packed)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => ResidentId.FromPacked(packed));
    }

    [Fact]
    public void ComputeCheck_PublishedSamples_Match()
    {
        ResidentId.ComputeCheck("36042619910101007").ShouldBe('1');
        ResidentId.ComputeCheck("11010519491231002").ShouldBe('X');
        Should.Throw<ArgumentException>(() => ResidentId.ComputeCheck("1101051949123100"));
        Should.Throw<ArgumentException>(() => ResidentId.ComputeCheck("1101051949123100A"));
    }

    [Fact]
    public void Equality_IsOrdinalOnCanonicalForm()
    {
        ResidentId.Parse("11010519491231002x").ShouldBe(ResidentId.Parse("110105491231002"));
        (ResidentId.Parse("360426199101010071") == ResidentId.Parse(" 360426199101010071")).ShouldBeTrue();
        ResidentId.Parse("360426199101010071").GetHashCode().ShouldBe(ResidentId.Parse("360426199101010071 ").GetHashCode());
    }

    [Fact]
    public void Default_HasEmptyValueAndThrowsOnDateMembers()
    {
        default(ResidentId).Value.ShouldBe(string.Empty);
        Should.Throw<InvalidOperationException>(() => default(ResidentId).BirthDate);
    }

    [Fact]
    public void TryFormat_Masked_WritesWithoutAllocating()
    {
        Span<char> buf = stackalloc char[18];
        ResidentId.Parse("342301196401183224").TryFormat(buf, out int written, "M", null).ShouldBeTrue();
        written.ShouldBe(18);
        buf.ToString().ShouldBe("3423011964****3224");
        ResidentId.Parse("342301196401183224").TryFormat(buf[..17], out written, default, null).ShouldBeFalse();
    }

    internal static string WithCheck(string first17) => first17 + ResidentId.ComputeCheck(first17);
}
