using System.Diagnostics;
using System.Text.Json;
using static Shixin.Server.Tests.TestApi;

namespace Shixin.Server.Tests.Ops;

/// <summary>
/// The OpenAPI document is usable by client generators (issue 11, finding 16): every operation has an id, a summary,
/// its security, its error statuses with the problem schema, and a schema for every success body. Checked here in
/// .NET on every run, and by Redocly's own linter where Node is installed.
/// </summary>
public sealed class OpenApiContractTests(ServerPerDb servers) : IClassFixture<ServerPerDb>
{
    private static readonly string[] Verbs = ["get", "put", "post", "delete", "patch"];

    private async Task<JsonDocument> DocumentAsync()
    {
        var s = await servers.For(Db.Sqlite);
        using var c = s.Client();
        var text = await c.GetStringCt("/openapi/v1.json");
        return JsonDocument.Parse(text);
    }

    private static IEnumerable<(string Path, string Verb, JsonElement Op)> Operations(JsonDocument doc)
    {
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject().Where(o => Verbs.Contains(o.Name)))
            {
                yield return (path.Name, op.Name, op.Value);
            }
        }
    }

    [Fact]
    public async Task Every_operation_has_id_summary_security_errors_and_schemas()
    {
        using var doc = await DocumentAsync();
        var root = doc.RootElement;
        root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString().ShouldBe("bearer");
        var problem = root.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails").GetProperty("properties");
        problem.TryGetProperty("code", out _).ShouldBeTrue();
        problem.TryGetProperty("errors", out _).ShouldBeTrue();

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var faults = new List<string>();
        var ops = Operations(doc).ToList();
        ops.Count.ShouldBeGreaterThan(50);
        foreach (var (path, verb, op) in ops)
        {
            var name = verb.ToUpperInvariant() + " " + path;
            if (!op.TryGetProperty("operationId", out var id) || !ids.Add(id.GetString()!) || !id.GetString()!.All(char.IsAsciiLetterOrDigit))
            {
                faults.Add(name + ": operationId missing, duplicated or not URL-safe");
            }
            if (!op.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
            {
                faults.Add(name + ": no summary");
            }
            if (!op.TryGetProperty("security", out var security))
            {
                faults.Add(name + ": security not defined");
            }
            var responses = op.GetProperty("responses").EnumerateObject().ToList();
            var secured = security.ValueKind == JsonValueKind.Array && security.GetArrayLength() > 0;
            if (secured && !(responses.Any(r => r.Name == "401") && responses.Any(r => r.Name == "403")))
            {
                faults.Add(name + ": a keyed operation must document 401 and 403");
            }
            if (!responses.Any(r => r.Name.StartsWith('4')))
            {
                faults.Add(name + ": no 4xx response");
            }
            foreach (var r in responses)
            {
                if (r.Name.StartsWith('2') && r.Name != "204"
                    && (!r.Value.TryGetProperty("content", out var content) || content.EnumerateObject().Any(m => !m.Value.TryGetProperty("schema", out _))))
                {
                    faults.Add(name + ": success " + r.Name + " without a schema");
                }
                if (r.Name.StartsWith('4') && r.Name != "404" || r.Name.StartsWith('5'))
                {
                    if (!r.Value.TryGetProperty("content", out var pc) || !pc.TryGetProperty("application/problem+json", out _))
                    {
                        faults.Add(name + ": error " + r.Name + " is not application/problem+json");
                    }
                }
            }
        }
        faults.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/api/v1/credit-repairs", "post", "201")]
    [InlineData("/api/v1/notices", "post", "201")]
    [InlineData("/api/v1/reports/quarterly/confirmation", "post", "201")]
    [InlineData("/api/v1/entries/{id}/special-notification", "post", "201")]
    [InlineData("/api/v1/subscriptions/{id}", "delete", "204")]
    public async Task Success_codes_are_the_ones_the_endpoints_answer(string path, string verb, string status)
    {
        using var doc = await DocumentAsync();
        var responses = doc.RootElement.GetProperty("paths").GetProperty(path).GetProperty(verb).GetProperty("responses");
        responses.EnumerateObject().Where(r => r.Name.StartsWith('2')).Select(r => r.Name).ShouldBe([status]);
    }

    [Fact]
    public async Task Non_json_bodies_are_described_as_what_they_are()
    {
        using var doc = await DocumentAsync();
        var paths = doc.RootElement.GetProperty("paths");
        var batch = paths.GetProperty("/api/v1/checks/batch").GetProperty("post").GetProperty("responses").GetProperty("200").GetProperty("content");
        batch.TryGetProperty("text/csv", out _).ShouldBeTrue();
        batch.TryGetProperty("application/x-ndjson", out _).ShouldBeTrue();
        var report = paths.GetProperty("/api/v1/reports/quarterly").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        report.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString().ShouldEndWith("QuarterlyFigures");
        report.GetProperty("application/pdf").GetProperty("schema").GetProperty("format").GetString().ShouldBe("binary");
        paths.GetProperty("/api/v1/snapshot").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content")
            .TryGetProperty("application/x-ndjson", out _).ShouldBeTrue();
    }

    /// <summary>Redocly's recommended rules, as a user running <c>npx @redocly/cli lint</c> would see them.</summary>
    [Fact]
    public async Task Redocly_lint_finds_no_errors()
    {
        if (!File.Exists("/usr/bin/npx") && !File.Exists("/usr/local/bin/npx"))
        {
            Assert.Skip("Node's npx is not installed: Redocly's linter cannot run (the .NET contract test above still ran)");
        }
        using var doc = await DocumentAsync();
        var dir = Directory.CreateTempSubdirectory("shixin-redocly-");
        try
        {
            var file = Path.Combine(dir.FullName, "openapi.json");
            await File.WriteAllTextAsync(file, doc.RootElement.GetRawText(), TestContext.Current.CancellationToken);
            var psi = new ProcessStartInfo("npx", ["-y", "@redocly/cli@2", "lint", file, "--format=json"])
            {
                WorkingDirectory = dir.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(4));
            await p.WaitForExitAsync(timeout.Token);
            var output = await stdout;
            var start = output.IndexOf('{', StringComparison.Ordinal);
            if (start < 0)
            {
                Assert.Skip("Redocly could not be installed from the npm registry: " + (await stderr)[..Math.Min(300, (await stderr).Length)]);
            }
            using var report = JsonDocument.Parse(output[start..]);
            var problems = report.RootElement.GetProperty("problems").EnumerateArray()
                .Select(x => x.GetProperty("severity").GetString() + " " + x.GetProperty("ruleId").GetString() + ": " + x.GetProperty("message").GetString())
                .ToList();
            problems.Where(x => x.StartsWith("error", StringComparison.Ordinal)).ShouldBeEmpty();
            problems.ShouldBeEmpty();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
