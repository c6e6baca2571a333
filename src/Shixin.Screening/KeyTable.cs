using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Shixin.Screening;

/// <summary>
/// Immutable sorted struct-of-arrays of (mixed key, posting) rows with a bucket table on the
/// top bits of the mixed key. One per identifier kind; <typeparamref name="T"/> is ulong for
/// 64-bit kinds and UInt128 for the wide ones, so a resident ID costs 8 + 4 bytes per row.
/// </summary>
internal sealed class KeyTable<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    private static readonly int Bits = Unsafe.SizeOf<T>() * 8;

    private readonly T[] _keys;
    private readonly uint[] _postings;
    private readonly int[] _starts;
    private readonly int _shift;

    private KeyTable(T[] keys, uint[] postings, int[] starts, int shift)
    {
        _keys = keys;
        _postings = postings;
        _starts = starts;
        _shift = shift;
    }

    public static KeyTable<T> Empty { get; } = Build([], [], 0);

    public int Count => _keys.Length;

    public ReadOnlySpan<T> Keys => _keys;

    public ReadOnlySpan<uint> Postings => _postings;

    public long Bytes => ((long)_keys.Length * Unsafe.SizeOf<T>()) + ((long)_postings.Length * 4) + ((long)_starts.Length * 4);

    /// <summary>Bucket bits so that buckets hold 2–4 rows on average.</summary>
    private static int BucketBits(int count) => Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)count) - 2);

    /// <summary>Counting sort on the bucket, then insertion sort inside each (tiny) bucket: O(n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static KeyTable<T> Build(T[] keys, uint[] postings, int count)
    {
        int bits = BucketBits(count);
        int shift = Bits - bits;
        var starts = new int[(1 << bits) + 1];
        for (int i = 0; i < count; i++)
        {
            starts[int.CreateTruncating(keys[i] >>> shift) + 1]++;
        }

        for (int b = 1; b < starts.Length; b++)
        {
            starts[b] += starts[b - 1];
        }

        var outKeys = GC.AllocateUninitializedArray<T>(count);
        var outPostings = GC.AllocateUninitializedArray<uint>(count);
        var next = GC.AllocateUninitializedArray<int>(starts.Length - 1);
        Array.Copy(starts, next, next.Length);
        for (int i = 0; i < count; i++)
        {
            T k = keys[i];
            int at = next[int.CreateTruncating(k >>> shift)]++;
            outKeys[at] = k;
            outPostings[at] = postings[i];
        }

        for (int b = 0; b < starts.Length - 1; b++)
        {
            InsertionSort(outKeys, outPostings, starts[b], starts[b + 1]);
        }

        return new KeyTable<T>(outKeys, outPostings, starts, shift);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InsertionSort(T[] keys, uint[] postings, int from, int to)
    {
        for (int i = from + 1; i < to; i++)
        {
            T k = keys[i];
            uint p = postings[i];
            int j = i - 1;
            while (j >= from && (keys[j] > k || (keys[j] == k && postings[j] > p)))
            {
                keys[j + 1] = keys[j];
                postings[j + 1] = postings[j];
                j--;
            }

            keys[j + 1] = k;
            postings[j + 1] = p;
        }
    }

    /// <summary>The rows of <paramref name="mixed"/>: [start, end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(T mixed, out int end)
    {
        ref int starts = ref MemoryMarshal.GetArrayDataReference(_starts);
        int b = int.CreateTruncating(mixed >>> _shift);
        int s = Unsafe.Add(ref starts, b);
        int e = Unsafe.Add(ref starts, b + 1);
        ref T keys = ref MemoryMarshal.GetArrayDataReference(_keys);
        while (s < e && Unsafe.Add(ref keys, s) < mixed)
        {
            s++;
        }

        int f = s;
        while (f < e && Unsafe.Add(ref keys, f) == mixed)
        {
            f++;
        }

        end = f;
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint PostingAt(int row) => Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_postings), row);

    /// <summary>Prefetch hint for batch lookups: touches the bucket slot of a key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int BucketStart(T mixed) => Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_starts), int.CreateTruncating(mixed >>> _shift));
}
