using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Shixin.Core.Investigations;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Investigations;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Unit;

/// <summary>
/// An assisting unit's investigation and control tasks (执行查控) with their due dates, overdue in red; answering one
/// task, or many from a CSV file. Every answer goes through <see cref="InvestigationService"/> (and the batch through
/// <see cref="BatchAnswers"/>), the same rules as the API's answer endpoints.
/// </summary>
public sealed class TasksModel(InvestigationService investigations) : StaffPage
{
    /// <summary>Finding rows offered on the answer form; more go through the CSV upload or the API.</summary>
    public const int FindingRows = 3;

    protected override string[] RequiredRoles => [Roles.UnitAssist];

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }

    public Page<InvestigationListItem>? Tasks { get; private set; }

    public Page<ControlView>? Controls { get; private set; }

    public InvestigationListItem? Selected { get; private set; }

    public bool Done { get; private set; }

    public BatchAnswerResult? Batch { get; private set; }

    [BindProperty] public string? Result { get; set; }
    [BindProperty] public string? AnsweredAt { get; set; }
    [BindProperty] public List<FindingInput> Findings { get; set; } = [];
    [BindProperty] public IFormFile? Upload { get; set; }

    public sealed class FindingInput
    {
        public string? Kind { get; set; }
        public string? Institution { get; set; }
        public string? HolderName { get; set; }
        public string? Identifier { get; set; }
        public string? Amount { get; set; }
        public string? Currency { get; set; }
        public string? AsOf { get; set; }
        public string? Details { get; set; }

        public bool IsBlank => new[] { Institution, HolderName, Identifier, Amount, AsOf, Details }.All(string.IsNullOrWhiteSpace);
    }

    public async Task OnGetAsync(Guid? id, bool done, CancellationToken ct)
    {
        Done = done;
        await LoadAsync(id, ct);
    }

    /// <summary>Answers one task: none found, or the findings filled in.</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var findings = new List<FindingBody>();
        for (var i = 0; i < Findings.Count; i++)
        {
            var f = Findings[i];
            if (f.IsBlank)
            {
                continue;
            }

            decimal? amount = null;
            if (!string.IsNullOrWhiteSpace(f.Amount))
            {
                if (decimal.TryParse(f.Amount.Trim().Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var a))
                {
                    amount = a;
                }
                else
                {
                    // An amount the page cannot read is an error on its row, never a blank sent on.
                    var message = T.Format("task.finding", i + 1) + " " + T["inv.f.amount"] + "：" + (T.English ? "not a number" : "请填写数字，如1234.56");
                    Errors.Add(message);
                    FieldErrors["findings[" + i.ToString(CultureInfo.InvariantCulture) + "].amount"] = [message];
                }
            }

            findings.Add(new FindingBody(f.Kind, f.Institution, f.HolderName, f.Identifier, amount, string.IsNullOrWhiteSpace(f.Currency) ? null : f.Currency.Trim(),
                f.AsOf, f.Details));
        }

        bool? noneFound = Result switch { "none" => true, "found" => false, _ => null };
        if (Errors.Count == 0)
        {
            var view = Read(await investigations.AnswerAsync(Caller, id, new TaskAnswerRequest(Instant(AnsweredAt), noneFound, [.. findings]), ct));
            if (view is not null)
            {
                return Redirect("/unit/tasks/" + id + "?done=true");
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(id, ct);
        return Page();
    }

    /// <summary>Answers many tasks from a CSV file (the columns of POST /api/v1/investigation-tasks/answers).</summary>
    public async Task<IActionResult> OnPostBatchAsync(CancellationToken ct)
    {
        if (Upload is null || Upload.Length == 0)
        {
            Errors.Add(T["task.batch.file"] + "：" + (T.English ? "choose a file" : "请选择文件"));
        }
        else
        {
            await using var stream = Upload.OpenReadStream();
            Batch = Read(await BatchAnswers.AnswerAsync(Caller, stream, "text/csv", Upload.Length, investigations, T.English, ct));
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        await LoadAsync(null, ct);
        return Page();
    }

    /// <summary>A datetime-local value is China time (the platform's zone, API.md "Conventions"); the API wants the offset.</summary>
    public static string? Instant(string? local) =>
        string.IsNullOrWhiteSpace(local) ? null
        : DateTime.TryParseExact(local.Trim(), ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+08:00"
            : local.Trim();

    private async Task LoadAsync(Guid? id, CancellationToken ct)
    {
        if (id is { } taskId)
        {
            Selected = Read(await investigations.GetTaskAsync(Caller, taskId, ct));
            if (Selected is null)
            {
                Response.StatusCode = StatusCodes.Status404NotFound;
            }

            // The answer is usually given now: the box starts at the service clock's minute (China time), editable.
            AnsweredAt ??= investigations.Now.ToOffset(Shixin.Core.ChinaTime.Offset).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

            while (Findings.Count < FindingRows)
            {
                Findings.Add(new FindingInput { Kind = Selected?.Kind, Currency = "CNY" });
            }

            return;
        }

        Tasks = Read(await investigations.ListAsync(Caller, Status is "open" or "answered" or "overdue" ? Status : null, null, 200, ct));
        Controls = Read(await investigations.ListControlsAsync(Caller, null, null, 200, ct));
    }

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static IReadOnlyList<InvestigationKind> AllKinds => InvestigationKinds.All;
}
