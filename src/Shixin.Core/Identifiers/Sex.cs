namespace Shixin.Core.Identifiers;

/// <summary>Sex as encoded in a resident ID number; values follow GB/T 2261.1 (1 男, 2 女).</summary>
public enum Sex
{
    /// <summary>男: odd sequence code (GB 11643-1999; LEGAL.md §6.1).</summary>
    Male = 1,

    /// <summary>女: even sequence code.</summary>
    Female = 2,
}
