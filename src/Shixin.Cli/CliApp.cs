using System.CommandLine;
using Shixin.Data;

namespace Shixin.Cli;

/// <summary>The <c>shixin</c> command. Exit codes: 0 done, 1 cannot run (no data, bad arguments), 2 the audit trail is broken.</summary>
public static class CliApp
{
    public const int Intact = 0;
    public const int CannotRun = 1;
    public const int Broken = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var dataDir = new Option<string?>("--data-dir")
        {
            Description = "The server's data directory (SQLite: holds records.db); default SHIXIN_DATA_DIR or ~/.local/share/shixin",
        };
        var postgres = new Option<string?>("--postgres")
        {
            Description = "A PostgreSQL connection string (default SHIXIN_POSTGRES when SHIXIN_DATABASE=postgres)",
        };
        var verify = new Command("verify", "Check the audit trail's hash chain from the first record to the last: 审计链校验");
        verify.Options.Add(dataDir);
        verify.Options.Add(postgres);
        verify.SetAction((parse, ct) => VerifyAsync(parse.GetValue(dataDir), parse.GetValue(postgres), output, error, ct));

        var root = new RootCommand("shixin — 失信被执行人名单平台 command line");
        root.Subcommands.Add(verify);
        var config = new InvocationConfiguration { Output = output, Error = error };
        return await root.Parse(args).InvokeAsync(config);
    }

    private static async Task<int> VerifyAsync(string? dataDir, string? postgres, TextWriter output, TextWriter error, CancellationToken ct)
    {
        RecordsStore store;
        postgres ??= string.Equals(Environment.GetEnvironmentVariable("SHIXIN_DATABASE"), "postgres", StringComparison.OrdinalIgnoreCase)
            ? Environment.GetEnvironmentVariable("SHIXIN_POSTGRES") : null;
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            store = new RecordsStore(DatabaseProvider.Postgres, postgres);
        }
        else
        {
            var dir = dataDir is { Length: > 0 } ? dataDir
                : Environment.GetEnvironmentVariable("SHIXIN_DATA_DIR") is { Length: > 0 } env ? env
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "shixin");
            var file = Path.Combine(dir, "records.db");
            if (!File.Exists(file))
            {
                await error.WriteLineAsync($"找不到审计记录文件 / no audit records at {file}");
                return CannotRun;
            }

            store = new RecordsStore(DatabaseProvider.Sqlite, new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
            {
                DataSource = file,
                Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly,
            }.ToString());
        }

        AuditChain.Verification result;
        try
        {
            result = await AuditChain.VerifyAsync(store, ct);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            await error.WriteLineAsync("无法读取审计记录 / cannot read the audit trail: " + ex.Message);
            return CannotRun;
        }

        if (result.Intact)
        {
            await output.WriteLineAsync($"审计链完整 / audit trail intact: {result.Records} records, 1–{result.LastSeq}");
            return Intact;
        }

        await output.WriteLineAsync($"审计链断裂 / audit trail BROKEN at record {result.FirstBadSeq}: {result.Problem}");
        await output.WriteLineAsync($"  {result.Records} records before it verified (1–{result.LastSeq})");
        return Broken;
    }
}
