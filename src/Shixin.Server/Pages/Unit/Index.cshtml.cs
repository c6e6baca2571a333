using Microsoft.AspNetCore.Mvc;
using Shixin.Core.Catalogs;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;
using Shixin.Server.Hub;
using Shixin.Server.Units;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Unit;

/// <summary>A unit operator checks one subject for a scenario and sees the explained outcome; and the unit's duties.</summary>
public sealed class IndexModel(CheckService checks, ShixinDatabase database, EntryService entries, WebhookSecrets webhookSecrets, TimeProvider time,
    RecordFeedbackService feedback) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.UnitChecker, Roles.UnitFeedback];

    [BindProperty] public string? Scenario { get; set; }
    [BindProperty] public string IdKind { get; set; } = "id";
    [BindProperty] public string? Identifier { get; set; }
    [BindProperty] public string? SubjectName { get; set; }
    [BindProperty] public string? Reference { get; set; }

    /// <summary>Context values by field (form names <c>Context[trainType]</c>…); only the chosen scenario's fields are sent.</summary>
    [BindProperty] public Dictionary<string, string?> Context { get; set; } = [];

    /// <summary>Officer rows of an organization check: role and ID number, same index.</summary>
    [BindProperty] public List<string?> OfficerRole { get; set; } = [];

    [BindProperty] public List<string?> OfficerId { get; set; } = [];

    /// <summary>Officer rows the form offers.</summary>
    public const int OfficerRows = 3;

    /// <summary>Roles an officer can hold (API names).</summary>
    public static readonly string[] OfficerRoles =
        ["legal-representative", "principal", "actual-controller", "director", "supervisor", "senior-manager", "responsible-person"];

    /// <summary>Every context field some scenario asks for, with the scenarios that ask (the form shows them all without script).</summary>
    public IReadOnlyList<(ContextField Field, string[] Scenarios)> ContextFields =>
        [.. checks.Catalogs.Context.Fields.Select(f => (f, checks.Catalogs.Scenarios.Where(s => s.Context.Contains(f.Id)).Select(s => s.Id).ToArray()))
            .Where(x => x.Item2.Length > 0)];

    public string FieldTitle(string id) => checks.Catalogs.Context.TryGet(id, out var f) ? (T.English ? f.TitleEn : f.TitleZh) : id;

    public IReadOnlyList<Scenario> Scenarios => checks.Catalogs.Scenarios;

    public CheckResponse? Outcome { get; private set; }

    public List<ObligationView> Duties { get; private set; } = [];

    public bool CanCheck => Caller.Has(Roles.UnitChecker);

    public bool CanFeedback => Caller.Has(Roles.UnitFeedback);

    /// <summary>The feedback just recorded (POST ?handler=feedback).</summary>
    public FeedbackView? Recorded { get; private set; }

    public List<SubscriptionView> Subscriptions { get; private set; } = [];

    public Task OnGetAsync(CancellationToken ct) => LoadDutiesAsync(ct);

    /// <summary>Records what the unit did about a listed subject (the same service as POST /api/v1/feedback).</summary>
    public async Task<IActionResult> OnPostFeedbackAsync(string? feedbackEntryId, string? feedbackMeasure, string? feedbackAction, string? feedbackNote, CancellationToken ct)
    {
        if (!CanFeedback)
        {
            Errors.Add(T["forbidden"]);
        }
        else if (!Guid.TryParse(feedbackEntryId?.Trim(), out var entryId))
        {
            Errors.Add(T["unit.fb.entry"] + ": " + T["unit.fb.badentry"]);
        }
        else
        {
            var result = await feedback.RunAsync(
                new FeedbackRequest(entryId, feedbackMeasure?.Trim(), feedbackAction, null, null, string.IsNullOrWhiteSpace(feedbackNote) ? null : feedbackNote, null, null),
                Caller, ct);
            Recorded = Read<FeedbackView>(result);
        }

        await LoadDutiesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanCheck)
        {
            Errors.Add(T["forbidden"]);
        }
        else if (string.IsNullOrWhiteSpace(Scenario) || !checks.Catalogs.TryGetScenario(Scenario, out var scenario))
        {
            Errors.Add(T["unit.scenario"] + ": ?");
        }
        else if (!checks.Catalogs.TryParseContext(Scenario, Context.Where(kv => scenario.Context.Contains(kv.Key, StringComparer.Ordinal)),
            out var context, out var contextError))
        {
            // Without script the form shows every field; those of other scenarios are ignored above, not refused.
            Errors.Add(T["unit.context"] + ": " + (T.English ? contextError!.Message : contextError!.MessageZh));
        }
        else
        {
            var officers = IdKind == "credit"
                ? OfficerId.Select((id, k) => (Id: id?.Trim(), Role: k < OfficerRole.Count ? OfficerRole[k] : null))
                    .Where(o => !string.IsNullOrEmpty(o.Id)).Select(o => new CheckOfficer(o.Role, o.Id)).ToArray()
                : [];
            var subject = IdKind == "credit"
                ? new CheckSubject(null, Identifier, null, null, SubjectName, officers.Length > 0 ? officers : null)
                : new CheckSubject(Identifier, null, null, null, SubjectName);
            var errors = new FieldErrors();
            if (CheckService.KeyOf(subject, "subject", errors) is { } key
                && CheckService.OfficersOf(subject, key, "subject", errors) is var officerKeys && !errors.Any)
            {
                Outcome = await checks.CheckAsync(Caller, Scenario, string.IsNullOrWhiteSpace(Reference) ? null : Reference, [(subject, key)], ct,
                    context, [officerKeys]);
            }
            else
            {
                Errors.AddRange(errors.Messages(T.English));
            }
        }

        await LoadDutiesAsync(ct);
        return Page();
    }

    public string ScenarioTitle(string id) => checks.Catalogs.TryGetScenario(id, out var s) ? (T.English ? s.TitleEn : s.TitleZh) : id;

    private async Task LoadDutiesAsync(CancellationToken ct)
    {
        Duties = [.. (await ObligationsApi.ForOrganizationAsync(database, entries, Caller.OrganizationCode, Caller.OrganizationKind, ct)).OrderBy(d => d.DueOn)];
        if (await SubscriptionsApi.List(HttpContext, database, webhookSecrets, time, ct) is Microsoft.AspNetCore.Http.HttpResults.Ok<SubscriptionView[]> { Value: { } subs })
        {
            Subscriptions = [.. subs.Where(s => string.Equals(s.Organization, Caller.OrganizationCode, StringComparison.Ordinal))];
        }
    }
}
