using Shixin.Core.Calendar;

namespace Shixin.Core.Oversight;

/// <summary>Where a public complaint stands (its status) (002 §四(二)8: 受理、调查和反馈).</summary>
public enum ComplaintStage
{
    /// <summary>Received; the unit investigates and answers by the due date.</summary>
    Received,

    /// <summary>The unit answered the complainant.</summary>
    Answered,
}

/// <summary>The unit's finding after investigating.</summary>
public enum ComplaintFinding
{
    /// <summary>The measure should have been applied and was not: the unit applies it now.</summary>
    Upheld,
    Unfounded,
}

/// <summary>API names of complaint states and findings.</summary>
public static class ComplaintNames
{
    public static string ToApi(this ComplaintStage s) => s == ComplaintStage.Answered ? "answered" : "received";

    public static string ToApi(this ComplaintFinding f) => f == ComplaintFinding.Upheld ? "upheld" : "unfounded";

    public static ComplaintStage ParseStatus(string text) => text switch
    {
        "received" => ComplaintStage.Received,
        "answered" => ComplaintStage.Answered,
        _ => throw new InvalidDataException("unknown complaint status '" + text + "'"),
    };

    public static ComplaintFinding ParseFinding(string text) =>
        TryParseFinding(text, out var f) ? f : throw new InvalidDataException("unknown complaint finding '" + text + "'");

    public static bool TryParseFinding(string? text, out ComplaintFinding finding)
    {
        (var ok, finding) = text switch
        {
            "upheld" => (true, ComplaintFinding.Upheld),
            "unfounded" => (true, ComplaintFinding.Unfounded),
            _ => (false, default),
        };
        return ok;
    }
}

/// <summary>A complaint as the procedure needs it.</summary>
public sealed record ComplaintState(Guid Id, string AgainstOrganization, ComplaintStage Status, DateOnly ReceivedOn, DateOnly DueOn, DateOnly? AnsweredOn)
{
    /// <summary>Not answered by its due date (the duty list and the pages use this one rule).</summary>
    public bool IsOverdueOn(DateOnly today) => ComplaintDecider.IsOverdue(AnsweredOn, DueOn, today);
}

/// <summary>A complaint command.</summary>
public abstract record ComplaintCommand;

/// <summary>Anyone files a complaint that a unit did not apply a measure (public, followed by a tracking code).</summary>
/// <param name="AgainstIsUnit">The named organization is a registered joint-punishment unit.</param>
public sealed record FileComplaint(Guid Id, string TrackingCode, string AgainstOrganization, bool AgainstIsUnit, string? CaseNumber,
    string Description, string Contact, Deadline AnswerDue, DateOnly Today) : ComplaintCommand;

/// <summary>The unit complained against answers: its finding, the measure now applied where it holds, and the answer.</summary>
public sealed record AnswerComplaint(string Organization, ComplaintFinding Finding, string? MeasureApplied, string Answer, DateOnly AnsweredOn, DateOnly Today)
    : ComplaintCommand;

/// <summary>Something that happened to a complaint.</summary>
public abstract record ComplaintEvent;

public sealed record ComplaintFiled(Guid Id, string TrackingCode, string AgainstOrganization, string? CaseNumber, string Description, string Contact,
    DateOnly ReceivedOn, Deadline AnswerDue) : ComplaintEvent;

public sealed record ComplaintAnswered(ComplaintFinding Finding, string? MeasureApplied, string Answer, DateOnly AnsweredOn) : ComplaintEvent;

/// <summary>The complaint procedure: 002 §四(二)8 "接受…投诉举报，并负责投诉举报的受理、调查和反馈。对应当惩戒而未实施的，应当及时进行惩戒并告知投诉举报人".</summary>
public static class ComplaintDecider
{
    /// <summary>A complaint not answered by its due date is overdue (the duty list, the pages and the state use this one rule).</summary>
    public static bool IsOverdue(DateOnly? answeredOn, DateOnly dueOn, DateOnly today) => Calendar.Duties.StatusOn(dueOn, answeredOn, today) == Calendar.DutyStatus.Overdue;

    public static Decision<ComplaintEvent> Decide(ComplaintState? state, ComplaintCommand command) => (state, command) switch
    {
        (null, FileComplaint c) => DecideFiling(c),
        (not null, FileComplaint) => Decision<ComplaintEvent>.Refuse(OversightCodes.Conflict, new("该投诉已受理", "the complaint already exists")),
        (null, AnswerComplaint) => Decision<ComplaintEvent>.Refuse("not-found", new("未找到该投诉", "the complaint was not found")),
        ({ } s, AnswerComplaint c) => DecideAnswer(s, c),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
    };

