using Shixin.Core.Entries;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Entries;

public class RelistingTests
{
    private static readonly EntryState? None = null;
    private static readonly Guid PriorId = Guid.Parse("30000000-0000-0000-0000-000000000001");
    private static readonly DateOnly DeletedOn = new(2024, 6, 15);

    private static EntryState ApplicantDraft => Person() with { InitiatedBy = "applicant" };

    private static PriorListing Prior(EntryStatus status, string? reason = null, DateOnly? exitedOn = null) =>
        new(PriorId, status, reason, exitedOn);

    [Theory]
    [InlineData(EntryStatus.Draft)]
    [InlineData(EntryStatus.Noticed)]
    [InlineData(EntryStatus.Listed)]
    public void Draft_WithStandingEntryInSameCase_IsDuplicate(EntryStatus status) =>
        None.Refuse(Draft(Person(), Filed, Prior(status)), DomainError.Codes.DuplicateEntry);

    [Theory]
    [InlineData(EntryStatus.Shielded, ExitReasons.GuaranteeProvided)]
    [InlineData(EntryStatus.Revoked, ExitReasons.WronglyListed)]
    [InlineData(EntryStatus.Expired, ExitReasons.TermExpired)]
    [InlineData(EntryStatus.Deleted, ExitReasons.FullyPerformed)]
    public void Draft_AfterEarlierEntryExited_IsAccepted(EntryStatus status, string reason) =>
        None.Accept(Draft(ApplicantDraft, DeletedOn.AddDays(1), Prior(status, reason, DeletedOn))).Status.ShouldBe(EntryStatus.Draft);

    [Theory]
    [InlineData(1)]
    [InlineData(90)]
    public void Draft_ByApplicantWithinSixMonthsOfApplicantRequestedDeletion_IsBarred(int days) =>
        None.Refuse(Draft(ApplicantDraft, DeletedOn.AddDays(days), Prior(EntryStatus.Deleted, ExitReasons.ApplicantRequest, DeletedOn)),
            DomainError.Codes.RelistingBarred);

    [Fact]
    public void Draft_ByApplicantOnLastDayOfSixMonths_IsBarred() =>
        // Civil Code Arts. 201–202: the period starts the next day and its last day is the corresponding day six months on.
        None.Refuse(Draft(ApplicantDraft, DeletedOn.AddMonths(6), Prior(EntryStatus.Deleted, ExitReasons.ApplicantRequest, DeletedOn)),
            DomainError.Codes.RelistingBarred);

    [Fact]
    public void Draft_ByApplicantAfterSixMonths_IsAccepted() =>
        None.Accept(Draft(ApplicantDraft, DeletedOn.AddMonths(6).AddDays(1), Prior(EntryStatus.Deleted, ExitReasons.ApplicantRequest, DeletedOn)))
            .InitiatedBy.ShouldBe("applicant");

    [Fact]
    public void Draft_ByCourtWithinSixMonths_IsAccepted() =>
        None.Accept(Draft(Person(), DeletedOn.AddDays(1), Prior(EntryStatus.Deleted, ExitReasons.ApplicantRequest, DeletedOn)))
            .InitiatedBy.ShouldBe("court");

    [Fact]
    public void Draft_ByApplicantWithinSixMonthsOfOtherDeletion_IsAccepted() =>
        None.Accept(Draft(ApplicantDraft, DeletedOn.AddDays(1), Prior(EntryStatus.Deleted, ExitReasons.NoPropertyFound, DeletedOn)))
            .Status.ShouldBe(EntryStatus.Draft);

    [Fact]
    public void Relisting_AfterApplicantRequestedDeletion_EndToEnd()
    {
        var deleted = ListedState(Person(Circumstances.CapableButRefuses))
            .Accept(Exit(EntryStatus.Deleted, ExitReasons.ApplicantRequest, DeletedOn));
        var prior = new PriorListing(deleted.Id, deleted.Status, deleted.ExitReason, deleted.ExitedOn);

        None.Refuse(Draft(ApplicantDraft, DeletedOn.AddMonths(3), prior), DomainError.Codes.RelistingBarred);
        None.Accept(Draft(Person(), DeletedOn.AddMonths(3), prior)).Status.ShouldBe(EntryStatus.Draft);
    }
}
