using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Shixin.Screening;

/// <summary>A key of an entry with its posting minus the ordinal (role and via-document bits).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct KeyedPosting(SubjectKey Key, uint Posting);

/// <summary>
/// One state of a changed entry, stamped with the publish version that made it; its subjects
/// and exemptions are runs in the overlay's arenas. Immutable once written.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct EntryRow(long version, long externalId, int previous, bool active, DebtorKind kind, int subjectStart, int subjectCount, int exemptionStart, int exemptionCount)
{
    public readonly long Version = version;
    public readonly long ExternalId = externalId;
    public readonly int Previous = previous;
    public readonly int SubjectStart = subjectStart;
    public readonly int SubjectCount = subjectCount;
    public readonly int ExemptionStart = exemptionStart;
    public readonly int ExemptionCount = exemptionCount;
    public readonly DebtorKind Kind = kind;
    public readonly bool Active = active;
}

/// <summary>One state of a key's overlay postings (a run in the postings arena), stamped with its publish version.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct KeyRow(SubjectKey key, long version, int previous, int postingStart, int postingCount)
{
    public readonly SubjectKey Key = key;
    public readonly long Version = version;
    public readonly int Previous = previous;
    public readonly int PostingStart = postingStart;
    public readonly int PostingCount = postingCount;
}

/// <summary>Overlay figures as of one publish version (copied into each snapshot).</summary>
internal readonly record struct OverlayCounts(int ChangedEntries, int RowCount, int ShadowedBaseRows, int ActiveAddedEntries, int DeactivatedBaseEntries, long Bytes = 0);

/// <summary>
/// Entries changed since the base generation, as version chains of struct rows in append-only
/// arenas (no object per change). The single writer appends rows stamped with the publish
/// version it is about to publish and then moves the chain head with one release write; a
/// reader resolves every chain at the version of its snapshot, so it sees exactly the state
/// that was published, never a later or partial one. Nothing is removed until the overlay is
/// merged and dropped whole. Base rows of an ordinal that has a version at the reader's version
/// are shadowed.
/// <para>
/// Heads live in two open-addressing tables of 64-bit slots, each slot written whole with one
/// release write: ordinal → head entry row, and key → head key row (the slot holds 32 bits of
/// the key's hash and the head; the key itself is in the row). A full table is copied into one
/// twice the size, which is then published; a reader still on the old one sees every head as
/// of the copy, which is at least as new as its snapshot.
/// </para>
/// </summary>
internal sealed class Overlay
{
    private static readonly long[] NoSlots = new long[1];

    private readonly Arena<EntryRow> _entryRows = new();
    private readonly Arena<KeyedPosting> _subjects = new();
    private readonly Arena<Exemption> _exemptions = new();
    private readonly Arena<KeyRow> _keyRows = new();
    private readonly Arena<uint> _postings = new();

    // slot = (ordinal + 1) << 32 | head entry row; 0 = empty.
    private long[] _entryHeads = NoSlots;
    private int _entryHeadCount;

    // slot = hash << 32 | (head key row + 1); 0 = empty.
    private long[] _keyHeads = NoSlots;
    private int _keyHeadCount;

    private readonly Dictionary<long, int> _added = []; // writer only: external id → ordinal of entries not in the base
    private int _nextOrdinal;
    private OverlayCounts _counts;

    // Writer-only scratch (reused: an upsert allocates nothing).
    private KeyedPosting[] _subjectScratch = new KeyedPosting[8];
    private Exemption[] _exemptionScratch = new Exemption[8];
    private uint[] _postingScratch = new uint[8];
    private long[] _idScratch = [];
    private int[] _ordinalScratch = [];

    public Overlay(BaseGeneration b) => _nextOrdinal = b.EntryCount;

    /// <summary>Writer-side figures after the last upsert.</summary>
    public OverlayCounts Counts => _counts with { Bytes = Bytes };

    /// <summary>Changes accumulated, in entries (the merge trigger).</summary>
    public int ChangedEntries => _counts.ChangedEntries;

