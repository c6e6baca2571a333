using Microsoft.AspNetCore.Mvc;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Ops;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Court;

/// <summary>One entry for its court: data, timeline from the ledger, and the next steps (risk notice, decision, exit, extension, corrections).</summary>
public sealed class EntryModel(EntryService entries, Audit audit, Shixin.Data.ShixinDatabase database) : StaffPage
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
    [BindProperty] public string? ExtensionYears { get; set; }
    [BindProperty] public string? ExtensionReason { get; set; }
    [BindProperty] public string? ReceivedOn { get; set; }
    [BindProperty] public string? FiledOn { get; set; }
    [BindProperty] public string? Grounds { get; set; }
    [BindProperty] public Guid? CorrectionId { get; set; }

    public string Today => entries.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public DateOnly TodayDate => entries.Today;

    public bool IsJudge => Caller.Has(Roles.CourtJudge);

    public Task OnGetAsync(Guid id, CancellationToken ct) => LoadAsync(id, ct);

    public Task<IActionResult> OnPostRiskNoticeAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, () => EntriesApi.RiskNotice(id, new RiskNoticeRequest(ServedOn), HttpContext, entries, ct), ct);

    public Task<IActionResult> OnPostDecideAsync(Guid id, CancellationToken ct) =>
        JudgeOnly(id, ct) ?? ActAsync(id, () => EntriesApi.Decide(id, new DecisionRequest(DecidedOn, string.IsNullOrEmpty(PublishOn) ? null : PublishOn, null, null), HttpContext, entries, ct), ct);

    public Task<IActionResult> OnPostExitAsync(Guid id, CancellationToken ct) =>
        JudgeOnly(id, ct) ?? ActAsync(id, () => EntriesApi.Exit(id, new ExitRequest(ExitKind, ExitReason, EffectiveOn, string.IsNullOrWhiteSpace(Note) ? null : Note), HttpContext, entries, ct), ct);

    /// <summary>Extends the term by 1–3 years (judge): the same handler and rules as POST /api/v1/entries/{id}/extension.</summary>
    public Task<IActionResult> OnPostExtendAsync(Guid id, CancellationToken ct)
    {
        if (JudgeOnly(id, ct) is { } refused)
        {
            return refused;
        }

        if (!int.TryParse(ExtensionYears, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var years) || years is < 1 or > 3)
        {
            Errors.Add(T["court.extend.years"] + "：" + T["court.extend.badyears"]);
        }

        if (string.IsNullOrWhiteSpace(ExtensionReason))
        {
            Errors.Add(T["court.extend.reason"] + "：" + T["form.required"]);
        }

        return Errors.Count > 0 ? Invalid(id, ct)
            : ActAsync(id, () => EntriesApi.Extend(id, new ExtensionRequest(years, ExtensionReason!.Trim()), HttpContext, entries, ct), ct);
    }

    /// <summary>Records the debtor's correction application (纠正申请) received by the court: POST /api/v1/entries/{id}/corrections.</summary>
    public async Task<IActionResult> OnPostCorrectionAsync(Guid id, CancellationToken ct)
    {
        RequireDate(ReceivedOn, "court.corr.received");
        RequireDate(FiledOn, "court.corr.filed");
        if (string.IsNullOrWhiteSpace(Grounds))
        {
            Errors.Add(T["court.corr.grounds"] + "：" + T["form.required"]);
        }

        if (Errors.Count > 0)
        {
            return await Invalid(id, ct);
        }

        var result = await CorrectionsApi.File(id, new CorrectionRequest(ReceivedOn, FiledOn, Grounds!.Trim()), HttpContext, entries, ct);
        return Read<CorrectionCreated>(result) is not null ? Redirect("/court/entry/" + id.ToString() + "?done=true") : await Invalid(id, ct);
    }

    /// <summary>Records an application for reconsideration of a rejected correction, assigned to the higher court.</summary>
    public async Task<IActionResult> OnPostReconsiderationAsync(Guid id, CancellationToken ct)
    {
        RequireDate(FiledOn, "court.corr.filed");
        if (string.IsNullOrWhiteSpace(Grounds))
        {
            Errors.Add(T["court.corr.grounds"] + "：" + T["form.required"]);
        }

        if (CorrectionId is null)
        {
            Errors.Add(T["court.corrections"] + "：" + T["form.required"]);
        }

        if (Errors.Count > 0)
        {
            return await Invalid(id, ct);
        }

        var result = await CorrectionsApi.FileReconsideration(CorrectionId!.Value, new ReconsiderationRequest(FiledOn, Grounds!.Trim(), null), HttpContext, entries, database, ct);
        return Read<ReconsiderationCreated>(result) is not null ? Redirect("/court/entry/" + id.ToString() + "?done=true") : await Invalid(id, ct);
    }

    private void RequireDate(string? value, string label)
    {
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
        {
            Errors.Add(T[label] + "：" + T["form.baddate"]);
        }
    }

    /// <summary>The page again with the reader's input and the messages, as a 400.</summary>
    private async Task<IActionResult> Invalid(Guid id, CancellationToken ct)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(id, ct);
        return Page();
    }

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
            return Redirect("/court/entry/" + id.ToString() + "?done=true");
        }

        await LoadAsync(id, ct);
        return Page();
    }

    private async Task LoadAsync(Guid id, CancellationToken ct)
    {
        Entry = Read<EntryView>(await EntriesApi.Get(id, HttpContext, entries, audit, ct));
    }
}
