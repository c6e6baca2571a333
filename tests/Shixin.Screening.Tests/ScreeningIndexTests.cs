using Shixin.Screening;

public class ScreeningIndexTests
{
    private static readonly SubjectKey Company = K.Credit(1);
    private static readonly SubjectKey Rep = K.Id(1);
    private static readonly SubjectKey Controller = K.Id(2);
    private static readonly SubjectKey Person = K.Id(3);
    private static readonly SubjectKey PersonPassport = K.Passport(3);

    private static ScreeningIndex Sample(ScreeningIndexOptions? options = null) => new ScreeningIndexBuilder(options).Build(
        [
            K.Organization(100, Company, true,
                new EntrySubject(Rep, SubjectRole.LegalRepresentative),
                new EntrySubject(Controller, SubjectRole.ActualController),
                new EntrySubject(K.Org(1), SubjectRole.Debtor)),
            K.Person(200, Person, true, new EntrySubject(PersonPassport, SubjectRole.Debtor, ViaDocument: true, BoundTo: Person)),
            K.Person(300, K.Id(9), active: false),
        ],
        sequence: 41);

    [Fact]
    public void Snapshot_FindsDebtorAndRelatedPersonsWithRoles()
    {
        ScreeningIndex index = Sample();
        index.Sequence.ShouldBe(41);
        index.Hits(Company).ShouldHaveSingleItem().ShouldBe(new IndexHit(100, 0, SubjectRole.Debtor, IndexHitFlags.Organization));
        index.Hits(K.Org(1)).ShouldHaveSingleItem().Role.ShouldBe(SubjectRole.Debtor);
        IndexHit rep = index.Hits(Rep).ShouldHaveSingleItem();
        rep.ExternalId.ShouldBe(100);
        rep.Role.ShouldBe(SubjectRole.LegalRepresentative);
        rep.DebtorKind.ShouldBe(DebtorKind.Organization);
        index.Hits(Controller).ShouldHaveSingleItem().Role.ShouldBe(SubjectRole.ActualController);
        IndexHit person = index.Hits(Person).ShouldHaveSingleItem();
        person.ExternalId.ShouldBe(200);
        person.ViaDocument.ShouldBeFalse();
        index.Hits(K.Id(4)).ShouldBeEmpty();
        index.KeyCount.ShouldBe(6);
        index.Stats.EntryCount.ShouldBe(2);
    }

    [Fact]
    public void BoundPassport_HitsViaDocumentWithTheIdsRole()
    {
        IndexHit hit = Sample().Hits(PersonPassport).ShouldHaveSingleItem();
        hit.ExternalId.ShouldBe(200);
        hit.Role.ShouldBe(SubjectRole.Debtor);
        hit.ViaDocument.ShouldBeTrue();
    }

    [Fact]
    public void InactiveEntry_IsNotReturned() => Sample().Hits(K.Id(9)).ShouldBeEmpty();

    [Fact]
    public void PersonShared_ByTwoEntries_HitsBoth()
    {
        ScreeningIndex index = new ScreeningIndexBuilder().Build(
            [K.Person(2, Rep), K.Organization(1, Company, true, new EntrySubject(Rep, SubjectRole.LegalRepresentative))], 1);
        index.Hits(Rep).Canon().ShouldBe([(1L, SubjectRole.LegalRepresentative, false), (2L, SubjectRole.Debtor, false)]);
    }

    [Fact]
    public void DuplicateExternalIds_AreRefused() =>
        Should.Throw<ArgumentException>(() => new ScreeningIndexBuilder().Build([K.Person(2, K.Id(1)), K.Person(1, K.Id(2)), K.Person(2, K.Id(3))], 1));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Deltas_ListRevokeRelistAndRelatedChange_AreVisibleWithSequence(bool compactBetween)
    {
        ScreeningIndex index = Sample();

        // Listing of a new person.
        index.Apply([K.Person(400, K.Id(40))], 42);
        MaybeCompact();
        index.Sequence.ShouldBe(42);
        index.Hits(K.Id(40)).ShouldHaveSingleItem().ExternalId.ShouldBe(400);

        // Revocation of an entry of the snapshot.
        index.Apply([K.Person(200, Person, active: false)], 43);
        MaybeCompact();
        index.Hits(Person).ShouldBeEmpty();
        index.Hits(PersonPassport).ShouldBeEmpty();

        // Re-listing.
        index.Apply([K.Person(200, Person)], 44);
        MaybeCompact();
        index.Hits(Person).ShouldHaveSingleItem().ExternalId.ShouldBe(200);
        index.Hits(PersonPassport).ShouldBeEmpty();

        // Amendment: the legal representative changes; the controller stays.
        index.Apply([K.Organization(100, Company, true,
            new EntrySubject(K.Id(5), SubjectRole.LegalRepresentative),
            new EntrySubject(Controller, SubjectRole.ActualController))], 45);
        MaybeCompact();
        index.Hits(Rep).ShouldBeEmpty();
        index.Hits(K.Id(5)).ShouldHaveSingleItem().Role.ShouldBe(SubjectRole.LegalRepresentative);
        index.Hits(Controller).ShouldHaveSingleItem().ExternalId.ShouldBe(100);
        index.Hits(K.Org(1)).ShouldBeEmpty();

        // The entry that was inactive in the snapshot gets listed.
        index.Apply([K.Person(300, K.Id(9))], 46);
        MaybeCompact();
        index.Hits(K.Id(9)).ShouldHaveSingleItem().ExternalId.ShouldBe(300);

        index.Sequence.ShouldBe(46);
        index.KeyCount.ShouldBe(6); // company, id5, controller, id40, person, id9
        index.Stats.EntryCount.ShouldBe(4);

        void MaybeCompact()
        {
            if (compactBetween)
            {
                index.Compact();
                index.Current.HasOverlay.ShouldBeFalse();
            }
        }
    }

