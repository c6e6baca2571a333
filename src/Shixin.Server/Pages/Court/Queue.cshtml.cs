using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Hub;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Court;

/// <summary>
/// The court's duties with due dates (corrections, reconsiderations, exits, objections); overdue in red. Pending
/// corrections and reconsiderations are ruled on here by a judge, through the same handlers as
/// POST /api/v1/corrections/{id}/ruling and /reconsiderations/{id}/ruling.
/// </summary>
public sealed class QueueModel(ShixinDatabase database, EntryService entries, CorrectionActions corrections, VerifyObjectionService verify, Shixin.Core.Catalogs.MeasureCatalogs catalogs) : StaffPage
{
    /// <summary>This court's drafts awaiting a listing decision (drafted, or with the risk notice served), oldest first.</summary>
    public List<EntrySummaryRow> Drafts { get; private set; } = [];

    /// <summary>Objections to this court's entries awaiting verification, oldest due first.</summary>
    public List<ObjectionRow> Objections { get; private set; } = [];

    [BindProperty] public Guid? ObjectionId { get; set; }
    [BindProperty] public string? VerifiedOn { get; set; }

    /// <summary>A measure by its catalog title (the code when the catalogs do not know it).</summary>
    public string MeasureTitle(string code) =>
        catalogs.TryGetMeasure(code, out var m) ? (T.English ? m.TitleEn : m.Title)
        : catalogs.TryGetClause(code, out var c) ? (T.English ? c.Measure.TitleEn : c.Measure.Title) : code;

    protected override string[] RequiredRoles => [Roles.CourtClerk, Roles.CourtJudge];

    public List<ObligationView> Duties { get; private set; } = [];

    /// <summary>Corrections and reconsiderations awaiting this court's ruling, overdue first.</summary>
    public List<PendingRuling> Pending { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public bool Done { get; set; }

    [BindProperty] public Guid? ProceedingId { get; set; }
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public string? RuledOn { get; set; }
    [BindProperty] public string? Reasons { get; set; }

    public bool IsJudge => Caller.Has(Roles.CourtJudge);

    public DateOnly Today => entries.Today;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    /// <summary>A judge accepts or rejects a correction or a reconsideration, with reasons.</summary>
    public async Task<IActionResult> OnPostRuleAsync(CancellationToken ct)
    {
        if (!IsJudge)
        {
            Errors.Add(T["court.judgeonly"] + " (" + Roles.CourtJudge + ")");
            Response.StatusCode = StatusCodes.Status403Forbidden;
            await LoadAsync(ct);
            return Page();
        }

        if (ProceedingId is null || Kind is not ("correction" or "reconsideration"))
        {
            Errors.Add(T["court.rule.missing"]);
        }

        if (Outcome is not ("accepted" or "rejected"))
        {
            Errors.Add(T["court.rule.outcome"] + "：" + T["court.rule.choose"]);
        }

        if (!DateOnly.TryParseExact(RuledOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            Errors.Add(T["court.rule.on"] + "：" + T["form.baddate"]);
        }

        if (string.IsNullOrWhiteSpace(Reasons))
        {
            Errors.Add(T["court.rule.reasons"] + "：" + T["form.required"]);
        }

        if (Errors.Count == 0)
        {
            var body = new RulingRequest(Outcome, RuledOn, Reasons!.Trim());
            var result = Kind == "correction"
                ? await corrections.RuleAsync(ProceedingId!.Value, body, Caller, ct)
                : await corrections.RuleReconsiderationAsync(ProceedingId!.Value, body, Caller, ct);
            if (Read(result) is not null)
            {
                return Redirect("/court/queue?done=true#rulings");
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>A judge verifies an objection: <see cref="VerifyObjectionService"/>, the same as POST /api/v1/objections/{id}/verification.</summary>
    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken ct)
    {
        if (ObjectionId is null)
        {
            Errors.Add(T["court.rule.missing"]);
        }
        else
        {
            var (view, problem) = await verify.RunAsync(ObjectionId.Value,
                new VerificationRequest(Outcome, VerifiedOn, string.IsNullOrWhiteSpace(Reasons) ? null : Reasons.Trim()), Caller, ct);
            if (view is not null)
            {
                return Redirect("/court/queue?done=true&said=verified#objections");
            }

            Errors.AddRange(ApiResults.Messages(problem!, T));
            Response.StatusCode = problem is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    [BindProperty(SupportsGet = true)] public string? Said { get; set; }

    private async Task LoadAsync(CancellationToken ct)
    {
        await using (var db = database.CreateContext())
        {
            var code = Caller.OrganizationCode;
            Drafts = await db.Entries.AsNoTracking().Where(e => e.CourtCode == code && (e.Status == "draft" || e.Status == "noticed"))
                .OrderBy(e => e.Id).Take(500)
                .Select(e => new EntrySummaryRow(e.Id, e.Status, e.CaseNumber, e.SubjectName, e.CreatedAt)).ToListAsync(ct);
            Objections = await db.Objections.AsNoTracking().Where(o => o.CourtCode == code && o.Status == Shixin.Core.Oversight.ObjectionStatus.Verifying).OrderBy(o => o.VerifyDueOn).ToListAsync(ct);
        }

        var all = await ObligationsApi.ForOrganizationAsync(database, entries, Caller.OrganizationCode, Caller.OrganizationKind, ct);
        Duties = [.. all.OrderBy(d => d.Status == "met").ThenBy(d => d.DueOn)];

        // The grounds live on the entry; only pending proceedings are loaded.
        var pending = all.Where(d => d.Status != "met" && d.ProceedingId is not null && d.EntryId is not null
            && d.Code is EntryDuties.ReviewCorrection or EntryDuties.RuleOnReconsideration).OrderBy(d => d.DueOn).ToList();
        var states = new Dictionary<Guid, EntryState?>();
        foreach (var d in pending)
        {
            if (!states.TryGetValue(d.EntryId!.Value, out var s))
            {
                states[d.EntryId.Value] = s = await entries.LoadAsync(d.EntryId.Value, ct);
            }

            if (s is null)
            {
                continue;
            }

            var isCorrection = d.Code == EntryDuties.ReviewCorrection;
            var c = isCorrection
                ? s.Corrections.FirstOrDefault(x => x.Id == d.ProceedingId)
                : s.Corrections.FirstOrDefault(x => x.Reconsideration?.Id == d.ProceedingId);
            if (c is null)
            {
                continue;
            }

            Pending.Add(new PendingRuling(d.ProceedingId!.Value, isCorrection ? "correction" : "reconsideration", s.Id, s.CaseNumber, s.Subject.Name,
                isCorrection ? c.FiledOn : c.Reconsideration!.FiledOn, isCorrection ? c.Grounds : c.Reconsideration!.Grounds,
                d.DueOn, d.Status == "overdue", isCorrection ? null : c.Reasons, d.Provisional));
        }
    }
}

/// <summary>A draft awaiting a listing decision, as the queue lists it.</summary>
public sealed record EntrySummaryRow(Guid Id, string Status, string CaseNumber, string SubjectName, DateTime CreatedAt);

/// <summary>A correction or reconsideration awaiting a ruling; <see cref="EarlierReasons"/> is the rejected correction's reasons.</summary>
public sealed record PendingRuling(Guid Id, string Kind, Guid EntryId, string CaseNumber, string SubjectName, DateOnly FiledOn, string Grounds,
    DateOnly DueOn, bool Overdue, string? EarlierReasons, bool Provisional = false);
