using System.Diagnostics;
using System.Globalization;
using Shixin.Server.Http;

namespace Shixin.Server.Web;

/// <summary>
/// Turns a print-ready HTML document into PDF with headless Chromium (<c>--print-to-pdf</c>), the one place the
/// platform makes PDFs. The document is written to a temporary file and rendered offline (no network, no scripts
/// needed): its <c>@media print</c> rules decide the page size and breaks. Without Chromium the caller answers 503.
/// </summary>
public sealed class PdfRenderer(IConfiguration configuration, ILogger<PdfRenderer> logger)
{
    /// <summary>Setting (environment variable) naming the Chromium binary; default <c>/usr/bin/chromium</c>.</summary>
    public const string ChromiumVariable = "SHIXIN_CHROMIUM";

    public const string UnavailableCode = "pdf-unavailable";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Chromium is heavy: one rendering at a time keeps a small server responsive.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string ChromiumPath { get; } = configuration[ChromiumVariable] is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public bool Available => File.Exists(ChromiumPath);

    /// <summary>The 503 answer when PDFs cannot be made here.</summary>
    public static IResult Unavailable(Shixin.Core.Bilingual detail) => Problems.Of(UnavailableCode, detail);

    /// <summary>Renders <paramref name="html"/> (a whole document) and answers it as a PDF file, or a problem.</summary>
    public async Task<IResult> FileAsync(string html, string fileName, CancellationToken ct)
    {
        if (!Available)
        {
            return Unavailable(new("本服务器未安装生成PDF所需的Chromium（" + ChromiumPath + "），请联系管理员安装（apt-get install chromium，或设置 " + ChromiumVariable
                + "）；也可在浏览器中打开可打印的网页版报告，另存为PDF",
                "PDF rendering needs Chromium at " + ChromiumPath + " (apt-get install chromium, or set " + ChromiumVariable
                + "); the print-ready HTML page can be printed to PDF from any browser"));
        }

        var pdf = await RenderAsync(html, ct);
        return pdf is null
            ? Unavailable(new("PDF生成失败，请稍后重试或联系管理员查看服务器日志", "Chromium did not produce a PDF; see the server log"))
            : TypedResults.File(pdf, "application/pdf", fileName);
    }

    /// <summary>The PDF bytes, or null when Chromium failed or timed out (logged).</summary>
    public async Task<byte[]?> RenderAsync(string html, CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "shixin-pdf-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var input = Path.Combine(dir, "document.html");
        var output = Path.Combine(dir, "document.pdf");
        await _gate.WaitAsync(ct);
        try
        {
            await File.WriteAllTextAsync(input, html, ct);
            var start = new ProcessStartInfo(ChromiumPath)
            {
                RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            };
            foreach (var a in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-pdf-header-footer", "--user-data-dir=" + Path.Combine(dir, "profile"),
                "--print-to-pdf=" + output, new Uri(input).AbsoluteUri,
            })
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync(ct);
            _ = process.StandardOutput.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                logger.LogWarning("Chromium did not finish a PDF within {Seconds} s", Timeout.TotalSeconds);
                ct.ThrowIfCancellationRequested();
                return null;
            }

            if (!File.Exists(output) || new FileInfo(output).Length == 0)
            {
                logger.LogWarning("Chromium exited with {Code} without a PDF: {Error}", process.ExitCode.ToString(CultureInfo.InvariantCulture), Tail(await stderr));
                return null;
            }

            return await File.ReadAllBytesAsync(output, ct);
        }
        finally
        {
            _gate.Release();
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary directory is harmless.
            }
        }
    }

    private static string Tail(string s) => s.Length <= 800 ? s : s[^800..];
}
