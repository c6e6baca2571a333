namespace Shixin.Screening;

/// <summary>
/// The in-memory screening index of one node. Many readers, one writer (the ledger follower):
/// readers take the published <see cref="Current"/> snapshot without locking; the writer
/// builds the next snapshot beside it and publishes it with one reference write.
/// </summary>
public sealed class ScreeningIndex
{
    private readonly ScreeningIndexOptions _options;
    private ScreeningSnapshot _current;
    private int _writing;

    // Writer-only state of a background merge: the merge result is missing the changes applied
    // since it started (the entry rows of the merged overlay from _replayFrom on); those are
    // replayed onto it when it is installed.
    private Task<BaseGeneration>? _merge;
    private Overlay? _merging;
    private int _replayFrom;

    internal ScreeningIndex(BaseGeneration b, long sequence, ScreeningIndexOptions options)
    {
        _options = options;
        _current = new ScreeningSnapshot(b, new Overlay(b), 0, sequence);
    }

    // Writer-only: the publish version of the last snapshot (stamps overlay versions).
    private long _version;
    /// <summary>An empty index at sequence 0.</summary>
    public static ScreeningIndex CreateEmpty(ScreeningIndexOptions? options = null) => new(BaseGeneration.Empty, 0, options ?? new ScreeningIndexOptions());

    /// <summary>The latest published snapshot (never blocks).</summary>
    public ScreeningSnapshot Current => Volatile.Read(ref _current);

    /// <summary>The ledger sequence the index reflects.</summary>
    public long Sequence => Current.Sequence;

    /// <summary>Index rows (key → entry links) of active entries.</summary>
    public int KeyCount => Current.KeyCount;

    /// <summary>Approximate memory held by the index.</summary>
    public long ApproximateBytes => Current.ApproximateBytes;

    /// <summary>Size and freshness figures.</summary>
    public ScreeningIndexStats Stats => Current.Stats;

    /// <summary>True while a background merge runs.</summary>
    public bool MergeInProgress => _merge is { IsCompleted: false };

    /// <summary>Looks a key up in the current snapshot; see <see cref="ScreeningSnapshot.Lookup"/>.</summary>
    public int Lookup(in SubjectKey key, Span<IndexHit> destination) => Current.Lookup(key, destination);

    /// <summary>
    /// Applies entry upserts (listing, amendment, exit = inactive) up to a ledger sequence and
    /// publishes the result atomically. Call with no changes to advance the sequence or to
    /// install a finished background merge. Single writer only.
    /// </summary>
    public void Apply(IReadOnlyList<EntryProjection> changes, long throughSequence)
    {
        EnterWriter();
        try
        {
            ScreeningSnapshot current = _current;
            ArgumentOutOfRangeException.ThrowIfLessThan(throughSequence, current.Sequence);

            // Validate everything first: once the overlay is touched nothing may throw.
            int n = changes.Count;
            for (int i = 0; i < n; i++)
            {
                Projections.Validate(changes[i]);
            }

            long version = ++_version;
            BaseGeneration b = current.Base;
            Overlay overlay = current.Overlay;
            if (_merge is { IsCompleted: true })
            {
                (b, overlay) = InstallMerge(version);
            }

            overlay.Upsert(b, changes, version);

            if (_merge is null && overlay.ChangedEntries >= Threshold(b))
            {
                if (_options.BackgroundMerge)
                {
                    BaseGeneration frozenBase = b;
                    Overlay frozen = overlay;
                    _merging = overlay;
                    _replayFrom = overlay.EntryRowCount;
                    _merge = Task.Run(() => Merger.Merge(frozenBase, frozen, version, frozenBase.Number + 1));
                }
                else
                {
                    b = Merger.Merge(b, overlay, version, b.Number + 1);
                    overlay = new Overlay(b);
                }
            }

            Volatile.Write(ref _current, new ScreeningSnapshot(b, overlay, version, throughSequence));
        }
        finally
        {
            ExitWriter();
        }
    }

    /// <summary>Folds every pending change into a fresh base now (waits for a running merge). Single writer only.</summary>
    public void Compact()
    {
        EnterWriter();
        try
        {
            ScreeningSnapshot current = _current;
            long version = ++_version;
            BaseGeneration b = current.Base;
            Overlay overlay = current.Overlay;
            if (_merge is not null)
            {
                ((IAsyncResult)_merge).AsyncWaitHandle.WaitOne();
                (b, overlay) = InstallMerge(version);
            }

            if (overlay.ChangedEntries != 0)
            {
                b = Merger.Merge(b, overlay, version, b.Number + 1);
                overlay = new Overlay(b);
            }

            Volatile.Write(ref _current, new ScreeningSnapshot(b, overlay, version, current.Sequence));
        }
        finally
        {
            ExitWriter();
        }
    }

    /// <summary>Takes the merged base and replays onto a fresh overlay what came after the merge began.</summary>
    private (BaseGeneration Base, Overlay Overlay) InstallMerge(long version)
    {
        Task<BaseGeneration> merge = _merge!;
        Overlay merged = _merging!;
        _merge = null;
        _merging = null;
        BaseGeneration b = merge.GetAwaiter().GetResult();
        var overlay = new Overlay(b);
        for (int row = _replayFrom, end = merged.EntryRowCount; row < end; row++)
        {
            overlay.Replay(b, merged, row, version);
        }

        return (b, overlay);
    }

    private int Threshold(BaseGeneration b) =>
        _options.MergeThreshold > 0 ? _options.MergeThreshold : Math.Max(131_072, b.EntryCount / 8);

    private void EnterWriter()
    {
        if (Interlocked.Exchange(ref _writing, 1) != 0)
        {
            throw new InvalidOperationException("ScreeningIndex has a single writer; Apply/Compact were called concurrently.");
        }
    }

    private void ExitWriter() => Volatile.Write(ref _writing, 0);
}
