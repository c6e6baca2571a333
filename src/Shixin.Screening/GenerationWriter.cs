using System.Runtime.CompilerServices;
namespace Shixin.Screening;

/// <summary>Accumulates entries and rows, then sorts them into a <see cref="BaseGeneration"/>.</summary>
internal sealed class GenerationWriter
{
    private readonly Buffer<long> _externalIds;
    private readonly Buffer<byte> _flags;
    private readonly Dictionary<int, int> _largeRowCounts = [];
    private readonly Buffer<ulong> _residentKeys;
    private readonly Buffer<uint> _residentPostings;
    private readonly Buffer<UInt128> _creditKeys;
    private readonly Buffer<uint> _creditPostings;
    private readonly Buffer<ulong> _orgKeys;
    private readonly Buffer<uint> _orgPostings;
    private readonly Buffer<UInt128> _passportKeys;
    private readonly Buffer<uint> _passportPostings;
    private readonly List<(int Ordinal, Exemption[] Items)> _exemptions = [];

    public GenerationWriter(int entries = 16, int residentRows = 16, int creditRows = 16, int orgRows = 16, int passportRows = 16)
    {
        _externalIds = new(entries);
        _flags = new(entries);
        _residentKeys = new(residentRows);
        _residentPostings = new(residentRows);
        _creditKeys = new(creditRows);
        _creditPostings = new(creditRows);
        _orgKeys = new(orgRows);
        _orgPostings = new(orgRows);
        _passportKeys = new(passportRows);
        _passportPostings = new(passportRows);
    }

    public int EntryCount => _externalIds.Count;

    /// <summary>Adds an entry with its keys; returns its (provisional) ordinal.</summary>
    public int AddEntry(long externalId, DebtorKind kind, IReadOnlyList<EntrySubject> subjects, ReadOnlySpan<Exemption> exemptions)
    {
        int ordinal = AddEntryRaw(externalId, kind == DebtorKind.Organization ? BaseGeneration.OrganizationFlag : (byte)0, subjects.Count, exemptions);
        for (int i = 0; i < subjects.Count; i++)
        {
            EntrySubject s = subjects[i];
            AddRow(s.Key, Posting.Make(ordinal, s.Role, s.ViaDocument));
        }

        return ordinal;
    }

    /// <summary>Adds an entry whose keys come from an overlay row (merge path).</summary>
    public int AddEntry(long externalId, DebtorKind kind, ReadOnlySpan<KeyedPosting> subjects, ReadOnlySpan<Exemption> exemptions)
    {
        int ordinal = AddEntryRaw(externalId, kind == DebtorKind.Organization ? BaseGeneration.OrganizationFlag : (byte)0, subjects.Length, exemptions);
        foreach (KeyedPosting s in subjects)
        {
            AddRow(s.Key, Posting.WithOrdinal(s.Posting, ordinal));
        }

        return ordinal;
    }

    /// <summary>Adds an entry whose rows are added separately (merge path).</summary>
    public int AddEntryRaw(long externalId, byte kindFlags, int rowCount, ReadOnlySpan<Exemption> exemptions)
    {
        int ordinal = _externalIds.Count;
        byte flags = (byte)(kindFlags & BaseGeneration.OrganizationFlag);
        if (!exemptions.IsEmpty)
        {
            flags |= BaseGeneration.ExemptionsFlag;
            _exemptions.Add((ordinal, exemptions.ToArray()));
        }

        if (rowCount >= BaseGeneration.RowCountSaturated)
        {
            _largeRowCounts[ordinal] = rowCount;
            rowCount = BaseGeneration.RowCountSaturated;
        }

        _externalIds.Add(externalId);
        _flags.Add((byte)(flags | (rowCount << BaseGeneration.RowCountShift)));
        return ordinal;
    }

    public void AddRow(in SubjectKey key, uint posting)
    {
        switch (key.Kind)
        {
            case SubjectKind.ResidentId:
                _residentKeys.Add(KeyMixer.Mix64(key.Low));
                _residentPostings.Add(posting);
                break;
            case SubjectKind.OrganizationCode:
                _orgKeys.Add(KeyMixer.Mix64(key.Low));
                _orgPostings.Add(posting);
                break;
            case SubjectKind.CreditCode:
                _creditKeys.Add(KeyMixer.Mix128(key));
                _creditPostings.Add(posting);
                break;
            case SubjectKind.Passport:
                _passportKeys.Add(KeyMixer.Mix128(key));
                _passportPostings.Add(posting);
                break;
            default:
                throw new ArgumentException("An entry subject has no key.", nameof(key));
        }
    }

    /// <summary>Copies the live rows of a table, renumbering ordinals (-1 = dropped).</summary>
    public void CopyRows(KeyTable<ulong> table, int[] remap, bool organizationCodes)
    {
        Buffer<ulong> keys = organizationCodes ? _orgKeys : _residentKeys;
        Buffer<uint> postings = organizationCodes ? _orgPostings : _residentPostings;
        CopyRows(table, remap, keys, postings);
    }

