namespace Shixin.Screening;

/// <summary>The state of one changed entry inside an <see cref="Overlay"/>. Immutable.</summary>
internal sealed class EntryRecord
{
    private EntryRecord(long externalId, bool active, DebtorKind kind, EntrySubject[] subjects, Exemption[] exemptions)
    {
        ExternalId = externalId;
        Active = active;
        Kind = kind;
        Subjects = subjects;
        Exemptions = exemptions;
    }

    public long ExternalId { get; }

    public bool Active { get; }

    public DebtorKind Kind { get; }

    public EntrySubject[] Subjects { get; }

    public Exemption[] Exemptions { get; }

    public static EntryRecord From(EntryProjection p)
    {
        if (!p.Active)
        {
            return new EntryRecord(p.ExternalId, false, p.DebtorKind, [], []);
        }

        var subjects = new EntrySubject[p.Subjects.Count];
        for (int i = 0; i < subjects.Length; i++)
        {
            EntrySubject s = p.Subjects[i];
            if (s.Key.IsEmpty || (uint)s.Role > (uint)SubjectRole.SeniorManager)
            {
                throw new ArgumentException($"Entry {p.ExternalId.ToString(System.Globalization.CultureInfo.InvariantCulture)} has an empty key or an unknown role.", nameof(p));
            }

            subjects[i] = s;
        }

        return new EntryRecord(p.ExternalId, true, p.DebtorKind, subjects, ExpandExemptions(subjects, p.Exemptions));
    }

    /// <summary>An ID's exemptions also cover the documents bound to it.</summary>
    public static Exemption[] ExpandExemptions(IReadOnlyList<EntrySubject> subjects, IReadOnlyList<Exemption>? exemptions)
    {
        if (exemptions is null || exemptions.Count == 0)
        {
            return [];
        }

        var all = new List<Exemption>(exemptions);
        foreach (Exemption e in exemptions)
        {
            for (int i = 0; i < subjects.Count; i++)
            {
                if (subjects[i].ViaDocument && subjects[i].BoundTo == e.Subject)
                {
                    all.Add(e with { Subject = subjects[i].Key });
                }
            }
        }

        return [.. all];
    }
}

/// <summary>
/// Entries changed since the base generation. Copy-on-write: the writer clones the published
/// overlay, mutates the clone, and publishes it; a published overlay is never mutated.
/// Base rows of an ordinal present in <see cref="Entries"/> are shadowed.
/// </summary>
internal sealed class Overlay
{
    private Overlay(Dictionary<int, EntryRecord> entries, Dictionary<long, int> added, Dictionary<SubjectKey, uint[]> keys, int nextOrdinal, int rowCount, int shadowedBaseRows, int activeAddedEntries, int deactivatedBaseEntries)
    {
        Entries = entries;
        AddedByExternalId = added;
        Keys = keys;
        NextOrdinal = nextOrdinal;
        RowCount = rowCount;
        ShadowedBaseRows = shadowedBaseRows;
        ActiveAddedEntries = activeAddedEntries;
        DeactivatedBaseEntries = deactivatedBaseEntries;
    }

    /// <summary>Ordinal → state, for changed base entries and for entries new since the base.</summary>
    public Dictionary<int, EntryRecord> Entries { get; }

    /// <summary>External id → ordinal (≥ base entry count) of entries new since the base.</summary>
    public Dictionary<long, int> AddedByExternalId { get; }

    /// <summary>Key → postings of active overlay entries.</summary>
    public Dictionary<SubjectKey, uint[]> Keys { get; }

    public int NextOrdinal { get; private set; }

    public int RowCount { get; private set; }

    public int ShadowedBaseRows { get; private set; }

    public int ActiveAddedEntries { get; private set; }

    public int DeactivatedBaseEntries { get; private set; }

    public bool IsEmpty => Entries.Count == 0;

    public long Bytes => (Entries.Count * 120L) + (AddedByExternalId.Count * 24L) + (Keys.Count * 80L) + (RowCount * 40L);

    public static Overlay CreateEmpty(BaseGeneration b) => new([], [], [], b.EntryCount, 0, 0, 0, 0);

    public Overlay Clone() => new(new(Entries), new(AddedByExternalId), new(Keys), NextOrdinal, RowCount, ShadowedBaseRows, ActiveAddedEntries, DeactivatedBaseEntries);

    /// <summary>Replaces the state of one entry. Only on an unpublished clone.</summary>
    public void Upsert(BaseGeneration b, EntryProjection p)
    {
        int ordinal = b.FindOrdinal(p.ExternalId);
        bool isBase = ordinal >= 0;
        if (!isBase && !AddedByExternalId.TryGetValue(p.ExternalId, out ordinal))
        {
            if (!p.Active)
            {
                return;
            }

            ordinal = NextOrdinal++;
            if (ordinal > Posting.MaxOrdinal)
            {
                throw new InvalidOperationException("The index holds at most 2^27 entries.");
            }

            AddedByExternalId[p.ExternalId] = ordinal;
        }

        EntryRecord record = EntryRecord.From(p);
        if (Entries.TryGetValue(ordinal, out EntryRecord? previous))
        {
            if (previous.Active)
            {
                RemovePostings(previous, ordinal);
                if (!isBase)
                {
                    ActiveAddedEntries--;
                }
            }
            else if (isBase)
            {
                DeactivatedBaseEntries--;
            }
        }
        else if (isBase)
        {
            ShadowedBaseRows += b.RowCountOf(ordinal);
        }

        Entries[ordinal] = record;
        if (record.Active)
        {
            AddPostings(record, ordinal);
            if (!isBase)
            {
                ActiveAddedEntries++;
            }
        }
        else if (isBase)
        {
            DeactivatedBaseEntries++;
        }
    }

    private void AddPostings(EntryRecord record, int ordinal)
    {
        foreach (EntrySubject s in record.Subjects)
        {
            uint posting = Posting.Make(ordinal, s.Role, s.ViaDocument);
            Keys[s.Key] = Keys.TryGetValue(s.Key, out uint[]? existing) ? [.. existing, posting] : [posting];
        }

        RowCount += record.Subjects.Length;
    }

    private void RemovePostings(EntryRecord record, int ordinal)
    {
        foreach (EntrySubject s in record.Subjects)
        {
            if (!Keys.TryGetValue(s.Key, out uint[]? existing))
            {
                continue;
            }

            uint[] rest = Array.FindAll(existing, p => Posting.Ordinal(p) != ordinal);
            if (rest.Length == 0)
            {
                Keys.Remove(s.Key);
            }
            else
            {
                Keys[s.Key] = rest;
            }
        }

        RowCount -= record.Subjects.Length;
    }
}
