using System.CommandLine;
using System.Globalization;
using Shixin.Core;
using Shixin.Core.Calendar;
using Shixin.Data;

namespace Shixin.Cli;

/// <summary>
/// The <c>shixin</c> command. Exit codes: 0 done, 1 cannot run (no data, bad arguments, server unreachable),
/// 2 the audit trail or the ledger is broken, 3 the platform refused the key (401/403), 4 lines were refused
/// (import), 5 the holiday calendar does not cover this year or the next.
/// </summary>
public static class CliApp
{
    public const int Intact = 0;
    public const int CannotRun = 1;
    public const int Broken = 2;
    public const int Refused = 3;
    public const int LineErrors = 4;
    public const int CalendarGap = 5;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var root = new RootCommand("shixin — 失信被执行人名单平台命令行 / command line of the Shixin platform");
        root.Subcommands.Add(VerifyCommand(output, error));
        root.Subcommands.Add(CalendarCommand(output, error, time));

        // The commands that act on a running platform share its address and the caller's key.
        var server = new Option<string?>("--server") { Description = "平台地址 / the platform's URL (default SHIXIN_URL or http://localhost:5000)" };
        var key = new Option<string?>("--key") { Description = "访问密钥 / the API key to act with (default SHIXIN_KEY)" };
        // Local mode: the platform's database itself, through the platform's own services (Local).
        var localDir = new Option<string?>("--data-dir")
        {
            Description = "直接写入该数据目录中的数据库（不经服务器）/ act on the database in this data directory directly (no server)",
        };
        var localPg = new Option<string?>("--postgres") { Description = "直接写入该 PostgreSQL 数据库 / act on this PostgreSQL database directly" };
        root.Subcommands.Add(ImportCommand(server, key, localDir, localPg, output, error, time));
        root.Subcommands.Add(DemoCommand(localDir, localPg, output, error, time));
        root.Subcommands.Add(CheckCommand(server, key, output, error));
        root.Subcommands.Add(ExportCommand(server, key, output, error));
        root.Subcommands.Add(KeysCommand(server, key, output, error));

