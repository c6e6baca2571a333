namespace Shixin.Screening;

/// <summary>Builds a <see cref="ScreeningIndex"/> from a snapshot of the list (entries in any order).</summary>
public sealed class ScreeningIndexBuilder
{
    private readonly ScreeningIndexOptions _options;

    /// <summary>Creates a builder.</summary>
    public ScreeningIndexBuilder(ScreeningIndexOptions? options = null) => _options = options ?? new ScreeningIndexOptions();

    /// <summary>Expected number of entries and keys, to size buffers (optional).</summary>
    public int ExpectedEntries { get; init; }

    /// <summary>Expected number of resident-ID keys (optional).</summary>
    public int ExpectedResidentIdKeys { get; init; }

    /// <summary>Builds the index at <paramref name="sequence"/>; inactive entries are skipped.</summary>
    public ScreeningIndex Build(IEnumerable<EntryProjection> snapshot, long sequence)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var writer = new GenerationWriter(Math.Max(16, ExpectedEntries), Math.Max(16, ExpectedResidentIdKeys));
        var exemptions = new Exemption[8];
        foreach (EntryProjection p in snapshot)
        {
            Projections.Validate(p);
            if (!p.Active)
            {
                continue;
            }

            int n = Projections.ExpandExemptions(p.Subjects, p.Exemptions, ref exemptions);
            writer.AddEntry(p.ExternalId, p.DebtorKind, p.Subjects, exemptions.AsSpan(0, n));
        }

        return new ScreeningIndex(writer.Finish(1), sequence, _options);
    }
}
