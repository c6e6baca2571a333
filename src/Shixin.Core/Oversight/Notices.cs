namespace Shixin.Core.Oversight;

/// <summary>What the hub issues to an organization that falls short (002 §四(四)).</summary>
public enum NoticeKind
{
    /// <summary>通报 (criticism by notice).</summary>
    Notice,

    /// <summary>约谈 (a talk with the organization's head).</summary>
    Talk,
}

/// <summary>API names of notice kinds.</summary>
public static class NoticeKinds
{
    public static string ToApi(this NoticeKind k) => k == NoticeKind.Talk ? "talk" : "notice";

    public static string TitleZh(this NoticeKind k) => k == NoticeKind.Talk ? "约谈" : "通报";

    public static bool TryParse(string? text, out NoticeKind kind)
    {
        (var ok, kind) = text switch
        {
            "notice" => (true, NoticeKind.Notice),
            "talk" => (true, NoticeKind.Talk),
            _ => (false, default),
        };
        return ok;
    }

    public static NoticeKind Parse(string text) => TryParse(text, out var k) ? k : throw new InvalidDataException("unknown notice kind '" + text + "'");
}

/// <summary>The hub issues a notice or records a talk. The server supplies whether the organization is registered.</summary>
public sealed record IssueNotice(Guid Id, NoticeKind Kind, string Organization, bool OrganizationExists, DateOnly IssuedOn, string Subject, string? Detail,
    string IssuedBy, DateOnly Today);

/// <summary>A notice was issued or a talk held.</summary>
public sealed record NoticeIssued(Guid Id, NoticeKind Kind, string Organization, DateOnly IssuedOn, string Subject, string? Detail, string IssuedBy);

/// <summary>How one organization stands under 002 §四(四) "工作落实不到位的，予以通报批评".</summary>
/// <param name="NoticesThisYear">Notices (通报) issued to it in the current calendar year.</param>
/// <param name="Talks">Talks (约谈) held with it, ever.</param>
/// <param name="OverdueDuties">Duties past due and not met today.</param>
public readonly record struct ComplianceStanding(int NoticesThisYear, int Talks, int OverdueDuties);

/// <summary>Notices and talks (002 §四(四); 000 §五 "对协助执行不力的单位予以通报和追责"), and what they lead to.</summary>
public static class NoticeDecider
{
    /// <summary>The flag for two notices in a year (no honours, lost performance points).</summary>
    public const string TwoNoticesFlag = "两次以上通报：取消评优评先资格并扣减绩效考核分";

    /// <summary>The flag for a talk without improvement (referred for discipline).</summary>
    public const string TalkWithoutImprovementFlag = "约谈后仍未整改：移送纪律处理";

    public static Decision<NoticeIssued> Decide(IssueNotice c)
    {
        if (!c.OrganizationExists)
        {
            return Decision<NoticeIssued>.Refuse("not-found", new("未找到单位“" + c.Organization + "”", "organization '" + c.Organization + "' was not found"));
        }

        var errors = new List<DomainError>();
        if (string.IsNullOrWhiteSpace(c.Subject))
        {
            errors.Add(new(DomainError.Codes.ValidationFailed, new("请填写事由", "subject is required"), "subject"));
        }

        errors.AddIf(Rule.NotInFuture(c.IssuedOn, c.Today, "issuedOn", "通报（约谈）日期"));
        return Decision<NoticeIssued>.AcceptUnless(errors, () => new NoticeIssued(c.Id, c.Kind, c.Organization, c.IssuedOn, c.Subject.Trim(),
            string.IsNullOrWhiteSpace(c.Detail) ? null : c.Detail.Trim(), c.IssuedBy));
    }

    /// <summary>
    /// 002 §四(四): an organization notified twice or more in a year loses its honours and performance points; one that
    /// still falls short after a talk (it has overdue duties) is referred for discipline (002 §四(四)3). Null when neither holds.
    /// </summary>
    public static string? Flag(ComplianceStanding s) =>
        s.NoticesThisYear >= 2 ? TwoNoticesFlag : s.Talks > 0 && s.OverdueDuties > 0 ? TalkWithoutImprovementFlag : null;
}
