using System.Text;

namespace Shixin.Server.Units;

/// <summary>
/// What a check tells about every screened entry (id, case number, court, publication), held in memory in
/// flat arrays indexed by entry number, so that explaining a hit never reads the database. About 60 bytes an
/// entry: the case number as UTF-8 in an append-only arena, the court as an index into a short court table.
/// One writer (the index follower) and any number of readers: a reader sees an entry whole or not at all.
/// </summary>
public sealed class EntryCards
{
    private const int PageBits = 20;
    private const int PageSize = 1 << PageBits;

    private sealed class Tables(int capacity)
    {
        public readonly Guid[] Ids = new Guid[capacity];
        public readonly long[] Cases = new long[capacity];   // page << 28 | offset << 8 | length; 0 = no card
        public readonly ushort[] Courts = new ushort[capacity];
        public readonly int[] ListedOn = new int[capacity];   // DayNumber + 1; 0 = not published
        public readonly byte[] Restricted = new byte[capacity];
    }

    private Tables _tables = new(1024);
    private readonly List<byte[]> _pages;
    private byte[][] _pageArray;
    private int _pageUsed = 1; // byte 0 of page 0 is never used, so no card's location is 0

    /// <summary>Creates an empty store.</summary>
    public EntryCards()
    {
        _pages = [new byte[PageSize]];
        _pageArray = [.. _pages];
    }
    private readonly Dictionary<string, ushort> _courtIndex = new(StringComparer.Ordinal);
    private (string Code, string Name)[] _courts = [];
    private readonly Lock _writer = new();

    /// <summary>Entries held.</summary>
    public int Count => Volatile.Read(ref _count);

    private int _count;

    /// <summary>Approximate bytes held (arrays and arena).</summary>
    public long ApproximateBytes
    {
        get
        {
            var t = Volatile.Read(ref _tables);
            return ((long)t.Ids.Length * 31) + ((long)Volatile.Read(ref _pageArray).Length * PageSize);
        }
    }

    /// <summary>Adds or replaces an entry's card (called by the follower only).</summary>
    public void Set(long no, Guid id, string caseNumber, string court, string courtName, DateOnly? listedOn, bool restricted)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(no);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(no, int.MaxValue - 1);
        var bytes = Encoding.UTF8.GetBytes(caseNumber);
        lock (_writer)
        {
            if (bytes.Length > 255)
            {
                // Not a case number the courts issue; such an entry is explained from the database instead.
                Remove(no);
                return;
            }

            var t = Grow((int)no + 1);
            var i = (int)no;
            var fresh = t.Cases[i] == 0;
            t.Ids[i] = id;
            t.Courts[i] = CourtIndex(court, courtName);
            t.ListedOn[i] = listedOn is { } d ? d.DayNumber + 1 : 0;
            t.Restricted[i] = restricted ? (byte)1 : (byte)0;
            // The case number is written first; publishing its location makes the card visible.
            Volatile.Write(ref t.Cases[i], Append(bytes));
            if (fresh)
            {
                Interlocked.Increment(ref _count);
            }
        }
    }

    /// <summary>Forgets an entry that is no longer screened.</summary>
    public void Remove(long no)
    {
        lock (_writer)
        {
            var t = _tables;
            if (no > 0 && no < t.Cases.Length && t.Cases[no] != 0)
            {
                Volatile.Write(ref t.Cases[no], 0);
                Interlocked.Decrement(ref _count);
            }
        }
    }

    /// <summary>The card of a screened entry, or null when this node holds none.</summary>
    public EntryDetail? Get(long no)
    {
        var t = Volatile.Read(ref _tables);
        if (no <= 0 || no >= t.Cases.Length)
        {
            return null;
        }

        var c = Volatile.Read(ref t.Cases[no]);
        if (c == 0)
        {
            return null;
        }

        var page = Volatile.Read(ref _pageArray)[(int)(c >> 28)];
        var caseNumber = Encoding.UTF8.GetString(page, (int)((c >> 8) & (PageSize - 1)), (int)(c & 0xFF));
        var (code, name) = Volatile.Read(ref _courts)[t.Courts[no]];
        var listed = t.ListedOn[no];
        return new EntryDetail(no, t.Ids[no], caseNumber, code, name, listed == 0 ? null : DateOnly.FromDayNumber(listed - 1),
            t.Restricted[no] == 1 ? "restricted" : "public");
    }

    private Tables Grow(int needed)
    {
        var t = _tables;
        if (needed <= t.Ids.Length)
        {
            return t;
        }

        var n = new Tables(Math.Max(needed, t.Ids.Length * 2));
        t.Ids.CopyTo(n.Ids, 0);
        t.Cases.CopyTo(n.Cases, 0);
        t.Courts.CopyTo(n.Courts, 0);
        t.ListedOn.CopyTo(n.ListedOn, 0);
        t.Restricted.CopyTo(n.Restricted, 0);
        Volatile.Write(ref _tables, n);
        return n;
    }

    private long Append(ReadOnlySpan<byte> caseNumber)
    {
        if (_pageUsed + caseNumber.Length > PageSize)
        {
            _pages.Add(new byte[PageSize]);
            _pageUsed = 0;
            Volatile.Write(ref _pageArray, [.. _pages]);
        }

        var page = _pages.Count - 1;
        caseNumber.CopyTo(_pages[page].AsSpan(_pageUsed));
        var location = ((long)page << 28) | ((long)_pageUsed << 8) | (uint)caseNumber.Length;
        _pageUsed += caseNumber.Length;
        return location;
    }

    private ushort CourtIndex(string code, string name)
    {
        if (_courtIndex.TryGetValue(code, out var i) && string.Equals(_courts[i].Name, name, StringComparison.Ordinal))
        {
            return i;
        }

        if (_courtIndex.TryGetValue(code, out i))
        {
            var renamed = ((string Code, string Name)[])_courts.Clone();
            renamed[i] = (code, name);
            Volatile.Write(ref _courts, renamed);
            return i;
        }

        i = checked((ushort)_courts.Length);
        _courtIndex[code] = i;
        Volatile.Write(ref _courts, [.. _courts, (code, name)]);
        return i;
    }
}
