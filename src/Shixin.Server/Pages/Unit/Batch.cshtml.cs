using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Hosting;
using Shixin.Server.Ops;
using Shixin.Server.Units;
using Shixin.Server.Web;

namespace Shixin.Server.Pages.Unit;

/// <summary>
/// A unit operator uploads a CSV of subjects for a scenario and downloads one result line per input line. The file runs
/// through <see cref="BatchChecksApi.RunAsync"/> in process — the same parser, output and check records as
/// POST /api/v1/checks/batch — and the result is kept for a day under the data directory, readable by its unit only.
/// </summary>
[RequestFormLimits(MultipartBodyLengthLimit = MaxBytes)]
[RequestSizeLimit(MaxBytes + 64 * 1024)]
public sealed class BatchModel(CheckService checks, IndexFollower follower, EntryDetails details, CheckRecordWriter records, ShixinMetrics metrics,
    TimeProvider time, ShixinOptions options) : StaffPage
{
    public const long MaxBytes = 64L * 1024 * 1024;
    public const int ShownErrors = 100;
    private static readonly TimeSpan Keep = TimeSpan.FromDays(1);

    protected override string[] RequiredRoles => [Roles.UnitChecker];

    [BindProperty] public string? Scenario { get; set; }

    [BindProperty(Name = "file")] public IFormFile? Upload { get; set; }

    /// <summary>Only hit lines in the result (<c>?only=hits</c> in the API).</summary>
    [BindProperty] public bool HitsOnly { get; set; }

    public BatchChecksApi.BatchSummary? Summary { get; private set; }

    public IReadOnlyList<Shixin.Core.Catalogs.Scenario> Scenarios => checks.Catalogs.Scenarios;

    public string ScenarioTitle(string id) => checks.Catalogs.TryGetScenario(id, out var s) ? (T.English ? s.TitleEn : s.TitleZh) : id;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Scenario) || !checks.Catalogs.TryGetScenario(Scenario, out _))
        {
            Errors.Add(T["unit.scenario"] + "：" + T["batch.noscenario"]);
        }

        if (Upload is null || Upload.Length == 0)
        {
            Errors.Add(T["batch.file"] + "：" + T["import.nofile"]);
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var dir = Directory.CreateDirectory(DirectoryFor(Caller.OrganizationCode)).FullName;
        Sweep(dir);
        var part = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".part");
        try
        {
            await using (var input = Upload!.OpenReadStream())
            await using (var output = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                // A file saved in GBK is refused with a clear message rather than checked garbled.
                await Http.Utf8Check.EnsureAsync(input, ct);
                input.Position = 0;
                var reader = PipeReader.Create(input);
                var writer = PipeWriter.Create(output);
                Summary = await BatchChecksApi.RunAsync(Caller, Scenario!, csv: true, HitsOnly, reader, writer, null,
                    new BatchChecksApi.BatchServices(checks, follower, details, records, metrics, time), ct, ShownErrors);
                await writer.CompleteAsync();
                await reader.CompleteAsync();
            }

            System.IO.File.Move(part, ResultPath(dir, Summary.BatchId));
        }
        catch (DecoderFallbackException)
        {
            Summary = null;
            Errors.Add(T["import.encoding"]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        finally
        {
            System.IO.File.Delete(part);
        }

        return Page();
    }

    /// <summary>GET ?handler=download&amp;id=…: the result file of one of this unit's batches.</summary>
    public IActionResult OnGetDownload(Guid id)
    {
        var path = ResultPath(DirectoryFor(Caller.OrganizationCode), id);
        if (!System.IO.File.Exists(path))
        {
            Errors.Add(T["batch.gone"]);
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        return PhysicalFile(path, "text/csv; charset=utf-8", "shixin-batch-" + id.ToString() + ".csv");
    }

    /// <summary>One folder per unit, named by a hash of its code (codes are not trusted as path segments).</summary>
    private string DirectoryFor(string organization) =>
        Path.Combine(options.DataDirectory, "batches", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(organization)))[..24]);

    private static string ResultPath(string dir, Guid id) => Path.Combine(dir, id.ToString("N") + ".csv");

    /// <summary>Results older than a day are removed when the unit runs its next batch.</summary>
    private void Sweep(string dir)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - Keep;
        foreach (var f in Directory.EnumerateFiles(dir))
        {
            if (System.IO.File.GetLastWriteTimeUtc(f) < cutoff)
            {
                System.IO.File.Delete(f);
            }
        }
    }
}
