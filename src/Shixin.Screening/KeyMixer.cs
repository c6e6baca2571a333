using System.Runtime.CompilerServices;

namespace Shixin.Screening;

/// <summary>
/// Bijective mixes of packed keys. Tables store the mixed value (not the raw one): it is
/// uniformly distributed, so its top bits pick a bucket, and being a bijection it still
/// identifies the key exactly.
/// </summary>
internal static class KeyMixer
{
    /// <summary>MurmurHash3 fmix64: xor-shifts and odd multiplications, both invertible.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix64(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        x ^= x >> 33;
        return x;
    }

    /// <summary>Three Feistel rounds over (high, low); each round is invertible.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt128 Mix128(ulong high, ulong low)
    {
        high ^= Mix64(low ^ 0x9E3779B97F4A7C15UL);
        low ^= Mix64(high ^ 0xD6E8FEB86659FD93UL);
        high ^= Mix64(low ^ 0xA0761D6478BD642FUL);
        return new UInt128(high, low);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt128 Mix128(in SubjectKey key) => Mix128(key.HighValue, key.Low);
}
