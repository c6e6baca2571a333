using System.Diagnostics;
using Shixin.Server.Hosting;

namespace Shixin.Server.Tests.Ops;

/// <summary>
/// A measure catalog that does not load or validate stops the server at start, naming the file and the reason; it never
/// starts a server whose checks would answer 500 (issue 10).
/// </summary>
public sealed class CatalogStartupTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "shixin-broken-" + Guid.NewGuid().ToString("N")[..10]);

    public CatalogStartupTests()
    {
        // A copy of the shipped data directory, to break one file in it.
        var source = Path.Combine(AppContext.BaseDirectory, "data");
        foreach (var dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(source, Path.Combine(_root, "data"), StringComparison.Ordinal));
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(source, Path.Combine(_root, "data"), StringComparison.Ordinal));
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Catalog(string name) => Path.Combine(_root, "data", "catalogs", name);

    [Fact]
    public void A_catalog_that_is_not_json_stops_the_start_and_names_the_file()
    {
        File.WriteAllText(Catalog("jiangsu-2017.json"), File.ReadAllText(Catalog("jiangsu-2017.json"))[..500]);
        var ex = Should.Throw<StartupRefusedException>(() => ShixinHost.Create([], Settings()));
        ex.Message.ShouldContain("jiangsu-2017.json");
        ex.Message.ShouldContain("不予启动");
    }

    [Fact]
    public void A_scenario_citing_an_unknown_measure_stops_the_start_with_the_reason()
    {
        var path = Path.Combine(_root, "data", "scenarios.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"national-2016/", "\"national-2099/", StringComparison.Ordinal));
        var ex = Should.Throw<StartupRefusedException>(() => ShixinHost.Create([], Settings()));
        ex.Message.ShouldContain("unknown measure 'national-2099/");
    }

    [Fact]
    public async Task The_server_process_exits_with_code_2_and_says_why_on_stderr()
    {
        File.WriteAllText(Catalog("national-2016.json"), "{ \"id\": ");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Shixin.Server.dll"));
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (k, v) in Settings())
        {
            psi.Environment[k] = v;
        }

        psi.Environment.Remove("ASPNETCORE_URLS");
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
        }

        var err = await stderr;
        p.ExitCode.ShouldBe(2, err + await stdout);
        err.ShouldStartWith("shixin: The measure catalogs could not be loaded from ");
        err.ShouldContain("national-2016.json");
        err.ShouldNotContain("   at ");
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["SHIXIN_CONTENT_ROOT"] = _root,
        ["SHIXIN_DATA_DIR"] = Path.Combine(_root, "state"),
        ["SHIXIN_ADMIN_KEY"] = ShixinServer.AdminKey,
    };
}
