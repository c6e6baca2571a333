using System.Runtime.InteropServices;

namespace Shixin.Screening;

/// <summary>Through which role a subject is linked to a list entry (stored in 4 bits).</summary>
public enum SubjectRole : byte
{
    /// <summary>The judgment debtor itself.</summary>
    Debtor = 0,
    /// <summary>Legal representative of an organization debtor.</summary>
    LegalRepresentative = 1,
    /// <summary>Principal (主要负责人).</summary>
    Principal = 2,
    /// <summary>Actual controller (实际控制人).</summary>
    ActualController = 3,
    /// <summary>Directly responsible person (直接责任人员).</summary>
    ResponsiblePerson = 4,
    /// <summary>Director.</summary>
    Director = 5,
    /// <summary>Supervisor.</summary>
    Supervisor = 6,
    /// <summary>Senior manager.</summary>
    SeniorManager = 7,
}

/// <summary>Whether the debtor of an entry is a natural person or an organization.</summary>
public enum DebtorKind : byte
{
    /// <summary>Natural person.</summary>
    Person = 0,
    /// <summary>Organization.</summary>
    Organization = 1,
}

/// <summary>What an <see cref="Exemption"/> does to a measure.</summary>
public enum ExemptionKind : byte
{
    /// <summary>A court permission: humanitarian lifting of a flight/rail restriction, or an approved private purchase.</summary>
    CourtPermission = 0,
    /// <summary>The measure is suspended while an objection is verified.</summary>
    ObjectionSuspension = 1,
}

/// <summary>
/// A per-subject, time-boxed exemption from one measure (or category) of an entry.
/// The window is [ValidFromTicks, ValidToTicks) in UTC ticks.
/// </summary>
public readonly record struct Exemption(
    SubjectKey Subject,
    int MeasureCode,
    ExemptionKind Kind,
    long ValidFromTicks,
    long ValidToTicks)
{
    /// <summary>True when the exemption covers the instant.</summary>
    public bool IsValidAt(long atTicks) => ValidFromTicks <= atTicks && atTicks < ValidToTicks;
}

/// <summary>
/// One key of an entry. A document bound to a listed person's ID (a passport) carries the
/// role of that ID, <see cref="ViaDocument"/> = true and the ID in <see cref="BoundTo"/>
/// (used to extend the ID's exemptions to the document).
/// </summary>
public readonly record struct EntrySubject(
    SubjectKey Key,
    SubjectRole Role,
    bool ViaDocument = false,
    SubjectKey BoundTo = default);

/// <summary>
/// The screening-relevant state of one list entry, as of some ledger sequence. Applying it
/// replaces whatever the index held for <see cref="ExternalId"/>.
/// </summary>
public sealed record EntryProjection(
    long ExternalId,
    bool Active,
    DebtorKind DebtorKind,
    IReadOnlyList<EntrySubject> Subjects,
    IReadOnlyList<Exemption>? Exemptions = null);

/// <summary>
/// One hit of a lookup (16 bytes). <see cref="EntryOrdinal"/> is only meaningful inside the
/// <see cref="ScreeningSnapshot"/> that produced it; <see cref="ExternalId"/> is stable.
/// Only active entries are ever returned.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct IndexHit(
    long ExternalId,
    int EntryOrdinal,
    SubjectRole Role,
    IndexHitFlags Flags)
{
    /// <summary>The key is a document bound to the listed ID, not the ID itself.</summary>
    public bool ViaDocument => (Flags & IndexHitFlags.ViaDocument) != 0;

    /// <summary>The entry carries exemptions; read them with <see cref="ScreeningSnapshot.GetExemptions"/>.</summary>
    public bool HasExemptions => (Flags & IndexHitFlags.HasExemptions) != 0;

    /// <summary>The entry's debtor kind.</summary>
    public DebtorKind DebtorKind => (Flags & IndexHitFlags.Organization) != 0 ? DebtorKind.Organization : DebtorKind.Person;
}

/// <summary>Bits of an <see cref="IndexHit"/>.</summary>
[Flags]
public enum IndexHitFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>Hit through a document bound to the listed ID.</summary>
    ViaDocument = 1,
    /// <summary>The entry has exemptions.</summary>
    HasExemptions = 2,
    /// <summary>The debtor is an organization.</summary>
    Organization = 4,
}

/// <summary>Size and freshness of an index, for gauges.</summary>
public readonly record struct ScreeningIndexStats(
    long Sequence,
    long Generation,
    int KeyCount,
    int EntryCount,
    int BaseKeyCount,
    int OverlayEntryCount,
    long ApproximateBytes)
{
    /// <summary>Approximate bytes per key (index row).</summary>
    public double BytesPerKey => KeyCount == 0 ? 0 : (double)ApproximateBytes / KeyCount;
}

/// <summary>Tuning of a <see cref="ScreeningIndex"/>.</summary>
public sealed record ScreeningIndexOptions
{
    /// <summary>Overlay entries at which the overlay is merged into a new base. 0 = automatic (max(131,072, base entries / 8): at 10 million entries a merge every 1.25 million changes, ~200 MB of overlay at most).</summary>
    public int MergeThreshold { get; init; }

    /// <summary>Merge on a background thread (reads and deltas continue meanwhile); otherwise the writer merges inline.</summary>
    public bool BackgroundMerge { get; init; } = true;
}
