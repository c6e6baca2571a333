using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Shixin.Core.Investigations;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Investigations;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Court;

/// <summary>
/// The court's enforcement investigations (执行查控): ask the assisting units about a debtor's property, follow their
/// answers, and — a judge — ask for freezes, seizures, deductions, renewals and releases on them. Every action goes
/// through <see cref="InvestigationService"/>, the same rules as POST /api/v1/investigations and /controls.
/// </summary>
public sealed class InvestigationsModel(InvestigationService investigations) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.CourtClerk, Roles.CourtJudge];

    public bool IsJudge => Caller.Has(Roles.CourtJudge);

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }

    public Page<InvestigationListItem>? List { get; private set; }

    public Page<ControlView>? Controls { get; private set; }

    public InvestigationView? Detail { get; private set; }

    public bool Sent { get; private set; }

    public bool ControlSent { get; private set; }

    // The request form (prefilled from ?case=&name=&idNumber=&entry= when opened from an entry page).
    [BindProperty(SupportsGet = true, Name = "case")] public string? CaseNumber { get; set; }
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public string? IdKind { get; set; }
    [BindProperty(SupportsGet = true)] public string? IdNumber { get; set; }
    [BindProperty(SupportsGet = true, Name = "entry")] public Guid? EntryId { get; set; }
    [BindProperty] public List<string> Kinds { get; set; } = [];
    [BindProperty] public string? Units { get; set; }

    // The control form.
    [BindProperty] public Guid? TaskId { get; set; }
    [BindProperty] public Guid? ControlId { get; set; }
    [BindProperty] public string? ControlKind { get; set; }
    [BindProperty] public string? Target { get; set; }
    [BindProperty] public string? Amount { get; set; }
    [BindProperty] public string? Ruling { get; set; }
    [BindProperty] public string? Until { get; set; }

    public static IReadOnlyList<InvestigationKind> AllKinds => InvestigationKinds.All;

    public async Task<IActionResult> OnGetAsync(Guid? id, bool sent, bool ctl, CancellationToken ct)
    {
        Sent = sent;
        ControlSent = ctl;
        await LoadAsync(id, ct);
        return Page();
    }

    /// <summary>A clerk or judge sends an investigation.</summary>
    public async Task<IActionResult> OnPostOpenAsync(CancellationToken ct)
    {
        var id = string.IsNullOrWhiteSpace(IdNumber) ? null : IdNumber.Trim();
        var subject = IdKind switch
        {
            "credit" => new InvestigationSubject(null, id, null, Name),
            "org" => new InvestigationSubject(null, null, id, Name),
            _ => new InvestigationSubject(id, null, null, Name),
        };
        var units = (Units ?? "").Split([',', '，', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var view = Read(await investigations.OpenAsync(Caller, new InvestigationRequest(CaseNumber, EntryId, subject, [.. Kinds], units), ct));
        if (view is not null)
        {
            return Redirect("/court/investigations/" + view.Id + "?sent=true");
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(null, ct);
        return Page();
    }

    /// <summary>A judge asks a unit for a control on a finding, or renews or releases a control.</summary>
    public async Task<IActionResult> OnPostControlAsync(Guid? id, CancellationToken ct)
    {
        decimal? amount = null;
        if (!string.IsNullOrWhiteSpace(Amount))
        {
            if (decimal.TryParse(Amount.Trim().Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var a))
            {
                amount = a;
            }
            else
            {
                // Never a default: an amount the page cannot read is refused, not sent as blank.
                Errors.Add(T["ctl.amount"] + "：" + (T.English ? "not a number" : "请填写数字，如50000.00"));
                FieldErrors["amount"] = [Errors[^1]];
            }
        }

        if (Errors.Count == 0)
        {
            var view = Read(await investigations.RequestControlAsync(Caller, new ControlRequestBody(TaskId, null, ControlKind, Target, amount, Ruling,
                string.IsNullOrWhiteSpace(Until) ? null : Until.Trim(), null, ControlId), ct));
            if (view is not null)
            {
                return Redirect(id is { } back ? "/court/investigations/" + back + "?ctl=true#controls" : "/court/investigations?ctl=true#controls");
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task LoadAsync(Guid? id, CancellationToken ct)
    {
        if (id is { } i)
        {
            var errors = Errors.Count;
            Detail = Read(await investigations.GetAsync(Caller, i, ct));
            if (Detail is null && Errors.Count > errors)
            {
                Response.StatusCode = StatusCodes.Status404NotFound;
            }

            return;
        }

        List = Read(await investigations.ListAsync(Caller, Status is "open" or "answered" or "overdue" ? Status : null, null, 200, ct));
        Controls = Read(await investigations.ListControlsAsync(Caller, null, null, 200, ct));
    }

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Money(decimal? a) => a is { } v ? v.ToString("N2", CultureInfo.InvariantCulture) : "—";
}
