using System.Runtime.CompilerServices;
using Shixin.Screening;

public class SubjectKeyTests
{
    [Fact]
    public void Key_IsSixteenBytes() => Unsafe.SizeOf<SubjectKey>().ShouldBe(16);

    [Fact]
    public void Hit_IsSixteenBytes() => Unsafe.SizeOf<IndexHit>().ShouldBe(16);

    [Fact]
    public void Keys_RoundTripKindAndValue()
    {
        var wide = (UInt128.One << 119) + 12345;
        SubjectKey.ForResidentId(11010119900101123UL).Value.ShouldBe((UInt128)11010119900101123UL);
        SubjectKey.ForResidentId(11010119900101123UL).Kind.ShouldBe(SubjectKind.ResidentId);
        SubjectKey.ForCreditCode(wide).Value.ShouldBe(wide);
        SubjectKey.ForCreditCode(wide).Kind.ShouldBe(SubjectKind.CreditCode);
        SubjectKey.ForOrganizationCode(42).Kind.ShouldBe(SubjectKind.OrganizationCode);
        SubjectKey.ForPassport(wide).Kind.ShouldBe(SubjectKind.Passport);
        SubjectKey.Create(SubjectKind.Passport, wide).ShouldBe(SubjectKey.ForPassport(wide));
    }

    [Fact]
    public void SameValue_DifferentKind_AreDifferentKeys() =>
        SubjectKey.ForResidentId(7).ShouldNotBe(SubjectKey.ForOrganizationCode(7));

    [Fact]
    public void TooWideValue_IsRefused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => SubjectKey.ForPassport(UInt128.One << 120));
        Should.Throw<ArgumentOutOfRangeException>(() => SubjectKey.Create(SubjectKind.ResidentId, (UInt128)ulong.MaxValue + 1));
        Should.Throw<ArgumentOutOfRangeException>(() => SubjectKey.Create(SubjectKind.None, 1));
    }
}
