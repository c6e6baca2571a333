using System.Runtime.CompilerServices;

namespace Shixin.Screening;

/// <summary>
/// An immutable view of the index at one ledger sequence. Take one with
/// <see cref="ScreeningIndex.Current"/> and use it for every read of one check, so that the
/// hits, their exemptions and the reported <see cref="Sequence"/> agree.
/// </summary>
public sealed class ScreeningSnapshot
{
    private readonly BaseGeneration _base;
    private readonly Overlay _overlay;

    private readonly long _version;
    private readonly OverlayCounts _counts;
    private readonly bool _hasOverlay;

    internal ScreeningSnapshot(BaseGeneration b, Overlay overlay, long version, long sequence)
    {
        _base = b;
        _overlay = overlay;
        _version = version;
        _counts = overlay.Counts;
        _hasOverlay = _counts.ChangedEntries != 0;
        Sequence = sequence;
    }

    internal long Version => _version;

    internal bool HasOverlay => _hasOverlay;

    internal BaseGeneration Base => _base;

    internal Overlay Overlay => _overlay;

    /// <summary>The ledger sequence this snapshot reflects.</summary>
    public long Sequence { get; }

    /// <summary>Number of the base generation (increments at each merge).</summary>
    public long Generation => _base.Number;

    /// <summary>Index rows (key → entry links) of active entries.</summary>
    public int KeyCount => _base.RowCount - _counts.ShadowedBaseRows + _counts.RowCount;

    /// <summary>Active entries.</summary>
    public int EntryCount => _base.EntryCount - _counts.DeactivatedBaseEntries + _counts.ActiveAddedEntries;

    /// <summary>Approximate memory held by the index.</summary>
    public long ApproximateBytes => _base.Bytes + Overlay.BytesOf(_counts);

    /// <summary>Size and freshness figures.</summary>
    public ScreeningIndexStats Stats => new(Sequence, Generation, KeyCount, EntryCount, _base.RowCount, _counts.ChangedEntries, ApproximateBytes);

    /// <summary>
    /// Writes the hits of active entries for <paramref name="key"/> and returns how many there
    /// are; when that exceeds <paramref name="destination"/>'s length only the first ones are written.
    /// </summary>
    public int Lookup(in SubjectKey key, Span<IndexHit> destination)
    {
        int count = key.Kind switch
        {
            SubjectKind.ResidentId => FromBase(_base.ResidentIds, KeyMixer.Mix64(key.Low), destination),
            SubjectKind.CreditCode => FromBase(_base.CreditCodes, KeyMixer.Mix128(key), destination),
            SubjectKind.OrganizationCode => FromBase(_base.OrganizationCodes, KeyMixer.Mix64(key.Low), destination),
            SubjectKind.Passport => FromBase(_base.Passports, KeyMixer.Mix128(key), destination),
            _ => 0,
        };

        if (_hasOverlay)
        {
            foreach (uint p in _overlay.PostingsAt(key, _version))
            {
                int ordinal = Posting.Ordinal(p);
                if (count < destination.Length)
                {
                    ref readonly EntryRow r = ref _overlay.Entry(_overlay.EntryAt(ordinal, _version));
                    IndexHitFlags flags = (Posting.Via(p) ? IndexHitFlags.ViaDocument : 0)
                        | (r.ExemptionCount != 0 ? IndexHitFlags.HasExemptions : 0)
                        | (r.Kind == DebtorKind.Organization ? IndexHitFlags.Organization : 0);
                    destination[count] = new IndexHit(r.ExternalId, ordinal, Posting.Role(p), flags);
                }

                count++;
            }
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FromBase<T>(KeyTable<T> table, T mixed, Span<IndexHit> destination)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IUnsignedNumber<T>
    {
        int row = table.Find(mixed, out int end);
        int count = 0;
        bool checkShadow = _hasOverlay;
        for (; row < end; row++)
        {
            uint p = table.PostingAt(row);
            int ordinal = Posting.Ordinal(p);
            if (checkShadow && _overlay.EntryAt(ordinal, _version) >= 0)
            {
                continue;
            }

            if (count < destination.Length)
            {
                byte f = _base.Flags[ordinal];
                IndexHitFlags flags = (Posting.Via(p) ? IndexHitFlags.ViaDocument : 0)
                    | ((f & BaseGeneration.ExemptionsFlag) != 0 ? IndexHitFlags.HasExemptions : 0)
                    | ((f & BaseGeneration.OrganizationFlag) != 0 ? IndexHitFlags.Organization : 0);
                destination[count] = new IndexHit(_base.ExternalIds[ordinal], ordinal, Posting.Role(p), flags);
            }

            count++;
        }

        return count;
    }

    /// <summary>True when the key hits at least one active entry.</summary>
    public bool Contains(in SubjectKey key) => Lookup(key, []) != 0;

    /// <summary>
    /// Looks up keys in order: <paramref name="hitCounts"/>[i] gets the number of hits of
    /// <paramref name="keys"/>[i], and the hits are appended to <paramref name="hits"/>.
    /// Stops early when the next key's hits do not fit; returns the number of keys done.
    /// </summary>
    public int LookupMany(ReadOnlySpan<SubjectKey> keys, Span<int> hitCounts, Span<IndexHit> hits, out int hitsWritten)
    {
        if (hitCounts.Length < keys.Length)
        {
            throw new ArgumentException("One count per key is needed.", nameof(hitCounts));
        }

        int written = 0;
        int i = 0;
        for (; i < keys.Length; i++)
        {
            int n = Lookup(keys[i], hits[written..]);
            if (written + n > hits.Length)
            {
                if (i == 0)
                {
                    throw new ArgumentException("The hit buffer cannot hold the hits of one key.", nameof(hits));
                }

                break;
            }

            hitCounts[i] = n;
            written += n;
        }

        hitsWritten = written;
        return i;
    }

    /// <summary>
    /// Writes the exemptions of the hit's entry that name <paramref name="key"/> and cover
    /// <paramref name="atTicks"/> (UTC ticks); returns how many there are.
    /// <paramref name="hit"/> must come from this snapshot.
    /// </summary>
    public int GetExemptions(in IndexHit hit, in SubjectKey key, long atTicks, Span<Exemption> destination)
    {
        if (!hit.HasExemptions)
        {
            return 0;
        }

        int row = _hasOverlay ? _overlay.EntryAt(hit.EntryOrdinal, _version) : -1;
        ReadOnlySpan<Exemption> all = row >= 0
            ? _overlay.ExemptionsOf(_overlay.Entry(row))
            : hit.EntryOrdinal < _base.EntryCount ? _base.ExemptionsOf(hit.EntryOrdinal) : [];
        int count = 0;
        foreach (Exemption e in all)
        {
            if (e.Subject == key && e.IsValidAt(atTicks))
            {
                if (count < destination.Length)
                {
                    destination[count] = e;
                }

                count++;
            }
        }

        return count;
    }
}
