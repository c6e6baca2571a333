using Shixin.Core.Calendar;
using Shixin.Core.Investigations;
using static Shixin.Core.Tests.Calendar.CalendarTestData;

namespace Shixin.Core.Tests.Investigations;

public class InvestigationTests
{
    private static readonly RuleSet Seeds = RuleSets.Default;

    private static readonly InvestigationRoute[] Table =
    [
        new("000000", InvestigationKinds.Deposits, "BANK-NATIONAL"),
        new("640000", InvestigationKinds.Deposits, "BANK-NX"),
        new("320000", InvestigationKinds.Deposits, "BANK-JS"),
        new("640100", InvestigationKinds.RealEstate, "REGISTRY-YC"),
    ];

    private static int _ids;

    private static Guid NewId() => new(Interlocked.Increment(ref _ids), 0, 0, new byte[8]);

    private static InvestigationState Open(string[] kinds, string[]? units = null, string today = "2025-03-03")
    {
        var state = InvestigationDecider.Open(new OpenInvestigation(Guid.NewGuid(), "C1", "640104", "(2025)宁0104执1号", null, "id:x", "张三",
            kinds, units, D(today)), Table, Seeds, Legal, NewId, out var error);
        error.ShouldBeNull();
        return state;
    }

    [Fact]
    public void Routing_SendsEachKindToTheUnitsCoveringTheCourtsRegion_AtEveryLevel()
    {
        var s = Open([InvestigationKinds.Deposits, InvestigationKinds.RealEstate]);
        s.Tasks.Select(t => (t.UnitCode, t.Kind)).ShouldBe(
            [("BANK-NATIONAL", "deposits"), ("BANK-NX", "deposits"), ("REGISTRY-YC", "real-estate")], ignoreOrder: true);
    }

    [Fact]
    public void Routing_ExplicitUnitsOverrideTheTable()
    {
        var s = Open([InvestigationKinds.Deposits], ["BANK-JS"]);
        s.Tasks.Single().UnitCode.ShouldBe("BANK-JS");
    }

    [Fact]
    public void Routing_AKindNoUnitAnswersIsRefused_NotDropped()
    {
        InvestigationDecider.Open(new OpenInvestigation(Guid.NewGuid(), "C1", "640104", "c", null, "id:x", "n", ["vehicles", "deposits"], null, D("2025-03-03")),
            Table, Seeds, Legal, NewId, out var error);
        error!.Code.ShouldBe(InvestigationErrors.NoRoute);
        error.Detail.ShouldContain("vehicles");
    }

    [Fact]
    public void Open_UnknownKind_IsRefused()
    {
        InvestigationDecider.Open(new OpenInvestigation(Guid.NewGuid(), "C1", "640104", "c", null, "id:x", "n", ["lottery"], null, D("2025-03-03")),
            Table, Seeds, Legal, NewId, out var error);
        error!.Code.ShouldBe(InvestigationErrors.UnknownKind);
    }

    [Fact]
    public void Tasks_AreDueSevenWorkingDaysLater_OnTheLegalCalendar()
    {
        // Fri 2025-09-26 + 7 working days: 09-28 (Sun, make-up), 09-29, 09-30, then 10-01..08 National Day, 10-09, 10-10,
        // 10-11 (Sat, make-up), 10-13.
        var s = Open([InvestigationKinds.Deposits], today: "2025-09-26");
        var due = s.Tasks[0].Due;
        due.RuleId.ShouldBe(RuleIds.InvestigationAnswer);
        due.Source.ShouldStartWith("platform default");
        due.DueOn.ShouldBe(Legal.AddWorkingDays(D("2025-09-26"), 7));
        due.DueOn.ShouldBe(D("2025-10-13"));
    }

