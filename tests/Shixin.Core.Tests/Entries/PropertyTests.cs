using System.Collections.Immutable;
using Shixin.Core.Entries;

namespace Shixin.Core.Tests.Entries;

public class PropertyTests
{
    private static readonly string[] Reasons =
    [
        ExitReasons.FullyPerformed, ExitReasons.SettlementPerformed, ExitReasons.ExecutionTerminated, ExitReasons.NoPropertyFound,
        ExitReasons.CorrectionAccepted, ExitReasons.WronglyListed, ExitReasons.GuaranteeProvided, ExitReasons.ApplicantRequest,
        ExitReasons.EnforcementSuspended, ExitReasons.NonEnforcement, ExitReasons.TermExpired, ExitReasons.EarlyDeletion, "nonsense",
    ];

    private static readonly string[] Fields = [.. EntryDecider.AmendableFields, "status", "expiresOn"];

    private static readonly string?[] Values =
        ["x", null, "", "public", "restricted", "female", "2024-01-09", "12.5", "-3", Entry.PersonId, Entry.CreditCode, "110101201001010011"];

    [Theory]
    [InlineData(20240301)]
    [InlineData(42)]
    [InlineData(7)]
    public void RandomCommandSequences_NeverThrow_AndFoldMatchesLastEvent(int seed)
    {
        var random = new Random(seed);
        var accepted = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var run = 0; run < 400; run++)
        {
            EntryState? state = null;
            var today = Entry.Filed.AddDays(random.Next(0, 30));
            var ids = new List<Guid> { Guid.NewGuid() };
            var reconIds = new List<Guid> { Guid.NewGuid() };
            for (var step = 0; step < 40; step++)
            {
                today = today.AddDays(random.Next(0, 12) == 0 ? random.Next(0, 400) : random.Next(0, 4));
                var command = NextCommand(random, state, today, ids, reconIds);
                var decision = EntryDecider.Decide(state, command, Entry.Rules);
                var context = "seed " + seed + ", run " + run + ", step " + step + ": " + command;
                if (decision.IsRefused)
                {
                    decision.Events.ShouldBeEmpty(context);
                    continue;
                }

                decision.Events.ShouldNotBeEmpty(context);
                var next = EntryDecider.Fold(state, decision.Events);
                CheckConsistent(state, next, decision.Events, context);
                CheckDuties(next, context);
                var name = command.GetType().Name;
                accepted[name] = accepted.GetValueOrDefault(name) + 1;
                state = next;
            }
        }

