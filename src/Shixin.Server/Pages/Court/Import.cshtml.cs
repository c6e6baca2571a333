using System.Text;
using Microsoft.AspNetCore.Mvc;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Court;

/// <summary>CSV import from the browser: the uploaded file runs through <see cref="EntryImport.RunAsync"/>; accepted count and rejected lines shown.</summary>
[RequestFormLimits(MultipartBodyLengthLimit = MaxBytes)]
[RequestSizeLimit(MaxBytes + 64 * 1024)]
public sealed class ImportModel(EntryImport import) : StaffPage
{
    public const long MaxBytes = 64L * 1024 * 1024;

    protected override string[] RequiredRoles => [Roles.CourtClerk, Roles.CourtJudge];

    [BindProperty(Name = "file")] public IFormFile? Upload { get; set; }

    /// <summary>All or nothing: a bad line rejects the whole file.</summary>
    [BindProperty] public bool Atomic { get; set; }

    public ImportResult? Result { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!string.Equals(Caller.OrganizationKind, "court", StringComparison.Ordinal))
        {
            Errors.Add(T["forbidden"]);
        }
        else if (Upload is null || Upload.Length == 0)
        {
            Errors.Add(T["import.file"] + ": " + T["import.nofile"]);
        }
        else
        {
            try
            {
                await using var stream = Upload.OpenReadStream();
                Result = await import.RunAsync(Caller, stream, "text/csv", Atomic, ct);
            }
            catch (DecoderFallbackException)
            {
                Errors.Add(T["import.encoding"]);
            }
        }

        return Page();
    }
}