    /// <summary>Entry rows appended so far (writer side): rows from here on are the changes after this point.</summary>
    public int EntryRowCount => _entryRows.Count;

    private long Bytes => _counts.ChangedEntries == 0
        ? 0
        : _entryRows.Bytes + _subjects.Bytes + _exemptions.Bytes + _keyRows.Bytes + _postings.Bytes
            + ((long)(_entryHeads.Length + _keyHeads.Length) * sizeof(long)) + (_added.Count * 24L);

    public static long BytesOf(OverlayCounts c) => c.Bytes;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint OrdinalHash(int ordinal) => (uint)ordinal * 0x9E3779B1u;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint KeyHash(in SubjectKey key) => (uint)key.GetHashCode();

    /// <summary>The latest entry row of an ordinal (any version), or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int EntryHead(int ordinal)
    {
        long[] slots = Volatile.Read(ref _entryHeads);
        int mask = slots.Length - 1;
        long tag = (long)(ordinal + 1) << 32;
        for (int i = (int)(OrdinalHash(ordinal) & (uint)mask); ; i = (i + 1) & mask)
        {
            long s = Volatile.Read(ref slots[i]);
            if (s == 0)
            {
                return -1;
            }

            if ((s & ~0xFFFF_FFFFL) == tag)
            {
                return (int)(uint)s;
            }
        }
    }

    /// <summary>The latest key row of a key (any version), or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int KeyHead(in SubjectKey key)
    {
        long[] slots = Volatile.Read(ref _keyHeads);
        int mask = slots.Length - 1;
        uint hash = KeyHash(key);
        for (int i = (int)(hash & (uint)mask); ; i = (i + 1) & mask)
        {
            long s = Volatile.Read(ref slots[i]);
            if (s == 0)
            {
                return -1;
            }

            if ((uint)((ulong)s >> 32) == hash)
            {
                int head = (int)(uint)s - 1;
                if (_keyRows.At(head).Key == key)
                {
                    return head;
                }
            }
        }
    }

    /// <summary>The entry's row at <paramref name="version"/>, or -1 when unchanged since the base.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int EntryAt(int ordinal, long version)
    {
        int row = EntryHead(ordinal);
        while (row >= 0)
        {
            ref readonly EntryRow r = ref _entryRows.At(row);
            if (r.Version <= version)
            {
                break;
            }

            row = r.Previous;
        }

        return row;
    }

    /// <summary>An entry row (published, or the writer's own).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref readonly EntryRow Entry(int row) => ref _entryRows.At(row);

    public ReadOnlySpan<KeyedPosting> SubjectsOf(in EntryRow r) => _subjects.Span(r.SubjectStart, r.SubjectCount);

    public ReadOnlySpan<Exemption> ExemptionsOf(in EntryRow r) => _exemptions.Span(r.ExemptionStart, r.ExemptionCount);

    /// <summary>The key's overlay postings at <paramref name="version"/> (empty when none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<uint> PostingsAt(in SubjectKey key, long version)
    {
        int row = KeyHead(key);
        while (row >= 0)
        {
            ref readonly KeyRow r = ref _keyRows.At(row);
            if (r.Version <= version)
            {
                return _postings.Span(r.PostingStart, r.PostingCount);
            }

            row = r.Previous;
        }

        return [];
    }

    /// <summary>
    /// Every changed entry at <paramref name="version"/> as (ordinal, entry row), in no
    /// particular order. Safe while the writer continues with later versions.
    /// </summary>
    public (int[] Ordinals, int[] Rows) EntriesAt(long version)
    {
        long[] slots = Volatile.Read(ref _entryHeads);
        var ordinals = new List<int>(Math.Min(_entryHeadCount, slots.Length));
        var rows = new List<int>(ordinals.Capacity);
        for (int i = 0; i < slots.Length; i++)
        {
            long s = Volatile.Read(ref slots[i]);
            if (s == 0)
            {
                continue;
            }

            int ordinal = (int)((ulong)s >> 32) - 1;
            int row = (int)(uint)s;
            while (row >= 0 && _entryRows.At(row).Version > version)
            {
                row = _entryRows.At(row).Previous;
            }

            if (row >= 0)
            {
                ordinals.Add(ordinal);
                rows.Add(row);
            }
        }

        return ([.. ordinals], [.. rows]);
    }

