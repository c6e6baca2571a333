using System.Text.Json;
using System.Text.Json.Serialization;

// The baseline a user would otherwise write: every listed identifier in a HashSet<string>, POST a body shaped like
// /api/v1/checks, answer hit or clear. No authentication, explanation or recording.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BareJson.Default));
var path = Environment.GetEnvironmentVariable("BARE_LISTED") ?? "bench/out/listed.txt";
var listed = new HashSet<string>(StringComparer.Ordinal);
foreach (var line in File.ReadLines(path))
{
    listed.Add(line);
}

var app = builder.Build();
app.MapGet("/readyz", () => "ready");
app.MapPost("/check", (BareRequest body) =>
{
    var results = new BareResult[body.Subjects?.Length ?? 0];
    for (var i = 0; i < results.Length; i++)
    {
        var s = body.Subjects![i];
        var id = s.IdNumber ?? s.CreditCode ?? s.OrganizationCode ?? s.Passport ?? "";
        results[i] = new BareResult(id, listed.Contains(id) ? "hit" : "clear");
    }

    return new BareResponse(results);
});
Console.WriteLine("bare endpoint: " + listed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " identifiers");
app.Run();

internal sealed record BareSubject(string? IdNumber, string? CreditCode, string? OrganizationCode, string? Passport);

internal sealed record BareRequest(string? Scenario, BareSubject[]? Subjects);

internal sealed record BareResult(string Subject, string Outcome);

internal sealed record BareResponse(BareResult[] Results);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BareRequest))]
[JsonSerializable(typeof(BareResponse))]
internal sealed partial class BareJson : JsonSerializerContext;
