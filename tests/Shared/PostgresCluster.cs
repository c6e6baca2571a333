using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Shixin.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster started from the machine's own binaries (initdb / pg_ctl on a free
/// loopback port) and removed afterwards. When no binaries exist, <see cref="SkipReason"/> says so and
/// PostgreSQL tests skip visibly.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresCluster? _shared;
    private readonly string? _bin;
    private readonly string _dir;
    private int _databases;

    private PostgresCluster(string? bin, string dir, int port, string? skip)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
        SkipReason = skip;
    }

    public int Port { get; }

    /// <summary>Why PostgreSQL tests cannot run here, or null when the cluster is up.</summary>
    public string? SkipReason { get; }

    public bool Available => SkipReason is null;

    /// <summary>One cluster per test process, started on first use and stopped at exit.</summary>
    public static async Task<PostgresCluster> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                _shared = await StartAsync();
                var cluster = _shared;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return _shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A fresh, empty database in the cluster; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "shixin")
    {
        var name = prefix + "_" + Interlocked.Increment(ref _databases).ToString(System.Globalization.CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..6];
        await using (var conn = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("CREATE DATABASE " + name, conn);
            await cmd.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=40;Timeout=30;Command Timeout=120";

    private static async Task<PostgresCluster> StartAsync()
    {
        var bin = FindBinaries();
        var dir = Path.Combine(Path.GetTempPath(), "shixin-pg-" + Guid.NewGuid().ToString("N")[..8]);
        if (bin is null)
        {
            return new PostgresCluster(null, dir, 0, "PostgreSQL binaries (initdb, pg_ctl) not found; install Debian's 'postgresql' package or set SHIXIN_PG_BIN");
        }

        Directory.CreateDirectory(dir);
        var port = FreePort();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root: hand the directory to the postgres user.
            await RunAsync("chown", ["-R", "postgres", dir]);
        }

        var data = Path.Combine(dir, "data");
        await RunPgAsync(bin, asRoot, "initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        await RunPgAsync(bin, asRoot, "pg_ctl", ["-D", data, "-l", Path.Combine(dir, "log"), "-w", "-t", "60", "start", "-o",
            $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"]);
        return new PostgresCluster(bin, dir, port, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_bin is null)
        {
            return;
        }

        try
        {
            await RunPgAsync(_bin, Environment.UserName == "root", "pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string? FindBinaries()
    {
        var env = Environment.GetEnvironmentVariable("SHIXIN_PG_BIN");
        if (!string.IsNullOrEmpty(env) && File.Exists(Path.Combine(env, "initdb")))
        {
            return env;
        }

        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var best = Directory.GetDirectories(root)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
                .OrderByDescending(d => d.Version).FirstOrDefault();
            if (best.Dir is not null)
            {
                return Path.Combine(best.Dir, "bin");
            }
        }

        foreach (var p in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (p.Length > 0 && File.Exists(Path.Combine(p, "initdb")) && File.Exists(Path.Combine(p, "pg_ctl")))
            {
                return p;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static Task RunPgAsync(string bin, bool asRoot, string tool, string[] args) =>
        asRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. args]) : RunAsync(Path.Combine(bin, tool), args);

    private static async Task RunAsync(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException(file + " " + string.Join(' ', args) + " failed (" + p.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + "): " + await stderr + await stdout);
        }
    }
}
