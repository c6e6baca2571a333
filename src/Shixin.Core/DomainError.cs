namespace Shixin.Core;

/// <summary>
/// One message in the platform's two languages: Simplified Chinese (what users read by default) and English
/// (<c>?lang=en</c>). Both are mandatory so that no refusal reaches a Chinese reader in English (issue 15 item 1).
/// </summary>
/// <param name="Zh">Chinese, as a court clerk reads it: field names by their form labels, dates and citations kept.</param>
/// <param name="En">English, for API clients that ask for it.</param>
public readonly record struct Bilingual(string Zh, string En)
{
    /// <summary>The message in the reader's language.</summary>
    public string In(bool english) => english ? En : Zh;

    public static Bilingual operator +(Bilingual a, Bilingual b) => new(a.Zh + b.Zh, a.En + b.En);

    public override string ToString() => Zh;
}

/// <summary>A refusal by a domain rule, with a stable machine code (API.md "Errors") and a message in both languages.</summary>
public sealed record DomainError(string Code, Bilingual Message, string? Field = null)
{
    /// <summary>The English message (<c>?lang=en</c>).</summary>
    public string Detail => Message.En;

    /// <summary>The Chinese message (the default).</summary>
    public string DetailZh => Message.Zh;

    /// <summary>Stable codes shared by the domain and the HTTP layer.</summary>
    public static class Codes
    {
        public const string IllegalTransition = "illegal-transition";
        public const string SubjectIsMinor = "subject-is-minor";
        public const string WindowClosed = "window-closed";
        public const string InvalidTerm = "invalid-term";
        public const string InvalidExtension = "invalid-extension";
        public const string InvalidExitReason = "invalid-exit-reason";
        public const string RelistingBarred = "relisting-barred";
        public const string DuplicateEntry = "duplicate-entry";
        public const string ValidationFailed = "validation-failed";
        public const string InvalidDate = "invalid-date";
        public const string UnknownField = "unknown-field";
        public const string ExemptionSubjectNotOnEntry = "exemption-subject-not-on-entry";
        public const string ExemptionScenarioMismatch = "exemption-scenario-mismatch";
    }

    public static DomainError Illegal(Bilingual message) => new(Codes.IllegalTransition, message);

    /// <summary>An identifier that failed to parse, on <paramref name="field"/>, keeping its specific code.</summary>
    public static DomainError From(IdentifierError error, string field) => new(error.Code, new(error.MessageZh, error.Message), field);
}
