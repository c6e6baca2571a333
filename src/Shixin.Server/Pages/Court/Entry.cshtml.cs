using Microsoft.AspNetCore.Mvc;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Ops;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Court;

/// <summary>One entry for its court: data, timeline from the ledger, and the next steps (risk notice, decision, exit).</summary>
public sealed class EntryModel(EntryService entries, Audit audit) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.CourtClerk, Roles.CourtJudge];

    public EntryView? Entry { get; private set; }

    [BindProperty(SupportsGet = true)]
    public bool Done { get; set; }

    [BindProperty] public string? ServedOn { get; set; }
    [BindProperty] public string? DecidedOn { get; set; }
    [BindProperty] public string? PublishOn { get; set; }
    [BindProperty] public string? ExitKind { get; set; }
    [BindProperty] public string? ExitReason { get; set; }
    [BindProperty] public string? EffectiveOn { get; set; }
    [BindProperty] public string? Note { get; set; }

    public string Today => entries.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public bool IsJudge => Caller.Has(Roles.CourtJudge);

    public Task OnGetAsync(Guid id, CancellationToken ct) => LoadAsync(id, ct);

    public Task<IActionResult> OnPostRiskNoticeAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, () => EntriesApi.RiskNotice(id, new RiskNoticeRequest(ServedOn), HttpContext, entries, ct), ct);

    public Task<IActionResult> OnPostDecideAsync(Guid id, CancellationToken ct) =>
        JudgeOnly(id, ct) ?? ActAsync(id, () => EntriesApi.Decide(id, new DecisionRequest(DecidedOn, string.IsNullOrEmpty(PublishOn) ? null : PublishOn, null, null), HttpContext, entries, ct), ct);

    public Task<IActionResult> OnPostExitAsync(Guid id, CancellationToken ct) =>
        JudgeOnly(id, ct) ?? ActAsync(id, () => EntriesApi.Exit(id, new ExitRequest(ExitKind, ExitReason, EffectiveOn, string.IsNullOrWhiteSpace(Note) ? null : Note), HttpContext, entries, ct), ct);

    /// <summary>Decisions and exits need the judge role, exactly as the API's role filter demands.</summary>
    private Task<IActionResult>? JudgeOnly(Guid id, CancellationToken ct)
    {
        if (IsJudge)
        {
            return null;
        }

        Errors.Add(T["court.judgeonly"] + " (" + Roles.CourtJudge + ")");
        return LoadThenPage(id, ct);
    }

    private async Task<IActionResult> LoadThenPage(Guid id, CancellationToken ct)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<IActionResult> ActAsync(Guid id, Func<Task<IResult>> act, CancellationToken ct)
    {
        if (Read<EntryView>(await act()) is not null)
        {
            return Redirect("/court/entry/" + id.ToString() + "?done=1");
        }

        await LoadAsync(id, ct);
        return Page();
    }

    private async Task LoadAsync(Guid id, CancellationToken ct)
    {
        Entry = Read<EntryView>(await EntriesApi.Get(id, HttpContext, entries, audit, ct));
    }
}