    /// <summary>
    /// Replaces the state of the entries as of <paramref name="version"/> (not yet published),
    /// in order. Writer only; the projections are validated. The base ordinals of the whole
    /// batch are searched first (in lockstep), and the head-table slots of a change are
    /// prefetched a few changes ahead, so that the cache misses of different changes overlap.
    /// </summary>
    public void Upsert(BaseGeneration b, IReadOnlyList<EntryProjection> changes, long version)
    {
        const int Ahead = 8;
        int n = changes.Count;
        if (_idScratch.Length < n)
        {
            _idScratch = new long[Math.Max(n, _idScratch.Length * 2)];
            _ordinalScratch = new int[_idScratch.Length];
        }

        for (int i = 0; i < n; i++)
        {
            _idScratch[i] = changes[i].ExternalId;
        }

        b.FindOrdinals(_idScratch.AsSpan(0, n), _ordinalScratch);
        for (int i = 0; i < n; i++)
        {
            if (i + Ahead < n)
            {
                Prefetch(b, changes[i + Ahead], _ordinalScratch[i + Ahead]);
            }

            Upsert(b, changes[i], _ordinalScratch[i], version);
        }
    }

    private void Prefetch(BaseGeneration b, EntryProjection p, int ordinal)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        if (ordinal >= 0)
        {
            long[] entrySlots = _entryHeads;
            Touch(ref entrySlots[(int)(OrdinalHash(ordinal) & (uint)(entrySlots.Length - 1))]);
            Touch(ref b.Flags[ordinal]);
        }

        if (p.Active)
        {
            long[] keySlots = _keyHeads;
            IReadOnlyList<EntrySubject> subjects = p.Subjects;
            for (int k = 0; k < subjects.Count; k++)
            {
                Touch(ref keySlots[(int)(KeyHash(subjects[k].Key) & (uint)(keySlots.Length - 1))]);
            }
        }

