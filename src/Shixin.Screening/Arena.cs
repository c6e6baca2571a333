using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Shixin.Screening;

/// <summary>
/// An append-only array of structs in chunks that never move: chunk k holds
/// <c>64·2^k</c> items starting at index <c>64·(2^k − 1)</c>, so the directory is a fixed
/// 26 references (no directory growth, no copy ever) and an index is located with one
/// leading-zero count. One writer appends; readers read any index the writer has published
/// (by a release write of something that leads to it, such as a chain head) without locks.
/// A run appended with <see cref="AppendRun"/> never straddles two chunks, so it can be
/// read as one span.
/// </summary>
internal sealed class Arena<T>
    where T : struct
{
    private const int FirstBits = 6;
    private const int MaxChunks = 31 - FirstBits;

    private readonly T[]?[] _chunks = new T[]?[MaxChunks];
    private int _count; // writer only: the next free index
    private long _bytes;

    /// <summary>The next free index (writer side).</summary>
    public int Count => _count;

    /// <summary>Bytes of the chunks allocated so far.</summary>
    public long Bytes => _bytes;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ChunkOf(int index) => 31 - BitOperations.LeadingZeroCount(((uint)index >> FirstBits) + 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int StartOf(int chunk) => ((1 << chunk) - 1) << FirstBits;

    /// <summary>An item the writer has published (or is the writer's own).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref readonly T At(int index)
    {
        int k = ChunkOf(index);
        T[] chunk = Volatile.Read(ref _chunks[k])!;
        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(chunk), index - StartOf(k));
    }

    /// <summary>A run appended by <see cref="AppendRun"/> (or any run inside one chunk).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<T> Span(int start, int length)
    {
        if (length == 0)
        {
            return [];
        }

        int k = ChunkOf(start);
        T[] chunk = Volatile.Read(ref _chunks[k])!;
        return new ReadOnlySpan<T>(chunk, start - StartOf(k), length);
    }

    /// <summary>Appends one item; returns its index. Writer only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Append(in T item)
    {
        int index = _count;
        int k = ChunkOf(index);
        T[] chunk = _chunks[k] ?? Grow(k);
        chunk[index - StartOf(k)] = item;
        _count = index + 1;
        return index;
    }

    /// <summary>Appends items contiguously (inside one chunk); returns the index of the first. Writer only.</summary>
    public int AppendRun(ReadOnlySpan<T> items)
    {
        if (items.IsEmpty)
        {
            return _count;
        }

        int start = _count;
        while (ChunkOf(start) != ChunkOf(start + items.Length - 1))
        {
            // Skip the rest of this chunk: the run starts at the next chunk that holds it whole.
            start = StartOf(ChunkOf(start) + 1);
        }

        int k = ChunkOf(start);
        T[] chunk = _chunks[k] ?? Grow(k);
        items.CopyTo(chunk.AsSpan(start - StartOf(k)));
        _count = start + items.Length;
        return start;
    }

    private T[] Grow(int k)
    {
        if (k >= MaxChunks)
        {
            throw new InvalidOperationException("Overlay arena is full.");
        }

        // No references inside T (rows of numbers), so uninitialized memory is safe: every
        // item is written before anything that leads to it is published.
        T[] chunk = RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? new T[(1 << k) << FirstBits] : GC.AllocateUninitializedArray<T>((1 << k) << FirstBits);
        _bytes += (long)chunk.Length * Unsafe.SizeOf<T>();
        Volatile.Write(ref _chunks[k], chunk);
        return chunk;
    }
}