        // The generator must reach deep into the machine, not just bounce off refusals.
        foreach (var name in new[]
        {
            nameof(DraftEntry), nameof(ServeRiskNotice), nameof(DecideListing), nameof(PublishListing), nameof(ExitEntry),
            nameof(ExtendTerm), nameof(AmendEntry), nameof(RecordPerformance), nameof(ExpireTerm), nameof(FileCorrection),
            nameof(RuleOnCorrection), nameof(FileReconsideration), nameof(RuleOnReconsideration),
        })
        {
            accepted.GetValueOrDefault(name).ShouldBeGreaterThan(0, name + " was never accepted; accepted: " + string.Join(", ", accepted.Select(kv => kv.Key + "=" + kv.Value)));
        }
    }

    private static void CheckConsistent(EntryState? before, EntryState after, ImmutableArray<EntryEvent> events, string context)
    {
        after.Version.ShouldBe((before?.Version ?? 0) + events.Length, context);
        var last = events[^1];
        var expected = last switch
        {
            EntryDrafted => EntryStatus.Draft,
            RiskNoticeServed => EntryStatus.Noticed,
            ListingDecided or EntryListed => EntryStatus.Listed,
            EntryRevoked => EntryStatus.Revoked,
            EntryDeleted => EntryStatus.Deleted,
            EntryExited => EntryStatus.Shielded,
            EntryExpired => EntryStatus.Expired,
            _ => before!.Status,
        };
        after.Status.ShouldBe(expected, context);

        if (last is EntryListed)
        {
            after.IsPublished.ShouldBeTrue(context);
            after.IsScreened.ShouldBeTrue(context);
        }

        if (last is ListingDecided)
        {
            after.IsScreened.ShouldBeFalse(context);
        }

        if (last is EntryExited exited)
        {
            after.ExitReason.ShouldBe(exited.Reason, context);
            after.ExitedOn.ShouldBe(exited.EffectiveOn, context);
            ExitReasons.For(after.Status).ShouldContain(exited.Reason, context);
        }

        if (after.IsScreened)
        {
            after.Status.ShouldBe(EntryStatus.Listed, context);
        }

        if (after.Status >= EntryStatus.Listed)
        {
            after.DecidedOn.ShouldNotBeNull(context);
            after.RiskNoticeServedOn!.Value.ShouldBeLessThanOrEqualTo(after.DecidedOn!.Value, context);
            if (after.Subject.BirthDate is { } birth && after.Subject.IsPerson && before?.Status == EntryStatus.Noticed)
            {
                birth.AddYears(18).ShouldBeLessThanOrEqualTo(after.DecidedOn.Value, context);
            }

            (after.ExpiresOn is null).ShouldBe(!after.HasTerm, context);
            if (after.TermYears is { } term)
            {
                (term + after.ExtensionYears).ShouldBeInRange(2, 5, context);
            }
        }

        after.Corrections.Count(c => string.Equals(c.Status, "filed", StringComparison.Ordinal)).ShouldBeLessThanOrEqualTo(1, context);
    }

    private static void CheckDuties(EntryState state, string context)
    {
        foreach (var duty in EntryDuties.For(state, Entry.Rules))
        {
            duty.Due.RuleSet.ShouldBe(TestRules.RuleSet, context);
            duty.OwnerCode.ShouldNotBeNullOrWhiteSpace(context);
        }
    }

    private static EntryCommand NextCommand(Random r, EntryState? s, DateOnly today, List<Guid> ids, List<Guid> reconIds)
    {
        DateOnly Near() => today.AddDays(-r.Next(0, 25) + (r.Next(0, 8) == 0 ? r.Next(1, 5) : 0));
        T Pick<T>(IReadOnlyList<T> xs) => xs[r.Next(xs.Count)];
        Guid Id(List<Guid> pool)
        {
            if (r.Next(0, 3) == 0)
            {
                pool.Add(Guid.NewGuid());
            }

            return Pick(pool);
        }

        if (s is null && r.Next(0, 5) != 0)
        {
            var circumstances = Enumerable.Range(0, r.Next(0, 3)).Select(_ => Pick(Circumstances.All)).Distinct().ToArray();
            var draft = (r.Next(0, 2) == 0 ? Entry.Person(circumstances) : Entry.Organization(circumstances)) with
            {
                InitiatedBy = r.Next(0, 2) == 0 ? "court" : "applicant",
                Circumstances = circumstances.Length == 0 && r.Next(0, 4) == 0 ? [] : [.. circumstances.DefaultIfEmpty(Circumstances.ViolatesPropertyReporting)],
            };
            if (r.Next(0, 6) == 0)
            {
                draft = draft with { Subject = draft.Subject with { BirthDate = today.AddYears(-18).AddDays(r.Next(-20, 20)) } };
            }

            var prior = r.Next(0, 3) == 0
                ? ImmutableArray.Create(new PriorListing(Guid.NewGuid(), Pick(Enum.GetValues<EntryStatus>()), Pick(Reasons), Near().AddMonths(-r.Next(0, 8))))
                : [];
            return new DraftEntry(draft, prior, today);
        }

        var correction = s is not null && !s.Corrections.IsEmpty && r.Next(0, 3) != 0 ? s.Corrections[^1] : null;

        // Steer towards the deep end of the correction flow, which pure chance rarely reaches.
        if (correction is { Status: "rejected", Reconsideration: null, RuledOn: { } ruled } && r.Next(0, 2) == 0)
        {
            // Mostly inside the 10-day window after the rejection, sometimes past it.
            var filed = ruled.AddDays(r.Next(0, 13));
            return new FileReconsideration(correction.Id, Id(reconIds), Entry.HigherCourt, filed > today ? today : filed, ruled, "grounds", today);
        }

        if (correction is { Reconsideration: { Status: "filed" } pending } && r.Next(0, 2) == 0)
        {
            return new RuleOnReconsideration(correction.Id, pending.Id, Pick(new[] { "accepted", "rejected" }), today, "reasons");
        }
        switch (r.Next(0, 16))
        {
            case 0:
                return new ServeRiskNotice(Near(), today);
            case 1:
            case 2:
                return new DecideListing(Near(), r.Next(0, 2) == 0 ? null : Near().AddDays(r.Next(0, 100)),
                    r.Next(0, 3) == 0 ? r.Next(0, 7) : null, r.Next(0, 4) == 0 ? Pick(new[] { "serious", "ordinary", "bad" }) : null, today);
            case 3:
                return new PublishListing(today);
            case 4:
            case 5:
                return new ExitEntry(Pick(Enum.GetValues<EntryStatus>()), Pick(Reasons), Near(), null, today);
            case 6:
                return new ExtendTerm(r.Next(-1, 5), r.Next(0, 5) == 0 ? "" : "reason");
            case 7:
                return new AmendEntry(
                    Enumerable.Range(0, r.Next(0, 3)).Select(_ => Pick(Fields)).Distinct(StringComparer.Ordinal)
                        .ToImmutableDictionary(f => f, _ => Pick(Values), StringComparer.Ordinal),
                    r.Next(0, 5) == 0 ? " " : "更正");
            case 8:
            {
                var performed = r.Next(0, 3) * 50000m;
                var unperformed = r.Next(0, 3) == 0 ? 0m : 100000m - performed;
                return new RecordPerformance(new Performance(performed, unperformed), r.Next(0, 2) == 0, Near());
            }

            case 9:
                return new ExpireTerm(today);
            case 10:
            {
                var received = s?.DecidedOn?.AddDays(r.Next(-2, 10)) ?? Near();
                return new FileCorrection(Id(ids), received, received.AddDays(r.Next(-1, 14)), r.Next(0, 6) == 0 ? "" : "grounds", today);
            }

            case 11:
            {
                var ruledOn = (correction?.FiledOn ?? Near()).AddDays(r.Next(-1, 10));
                return new RuleOnCorrection(correction?.Id ?? Id(ids), Pick(new[] { "accepted", "rejected", "rejected", "maybe" }),
                    ruledOn > today && r.Next(0, 4) != 0 ? today : ruledOn, "reasons");
            }

            case 12:
            {
                var served = correction?.RuledOn?.AddDays(r.Next(-1, 4));
                var filed = (served ?? Near()).AddDays(r.Next(-1, 13));
                if (filed > today && r.Next(0, 4) != 0)
                {
                    filed = today;
                }

                return new FileReconsideration(correction?.Id ?? Id(ids), Id(reconIds), Entry.HigherCourt, filed,
                    r.Next(0, 3) == 0 ? null : served, r.Next(0, 6) == 0 ? "" : "grounds", today);
            }

            default:
            {
                var recon = correction?.Reconsideration;
                return new RuleOnReconsideration(correction?.Id ?? Id(ids), recon is not null && r.Next(0, 5) != 0 ? recon.Id : Id(reconIds),
                    Pick(new[] { "accepted", "rejected", "x" }), (recon?.FiledOn ?? Near()).AddDays(r.Next(-1, 20)), "reasons");
            }
        }
    }
}