    [Fact]
    public void SequenceGoingBack_IsRefused() =>
        Should.Throw<ArgumentOutOfRangeException>(() => Sample().Apply([], 40));

    [Fact]
    public void EmptyDelta_AdvancesSequence()
    {
        ScreeningIndex index = Sample();
        index.Apply([], 99);
        index.Sequence.ShouldBe(99);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Exemptions_AreReturnedForTheKeyAndInstant_AlsoThroughABoundPassport(bool viaOverlay)
    {
        long from = new DateTime(2025, 5, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        long to = new DateTime(2025, 5, 4, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var entry = new EntryProjection(
            500,
            true,
            DebtorKind.Organization,
            [K.Debtor(K.Credit(5)), new(K.Id(50), SubjectRole.LegalRepresentative), new(K.Passport(50), SubjectRole.LegalRepresentative, true, K.Id(50)), new(K.Id(51), SubjectRole.Principal)],
            [new Exemption(K.Id(50), 701, ExemptionKind.CourtPermission, from, to), new Exemption(K.Id(51), 702, ExemptionKind.ObjectionSuspension, from, long.MaxValue)]);
        ScreeningIndex index = viaOverlay ? Sample() : new ScreeningIndexBuilder().Build([entry], 1);
        if (viaOverlay)
        {
            index.Apply([entry], 50);
        }

        ScreeningSnapshot s = index.Current;
        var found = new Exemption[4];
        long inside = from + TimeSpan.TicksPerDay;

        IndexHit byId = s.Hits(K.Id(50)).ShouldHaveSingleItem();
        byId.HasExemptions.ShouldBeTrue();
        s.GetExemptions(byId, K.Id(50), inside, found).ShouldBe(1);
        found[0].MeasureCode.ShouldBe(701);
        s.GetExemptions(byId, K.Id(50), to, found).ShouldBe(0);

        IndexHit byPassport = s.Hits(K.Passport(50)).ShouldHaveSingleItem();
        byPassport.ViaDocument.ShouldBeTrue();
        s.GetExemptions(byPassport, K.Passport(50), inside, found).ShouldBe(1);
        found[0].Subject.ShouldBe(K.Passport(50));

        IndexHit principal = s.Hits(K.Id(51)).ShouldHaveSingleItem();
        s.GetExemptions(principal, K.Id(51), inside, found).ShouldBe(1);
        found[0].Kind.ShouldBe(ExemptionKind.ObjectionSuspension);

        IndexHit company = s.Hits(K.Credit(5)).ShouldHaveSingleItem();
        s.GetExemptions(company, K.Credit(5), inside, found).ShouldBe(0);

        index.Compact();
        s = index.Current;
        s.GetExemptions(s.Hits(K.Passport(50))[0], K.Passport(50), inside, found).ShouldBe(1);
    }

    [Fact]
    public void LookupMany_CountsPerKeyAndStopsWhenTheHitBufferIsFull()
    {
        ScreeningSnapshot s = Sample().Current;
        SubjectKey[] keys = [Company, K.Id(77), Rep, Person, PersonPassport];
        var counts = new int[keys.Length];
        var hits = new IndexHit[2];
        int done = s.LookupMany(keys, counts, hits, out int written);
        done.ShouldBe(3);
        written.ShouldBe(2);
        counts[..3].ShouldBe([1, 0, 1]);
        hits[1].Role.ShouldBe(SubjectRole.LegalRepresentative);

        hits = new IndexHit[10];
        s.LookupMany(keys, counts, hits, out written).ShouldBe(5);
        counts.ShouldBe([1, 0, 1, 1, 1]);
        written.ShouldBe(4);
    }

    [Fact]
    public void Stats_ReportBytesPerKey()
    {
        var entries = Enumerable.Range(0, 50_000).Select(i => K.Person(i, K.Id((ulong)i)));
        ScreeningIndex index = new ScreeningIndexBuilder().Build(entries, 7);
        ScreeningIndexStats stats = index.Stats;
        TestContext.Current.TestOutputHelper?.WriteLine($"keys={stats.KeyCount} bytes={stats.ApproximateBytes} bytes/key={stats.BytesPerKey:F1}");
        stats.KeyCount.ShouldBe(50_000);
        stats.Sequence.ShouldBe(7);
        stats.Generation.ShouldBe(1);
        stats.BytesPerKey.ShouldBeLessThanOrEqualTo(32);
    }
}
