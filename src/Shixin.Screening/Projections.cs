using System.Globalization;

namespace Shixin.Screening;

/// <summary>Validation and normalisation of <see cref="EntryProjection"/>s, without allocating per entry.</summary>
internal static class Projections
{
    /// <summary>Throws when an active projection has an empty key or an unknown role (inactive ones carry nothing).</summary>
    public static void Validate(EntryProjection p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (!p.Active)
        {
            return;
        }

        IReadOnlyList<EntrySubject> subjects = p.Subjects ?? throw new ArgumentException($"Entry {p.ExternalId.ToString(CultureInfo.InvariantCulture)} has no subject list.", nameof(p));
        for (int i = 0; i < subjects.Count; i++)
        {
            EntrySubject s = subjects[i];
            if (s.Key.IsEmpty || (uint)s.Role > (uint)SubjectRole.SeniorManager)
            {
                throw new ArgumentException($"Entry {p.ExternalId.ToString(CultureInfo.InvariantCulture)} has an empty key or an unknown role.", nameof(p));
            }
        }
    }

    /// <summary>
    /// An ID's exemptions also cover the documents bound to it: writes the entry's exemptions
    /// followed by those copies into <paramref name="buffer"/> (grown when needed); returns how many.
    /// </summary>
    public static int ExpandExemptions(IReadOnlyList<EntrySubject> subjects, IReadOnlyList<Exemption>? exemptions, ref Exemption[] buffer)
    {
        if (exemptions is null || exemptions.Count == 0)
        {
            return 0;
        }

        int n = 0;
        for (int k = 0; k < exemptions.Count; k++)
        {
            Add(ref buffer, ref n, exemptions[k]);
        }

        for (int k = 0; k < exemptions.Count; k++)
        {
            Exemption e = exemptions[k];
            for (int i = 0; i < subjects.Count; i++)
            {
                if (subjects[i].ViaDocument && subjects[i].BoundTo == e.Subject)
                {
                    Add(ref buffer, ref n, e with { Subject = subjects[i].Key });
                }
            }
        }

        return n;

        static void Add(ref Exemption[] buffer, ref int n, in Exemption e)
        {
            if (n == buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(8, n * 2));
            }

            buffer[n++] = e;
        }
    }
}