    public void CopyRows(KeyTable<UInt128> table, int[] remap, bool passports)
    {
        Buffer<UInt128> keys = passports ? _passportKeys : _creditKeys;
        Buffer<uint> postings = passports ? _passportPostings : _creditPostings;
        CopyRows(table, remap, keys, postings);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRows<T>(KeyTable<T> table, int[] remap, Buffer<T> keys, Buffer<uint> postings)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IUnsignedNumber<T>
    {
        ReadOnlySpan<T> k = table.Keys;
        ReadOnlySpan<uint> p = table.Postings;
        keys.EnsureCapacity(keys.Count + k.Length);
        postings.EnsureCapacity(postings.Count + k.Length);
        for (int i = 0; i < k.Length; i++)
        {
            int ordinal = remap[Posting.Ordinal(p[i])];
            if (ordinal >= 0)
            {
                keys.Add(k[i]);
                postings.Add(Posting.WithOrdinal(p[i], ordinal));
            }
        }
    }

    /// <summary>Sorts entries by external id (renumbering rows) if needed and builds the tables.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public BaseGeneration Finish(long number)
    {
        long[] externalIds = _externalIds.ToArray();
        byte[] flags = _flags.ToArray();
        Dictionary<int, int> large = _largeRowCounts;
        List<(int Ordinal, Exemption[] Items)> exemptions = _exemptions;

        bool sorted = true;
        for (int i = 1; i < externalIds.Length && sorted; i++)
        {
            sorted = externalIds[i - 1] < externalIds[i];
        }

        if (!sorted)
        {
            int[] order = new int[externalIds.Length];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            Array.Sort(externalIds, order);
            int[] remap = new int[order.Length];
            byte[] sortedFlags = new byte[flags.Length];
            for (int i = 0; i < order.Length; i++)
            {
                if (i > 0 && externalIds[i - 1] == externalIds[i])
                {
                    throw new ArgumentException($"Duplicate entry external id {externalIds[i].ToString(System.Globalization.CultureInfo.InvariantCulture)} in snapshot.");
                }

                remap[order[i]] = i;
                sortedFlags[i] = flags[order[i]];
            }

            flags = sortedFlags;
            large = _largeRowCounts.ToDictionary(kv => remap[kv.Key], kv => kv.Value);
            exemptions = [.. exemptions.Select(e => (remap[e.Ordinal], e.Items))];
            Renumber(_residentPostings, remap);
            Renumber(_creditPostings, remap);
            Renumber(_orgPostings, remap);
            Renumber(_passportPostings, remap);
        }

        exemptions.Sort((a, b) => a.Ordinal.CompareTo(b.Ordinal));
        int[] exOrdinals = new int[exemptions.Count];
        int[] exStarts = new int[exemptions.Count + 1];
        var exItems = new List<Exemption>();
        for (int i = 0; i < exemptions.Count; i++)
        {
            exOrdinals[i] = exemptions[i].Ordinal;
            exStarts[i] = exItems.Count;
            exItems.AddRange(exemptions[i].Items);
        }

        exStarts[exemptions.Count] = exItems.Count;

        return new BaseGeneration(
            number,
            externalIds,
            flags,
            large,
            KeyTable<ulong>.Build(_residentKeys.Items, _residentPostings.Items, _residentKeys.Count),
            KeyTable<UInt128>.Build(_creditKeys.Items, _creditPostings.Items, _creditKeys.Count),
            KeyTable<ulong>.Build(_orgKeys.Items, _orgPostings.Items, _orgKeys.Count),
            KeyTable<UInt128>.Build(_passportKeys.Items, _passportPostings.Items, _passportKeys.Count),
            exOrdinals,
            exStarts,
            [.. exItems]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Renumber(Buffer<uint> postings, int[] remap)
    {
        uint[] items = postings.Items;
        for (int i = 0; i < postings.Count; i++)
        {
            items[i] = Posting.WithOrdinal(items[i], remap[Posting.Ordinal(items[i])]);
        }
    }

    /// <summary>A growable array that exposes its storage.</summary>
    private sealed class Buffer<T>(int capacity)
    {
        public T[] Items { get; private set; } = GC.AllocateUninitializedArray<T>(Math.Max(capacity, 4));

        public int Count { get; private set; }

        public void Add(T item)
        {
            if (Count == Items.Length)
            {
                EnsureCapacity(Count * 2);
            }

            Items[Count++] = item;
        }

        public void EnsureCapacity(int capacity)
        {
            if (capacity > Items.Length)
            {
                T[] grown = GC.AllocateUninitializedArray<T>(Math.Max(capacity, Items.Length * 2));
                Array.Copy(Items, grown, Count);
                Items = grown;
            }
        }

        public T[] ToArray() => Items.AsSpan(0, Count).ToArray();
    }
}