        var config = new InvocationConfiguration { Output = output, Error = error };
        return await root.Parse(args).InvokeAsync(config);
    }

    private static Command VerifyCommand(TextWriter output, TextWriter error)
    {
        var dataDir = new Option<string?>("--data-dir")
        {
            Description = "服务器数据目录 / the server's data directory (SQLite: shixin.db, records.db); default SHIXIN_DATA_DIR or ~/.local/share/shixin",
        };
        var postgres = new Option<string?>("--postgres")
        {
            Description = "PostgreSQL 连接串 / a PostgreSQL connection string (default SHIXIN_POSTGRES when SHIXIN_DATABASE=postgres)",
        };
        var auditOnly = new Option<bool>("--audit-only") { Description = "只校验审计链 / check the audit trail only" };
        var ledgerOnly = new Option<bool>("--ledger-only") { Description = "只校验账本 / check the ledger only" };
        var verify = new Command("verify", "校验审计链与账本：审计记录的哈希链、名单序号连续、条目状态与事件重放一致 / check the audit trail's hash chain, "
            + "that list sequences have no gap, and that every entry's state is what its events replay to");
        verify.Options.Add(dataDir);
        verify.Options.Add(postgres);
        verify.Options.Add(auditOnly);
        verify.Options.Add(ledgerOnly);
        verify.SetAction(async (parse, ct) =>
        {
            var pg = parse.GetValue(postgres);
            pg ??= string.Equals(Environment.GetEnvironmentVariable("SHIXIN_DATABASE"), "postgres", StringComparison.OrdinalIgnoreCase)
                ? Environment.GetEnvironmentVariable("SHIXIN_POSTGRES") : null;
            var dir = parse.GetValue(dataDir) is { Length: > 0 } d ? d
                : Environment.GetEnvironmentVariable("SHIXIN_DATA_DIR") is { Length: > 0 } env ? env
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "shixin");
            var result = Intact;
            if (!parse.GetValue(ledgerOnly))
            {
                result = Math.Max(result, await VerifyAuditAsync(dir, pg, output, error, ct));
            }

            if (!parse.GetValue(auditOnly) && result != CannotRun)
            {
                result = Math.Max(result, await VerifyLedgerAsync(dir, pg, output, error, ct));
            }

            return result;
        });
        return verify;
    }

    private static Command CalendarCommand(TextWriter output, TextWriter error, TimeProvider time)
    {
        var data = new Option<string?>("--data")
        {
            Description = "节假日数据目录 / the folder holding holidays/YYYY.json (default: the data shipped with the command)",
        };
        var status = new Command("status", "法定节假日数据覆盖到哪一天；本年或下一年缺少国务院通知时提示 / which years the holiday data covers, "
            + "and a warning when this year or the next has no State Council notice");
        status.Options.Add(data);
        status.SetAction((parse, _) => Task.FromResult(CalendarStatus(parse.GetValue(data), output, error, time)));
        var calendar = new Command("calendar", "法定期间日历 / the legal calendar");
        calendar.Subcommands.Add(status);
        return calendar;
    }

    private static Command DemoCommand(Option<string?> dataDir, Option<string?> postgres, TextWriter output, TextWriter error, TimeProvider time)
    {
        var demo = new Command("demo", "向空名单载入虚构的演示数据（法院、单位、条目、密钥），与服务器 --demo 相同 / load the fictitious demo data into an "
            + "empty list (courts, units, entries, keys): the same seeder as the server's --demo");
        demo.Options.Add(dataDir);
        demo.Options.Add(postgres);
        demo.SetAction((parse, ct) => Local.DemoAsync(Local.Settings(parse.GetValue(dataDir), parse.GetValue(postgres)), output, error, time, ct));
        return demo;
    }

    private static Command ImportCommand(Option<string?> server, Option<string?> key, Option<string?> dataDir, Option<string?> postgres,
        TextWriter output, TextWriter error, TimeProvider time)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "CSV（UTF-8，表头与导入模板相同）或 NDJSON 文件 / a CSV (UTF-8, the template's headers) or NDJSON file" };
        var atomic = new Option<bool>("--atomic") { Description = "有一行错误则整批不写入（默认）/ one bad line and nothing is written (default)", DefaultValueFactory = _ => true };
        var import = new Command("import", "导入失信被执行人名单条目：经服务器（POST /api/v1/entries/import）或以 --data-dir/--postgres 直接写入账本，同一导入服务、授权与校验 / "
            + "import entries through the server, or with --data-dir/--postgres straight into the ledger through the same import service");
        import.Arguments.Add(file);
        import.Options.Add(atomic);
        import.Options.Add(server);
        import.Options.Add(key);
        import.Options.Add(dataDir);
        import.Options.Add(postgres);
        import.SetAction(async (parse, ct) =>
        {
            // --data-dir or --postgres: straight into the ledger through the platform's import service, as the key's court.
            if (parse.GetValue(dataDir) is { Length: > 0 } || parse.GetValue(postgres) is { Length: > 0 })
            {
                return await Local.ImportAsync(Local.Settings(parse.GetValue(dataDir), parse.GetValue(postgres)), parse.GetValue(file)!,
                    parse.GetValue(key), parse.GetValue(atomic), output, error, time, ct);
            }

            using var remote = Remote.From(parse.GetValue(server), parse.GetValue(key), output, error);
            return remote is null ? CannotRun : await remote.ImportAsync(parse.GetValue(file)!, parse.GetValue(atomic), ct);
        });
        return import;
    }

    private static Command CheckCommand(Option<string?> server, Option<string?> key, TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "每行一个主体的 CSV 或 NDJSON 文件 / a CSV or NDJSON file, one subject a line" };
        var scenario = new Option<string>("--scenario") { Description = "业务场景 / the scenario (GET /api/v1/scenarios)", Required = true };
        var hits = new Option<bool>("--only-hits") { Description = "只输出命中行 / write only the lines that hit" };
        var outFile = new Option<FileInfo?>("--out") { Description = "结果文件 / where to write the results (default FILE.results.csv|ndjson)" };
        var check = new Command("check", "批量比对文件中的主体（POST /api/v1/checks/batch）/ check a whole file against the list");
        check.Arguments.Add(file);
        check.Options.Add(scenario);
        check.Options.Add(hits);
        check.Options.Add(outFile);
        check.Options.Add(server);
        check.Options.Add(key);
        check.SetAction(async (parse, ct) =>
        {
            using var remote = Remote.From(parse.GetValue(server), parse.GetValue(key), output, error);
            return remote is null ? CannotRun
                : await remote.CheckAsync(parse.GetValue(file)!, parse.GetValue(scenario)!, parse.GetValue(hits), parse.GetValue(outFile), ct);
        });
        return check;
    }

    private static Command ExportCommand(Option<string?> server, Option<string?> key, TextWriter output, TextWriter error)
    {
        var what = new Argument<string>("WHAT") { Description = "snapshot（全部有效条目，NDJSON）或 daily（某日变更，CSV）/ snapshot or daily" };
        what.AcceptOnlyFromAmong("snapshot", "daily");
        var date = new Option<string?>("--date") { Description = "daily 的日期 YYYY-MM-DD / the day, for daily" };
        var outFile = new Option<FileInfo?>("--out") { Description = "输出文件 / where to write it" };
        var export = new Command("export", "导出名单快照或每日变更文件 / export the snapshot or a day's changes");
        export.Arguments.Add(what);
        export.Options.Add(date);
        export.Options.Add(outFile);
        export.Options.Add(server);
        export.Options.Add(key);
        export.SetAction(async (parse, ct) =>
        {
            DateOnly? day = null;
            if (parse.GetValue(date) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    await error.WriteLineAsync("日期应为 YYYY-MM-DD / --date must be YYYY-MM-DD: " + text);
                    return CannotRun;
                }

                day = d;
            }

            using var remote = Remote.From(parse.GetValue(server), parse.GetValue(key), output, error);
            return remote is null ? CannotRun : await remote.ExportAsync(parse.GetValue(what)!, day, parse.GetValue(outFile), ct);
        });
        return export;
    }

    private static Command KeysCommand(Option<string?> server, Option<string?> key, TextWriter output, TextWriter error)
    {
        var org = new Argument<string>("ORGANIZATION") { Description = "机构代码 / the organization's code" };
        var roles = new Option<string[]>("--role") { Description = "角色，可多次给出 / a role; repeat for several", Required = true, AllowMultipleArgumentsPerToken = true };
        var create = new Command("create", "为机构签发访问密钥（仅显示一次）/ issue a key for an organization (shown once)");
        create.Arguments.Add(org);
        create.Options.Add(roles);
        create.Options.Add(server);
        create.Options.Add(key);
        create.SetAction(async (parse, ct) =>
        {
            using var remote = Remote.From(parse.GetValue(server), parse.GetValue(key), output, error);
            return remote is null ? CannotRun : await remote.CreateKeyAsync(parse.GetValue(org)!, parse.GetValue(roles)!, ct);
        });

        var id = new Argument<string>("KEY-ID") { Description = "密钥编号 / the key's id" };
        var revoke = new Command("revoke", "吊销访问密钥，各节点一秒内生效 / revoke a key (on every node within a second)");
        revoke.Arguments.Add(id);
        revoke.Options.Add(server);
        revoke.Options.Add(key);
        revoke.SetAction(async (parse, ct) =>
        {
            using var remote = Remote.From(parse.GetValue(server), parse.GetValue(key), output, error);
            return remote is null ? CannotRun : await remote.RevokeKeyAsync(parse.GetValue(id)!, ct);
        });

        var keys = new Command("keys", "访问密钥 / API keys");
        keys.Subcommands.Add(create);
        keys.Subcommands.Add(revoke);
        return keys;
    }

    private static int CalendarStatus(string? data, TextWriter output, TextWriter error, TimeProvider time)
    {
        var dir = Path.Combine(data ?? Path.Combine(AppContext.BaseDirectory, "data"), "holidays");
        if (!Directory.Exists(dir))
        {
            error.WriteLine("找不到节假日数据 / no holiday data at " + dir);
            return CannotRun;
        }

        var builder = new HolidayCalendarBuilder();
        foreach (var file in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            builder.AddJson(File.ReadAllText(file), Path.GetFileName(file));
        }

        var calendar = builder.Build();
        var today = ChinaTime.Today(time);
        var years = calendar.CoveredYears;
        output.WriteLine(years.Count == 0
            ? "节假日数据：无 / holiday data: none"
            : $"节假日数据：{years[0]}–{years[^1]} 年（{years.Count} 个年度）/ holiday data: {years[0]}–{years[^1]} ({years.Count} years)");
        output.WriteLine(calendar.CoveredUntil is { } until
            ? $"可确定的法定期间计算至 {Iso(until)}（此后的日期标为“暂定”）/ dates are final through {Iso(until)}; later ones are provisional"
            : "所有日期均为暂定 / every date is provisional");
        foreach (var year in calendar.YearsWithoutData)
        {
            output.WriteLine($"{year}.json 未列出任何日期，视为未发布 / {year}.json names no day and counts as not published");
        }

        var gap = false;
        foreach (var year in new[] { today.Year, today.Year + 1 })
        {
            if (!calendar.HasDataFor(year))
            {
                gap = true;
                output.WriteLine($"警告：缺少 {year} 年国务院节假日安排通知（data/holidays/{year}.json），计入该年的期限仅按周末计算并标为暂定 / "
                    + $"warning: no State Council notice for {year}; deadlines in {year} count weekends only and are provisional");
            }
        }

        return gap ? CalendarGap : Intact;
    }

    private static async Task<int> VerifyAuditAsync(string dir, string? postgres, TextWriter output, TextWriter error, CancellationToken ct)
    {
        RecordsStore store;
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            store = new RecordsStore(DatabaseProvider.Postgres, postgres);
        }
        else
        {
            var file = Path.Combine(dir, "records.db");
            if (!File.Exists(file))
            {
                await error.WriteLineAsync($"找不到审计记录文件 / no audit records at {file}");
                return CannotRun;
            }

            store = new RecordsStore(DatabaseProvider.Sqlite, ReadOnly(file));
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

    private static async Task<int> VerifyLedgerAsync(string dir, string? postgres, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ShixinDatabase database;
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            database = new ShixinDatabase(DatabaseProvider.Postgres, postgres);
        }
        else
        {
            var file = Path.Combine(dir, "shixin.db");
            if (!File.Exists(file))
            {
                await error.WriteLineAsync($"找不到账本文件 / no ledger at {file}");
                return CannotRun;
            }

            database = new ShixinDatabase(DatabaseProvider.Sqlite, ReadOnly(file));
        }

        LedgerVerification.Result result;
        try
        {
            result = await LedgerVerification.RunAsync(database, ct);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            await error.WriteLineAsync("无法读取账本 / cannot read the ledger: " + ex.Message);
            return CannotRun;
        }

        if (result.Intact)
        {
            await output.WriteLineAsync($"账本一致 / ledger intact: {result.Entries} entries, {result.Events} list events, sequence 1–{result.HeadSeq}");
            return Intact;
        }

        await output.WriteLineAsync($"账本不一致 / ledger BROKEN: {result.Problems.Count} problem(s)");
        foreach (var problem in result.Problems)
        {
            await output.WriteLineAsync("  " + problem);
        }

        return Broken;
    }

    private static string ReadOnly(string file) => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
    {
        DataSource = file,
        Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly,
    }.ToString();

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
