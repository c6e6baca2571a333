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
public sealed class IndexModel(CheckService checks, ShixinDatabase database, EntryService entries) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.UnitChecker, Roles.UnitFeedback];

    [BindProperty] public string? Scenario { get; set; }
    [BindProperty] public string IdKind { get; set; } = "id";
    [BindProperty] public string? Identifier { get; set; }
    [BindProperty] public string? SubjectName { get; set; }
    [BindProperty] public string? Reference { get; set; }

    public IReadOnlyList<Scenario> Scenarios => checks.Catalogs.Scenarios;

    public CheckResponse? Outcome { get; private set; }

    public List<ObligationView> Duties { get; private set; } = [];

    public bool CanCheck => Caller.Has(Roles.UnitChecker);

    public Task OnGetAsync(CancellationToken ct) => LoadDutiesAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanCheck)
        {
            Errors.Add(T["forbidden"]);
        }
        else if (string.IsNullOrWhiteSpace(Scenario) || !checks.Catalogs.TryGetScenario(Scenario, out _))
        {
            Errors.Add(T["unit.scenario"] + ": ?");
        }
        else
        {
            var subject = IdKind == "credit"
                ? new CheckSubject(null, Identifier, null, null, SubjectName)
                : new CheckSubject(Identifier, null, null, null, SubjectName);
            var errors = new FieldErrors();
            if (CheckService.KeyOf(subject, "subject", errors) is { } key)
            {
                Outcome = await checks.CheckAsync(Caller, Scenario, string.IsNullOrWhiteSpace(Reference) ? null : Reference, [(subject, key)], ct);
            }
            else
            {
                Errors.AddRange(errors.ToDictionary().SelectMany(kv => kv.Value));
            }
        }

        await LoadDutiesAsync(ct);
        return Page();
    }

    public string ScenarioTitle(string id) => checks.Catalogs.TryGetScenario(id, out var s) ? (T.English ? s.TitleEn : s.TitleZh) : id;

    private async Task LoadDutiesAsync(CancellationToken ct) =>
        Duties = [.. (await ObligationsApi.ForOrganizationAsync(database, entries, Caller.OrganizationCode, Caller.OrganizationKind, ct)).OrderBy(d => d.DueOn)];
}
