namespace Shixin.Core.Catalogs;

/// <summary>What a unit does when a measure applies in its business step.</summary>
public enum MeasureAction
{
    /// <summary>禁止/限制: the step is refused.</summary>
    Block,
    /// <summary>从严审核: the step needs strict manual review.</summary>
    StrictReview,
    /// <summary>审慎性参考: the listing is a prudential reference for the decision.</summary>
    PrudentialReference,
    /// <summary>撤销荣誉: an honour is refused, one already granted after listing is revoked.</summary>
    RevokeHonour,
    /// <summary>限额控制: the step is allowed within a quota.</summary>
    Quota,
    /// <summary>重点监管: the subject becomes a key supervision target.</summary>
    EnhancedSupervision,
    /// <summary>通报: someone must be notified (employer, party organization, police…).</summary>
    Notify,
    /// <summary>协助: the unit assists the court (queries, control).</summary>
    Assist,
}

/// <summary>The eleven measure categories of 中办发〔2016〕64号 §二, the stable codes every catalog maps onto.</summary>
public enum MeasureCategory
{
    /// <summary>从事特定行业或项目限制.</summary>
    SpecificIndustries,
    /// <summary>政府支持或补贴限制.</summary>
    GovernmentSupport,
    /// <summary>任职资格限制.</summary>
    OfficeQualification,
    /// <summary>准入资格限制.</summary>
    MarketAccess,
    /// <summary>荣誉和授信限制.</summary>
    HonoursAndCredit,
    /// <summary>特殊市场交易限制.</summary>
    SpecialTransactions,
    /// <summary>限制高消费及有关消费.</summary>
    HighConsumption,
    /// <summary>协助查询、控制及出境限制.</summary>
    AssistanceAndExit,
    /// <summary>加强日常监管检查.</summary>
    RoutineSupervision,
    /// <summary>加大刑事惩戒力度.</summary>
    Criminal,
    /// <summary>其他方面限制.</summary>
    Other,
}

/// <summary>Natural person or organization.</summary>
public enum SubjectKind
{
    /// <summary>自然人.</summary>
    Person,
    /// <summary>法人或其他组织.</summary>
    Organization,
}

/// <summary>How a checked subject is tied to a listed debtor: the debtor itself or one of the seven related-person roles.</summary>
public enum RelatedRole
{
    /// <summary>The checked subject is the debtor.</summary>
    Debtor,
    /// <summary>法定代表人.</summary>
    LegalRepresentative,
    /// <summary>主要负责人.</summary>
    Principal,
    /// <summary>实际控制人.</summary>
    ActualController,
    /// <summary>影响债务履行的直接责任人员.</summary>
    ResponsiblePerson,
    /// <summary>董事.</summary>
    Director,
    /// <summary>监事.</summary>
    Supervisor,
    /// <summary>高级管理人员.</summary>
    SeniorManager,
}

/// <summary>Which way a measure's related roles point (see data/catalogs/README.md).</summary>
public enum RelatedReach
{
    /// <summary>The measure reaches the natural persons holding a role in an organization debtor (限制高消费: 法定代表人…).</summary>
    Officers,
    /// <summary>The measure reaches the organizations in which a debtor holds a role (重点监管: 以失信被执行人为法定代表人…的单位).</summary>
    Organizations,
}

/// <summary>The result of screening one subject, ordered from mildest to strictest.</summary>
public enum ScreeningOutcome
{
    /// <summary>No applicable measure.</summary>
    Clear,
    /// <summary>The unit takes the listing into account or notifies/assists; the step may proceed.</summary>
    Reference,
    /// <summary>The step needs a human decision before it proceeds.</summary>
    Review,
    /// <summary>The step is refused.</summary>
    Block,
}

/// <summary>The API string names of the vocabulary enums (kebab-case, ordinal).</summary>
public static class ApiNames
{
    // Arrays indexed by the enum value: the hot path formats without allocating or reflecting.
    private static readonly string[] Actions =
        ["block", "strict-review", "prudential-reference", "revoke-honour", "quota", "enhanced-supervision", "notify", "assist"];
    private static readonly string[] Categories =
        ["specific-industries", "government-support", "office-qualification", "market-access", "honours-and-credit",
         "special-transactions", "high-consumption", "assistance-and-exit", "routine-supervision", "criminal", "other"];
    private static readonly string[] Kinds = ["person", "organization"];
    private static readonly string[] Roles =
        ["debtor", "legal-representative", "principal", "actual-controller", "responsible-person", "director", "supervisor", "senior-manager"];
    private static readonly string[] Reaches = ["officers", "organizations"];
    private static readonly string[] Outcomes = ["clear", "reference", "review", "block"];

    /// <summary>API name of an action.</summary>
    public static string ToApiName(this MeasureAction value) => Actions[(int)value];
    /// <summary>API name of a category.</summary>
    public static string ToApiName(this MeasureCategory value) => Categories[(int)value];
    /// <summary>API name of a subject kind.</summary>
    public static string ToApiName(this SubjectKind value) => Kinds[(int)value];
    /// <summary>API name of a role.</summary>
    public static string ToApiName(this RelatedRole value) => Roles[(int)value];
    /// <summary>API name of a reach.</summary>
    public static string ToApiName(this RelatedReach value) => Reaches[(int)value];
    /// <summary>API name of an outcome.</summary>
    public static string ToApiName(this ScreeningOutcome value) => Outcomes[(int)value];

    /// <summary>Parses an action API name.</summary>
    public static bool TryParse(string? name, out MeasureAction value) => TryFind(Actions, name, out value);
    /// <summary>Parses a category API name.</summary>
    public static bool TryParse(string? name, out MeasureCategory value) => TryFind(Categories, name, out value);
    /// <summary>Parses a subject-kind API name.</summary>
    public static bool TryParse(string? name, out SubjectKind value) => TryFind(Kinds, name, out value);
    /// <summary>Parses a role API name.</summary>
    public static bool TryParse(string? name, out RelatedRole value) => TryFind(Roles, name, out value);
    /// <summary>Parses a reach API name.</summary>
    public static bool TryParse(string? name, out RelatedReach value) => TryFind(Reaches, name, out value);

    private static bool TryFind<T>(string[] names, string? name, out T value) where T : struct, Enum
    {
        var index = name is null ? -1 : Array.FindIndex(names, n => string.Equals(n, name, StringComparison.Ordinal));
        value = index < 0 ? default : (T)Enum.ToObject(typeof(T), index);
        return index >= 0;
    }
}
