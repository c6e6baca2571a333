using System.Collections.Immutable;
using Shixin.Core.Calendar;

namespace Shixin.Core.Investigations;

/// <summary>Stable codes of the investigation and control rules (API.md "Errors").</summary>
public static class InvestigationErrors
{
    public const string NoRoute = "no-route";
    public const string UnknownKind = "unknown-investigation-kind";
    public const string AlreadyAnswered = "already-answered";
    public const string InconsistentAnswer = "inconsistent-answer";
    public const string TermExceedsMaximum = "control-term-exceeds-maximum";
    public const string ControlNotRenewable = "control-not-renewable";
    public const string NotEnoughSearches = "not-enough-searches";
}

/// <summary>One item of property or whereabouts a unit reports.</summary>
public sealed record Finding(string Kind, string Institution, string HolderName, string Identifier, decimal? Amount, string? Currency, DateOnly AsOf, string? Details);

/// <summary>A unit's answer to one task: findings, or none found.</summary>
public sealed record TaskAnswer(DateTimeOffset AnsweredAt, DateOnly AnsweredOn, bool NoneFound, ImmutableArray<Finding> Findings);

/// <summary>One question to one unit: open until answered, overdue once its due date passed unanswered.</summary>
public sealed record InvestigationTask(Guid Id, string UnitCode, string Kind, DateOnly SentOn, Deadline Due, TaskAnswer? Answer)
{
    /// <summary><c>answered</c>, <c>overdue</c> (unanswered past its due date) or <c>open</c> on <paramref name="today"/>.</summary>
    public string StatusOn(DateOnly today) => Answer is not null ? "answered" : Due.IsOverdueOn(today) ? "overdue" : "open";

    /// <summary>Whether the answer came after the due date (for the compliance figures).</summary>
    public bool AnsweredLate => Answer is { } a && a.AnsweredOn > Due.DueOn;
}

/// <summary>A court's request about one debtor in one case; its tasks are the unit-by-kind questions.</summary>
public sealed record InvestigationState(
    Guid Id,
    string CourtCode,
    string CaseNumber,
    Guid? EntryId,
    string SubjectKey,
    string SubjectName,
    DateOnly RequestedOn,
    ImmutableArray<InvestigationTask> Tasks)
{
    /// <summary>
    /// <c>answered</c> when every task is answered; <c>overdue</c> when any unanswered task is past due; otherwise
    /// <c>open</c>. The request is as late as its latest unit.
    /// </summary>
    public string StatusOn(DateOnly today) =>
        Tasks.All(t => t.Answer is not null) ? "answered"
        : Tasks.Any(t => t.StatusOn(today) == "overdue") ? "overdue"
        : "open";

    /// <summary>
    /// Whether this request is a completed property search that found nothing (SPC 法释〔2017〕7号 Art. 10 ¶1(4)): it
    /// asked at least one property kind, and every property task is answered with none found. Questions about
    /// whereabouts or civil records are not property searches and neither count for nor against it.
    /// </summary>
    public bool IsEmptyPropertySearch
    {
        get
        {
            var property = Tasks.Where(t => InvestigationKinds.TryGet(t.Kind, out var k) && k.IsProperty).ToArray();
            return property.Length > 0 && property.All(t => t.Answer is { NoneFound: true });
        }
    }
}

/// <summary>A court asks about a debtor: kinds, optionally the units; <paramref name="Today"/> is the China date it is sent.</summary>
public sealed record OpenInvestigation(
    Guid Id,
    string CourtCode,
    string CourtRegion,
    string CaseNumber,
    Guid? EntryId,
    string SubjectKey,
    string SubjectName,
    IReadOnlyList<string> Kinds,
    IReadOnlyList<string>? Units,
    DateOnly Today);

/// <summary>A unit answers one of its tasks.</summary>
public sealed record AnswerTask(Guid TaskId, string UnitCode, DateTimeOffset AnsweredAt, DateOnly AnsweredOn, bool NoneFound, IReadOnlyList<Finding> Findings, DateOnly Today);

