using System.Collections.Frozen;
using Shixin.Core.Calendar;

namespace Shixin.Core.Investigations;

/// <summary>How long a control over a kind of property may run (法释〔2022〕11号 Art. 485 para. 1).</summary>
public enum PropertyClass
{
    /// <summary>Not property: whereabouts, identity or civil records; a control over it has no term.</summary>
    None,

    /// <summary>Bank deposits and other funds in accounts: one year (银行存款).</summary>
    Deposits,

    /// <summary>Movables: two years (动产).</summary>
    Movables,

    /// <summary>Real estate and other property rights: three years (不动产、其他财产权).</summary>
    PropertyRights,
}

/// <summary>One kind of information a court may ask the units for (API.md "Enforcement investigation and control").</summary>
/// <param name="Code">Stable API code, e.g. <c>deposits</c>.</param>
/// <param name="TitleZh">Chinese name shown to users.</param>
/// <param name="TitleEn">English name.</param>
/// <param name="Property">Which term of Art. 485 a freeze or seizure of this kind runs under.</param>
/// <param name="Source">The seed paragraph that asks units to assist with it.</param>
public sealed record InvestigationKind(string Code, string TitleZh, string TitleEn, PropertyClass Property, string Source)
{
    /// <summary>Whether a search of this kind is a search for property (counts toward SPC Art. 10 ¶1(4)).</summary>
    public bool IsProperty => Property != PropertyClass.None;
}

/// <summary>The kinds of information courts ask for, with their seed sources and property class.</summary>
public static class InvestigationKinds
{
    public const string Deposits = "deposits";
    public const string WealthManagement = "wealth-management";
    public const string Securities = "securities";
    public const string Equity = "equity";
    public const string RealEstate = "real-estate";
    public const string Vehicles = "vehicles";
    public const string ProvidentFund = "provident-fund";
    public const string SafeDepositBox = "safe-deposit-box";
    public const string Insurance = "insurance";
    public const string Marriage = "marriage";
    public const string Subsistence = "subsistence";
    public const string TravelDocuments = "travel-documents";
    public const string Accommodation = "accommodation";
    public const string Whereabouts = "whereabouts";
    public const string TaxRefund = "tax-refund";

    /// <summary>All kinds in display order. API.md names the first fourteen; <c>tax-refund</c> is added from 004 §三(十六).</summary>
    public static IReadOnlyList<InvestigationKind> All { get; } =
    [
        // 000 §四(一)1: 存款、金融理财产品、证券、股权、土地、房产、车辆 are the main forms the network covers.
        new(Deposits, "存款", "Bank deposits", PropertyClass.Deposits, "000 §四(一)1; 004 §三(十七)"),
        new(WealthManagement, "金融理财产品", "Wealth-management products", PropertyClass.PropertyRights, "000 §四(一)1; 002 §二(九)1; 003 §三(七)"),
        new(Securities, "证券", "Securities", PropertyClass.PropertyRights, "000 §四(一)1; 003 §三(七) (股票信息)"),
        new(Equity, "股权", "Equity", PropertyClass.PropertyRights, "000 §四(一)1; 004 §三(十一)"),
        new(RealEstate, "不动产（土地、房产）", "Real estate (land, buildings)", PropertyClass.PropertyRights, "000 §四(一)1; 000 §二(六)1; 003 §三(七)"),
        new(Vehicles, "车辆", "Vehicles", PropertyClass.Movables, "000 §二(八); 002 §二(八); 004 §三(八)"),
        // A provident-fund account holds funds like a deposit account: the one-year deposit term applies. The shorter
        // term is the reading under which a control is never assumed to run longer than the law clearly allows.
        new(ProvidentFund, "住房公积金", "Housing provident fund", PropertyClass.Deposits, "002 §二(九)3"),
        // The box's contents are movables (Art. 485: 动产).
        new(SafeDepositBox, "保管箱", "Safe-deposit boxes", PropertyClass.Movables, "002 §二(九)1; 003 §三(七)"),
        new(Insurance, "保险产品", "Insurance products", PropertyClass.PropertyRights, "002 §二(九)1; 003 §三(七)"),
        new(Marriage, "婚姻登记", "Marriage registration", PropertyClass.None, "002 §二(九)2; 003 §三(七); 004 §三(十五)"),
        new(Subsistence, "最低生活保障和特困供养", "Subsistence and destitute support", PropertyClass.None, "002 §二(九)2; 004 §三(十五)"),
        new(TravelDocuments, "出入境证件", "Travel documents", PropertyClass.None, "000 §二(八); 002 §二(八); 004 §三(八)"),
        new(Accommodation, "住宿信息", "Accommodation records", PropertyClass.None, "003 §三(七); 004 §三(八)"),
        new(Whereabouts, "下落（查找被执行人）", "Whereabouts", PropertyClass.None, "000 §二(八); 002 §二(八); 004 §三(八)"),
        new(TaxRefund, "退税账户", "Tax-refund accounts", PropertyClass.Deposits, "004 §三(十六)"),
    ];

    private static readonly FrozenDictionary<string, InvestigationKind> ByCode = All.ToFrozenDictionary(k => k.Code, StringComparer.Ordinal);

    public static bool IsKnown(string? code) => code is not null && ByCode.ContainsKey(code);

    public static InvestigationKind Get(string code) =>
        ByCode.TryGetValue(code, out var kind) ? kind : throw new KeyNotFoundException("unknown investigation kind '" + code + "'");

    public static bool TryGet(string? code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out InvestigationKind? kind)
    {
        kind = null;
        return code is not null && ByCode.TryGetValue(code, out kind);
    }

    /// <summary>The rule giving the longest term of a control over property of this class (Art. 485 para. 1), or null when there is none.</summary>
    public static string? TermRule(PropertyClass property) => property switch
    {
        PropertyClass.Deposits => RuleIds.ControlTermDeposits,
        PropertyClass.Movables => RuleIds.ControlTermMovables,
        PropertyClass.PropertyRights => RuleIds.ControlTermProperty,
        _ => null,
    };
}
