using System.Net;
using Shixin.Server.Hosting;
using static Shixin.Server.Tests.Distribution.DistKit;

namespace Shixin.Server.Tests.Ops;

/// <summary>Issue 11 F13: what the platform writes in its data directory is readable by the service account only.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileModeTests
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task Database_keys_and_key_ring_are_private_to_the_service_account()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "shixin-modes-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        File.SetUnixFileMode(dataDir, (UnixFileMode)0b111_101_101);
        var old = Path.Combine(dataDir, "left-by-an-earlier-version.db");
        await File.WriteAllTextAsync(old, "x", Ct);
        File.SetUnixFileMode(old, (UnixFileMode)0b110_100_100);
        try
        {
            await using var s = await ShixinServer.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["SHIXIN_DATA_DIR"] = dataDir });
            s.Get<ShixinOptions>().DataDirectory.ShouldBe(dataDir);
            var court = await CourtAsync(s.Admin);
            var unit = await UnitAsync(s.Admin);
            await court.ListAsync();

            // A subscription seals its secret with the Data Protection key ring, which is written then.
            await unit.Post("/api/v1/subscriptions", new { url = "https://10.0.0.1/hook" }).Expect(HttpStatusCode.Created);

            var files = Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories).ToList();
            files.ShouldContain(f => f.EndsWith("shixin.db", StringComparison.Ordinal));
            files.ShouldContain(f => f.EndsWith("shixin.db-wal", StringComparison.Ordinal));
            files.ShouldContain(f => f.EndsWith(".xml", StringComparison.Ordinal) && f.Contains("data-protection-keys", StringComparison.Ordinal));
            foreach (var f in files.Append(dataDir).Concat(Directory.EnumerateDirectories(dataDir, "*", SearchOption.AllDirectories)))
            {
                (File.GetUnixFileMode(f) & GroupOrOther).ShouldBe((UnixFileMode)0, f + " is " + File.GetUnixFileMode(f));
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
