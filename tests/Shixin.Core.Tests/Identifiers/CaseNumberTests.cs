using Shixin.Core;
using Shixin.Core.Identifiers;

namespace Shixin.Core.Tests.Identifiers;

public class CaseNumberTests
{
    [Theory]
    [InlineData("(2019)粤0802执1234号", 2019, "粤0802", "执", 1234)]
    [InlineData("(2019)皖1122执1194号", 2019, "皖1122", "执", 1194)]
    [InlineData("(2019)皖1122民初1103号", 2019, "皖1122", "民初", 1103)]
    [InlineData("(2017)宁01执恢12号", 2017, "宁01", "执恢", 12)]
    [InlineData("(2018)苏05执保7号", 2018, "苏05", "执保", 7)]
    [InlineData("(2020)兵0102执异3号", 2020, "兵0102", "执异", 3)]
    [InlineData("(2020)京民终100号", 2020, "京", "民终", 100)]
    [InlineData("(2019)最高法执监12号", 2019, "最高法", "执监", 12)]
    public void Parse_RealShapes_AreSplitIntoParts(string text, int year, string court, string kind, int serial)
    {
        CaseNumber.TryParse(text, out CaseNumber c, out IdentifierError? error).ShouldBeTrue(error?.Message);
        c.Value.ShouldBe(text);
        c.Year.ShouldBe(year);
        c.CourtCode.ShouldBe(court);
        c.Kind.ShouldBe(kind);
        c.Serial.ShouldBe(serial);
    }

    [Theory]
    [InlineData("（2019）粤0802执1234号")]
    [InlineData("〔2019〕粤0802执1234号")]
    [InlineData(" (2019) 粤0802 执 1234 号 ")]
    [InlineData("(２０１９)粤０８０２执１２３４号")]
    [InlineData("(2019)粤0802执1234")]
    [InlineData("(2019)粤0802执001234号")]
    public void Parse_TolerantVariants_AreNormalised(string text)
    {
        CaseNumber.Parse(text).Value.ShouldBe("(2019)粤0802执1234号");
        CaseNumber.Parse(text).ShouldBe(CaseNumber.Parse("(2019)粤0802执1234号"));
    }

    [Theory]
    [InlineData(null, "no case number given")]
    [InlineData("2019粤0802执1234号", "a case number starts with the year in parentheses, e.g. (2019)")]
    [InlineData("(19)粤0802执1234号", "a case number starts with the year in parentheses, e.g. (2019)")]
    [InlineData("(1989)粤0802执1234号", "year 1989 is outside 1990–2100")]
    [InlineData("(2101)粤0802执1234号", "year 2101 is outside 1990–2100")]
    [InlineData("(2019)广0802执1234号", "unknown court abbreviation '广'")]
    [InlineData("(2019)0802执1234号", "unknown court abbreviation '0'")]
    [InlineData("(2019)", "the court code is missing after the year")]
    [InlineData("(2019)粤0802123执1234号", "court code has more than 6 digits")]
    [InlineData("(2019)粤0802号", "case-type characters (e.g. 执) are missing after the court code")]
    [InlineData("(2019)粤0802执行执行执行执1234号", "case-type characters are longer than 6")]
    [InlineData("(2019)粤0802执号", "the serial number is missing")]
    [InlineData("(2019)粤0802执0号", "the serial number must be between 1 and 999999999")]
    [InlineData("(2019)粤0802执1234号之一", "unexpected text '之一' after the serial number")]
    [InlineData("(2019)粤0802执1234号; DROP TABLE", "unexpected text ';DROPTABLE' after the serial number")]
    public void Parse_Garbage_IsRejectedWithSpecificMessage(string? text, string message)
    {
        CaseNumber.TryParse(text, out _, out IdentifierError? error).ShouldBeFalse();
        error.Code.ShouldBe(IdentifierErrorCodes.InvalidCaseNumber);
        error.Message.ShouldBe(message);
        error.MessageZh.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Parse_VeryLongInput_IsRejected()
    {
        CaseNumber.TryParse("(2019)粤0802执" + new string('1', 100) + "号", out _, out IdentifierError? error).ShouldBeFalse();
        error.Message.ShouldBe("case number is too long");
    }
}