    public static ComplaintState Evolve(ComplaintState? state, ComplaintEvent e) => (state, e) switch
    {
        (_, ComplaintFiled f) => new ComplaintState(f.Id, f.AgainstOrganization, ComplaintStage.Received, f.ReceivedOn, f.AnswerDue.DueOn, null),
        ({ } s, ComplaintAnswered a) => s with { Status = ComplaintStage.Answered, AnsweredOn = a.AnsweredOn },
        _ => throw new InvalidOperationException("event on a missing complaint: " + e.GetType().Name),
    };

    private static Decision<ComplaintEvent> DecideFiling(FileComplaint c)
    {
        // The complaint goes to the unit that should have applied the measure: it must be a registered unit.
        if (!c.AgainstIsUnit)
        {
            return Decision<ComplaintEvent>.Refuse(DomainError.Codes.ValidationFailed, new("被投诉单位应为已登记的联合惩戒单位", "againstOrganization must name a registered unit"),
                "againstOrganization");
        }

        var errors = new List<DomainError>();
        if (string.IsNullOrWhiteSpace(c.Description))
        {
            errors.Add(new(DomainError.Codes.ValidationFailed, new("请填写投诉内容", "description is required"), "description"));
        }

        if (string.IsNullOrWhiteSpace(c.Contact))
        {
            errors.Add(new(DomainError.Codes.ValidationFailed, new("请填写联系方式", "contact is required"), "contact"));
        }

        // The answer is due by the rule set's period from receipt (rule unit.answer-complaint).
        return Decision<ComplaintEvent>.AcceptUnless(errors, () => new ComplaintFiled(c.Id, c.TrackingCode, c.AgainstOrganization,
            string.IsNullOrWhiteSpace(c.CaseNumber) ? null : c.CaseNumber.Trim(), c.Description.Trim(), c.Contact.Trim(), c.Today, c.AnswerDue));
    }

    private static Decision<ComplaintEvent> DecideAnswer(ComplaintState s, AnswerComplaint c)
    {
        // Scope first: another unit learns nothing about the complaint from validation errors.
        if (!string.Equals(c.Organization, s.AgainstOrganization, StringComparison.Ordinal))
        {
            return Decision<ComplaintEvent>.Refuse(OversightCodes.Forbidden, new("该投诉针对的是其他单位", "the complaint is about another unit"));
        }

        var errors = new List<DomainError>();
        if (string.IsNullOrWhiteSpace(c.Answer))
        {
            errors.Add(new(DomainError.Codes.ValidationFailed, new("请填写答复内容", "answer is required"), "answer"));
        }

        errors.AddIf(Rule.NotInFuture(c.AnsweredOn, c.Today, "answeredOn", "答复日期"));

        // 002 §四(二)8: "对应当惩戒而未实施的，应当及时进行惩戒并告知投诉举报人" — an upheld complaint names the measure now applied.
        if (c.Finding == ComplaintFinding.Upheld && string.IsNullOrWhiteSpace(c.MeasureApplied))
        {
            errors.Add(new(DomainError.Codes.ValidationFailed, new("投诉属实的，请填写现已采取的惩戒措施", "an upheld complaint names the measure now applied"), "measureApplied"));
        }

        if (errors.Count > 0)
        {
            return Decision<ComplaintEvent>.Refuse([.. errors]);
        }

        if (s.Status == ComplaintStage.Answered)
        {
            return Decision<ComplaintEvent>.Refuse(DomainError.Codes.IllegalTransition, new("该投诉已答复，不能重复答复", "the complaint was already answered"));
        }

        if (Rule.NotBefore(c.AnsweredOn, s.ReceivedOn, "answeredOn", new("答复日期不能早于收到投诉日期", "answeredOn precedes the complaint")) is { } early)
        {
            return Decision<ComplaintEvent>.Refuse(early);
        }

        return Decision<ComplaintEvent>.Accept(new ComplaintAnswered(c.Finding, string.IsNullOrWhiteSpace(c.MeasureApplied) ? null : c.MeasureApplied.Trim(),
            c.Answer.Trim(), c.AnsweredOn));
    }
}
