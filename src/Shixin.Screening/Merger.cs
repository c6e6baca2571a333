using System.Runtime.CompilerServices;
namespace Shixin.Screening;

/// <summary>Folds an overlay into its base: one linear pass over the entries and the rows.</summary>
internal static class Merger
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BaseGeneration Merge(BaseGeneration b, Overlay overlay, long version, long number)
    {
        // Active overlay rows at the version, in external-id order.
        (int[] ordinals, int[] rows) = overlay.EntriesAt(version);
        var shadowed = new bool[b.EntryCount];
        long[] ids = new long[rows.Length];
        int[] incoming = new int[rows.Length];
        int count = 0;
        int extra = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            if (ordinals[i] < b.EntryCount)
            {
                shadowed[ordinals[i]] = true;
            }

            ref readonly EntryRow r = ref overlay.Entry(rows[i]);
            if (r.Active)
            {
                ids[count] = r.ExternalId;
                incoming[count++] = rows[i];
                extra += r.SubjectCount;
            }
        }

        Array.Sort(ids, incoming, 0, count);

        var writer = new GenerationWriter(
            b.EntryCount + count,
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
            while (j < count && ids[j] < id)
            {
                AddIncoming(writer, overlay, incoming[j++]);
            }

            remap[i] = writer.AddEntryRaw(id, b.Flags[i], b.RowCountOf(i), b.ExemptionsOf(i));
        }

        while (j < count)
        {
            AddIncoming(writer, overlay, incoming[j++]);
        }

        writer.CopyRows(b.ResidentIds, remap, organizationCodes: false);
        writer.CopyRows(b.OrganizationCodes, remap, organizationCodes: true);
        writer.CopyRows(b.CreditCodes, remap, passports: false);
        writer.CopyRows(b.Passports, remap, passports: true);
        return writer.Finish(number);
    }

    private static void AddIncoming(GenerationWriter writer, Overlay overlay, int row)
    {
        ref readonly EntryRow r = ref overlay.Entry(row);
        writer.AddEntry(r.ExternalId, r.Kind, overlay.SubjectsOf(r), overlay.ExemptionsOf(r));
    }
}
