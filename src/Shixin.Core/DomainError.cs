namespace Shixin.Core;

/// <summary>A refusal by a domain rule, with a stable machine code (API.md "Errors").</summary>
public sealed record DomainError(string Code, string Detail, string? Field = null)
{
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

    public static DomainError Illegal(string detail) => new(Codes.IllegalTransition, detail);
}
