using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Hosting;
using Spectre.Console;

namespace Shixin.Cli;

/// <summary>
/// The commands that act on the platform's database directly (<c>import --data-dir|--postgres</c>, <c>demo</c>), through
/// the platform's own services (<see cref="LocalPlatform"/>): the same import service, rules, key table and audit as the
/// API. Authorization reading (issue 12 item 6, BRIEF "every path"): holding the database files is not an identity. An
/// import acts as a court, so it needs that court's key, resolved and role-checked by the same
/// <see cref="ApiKeys"/> and <see cref="EntryImport.MayImport"/> as the endpoint, and the ledger and audit name that key.
/// The demo seeder acts as nobody's organization: it loads fictitious data into an empty list only, audited as the
/// platform ("system", the same as the server's <c>--demo</c>), which is the operator's act of choosing to run it.
/// </summary>
internal static class Local
{
    public static Dictionary<string, string?> Settings(string? dataDir, string? postgres)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            settings["SHIXIN_DATABASE"] = "postgres";
            settings["SHIXIN_POSTGRES"] = postgres;
        }

        if (!string.IsNullOrWhiteSpace(dataDir))
        {
            settings["SHIXIN_DATA_DIR"] = dataDir;
        }

        return settings;
    }

    /// <summary><c>shixin import FILE --data-dir DIR --key KEY</c>: the file straight into the ledger, with progress and line errors.</summary>
    public static async Task<int> ImportAsync(Dictionary<string, string?> settings, FileInfo file, string? key, bool atomic,
        TextWriter output, TextWriter error, TimeProvider? time, CancellationToken ct)
    {
        if (!file.Exists)
        {
            await error.WriteLineAsync("找不到文件 / no such file: " + file.FullName);
            return CliApp.CannotRun;
        }

        key ??= Environment.GetEnvironmentVariable("SHIXIN_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            await error.WriteLineAsync("导入以人民法院的名义写入名单，需要该院的访问密钥：--key 或环境变量 SHIXIN_KEY / an import acts as a court: "
                + "give that court's key (--key or SHIXIN_KEY)");
            return CliApp.CannotRun;
        }

        await using var platform = await OpenAsync(settings, error, time, ct);
        if (platform is null)
        {
            return CliApp.CannotRun;
        }

        var caller = await platform.Services.GetRequiredService<ApiKeys>().ResolveAsync(key.Trim(), ct);
        if (caller is null)
        {
            await error.WriteLineAsync("密钥无效或已吊销 / the key is unknown or revoked");
            return CliApp.Refused;
        }

        if (!EntryImport.MayImport(caller))
        {
            await error.WriteLineAsync("只有人民法院的书记员或法官可以导入名单条目 / only a court's clerk or judge imports entries");
            return CliApp.Refused;
        }

        // The HTTP path caps a body at SHIXIN_IMPORT_MAX_BYTES because it buffers it before taking the ledger; here the
        // file is already on disk, so the same cap keeps both paths answering the same file the same way.
        var max = platform.Options.ImportMaxBytes;
        if (file.Length > max)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"导入文件超过 {max / 1024 / 1024} MiB 的上限（SHIXIN_IMPORT_MAX_BYTES），请拆分后分批导入 / the file is larger than {max / 1024 / 1024} MiB; split it"));
            return CliApp.CannotRun;
        }

        var import = platform.Services.GetRequiredService<EntryImport>();
        var contentType = Remote.IsNdjson(file) ? "application/x-ndjson" : "text/csv";
        ImportResult? result = null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                // The bar follows the bytes read: lines are parsed, validated and decided as they are read, and the ledger
                // write comes after the last one (all at once when atomic).
                var task = progress.AddTask("导入 / import " + file.Name, maxValue: Math.Max(1, file.Length));
                await using var stream = new Remote.ProgressStream(file.OpenRead(), read => task.Value = read);
                result = await import.RunAsync(caller, stream, contentType, atomic, ct);
                task.Value = task.MaxValue;
                task.StopTask();
            });

        var r = result!;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"已导入 {r.Accepted} 条，拒绝 {r.RejectedCount} 行，名单序号 {r.ListSequence} / accepted {r.Accepted}, rejected {r.RejectedCount}, list sequence {r.ListSequence}"));
        foreach (var line in r.Rejected)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  第 {line.Line} 行 / line {line.Line}: [{line.Code}] {line.Detail}"));
        }

        if (r.RejectedCount > r.Rejected.Count)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  ……另有 {r.RejectedCount - r.Rejected.Count} 行被拒绝 / and {r.RejectedCount - r.Rejected.Count} more"));
        }

        if (r.RejectedCount > 0 && atomic)
        {
            await output.WriteLineAsync("整批未写入（原子导入）；改正后重新导入，或用 --atomic false 只写入无误的行 / nothing was written (atomic import)");
        }

        return r.RejectedCount == 0 ? CliApp.Intact : CliApp.LineErrors;
    }

    /// <summary><c>shixin demo</c>: the demo seeder the server's <c>--demo</c> runs (<see cref="DemoData.LoadIfEmptyAsync"/>).</summary>
    public static async Task<int> DemoAsync(Dictionary<string, string?> settings, TextWriter output, TextWriter error, TimeProvider? time, CancellationToken ct)
    {
        await using var platform = await OpenAsync(settings, error, time, ct);
        if (platform is null)
        {
            return CliApp.CannotRun;
        }

        await platform.Services.GetRequiredService<DemoData>().LoadIfEmptyAsync(ct);
        var database = platform.Services.GetRequiredService<Shixin.Data.ShixinDatabase>();
        await using var db = database.CreateContext();
        var entries = await db.Entries.AsNoTracking().CountAsync(ct);
        var head = await db.LedgerHead.AsNoTracking().Select(h => h.Seq).FirstAsync(ct);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"演示数据：{entries} 条名单条目，名单序号 {head}；演示密钥见 {Path.Combine(platform.Options.DataDirectory, DemoData.KeysFileName)} / "
            + $"demo data: {entries} entries, list sequence {head}"));
        await output.WriteLineAsync("演示数据纯属虚构，密钥公开，切勿用于生产 / fictitious data with public keys: never in production");
        return CliApp.Intact;
    }

    private static async Task<LocalPlatform?> OpenAsync(Dictionary<string, string?> settings, TextWriter error, TimeProvider? time, CancellationToken ct)
    {
        try
        {
            return await LocalPlatform.OpenAsync(settings, ct, time);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or IOException or StartupRefusedException)
        {
            await error.WriteLineAsync("无法打开平台数据库 / cannot open the platform's database: " + ex.Message);
            return null;
        }
    }
}
