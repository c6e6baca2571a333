using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shixin.Core.Entries;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Entries;

public class SerializationTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>One event of every type, produced by the decider itself along realistic lives.</summary>
    public static ImmutableArray<EntryEvent> SampleEvents()
    {
        var all = ImmutableArray.CreateBuilder<EntryEvent>();
        EntryState Run(EntryState? s, EntryCommand c)
        {
            var next = s.Accept(c, out var events);
            all.AddRange(events);
            return next;
        }

        var corr = Guid.Parse("10000000-0000-0000-0000-000000000009");
        var recon = Guid.Parse("20000000-0000-0000-0000-000000000009");
        var org = Run(null, Draft(Organization(Circumstances.ObstructsEnforcement, Circumstances.EvadesEnforcement)));
        org = Run(org, new ServeRiskNotice(Noticed, Noticed));
        org = Run(org, Decide(publishOn: Decided.AddMonths(1), severity: "serious"));
        org = Run(org, new PublishListing(Decided.AddMonths(1)));
        org = Run(org, new AmendEntry(ImmutableDictionary<string, string?>.Empty.Add("subject.legalRepresentative.name", "王五"), "更正"));
        org = Run(org, new ExtendTerm(2, "several acts"));
        var lift = Guid.Parse("30000000-0000-0000-0000-000000000009");
        org = Run(org, new GrantExemption(lift, RepId, ExemptionKinds.HumanitarianTravel, ["civil-aviation.ticket"], Decided.AddDays(40), Decided.AddDays(42),
            "近亲属病危", "(2024)京0101执123号之一", Decided.AddDays(39)));
        org = Run(org, new EndExemption(lift, "事由消失", Decided.AddDays(41)));
        org = Run(org, new RecordPerformance(new Performance(1.5m, 99998.5m), false, Decided.AddDays(40)));
        org = Run(org, new FileCorrection(corr, Decided.AddDays(1), Decided.AddDays(5), "grounds", Decided.AddDays(5)));
        org = Run(org, new RuleOnCorrection(corr, "rejected", Decided.AddDays(7), "no"));
        org = Run(org, new FileReconsideration(corr, recon, HigherCourt, Decided.AddDays(9), Decided.AddDays(8), "again", Decided.AddDays(9)));
        org = Run(org, new RuleOnReconsideration(corr, recon, "accepted", Decided.AddDays(20), "yes"));
        org.Status.ShouldBe(EntryStatus.Revoked);

        var p = Run(null, Draft(Person()));
        p = Run(p, new ServeRiskNotice(Noticed, Noticed));
        p = Run(p, Decide());
        var objection = Guid.Parse("40000000-0000-0000-0000-000000000009");
        p = Run(p, new Shixin.Core.Oversight.FileObjection(objection, "unit-airline", "flight-ban", "乘坐飞机限制", true,
            [Shixin.Core.Oversight.FeedbackAction.Applied], Decided.AddDays(1), "已履行", Decided.AddDays(1)));
        p = Run(p, new Shixin.Core.Oversight.VerifyObjection(objection, Court, Shixin.Core.Oversight.ObjectionFinding.Rejected, Decided.AddDays(2), "不成立", Decided.AddDays(2)));
        p = Run(p, Exit(EntryStatus.Shielded, ExitReasons.GuaranteeProvided, Decided.AddDays(3)));
        p = Run(p, Exit(EntryStatus.Deleted, ExitReasons.EarlyDeletion, Decided.AddDays(4)));
        p.Status.ShouldBe(EntryStatus.Deleted);

        var x = ListedState();
        Run(x, new ExpireTerm(Decided.AddYears(2).AddDays(1)));
        return all.ToImmutable();
    }

    [Fact]
    public void Samples_CoverEveryDeclaredEventType()
    {
        var declared = typeof(EntryEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToHashSet();
        declared.Count.ShouldBe(19);
        SampleEvents().Select(e => e.GetType()).ToHashSet().SetEquals(declared).ShouldBeTrue();
    }

    [Fact]
    public void Events_RoundTripAsBaseType_KeepTypeAndValues()
    {
        foreach (var e in SampleEvents())
        {
            foreach (var options in new[] { JsonSerializerOptions.Default, Web })
            {
                var json = JsonSerializer.Serialize<EntryEvent>(e, options);
                using (var doc = JsonDocument.Parse(json))
                {
                    doc.RootElement.GetProperty("type").GetString().ShouldBe(e.Type, json);
                }

                var back = JsonSerializer.Deserialize<EntryEvent>(json, options).ShouldNotBeNull();
                back.GetType().ShouldBe(e.GetType(), json);
                back.Type.ShouldBe(e.Type);
                JsonSerializer.Serialize(back, options).ShouldBe(json);
                if (e is not (EntryDrafted or EntryUpdated or CorrectionFiled or ExemptionGranted))
                {
                    // Events without immutable collections compare by value directly.
                    back.ShouldBe(e, json);
                }
            }
        }
    }

    [Fact]
    public void Ledger_FoldOfDeserializedEvents_EqualsFoldOfOriginals()
    {
        // The first life in the samples: the organization, up to the second EntryDrafted.
        var samples = SampleEvents();
        var secondDraft = samples.Select((e, i) => (e, i)).Skip(1).First(t => t.e is EntryDrafted).i;
        List<EntryEvent> events = [.. samples.Take(secondDraft)];
        var json = JsonSerializer.Serialize<IReadOnlyList<EntryEvent>>(events, Web);
        var back = JsonSerializer.Deserialize<List<EntryEvent>>(json, Web).ShouldNotBeNull();

        var original = EntryDecider.Fold(null, events);
        var replayed = EntryDecider.Fold(null, back);
        JsonSerializer.Serialize(replayed, Web).ShouldBe(JsonSerializer.Serialize(original, Web));
        replayed.Status.ShouldBe(EntryStatus.Revoked);
        replayed.Corrections.ShouldHaveSingleItem().Reconsideration!.Status.ShouldBe("accepted");
        replayed.Subject.LegalRepresentative!.Name.ShouldBe("王五");
        replayed.Performance.ShouldBe(new Performance(1.5m, 99998.5m));
    }

    [Fact]
    public void RevokedEvent_IsNotReadBackAsShield()
    {
        var json = JsonSerializer.Serialize<EntryEvent>(new EntryRevoked(ExitReasons.WronglyListed, Decided, null));
        json.ShouldContain("\"type\":\"entry.revoked\"");
        JsonSerializer.Deserialize<EntryEvent>(json).ShouldBeOfType<EntryRevoked>();
    }
}
