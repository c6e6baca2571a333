using System.Runtime.CompilerServices;
namespace Shixin.Screening;

/// <summary>Folds an overlay into its base: one linear pass over the entries and the rows.</summary>
internal static class Merger
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BaseGeneration Merge(BaseGeneration b, Overlay overlay, long version, long number)
    {
        // Active overlay records, in external-id order.
        var incoming = new List<(EntryRecord Record, int Ordinal)>();
        var shadowed = new bool[b.EntryCount];
        int extra = 0;
        foreach ((int ordinal, EntryRecord record) in overlay.EntriesAt(version))
        {
            if (ordinal < b.EntryCount)
            {
                shadowed[ordinal] = true;
            }

            if (record.Active)
            {
                incoming.Add((record, ordinal));
                extra += record.Subjects.Length;
            }
        }

        incoming.Sort((x, y) => x.Record.ExternalId.CompareTo(y.Record.ExternalId));

        var writer = new GenerationWriter(
            b.EntryCount + incoming.Count,
            b.ResidentIds.Count + extra,
            b.CreditCodes.Count + extra,
            b.OrganizationCodes.Count + extra,
            b.Passports.Count + extra);
        int[] remap = new int[b.EntryCount];
        int j = 0;
        for (int i = 0; i < b.EntryCount; i++)
        {
            if (shadowed[i])
            {
                remap[i] = -1;
                continue;
            }

            long id = b.ExternalIds[i];
            while (j < incoming.Count && incoming[j].Record.ExternalId < id)
            {
                AddIncoming(writer, incoming[j++].Record);
            }

            remap[i] = writer.AddEntryRaw(id, b.Flags[i], b.RowCountOf(i), b.ExemptionsOf(i));
        }

        while (j < incoming.Count)
        {
            AddIncoming(writer, incoming[j++].Record);
        }

        writer.CopyRows(b.ResidentIds, remap, organizationCodes: false);
        writer.CopyRows(b.OrganizationCodes, remap, organizationCodes: true);
        writer.CopyRows(b.CreditCodes, remap, passports: false);
        writer.CopyRows(b.Passports, remap, passports: true);
        return writer.Finish(number);
    }

    private static void AddIncoming(GenerationWriter writer, EntryRecord r) => writer.AddEntry(r.ExternalId, r.Kind, r.Subjects, r.Exemptions);
}