/// <summary>The investigation procedure (执行查控·查询): pure decisions over values.</summary>
public static class InvestigationDecider
{
    /// <summary>
    /// Opens a request: routes each kind to its units (<see cref="InvestigationRouting"/>), and gives each task the
    /// answer period of the rule set (<c>investigation.answer</c>, a platform default: the seeds — 000 §四(一)1, 002
    /// §二(八)–(九), 003 §三(七), 004 §三(八),(十七) — ask units to assist but set no period).
    /// </summary>
    public static InvestigationState Open(OpenInvestigation c, IReadOnlyList<InvestigationRoute> routes, RuleSet rules, LegalCalendar calendar,
        Func<Guid> newId, out DomainError? error)
    {
        error = null;
        var kinds = c.Kinds.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()).Distinct(StringComparer.Ordinal).ToArray();
        if (kinds.Length == 0)
        {
            error = new DomainError(DomainError.Codes.ValidationFailed, new("请至少选择一类查询事项", "name at least one kind of information (kinds)"), "kinds");
            return null!;
        }

        var unknown = kinds.Where(k => !InvestigationKinds.IsKnown(k)).ToArray();
        if (unknown.Length > 0)
        {
            error = new DomainError(InvestigationErrors.UnknownKind,
                new("所选查询事项无法识别，应为" + string.Join("、", InvestigationKinds.All.Select(k => k.TitleZh)) + "之一",
                    "unknown kind " + string.Join(", ", unknown) + "; known: " + string.Join(", ", InvestigationKinds.All.Select(k => k.Code))), "kinds");
            return null!;
        }

        var addresses = InvestigationRouting.Route(kinds, c.CourtRegion, routes, c.Units, out error);
        if (error is not null)
        {
            return null!;
        }

        var due = rules.Due(RuleIds.InvestigationAnswer, c.Today, calendar);
        var tasks = addresses.Select(a => new InvestigationTask(newId(), a.UnitCode, a.Kind, c.Today, due, null)).ToImmutableArray();
        return new InvestigationState(c.Id, c.CourtCode, c.CaseNumber, c.EntryId, c.SubjectKey, c.SubjectName, c.Today, tasks);
    }

    /// <summary>
    /// Records a unit's answer. Only the addressed unit answers, once; an answer is either "none found" or at least one
    /// finding, never both (a unit that found nothing says so, so that an empty list is never mistaken for an answer);
    /// findings are of the task's kind; an answer cannot be dated in the future or before the task was sent.
    /// </summary>
    public static InvestigationState Answer(InvestigationState s, AnswerTask c, out DomainError? error)
    {
        error = null;
        var task = s.Tasks.FirstOrDefault(t => t.Id == c.TaskId);
        if (task is null || !string.Equals(task.UnitCode, c.UnitCode, StringComparison.Ordinal))
        {
            error = new DomainError("not-found", new("未找到发给本单位的该查询任务", "task " + c.TaskId + " is not addressed to this unit"));
            return s;
        }

        if (task.Answer is not null)
        {
            error = new DomainError(InvestigationErrors.AlreadyAnswered, new("该查询任务已于" + task.Answer.AnsweredOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "答复",
                "the task was answered on " + task.Answer.AnsweredOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
            return s;
        }

        if (c.NoneFound && c.Findings.Count > 0)
        {
            error = new DomainError(InvestigationErrors.InconsistentAnswer, new("答复“未查到”的，不应填写查询结果", "an answer with noneFound: true carries no findings"), "findings");
            return s;
        }

        if (!c.NoneFound && c.Findings.Count == 0)
        {
            error = new DomainError(InvestigationErrors.InconsistentAnswer, new("请至少填写一项查询结果，或答复“未查到”", "report at least one finding, or answer noneFound: true"), "findings");
            return s;
        }

        if (c.AnsweredOn > c.Today)
        {
            error = new DomainError(DomainError.Codes.InvalidDate, new("答复时间不能晚于当前时间", "answeredAt is in the future"), "answeredAt");
            return s;
        }

        if (c.AnsweredOn < task.SentOn)
        {
            error = new DomainError(DomainError.Codes.InvalidDate, new("答复时间不能早于查询请求的时间", "answeredAt precedes the request"), "answeredAt");
            return s;
        }

        // A unit answers its own kind; the deposits of one bank are not an answer to a vehicle question.
        var stray = c.Findings.FirstOrDefault(f => !string.Equals(f.Kind, task.Kind, StringComparison.Ordinal));
        if (stray is not null)
        {
            error = new DomainError(InvestigationErrors.InconsistentAnswer, new("查询结果的类别与该查询任务的事项不符", "finding of kind '" + stray.Kind + "' on a '" + task.Kind + "' task"), "findings");
            return s;
        }

        var answered = task with { Answer = new TaskAnswer(c.AnsweredAt, c.AnsweredOn, c.NoneFound, [.. c.Findings]) };
        return s with { Tasks = s.Tasks.Replace(task, answered) };
    }
}
