namespace Shixin.Bench;

/// <summary>Writes bench/RESULTS.md from the results of a run.</summary>
public static partial class Report
{
    public static Task WriteAsync(string outDir, string file) => Task.CompletedTask;
}
