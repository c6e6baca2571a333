using Microsoft.AspNetCore.Mvc;
using Shixin.Core.Catalogs;
using Shixin.Core.Entries;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Ops;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Court;

/// <summary>
/// One entry for its court: data, timeline from the ledger, and the next steps (risk notice, decision, exit, extension,
/// corrections, amendment, performance, the special-subject notification, court exemptions). Only the steps the reader's
/// role may take are offered; the services refuse the others anyway (the same rules as the API).
/// </summary>
public sealed class EntryModel(EntryService entries, EntryActions actions, CorrectionActions corrections, Shixin.Data.ShixinDatabase database, ExemptionService exemptions,
    RecordSpecialNotificationService notifications, MeasureCatalogs catalogs) : StaffPage
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

    [BindProperty] public string? ExIdNumber { get; set; }
    [BindProperty] public string? ExKind { get; set; }
    [BindProperty] public string[]? ExScenarios { get; set; }
    [BindProperty] public string? ExFrom { get; set; }
    [BindProperty] public string? ExUntil { get; set; }
    [BindProperty] public string? ExReason { get; set; }
    [BindProperty] public string? ExBasis { get; set; }
    [BindProperty] public Guid? EndExemptionId { get; set; }
    [BindProperty] public string? EndReason { get; set; }
    [BindProperty] public string? AmendField { get; set; }
    [BindProperty] public string? AmendValue { get; set; }
    [BindProperty] public string? AmendReason { get; set; }
    [BindProperty] public string? PerfPerformed { get; set; }
    [BindProperty] public string? PerfUnperformed { get; set; }
    [BindProperty] public string? PerfOn { get; set; }
    [BindProperty] public bool PerfFully { get; set; }
    [BindProperty] public bool PerfSettlement { get; set; }
    [BindProperty] public bool PerfTerminated { get; set; }
    [BindProperty] public string? Addressee { get; set; }
    [BindProperty] public string? DeliveredOn { get; set; }
    [BindProperty] public string? Method { get; set; }

    /// <summary>The special-subject notification's first delivery, when one is due and was recorded.</summary>
    public Shixin.Data.SpecialNotificationRow? Delivery { get; private set; }

    /// <summary>The scenarios a judge may name in an exemption, travel first (法发〔2019〕35号 §17 speaks of flights and trains).</summary>
    public IReadOnlyList<Scenario> Scenarios => catalogs.Scenarios;

    /// <summary>What the message after a redirect says.</summary>
    [BindProperty(SupportsGet = true)] public string? Said { get; set; }

    public string Today => entries.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public DateOnly TodayDate => entries.Today;

    public bool IsJudge => Caller.Has(Roles.CourtJudge);

    /// <summary>A judge of the court that holds the entry: the one who decides, exits, extends, amends and grants exemptions.</summary>
    public bool IsOwnJudge => IsJudge && IsOwnCourt;

    /// <summary>Staff of the executing court (a higher court hearing a reconsideration reads the entry but acts on it only through the ruling).</summary>
    public bool IsOwnCourt => Entry is not null && string.Equals(Entry.Court, Caller.OrganizationCode, StringComparison.Ordinal);

    /// <summary>The exits open to this entry, with the reasons that fit each (EntryDecider.ExitOptions: the rule the decision applies).</summary>
    public IReadOnlyList<(EntryStatus Kind, IReadOnlyList<string> Reasons)> ExitOptions { get; private set; } = [];

    /// <summary>The special-subject notification is due for this entry (SPC Art. 8; 003 §三(八)): a special status or a restricted entry, once decided.</summary>
    public bool NotificationDue => Entry is { DecidedOn: not null } e && (e.SpecialStatus is not null || e.Publicity == "restricted");

    /// <summary>The exit kind as the exit request names it (shield, revoke, delete).</summary>
    public static string ExitVerb(EntryStatus kind) => kind switch { EntryStatus.Shielded => "shield", EntryStatus.Revoked => "revoke", _ => "delete" };

    public string DefaultAddressee => Shixin.Core.Oversight.SpecialNotificationDecider.Addressee(Entry?.SpecialStatus);

    public Task OnGetAsync(Guid id, CancellationToken ct) => LoadAsync(id, ct);

    public Task<IActionResult> OnPostRiskNoticeAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, () => actions.RiskNoticeAsync(id, new RiskNoticeRequest(ServedOn), Caller, ct), ct);

    public Task<IActionResult> OnPostDecideAsync(Guid id, CancellationToken ct) =>
        JudgeOnly(id, ct) ?? ActAsync(id, () => actions.DecideAsync(id, new DecisionRequest(DecidedOn, string.IsNullOrEmpty(PublishOn) ? null : PublishOn, null, null), Caller, ct), ct);

    public Task<IActionResult> OnPostExitAsync(Guid id, CancellationToken ct) =>
        JudgeOnly(id, ct) ?? ActAsync(id, () => actions.ExitAsync(id, new ExitRequest(ExitKind, ExitReason, EffectiveOn, string.IsNullOrWhiteSpace(Note) ? null : Note), Caller, ct), ct);

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
            : ActAsync(id, () => actions.ExtendAsync(id, new ExtensionRequest(years, ExtensionReason!.Trim()), Caller, ct), ct);
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

        var result = await corrections.FileAsync(id, new CorrectionRequest(ReceivedOn, FiledOn, Grounds!.Trim()), Caller, ct);
        return Read(result) is not null ? Redirect("/court/entry/" + id.ToString() + "?done=true") : await Invalid(id, ct);
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

        var result = await corrections.FileReconsiderationAsync(CorrectionId!.Value, new ReconsiderationRequest(FiledOn, Grounds!.Trim(), null), Caller, ct);
        return Read(result) is not null ? Redirect("/court/entry/" + id.ToString() + "?done=true") : await Invalid(id, ct);
    }

    /// <summary>A judge grants an exemption: <see cref="ExemptionService"/>, the same service as POST /api/v1/entries/{id}/exemptions.</summary>
    public async Task<IActionResult> OnPostGrantExemptionAsync(Guid id, CancellationToken ct)
    {
        var (view, problem) = await exemptions.GrantAsync(id, new ExemptionRequest(ExIdNumber, ExKind, ExScenarios, ExFrom, ExUntil, ExReason, ExBasis), Caller, ct);
        return problem is null && view is not null ? Redirect("/court/entry/" + id.ToString() + "?done=true&said=exgranted#exemptions") : await Refused(id, problem!, ct);
    }

    /// <summary>A judge ends an exemption: the same service as POST /api/v1/exemptions/{id}/end.</summary>
    public async Task<IActionResult> OnPostEndExemptionAsync(Guid id, CancellationToken ct)
    {
        if (EndExemptionId is null)
        {
            Errors.Add(T["court.ex.title"] + "：" + T["form.required"]);
            return await Invalid(id, ct);
        }

        var (view, problem) = await exemptions.EndAsync(EndExemptionId.Value, new EndExemptionRequest(EndReason), Caller, ct);
        return problem is null && view is not null ? Redirect("/court/entry/" + id.ToString() + "?done=true&said=exended#exemptions") : await Refused(id, problem!, ct);
    }

    /// <summary>Corrects one recorded field (更正, judge): the same rules as POST /api/v1/entries/{id}/amendment.</summary>
    public Task<IActionResult> OnPostAmendAsync(Guid id, CancellationToken ct)
    {
        if (JudgeOnly(id, ct) is { } refused)
        {
            return refused;
        }

        if (AmendField is null || !EntryDecider.AmendableFields.Contains(AmendField, StringComparer.Ordinal))
        {
            Errors.Add(T["court.amend.field"] + "：" + T["court.amend.choose"]);
        }

        if (string.IsNullOrWhiteSpace(AmendReason))
        {
            Errors.Add(T["court.amend.reason"] + "：" + T["form.required"]);
        }

        if (Errors.Count > 0)
        {
            return Invalid(id, ct);
        }

        var changes = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal)
        {
            [AmendField!] = System.Text.Json.JsonSerializer.SerializeToElement(AmendValue?.Trim()),
        };
        return ActAsync(id, () => actions.AmendAsync(id, new AmendmentRequest(changes, AmendReason!.Trim()), Caller, ct), ct);
    }

    /// <summary>Records performance (clerk or judge): the same rules as POST /api/v1/entries/{id}/performance.</summary>
    public Task<IActionResult> OnPostPerformanceAsync(Guid id, CancellationToken ct)
    {
        var performed = Amount(PerfPerformed, "court.perf.performed");
        var unperformed = Amount(PerfUnperformed, "court.perf.unperformed");
        // Both amounts, or neither with a performed settlement or terminated enforcement (000 §四(二)4), as the API demands.
        if (Errors.Count == 0 && ((performed is null) != (unperformed is null) || (performed is null && !PerfSettlement && !PerfTerminated)))
        {
            Errors.Add(T["court.perf.amounts"]);
        }

        if (!string.IsNullOrEmpty(PerfOn))
        {
            RequireDate(PerfOn, "court.perf.on");
        }

        return Errors.Count > 0 ? Invalid(id, ct)
            : ActAsync(id, () => actions.RecordPerformanceAsync(id, new PerformanceRequest(performed, unperformed, PerfFully, string.IsNullOrEmpty(PerfOn) ? null : PerfOn,
                PerfSettlement, PerfTerminated), Caller, ct), ct);
    }

    /// <summary>Records delivery of the special-subject notification: the same service as POST /api/v1/entries/{id}/special-notification.</summary>
    public async Task<IActionResult> OnPostSpecialNotificationAsync(Guid id, CancellationToken ct)
    {
        var (row, problem) = await notifications.RunAsync(id, new SpecialNotificationRequest(Addressee, DeliveredOn, Method), Caller, ct);
        return problem is null && row is not null ? Redirect("/court/entry/" + id.ToString() + "?done=true#special-notification") : await Refused(id, problem!, ct);
    }

    /// <summary>A blank amount is "not given"; anything else must read as a non-negative yuan amount, or it is an error on the field (never a default).</summary>
    private decimal? Amount(string? value, string label)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (decimal.TryParse(value.Trim().Replace(",", "", StringComparison.Ordinal).Replace("，", "", StringComparison.Ordinal), System.Globalization.NumberStyles.AllowDecimalPoint,
                System.Globalization.CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            return amount;
        }

        Errors.Add(T[label] + "：" + T["court.perf.badamount"]);
        return null;
    }

    /// <summary>The page again with the service's problem in the reader's language; 403 stays 403.</summary>
    private async Task<IActionResult> Refused(Guid id, IResult problem, CancellationToken ct)
    {
        Errors.AddRange(ApiResults.Messages(problem, T));
        Response.StatusCode = problem is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status400BadRequest;
        await LoadAsync(id, ct);
        return Page();
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

        Errors.Add(T["court.judgeonly"]);
        return LoadThenPage(id, ct);
    }

    private async Task<IActionResult> LoadThenPage(Guid id, CancellationToken ct)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<IActionResult> ActAsync(Guid id, Func<Task<Http.Outcome<EntryView>>> act, CancellationToken ct)
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
        Entry = Read(await actions.GetAsync(id, Caller, ct));
        if (Entry is null)
        {
            return;
        }

        if (await entries.LoadAsync(id, ct) is { } state)
        {
            ExitOptions = EntryDecider.ExitOptions(state, entries.Today);
        }

        if (NotificationDue)
        {
            await using var db = database.CreateContext();
            Delivery = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
                db.SpecialNotifications.Where(n => n.EntryId == id).OrderBy(n => n.DeliveredOn), ct);
        }
    }
}
