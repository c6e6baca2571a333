using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Shixin.Server.Auth;
using Shixin.Server.Investigations;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Unit;

/// <summary>A unit carries out (or cannot carry out) a court's control and says so: the same rule as POST /api/v1/control-tasks/{id}/answer.</summary>
public sealed class ControlTaskModel(InvestigationService investigations) : StaffPage
{
    protected override string[] RequiredRoles => [Roles.UnitAssist];

    public ControlView? Control { get; private set; }

    public bool Done { get; private set; }

    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public string? ExecutedAt { get; set; }
    [BindProperty] public string? Amount { get; set; }
    [BindProperty] public string? Until { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public async Task OnGetAsync(Guid id, bool done, CancellationToken ct)
    {
        Done = done;
        await LoadAsync(id, ct);
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
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
                Errors.Add(T["task.control.amount"] + "：" + (T.English ? "not a number" : "请填写数字，如50000.00"));
                FieldErrors["amount"] = [Errors[^1]];
            }
        }

        if (Errors.Count == 0)
        {
            var view = Read(await investigations.AnswerControlAsync(Caller, id, new ControlAnswerBody(Outcome, TasksModel.Instant(ExecutedAt), amount,
                string.IsNullOrWhiteSpace(Until) ? null : Until.Trim(), string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim()), ct));
            if (view is not null)
            {
                return Redirect("/unit/controls/" + id + "?done=true");
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task LoadAsync(Guid id, CancellationToken ct)
    {
        Control = Read(await investigations.GetControlAsync(Caller, id, ct));
        if (Control is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}