        static unsafe void Touch<T>(ref T at) => Sse.Prefetch0(Unsafe.AsPointer(ref at));
    }

    private void Upsert(BaseGeneration b, EntryProjection p, int baseOrdinal, long version)
    {
        if (!p.Active)
        {
            Upsert(b, baseOrdinal, p.ExternalId, false, p.DebtorKind, [], [], version);
            return;
        }

        IReadOnlyList<EntrySubject> subjects = p.Subjects;
        if (_subjectScratch.Length < subjects.Count)
        {
            _subjectScratch = new KeyedPosting[Math.Max(subjects.Count, _subjectScratch.Length * 2)];
        }

        for (int i = 0; i < subjects.Count; i++)
        {
            EntrySubject s = subjects[i];
            _subjectScratch[i] = new KeyedPosting(s.Key, Posting.Make(0, s.Role, s.ViaDocument));
        }

        int exemptions = Projections.ExpandExemptions(subjects, p.Exemptions, ref _exemptionScratch);
        Upsert(b, baseOrdinal, p.ExternalId, true, p.DebtorKind, _subjectScratch.AsSpan(0, subjects.Count), _exemptionScratch.AsSpan(0, exemptions), version);
    }

    /// <summary>Replays one entry row of another overlay (of the previous base) as of <paramref name="version"/>. Writer only.</summary>
    public void Replay(BaseGeneration b, Overlay from, int row, long version)
    {
        ref readonly EntryRow r = ref from.Entry(row);
        Upsert(b, b.FindOrdinal(r.ExternalId), r.ExternalId, r.Active, r.Kind, from.SubjectsOf(r), from.ExemptionsOf(r), version);
    }

    private void Upsert(BaseGeneration b, int baseOrdinal, long externalId, bool active, DebtorKind kind, ReadOnlySpan<KeyedPosting> subjects, ReadOnlySpan<Exemption> exemptions, long version)
    {
        OverlayCounts c = _counts;
        int ordinal = baseOrdinal;
        bool isBase = ordinal >= 0;
        if (!isBase && !_added.TryGetValue(externalId, out ordinal))
        {
            if (!active)
            {
                return;
            }

            ordinal = _nextOrdinal;
            if (ordinal > Posting.MaxOrdinal)
            {
                throw new InvalidOperationException("The index holds at most 2^27 entries.");
            }

            _nextOrdinal++;
            _added[externalId] = ordinal;
        }

        int slot = FindEntrySlot(ordinal);
        int head = slot >= 0 ? (int)(uint)_entryHeads[slot] : -1;
        ReadOnlySpan<KeyedPosting> previousSubjects = [];
        int previousRow = head;
        if (head >= 0)
        {
            ref readonly EntryRow previous = ref _entryRows.At(head);
            if (previous.Active)
            {
                previousSubjects = SubjectsOf(previous);
                c = c with { RowCount = c.RowCount - previous.SubjectCount };
                if (!isBase)
                {
                    c = c with { ActiveAddedEntries = c.ActiveAddedEntries - 1 };
                }
            }
            else if (isBase)
            {
                c = c with { DeactivatedBaseEntries = c.DeactivatedBaseEntries - 1 };
            }

            if (previous.Version == version)
            {
                previousRow = previous.Previous;
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

        if (active)
        {
            c = c with { RowCount = c.RowCount + subjects.Length };
            if (!isBase)
            {
                c = c with { ActiveAddedEntries = c.ActiveAddedEntries + 1 };
            }
        }
        else if (isBase)
        {
            c = c with { DeactivatedBaseEntries = c.DeactivatedBaseEntries + 1 };
        }

        // Postings first (their rows are not reachable from any reader's version until the
        // snapshot is published): every key of the old and the new state gets its new list.
        UpdatePostings(previousSubjects, subjects, ordinal, version);

        int subjectStart = _subjects.AppendRun(subjects);
        int exemptionStart = _exemptions.AppendRun(exemptions);
        int row = _entryRows.Append(new EntryRow(version, externalId, previousRow, active, kind, subjectStart, subjects.Length, exemptionStart, exemptions.Length));
        SetEntryHead(slot, ordinal, row);
        _counts = c;
    }

    /// <summary>For each distinct key of the old and new subjects: its list without this ordinal, plus the new postings.</summary>
    private void UpdatePostings(ReadOnlySpan<KeyedPosting> old, ReadOnlySpan<KeyedPosting> now, int ordinal, long version)
    {
        for (int i = 0; i < old.Length; i++)
        {
            if (!Seen(old, i, old[i].Key))
            {
                UpdateKey(old[i].Key, now, ordinal, version);
            }
        }

        for (int i = 0; i < now.Length; i++)
        {
            if (!Seen(now, i, now[i].Key) && !Seen(old, old.Length, now[i].Key))
            {
                UpdateKey(now[i].Key, now, ordinal, version);
            }
        }

        static bool Seen(ReadOnlySpan<KeyedPosting> list, int before, in SubjectKey key)
        {
            for (int j = 0; j < before; j++)
            {
                if (list[j].Key == key)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private void UpdateKey(in SubjectKey key, ReadOnlySpan<KeyedPosting> now, int ordinal, long version)
    {
        int slot = FindKeySlot(key, out uint hash);
        int head = slot >= 0 ? (int)(uint)_keyHeads[slot] - 1 : -1;
        ReadOnlySpan<uint> current = [];
        int previousRow = head;
        if (head >= 0)
        {
            ref readonly KeyRow h = ref _keyRows.At(head);
            current = _postings.Span(h.PostingStart, h.PostingCount);
            if (h.Version == version)
            {
                previousRow = h.Previous;
            }
        }

        if (_postingScratch.Length < current.Length + now.Length)
        {
            _postingScratch = new uint[Math.Max(current.Length + now.Length, _postingScratch.Length * 2)];
        }

        int n = 0;
        bool changed = false;
        foreach (uint p in current)
        {
            if (Posting.Ordinal(p) != ordinal)
            {
                _postingScratch[n++] = p;
            }
            else
            {
                changed = true;
            }
        }

        foreach (KeyedPosting s in now)
        {
            if (s.Key == key)
            {
                _postingScratch[n++] = Posting.WithOrdinal(s.Posting, ordinal);
                changed = true;
            }
        }

        if (!changed)
        {
            return;
        }

        int start = _postings.AppendRun(_postingScratch.AsSpan(0, n));
        int row = _keyRows.Append(new KeyRow(key, version, previousRow, start, n));
        SetKeyHead(slot, hash, row);
    }

    private int FindEntrySlot(int ordinal)
    {
        long[] slots = _entryHeads;
        int mask = slots.Length - 1;
        long tag = (long)(ordinal + 1) << 32;
        for (int i = (int)(OrdinalHash(ordinal) & (uint)mask); ; i = (i + 1) & mask)
        {
            long s = slots[i];
            if (s == 0)
            {
                return -1;
            }

            if ((s & ~0xFFFF_FFFFL) == tag)
            {
                return i;
            }
        }
    }

    private void SetEntryHead(int slot, int ordinal, int row)
    {
        long value = ((long)(ordinal + 1) << 32) | (uint)row;
        if (slot >= 0)
        {
            Volatile.Write(ref _entryHeads[slot], value);
            return;
        }

        if ((_entryHeadCount + 1) * 2 > _entryHeads.Length)
        {
            long[] grown = new long[Math.Max(16, _entryHeads.Length * 2)];
            foreach (long s in _entryHeads)
            {
                if (s != 0)
                {
                    Insert(grown, (int)((ulong)s >> 32) - 1, s);
                }
            }

            Volatile.Write(ref _entryHeads, grown);
        }

        Insert(_entryHeads, ordinal, value);
        _entryHeadCount++;

        static void Insert(long[] slots, int ordinal, long value)
        {
            int mask = slots.Length - 1;
            int i = (int)(OrdinalHash(ordinal) & (uint)mask);
            while (slots[i] != 0)
            {
                i = (i + 1) & mask;
            }

            Volatile.Write(ref slots[i], value);
        }
    }

    private int FindKeySlot(in SubjectKey key, out uint hash)
    {
        long[] slots = _keyHeads;
        int mask = slots.Length - 1;
        hash = KeyHash(key);
        for (int i = (int)(hash & (uint)mask); ; i = (i + 1) & mask)
        {
            long s = slots[i];
            if (s == 0)
            {
                return -1;
            }

            if ((uint)((ulong)s >> 32) == hash && _keyRows.At((int)(uint)s - 1).Key == key)
            {
                return i;
            }
        }
    }

    private void SetKeyHead(int slot, uint hash, int row)
    {
        long value = ((long)hash << 32) | (uint)(row + 1);
        if (slot >= 0)
        {
            Volatile.Write(ref _keyHeads[slot], value);
            return;
        }

        if ((_keyHeadCount + 1) * 2 > _keyHeads.Length)
        {
            long[] grown = new long[Math.Max(16, _keyHeads.Length * 2)];
            foreach (long s in _keyHeads)
            {
                if (s != 0)
                {
                    Insert(grown, s);
                }
            }

            Volatile.Write(ref _keyHeads, grown);
        }

        Insert(_keyHeads, value);
        _keyHeadCount++;

        static void Insert(long[] slots, long value)
        {
            int mask = slots.Length - 1;
            int i = (int)((uint)((ulong)value >> 32) & (uint)mask);
            while (slots[i] != 0)
            {
                i = (i + 1) & mask;
            }

            Volatile.Write(ref slots[i], value);
        }
    }
}