    [Fact]
    public void Task_IsOpen_ThenOverdue_ThenAnswered()
    {
        var s = Open([InvestigationKinds.Deposits], ["BANK-NX"]);
        var task = s.Tasks[0];
        s.StatusOn(task.Due.DueOn).ShouldBe("open");
        s.StatusOn(task.Due.DueOn.AddDays(1)).ShouldBe("overdue");
        var answered = InvestigationDecider.Answer(s, new AnswerTask(task.Id, "BANK-NX", DateTimeOffset.Now, task.Due.DueOn.AddDays(2), true, [], task.Due.DueOn.AddDays(2)), out var error);
        error.ShouldBeNull();
        answered.StatusOn(task.Due.DueOn.AddDays(5)).ShouldBe("answered");
        answered.Tasks[0].AnsweredLate.ShouldBeTrue();
    }

    [Fact]
    public void Answer_ByAnotherUnit_OrTwice_OrInconsistent_IsRefused()
    {
        var s = Open([InvestigationKinds.Deposits], ["BANK-NX"]);
        var id = s.Tasks[0].Id;
        var today = D("2025-03-04");
        InvestigationDecider.Answer(s, new AnswerTask(id, "BANK-JS", DateTimeOffset.Now, today, true, [], today), out var e1);
        e1!.Code.ShouldBe("not-found");
        InvestigationDecider.Answer(s, new AnswerTask(id, "BANK-NX", DateTimeOffset.Now, today, false, [], today), out var e2);
        e2!.Code.ShouldBe(InvestigationErrors.InconsistentAnswer);
        var finding = new Finding("deposits", "某银行", "张三", "6222", 100m, "CNY", today, null);
        InvestigationDecider.Answer(s, new AnswerTask(id, "BANK-NX", DateTimeOffset.Now, today, true, [finding], today), out var e3);
        e3!.Code.ShouldBe(InvestigationErrors.InconsistentAnswer);
        InvestigationDecider.Answer(s, new AnswerTask(id, "BANK-NX", DateTimeOffset.Now, today, false, [finding with { Kind = "vehicles" }], today), out var e4);
        e4!.Code.ShouldBe(InvestigationErrors.InconsistentAnswer);
        var once = InvestigationDecider.Answer(s, new AnswerTask(id, "BANK-NX", DateTimeOffset.Now, today, false, [finding], today), out var ok);
        ok.ShouldBeNull();
        InvestigationDecider.Answer(once, new AnswerTask(id, "BANK-NX", DateTimeOffset.Now, today, true, [], today), out var e5);
        e5!.Code.ShouldBe(InvestigationErrors.AlreadyAnswered);
    }

    [Fact]
    public void NoPropertyFound_NeedsTwoCompletedEmptyPropertySearches()
    {
        InvestigationState Empty()
        {
            var s = Open([InvestigationKinds.Deposits, InvestigationKinds.Whereabouts], ["U"]);
            foreach (var t in s.Tasks)
            {
                s = InvestigationDecider.Answer(s, new AnswerTask(t.Id, "U", DateTimeOffset.Now, D("2025-03-04"), true, [], D("2025-03-04")), out _);
            }

            return s;
        }

        var partly = Open([InvestigationKinds.Deposits], ["U"]);
        var found = InvestigationDecider.Answer(partly, new AnswerTask(partly.Tasks[0].Id, "U", DateTimeOffset.Now, D("2025-03-04"), false,
            [new Finding("deposits", "b", "h", "i", 1m, "CNY", D("2025-03-04"), null)], D("2025-03-04")), out _);
        var onlyWhereabouts = Open([InvestigationKinds.Whereabouts], ["U"]);
        onlyWhereabouts = InvestigationDecider.Answer(onlyWhereabouts, new AnswerTask(onlyWhereabouts.Tasks[0].Id, "U", DateTimeOffset.Now, D("2025-03-04"), true, [], D("2025-03-04")), out _);

        NoPropertyFoundRule.Check([], null)!.Code.ShouldBe(InvestigationErrors.NotEnoughSearches);
        NoPropertyFoundRule.Check([Empty(), partly, found, onlyWhereabouts], null)!.Code.ShouldBe(InvestigationErrors.NotEnoughSearches);
        NoPropertyFoundRule.Check([Empty(), Empty()], null).ShouldBeNull();
        NoPropertyFoundRule.Check([Empty()], "searched twice through the SPC 总对总 system on 2025-02-01 and 2025-03-01").ShouldBeNull();
    }
}
