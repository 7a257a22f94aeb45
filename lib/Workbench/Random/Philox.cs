using System.Runtime.CompilerServices;

namespace Workbench.Random;

/// <summary>
/// The Philox4x32-10 counter-based block function (Salmon, Moraes, Dror &amp; Shaw 2011,
/// "Parallel random numbers: as easy as 1, 2, 3", SC'11). A 128-bit counter and a 64-bit key
/// map to 128 random bits; there is no hidden state, so any entity's stream can be computed
/// from (seed, stream id, entity index) on any thread. Known-answer tests against the
/// Random123 reference vectors are in tests/Workbench.Tests/Random.
/// </summary>
public static class Philox
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>Ten rounds of Philox4x32 on counter (c0..c3) with key (k0, k1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block(ref uint c0, ref uint c1, ref uint c2, ref uint c3, uint k0, uint k1)
    {
        uint x0 = c0, x1 = c1, x2 = c2, x3 = c3;
        for (int r = 0; r < 10; r++)
        {
            ulong p0 = (ulong)M0 * x0;
            ulong p1 = (ulong)M1 * x2;
            uint hi0 = (uint)(p0 >> 32), lo0 = (uint)p0;
            uint hi1 = (uint)(p1 >> 32), lo1 = (uint)p1;
            uint y0 = hi1 ^ x1 ^ k0;
            uint y1 = lo1;
            uint y2 = hi0 ^ x3 ^ k1;
            uint y3 = lo0;
            x0 = y0; x1 = y1; x2 = y2; x3 = y3;
            k0 += W0; k1 += W1;
        }
        c0 = x0; c1 = x1; c2 = x2; c3 = x3;
    }
}

/// <summary>
/// Seed derivation. A run owns one master seed; replicates, scenarios and modules derive
/// their own seeds from it by hashing a path of integers with SplitMix64 (Steele, Lea &amp;
/// Flood 2014), so seeds never collide by accident and never depend on thread scheduling.
/// </summary>
public static class Seeds
{
    /// <summary>The seed used when a public entry point receives <c>null</c>: 2018, the year of the International IDEA primer.</summary>
    public const int Default = 2018;

    /// <summary>The seed to use for an optional seed argument.</summary>
    public static ulong Resolve(int? seed) => unchecked((ulong)(long)(seed ?? Default));

    /// <summary>SplitMix64 finaliser: a bijective 64-bit mix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Derives a child seed from a parent seed and a path of identifiers (replicate, scenario, ...).</summary>
    public static ulong Derive(ulong parent, params ulong[] path)
    {
        ulong h = Mix(parent);
        foreach (var p in path) h = Mix(h ^ Mix(p + 0x632BE59BD9B4E019UL));
        return h;
    }

    /// <summary>A derived seed folded into the non-negative <see cref="int"/> range, for APIs and files that carry seeds as integers.</summary>
    public static int DeriveInt(ulong parent, params ulong[] path) => (int)(Derive(parent, path) & 0x7FFFFFFF);
}
