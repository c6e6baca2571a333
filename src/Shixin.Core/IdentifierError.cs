using System.Globalization;

namespace Shixin.Core;

/// <summary>Why an identifier failed to parse: a stable kebab-case code plus English and Chinese messages.</summary>
/// <param name="Code">Stable machine code, one of <see cref="IdentifierErrorCodes"/>; safe to switch on.</param>
/// <param name="Message">Specific English message, e.g. "check character should be X".</param>
/// <param name="MessageZh">The same in Chinese, e.g. "校验码应为X".</param>
public sealed record IdentifierError(string Code, string Message, string MessageZh)
{
    /// <summary>The exception <c>Parse</c> methods throw for this error.</summary>
    public FormatException ToException() => new(string.Concat(Code, ": ", Message));

    internal static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The stable codes carried by <see cref="IdentifierError.Code"/>.</summary>
public static class IdentifierErrorCodes
{
    /// <summary>Resident ID number (公民身份号码), GB 11643-1999.</summary>
    public const string InvalidIdNumber = "invalid-id-number";

    /// <summary>Unified social credit code (统一社会信用代码), GB 32100-2015.</summary>
    public const string InvalidCreditCode = "invalid-credit-code";

    /// <summary>Organization code (组织机构代码), GB 11714-1997.</summary>
    public const string InvalidOrganizationCode = "invalid-organization-code";

    /// <summary>Passport number.</summary>
    public const string InvalidPassport = "invalid-passport";

    /// <summary>Court case number (案号).</summary>
    public const string InvalidCaseNumber = "invalid-case-number";
}
