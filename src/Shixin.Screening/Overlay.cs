using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

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

/// <summary>One state of a changed entry, stamped with the publish version that made it.</summary>
internal sealed class EntryVersion(long version, EntryRecord record, EntryVersion? previous)
{
    public long Version { get; } = version;

    public EntryRecord Record { get; } = record;

    public EntryVersion? Previous { get; } = previous;
}

/// <summary>One state of a key's overlay postings, stamped with its publish version.</summary>
internal sealed class KeyVersion(long version, uint[] postings, KeyVersion? previous)
{
    public long Version { get; } = version;

    public uint[] Postings { get; } = postings;

    public KeyVersion? Previous { get; } = previous;
}

/// <summary>Overlay figures as of one publish version (copied into each snapshot).</summary>
internal readonly record struct OverlayCounts(int ChangedEntries, int RowCount, int ShadowedBaseRows, int ActiveAddedEntries, int DeactivatedBaseEntries);

/// <summary>
/// Entries changed since the base generation, as version chains. The single writer adds new
/// versions in place (lock-free reads: ConcurrentDictionary reads take no lock) stamped with
/// the publish version it is about to publish; a reader resolves every chain at the version
/// of its snapshot, so it sees exactly the state that was published, never a later or partial
/// one. Nothing is removed until the overlay is merged and dropped whole.
/// Base rows of an ordinal that has a version at the reader's version are shadowed.
/// </summary>
internal sealed class Overlay
{
    // Map values are mutable heads: a change to a known ordinal/key is one reference write,
    // no dictionary write (a ConcurrentDictionary update would lock and allocate a node).
    private readonly ConcurrentDictionary<int, Head<EntryVersion>> _entries = new(concurrencyLevel: 1, capacity: 1024);
    private readonly ConcurrentDictionary<SubjectKey, Head<KeyVersion>> _keys = new(concurrencyLevel: 1, capacity: 1024);
    private readonly Dictionary<long, int> _added = []; // writer only
    private int _nextOrdinal;
    private OverlayCounts _counts;

    public Overlay(BaseGeneration b) => _nextOrdinal = b.EntryCount;

    /// <summary>Writer-side figures after the last upsert.</summary>
    public OverlayCounts Counts => _counts;

    /// <summary>Changes accumulated, in entries (the merge trigger).</summary>
    public int ChangedEntries => _counts.ChangedEntries;

    public static long BytesOf(OverlayCounts c) => (c.ChangedEntries * 160L) + (c.RowCount * 120L);

    /// <summary>The entry's state at <paramref name="version"/>, or null when unchanged since the base.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EntryRecord? EntryAt(int ordinal, long version)
    {
        if (!_entries.TryGetValue(ordinal, out Head<EntryVersion>? head))
        {
            return null;
        }

        EntryVersion? v = head.Value;
        while (v is not null && v.Version > version)
        {
            v = v.Previous;
        }

        return v?.Record;
    }

    /// <summary>The key's overlay postings at <paramref name="version"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint[]? PostingsAt(in SubjectKey key, long version)
    {
        if (!_keys.TryGetValue(key, out Head<KeyVersion>? head))
        {
            return null;
        }

        KeyVersion? v = head.Value;
        while (v is not null && v.Version > version)
        {
            v = v.Previous;
        }

        return v?.Postings;
    }

    /// <summary>Every changed entry at <paramref name="version"/> (safe while the writer continues).</summary>
    public IEnumerable<(int Ordinal, EntryRecord Record)> EntriesAt(long version)
    {
        foreach (KeyValuePair<int, Head<EntryVersion>> kv in _entries)
        {
            EntryVersion? v = kv.Value.Value;
            while (v is not null && v.Version > version)
            {
                v = v.Previous;
            }

            if (v is not null)
            {
                yield return (kv.Key, v.Record);
            }
        }
    }

    /// <summary>Replaces the state of one entry as of <paramref name="version"/> (not yet published). Writer only.</summary>
    public void Upsert(BaseGeneration b, EntryRecord record, long version)
    {
        OverlayCounts c = _counts;
        int ordinal = b.FindOrdinal(record.ExternalId);
        bool isBase = ordinal >= 0;
        if (!isBase && !_added.TryGetValue(record.ExternalId, out ordinal))
        {
            if (!record.Active)
            {
                return;
            }

            ordinal = _nextOrdinal++;
            if (ordinal > Posting.MaxOrdinal)
            {
                throw new InvalidOperationException("The index holds at most 2^27 entries.");
            }

            _added[record.ExternalId] = ordinal;
        }

        if (!_entries.TryGetValue(ordinal, out Head<EntryVersion>? slot))
        {
            slot = new Head<EntryVersion>();
            _entries[ordinal] = slot;
        }

        EntryVersion? head = slot.Value;
        EntryRecord? previous = head?.Record;
        if (previous is not null)
        {
            if (previous.Active)
            {
                RemovePostings(previous, ordinal, version, ref c);
                if (!isBase)
                {
                    c = c with { ActiveAddedEntries = c.ActiveAddedEntries - 1 };
                }
            }
            else if (isBase)
            {
                c = c with { DeactivatedBaseEntries = c.DeactivatedBaseEntries - 1 };
            }
        }
        else
        {
            c = c with { ChangedEntries = c.ChangedEntries + 1 };
            if (isBase)
            {
                c = c with { ShadowedBaseRows = c.ShadowedBaseRows + b.RowCountOf(ordinal) };
            }
        }

        slot.Value = new EntryVersion(version, record, head is not null && head.Version == version ? head.Previous : head);
        if (record.Active)
        {
            AddPostings(record, ordinal, version, ref c);
            if (!isBase)
            {
                c = c with { ActiveAddedEntries = c.ActiveAddedEntries + 1 };
            }
        }
        else if (isBase)
        {
            c = c with { DeactivatedBaseEntries = c.DeactivatedBaseEntries + 1 };
        }

        _counts = c;
    }

    private static void SetPostings(Head<KeyVersion> slot, uint[] postings, long version)
    {
        KeyVersion? head = slot.Value;
        slot.Value = new KeyVersion(version, postings, head is not null && head.Version == version ? head.Previous : head);
    }

    private void AddPostings(EntryRecord record, int ordinal, long version, ref OverlayCounts c)
    {
        foreach (EntrySubject s in record.Subjects)
        {
            uint posting = Posting.Make(ordinal, s.Role, s.ViaDocument);
            if (!_keys.TryGetValue(s.Key, out Head<KeyVersion>? slot))
            {
                slot = new Head<KeyVersion>();
                _keys[s.Key] = slot;
            }

            KeyVersion? head = slot.Value;
            SetPostings(slot, head is null ? [posting] : [.. head.Postings, posting], version);
        }

        c = c with { RowCount = c.RowCount + record.Subjects.Length };
    }

    private void RemovePostings(EntryRecord record, int ordinal, long version, ref OverlayCounts c)
    {
        foreach (EntrySubject s in record.Subjects)
        {
            if (_keys.TryGetValue(s.Key, out Head<KeyVersion>? slot) && slot.Value is { } head && Array.Exists(head.Postings, p => Posting.Ordinal(p) == ordinal))
            {
                SetPostings(slot, Array.FindAll(head.Postings, p => Posting.Ordinal(p) != ordinal), version);
            }
        }

        c = c with { RowCount = c.RowCount - record.Subjects.Length };
    }
}

/// <summary>A mutable, volatile chain head: written by the writer, read by anyone.</summary>
internal sealed class Head<T>
    where T : class
{
    private T? _value;

    public T? Value
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _value);
        set => Volatile.Write(ref _value, value);
    }
}
