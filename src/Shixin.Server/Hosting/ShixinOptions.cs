using Shixin.Data;

namespace Shixin.Server.Hosting;

/// <summary>Deployment settings, read from SHIXIN_* environment variables and the command line.</summary>
public sealed class ShixinOptions
{
    public required string DataDirectory { get; init; }
    public DatabaseProvider Database { get; init; } = DatabaseProvider.Sqlite;
    public string? PostgresConnectionString { get; init; }
    public string? AdminKey { get; init; }
    public bool Demo { get; init; }
    public string RuleSet { get; init; } = "seeds";
    public string ContentRoot { get; init; } = AppContext.BaseDirectory;
    public TimeSpan ClockInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest import body accepted (SHIXIN_IMPORT_MAX_BYTES, default 256 MiB); it is read in full before the ledger is taken.</summary>
    public long ImportMaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Where the platform's data files (holidays, rules, catalogs) live.</summary>
    public string DataFilesDirectory => Path.Combine(ContentRoot, "data");

    public static ShixinOptions FromConfiguration(IConfiguration config, string[] args)
    {
        var home = Environment.GetEnvironmentVariable("HOME");
        var defaultDir = string.IsNullOrEmpty(home)
            ? Path.Combine(AppContext.BaseDirectory, ".shixin")
            : Path.Combine(home, ".local", "share", "shixin");
        var db = config["SHIXIN_DATABASE"];
        var provider = db switch
        {
            null or "" or "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" => DatabaseProvider.Postgres,
            _ => throw new InvalidOperationException("SHIXIN_DATABASE must be 'sqlite' or 'postgres', not '" + db + "'"),
        };
        var pg = config["SHIXIN_POSTGRES"];
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(pg))
        {
            throw new InvalidOperationException("SHIXIN_DATABASE=postgres needs SHIXIN_POSTGRES (a connection string)");
        }

        var interval = config["SHIXIN_CLOCK_SECONDS"];
        return new ShixinOptions
        {
            DataDirectory = config["SHIXIN_DATA_DIR"] is { Length: > 0 } d ? Path.GetFullPath(d) : defaultDir,
            Database = provider,
            PostgresConnectionString = pg,
            AdminKey = config["SHIXIN_ADMIN_KEY"] is { Length: > 0 } k ? k : null,
            Demo = args.Contains("--demo", StringComparer.Ordinal) || string.Equals(config["SHIXIN_DEMO"], "true", StringComparison.OrdinalIgnoreCase),
            RuleSet = config["SHIXIN_RULE_SET"] is { Length: > 0 } r ? r : "seeds",
            ContentRoot = config["SHIXIN_CONTENT_ROOT"] is { Length: > 0 } c ? c : AppContext.BaseDirectory,
            ImportMaxBytes = long.TryParse(config["SHIXIN_IMPORT_MAX_BYTES"], System.Globalization.CultureInfo.InvariantCulture, out var maxBytes) && maxBytes > 0
                ? maxBytes : 256L * 1024 * 1024,
            ClockInterval = interval is { Length: > 0 } && int.TryParse(interval, System.Globalization.CultureInfo.InvariantCulture, out var s)
                ? TimeSpan.FromSeconds(s) : TimeSpan.FromSeconds(30),
        };
    }

    public ShixinDatabase OpenDatabase()
    {
        if (Database == DatabaseProvider.Postgres)
        {
            return new ShixinDatabase(DatabaseProvider.Postgres, PostgresConnectionString!);
        }

        Directory.CreateDirectory(DataDirectory);
        return ShixinDatabase.SqliteFile(Path.Combine(DataDirectory, "shixin.db"));
    }
}
