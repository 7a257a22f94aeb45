using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Workbench.Random;

/// <summary>
/// The Philox4x32-10 counter-based block function (Salmon, Moraes, Dror &amp; Shaw 2011,
/// "Parallel random numbers: as easy as 1, 2, 3", SC'11). A 128-bit counter and a 64-bit key
/// map to 128 random bits; there is no hidden state, so any entity's stream can be computed
/// from (seed, stream id, entity index) on any thread. Known-answer tests against the
/// Random123 reference vectors are in tests/Workbench.Tests/Random.
/// </summary>
internal static class Philox
{
    /// <summary>The round multipliers and key increments (Weyl constants) of Philox4x32.</summary>
    internal const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>Ten rounds of Philox4x32 on counter (c0..c3) with key (k0, k1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block(ref uint c0, ref uint c1, ref uint c2, ref uint c3, uint k0, uint k1)
    {
        uint x0 = c0, x1 = c1, x2 = c2, x3 = c3;
        // Ten rounds, unrolled (the JIT does not unroll the loop; the rounds are a dependent chain of multiplies).
        Round(ref x0, ref x1, ref x2, ref x3, k0, k1); k0 += W0; k1 += W1;
        Round(ref x0, ref x1, ref x2, ref x3, k0, k1); k0 += W0; k1 += W1;
        Round(ref x0, ref x1, ref x2, ref x3, k0, k1); k0 += W0; k1 += W1;
        Round(ref x0, ref x1, ref x2, ref x3, k0, k1); k0 += W0; k1 += W1;
        Round(ref x0, ref x1, ref x2, ref x3, k0, k1); k0 += W0; k1 += W1;
        Round(ref x0, ref x1, ref x2, ref x3, k0, k1); k0 += W0; k1 += W1;
        Round(ref x0, ref x1, ref x2, ref x3, k0, k1); k0 += W0; k1 += W1;
        Round(ref x0, ref x1, ref x2, ref x3, k0, k1); k0 += W0; k1 += W1;
        Round(ref x0, ref x1, ref x2, ref x3, k0, k1); k0 += W0; k1 += W1;
        Round(ref x0, ref x1, ref x2, ref x3, k0, k1);
        c0 = x0; c1 = x1; c2 = x2; c3 = x3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref uint x0, ref uint x1, ref uint x2, ref uint x3, uint k0, uint k1)
    {
        ulong p0 = (ulong)M0 * x0;
        ulong p1 = (ulong)M1 * x2;
        uint y0 = (uint)(p1 >> 32) ^ x1 ^ k0, y2 = (uint)(p0 >> 32) ^ x3 ^ k1;
        x1 = (uint)p1; x3 = (uint)p0; x0 = y0; x2 = y2;
    }

    /// <summary>
    /// Four consecutive blocks: counters (c0 + b, c1, c2, c3) for b = 0..3, written as 16 words, block by block
    /// (identical to four <see cref="Block"/> calls). Uses AVX2 when available.
    /// </summary>
    public static void Block4(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, Span<uint> output)
    {
        if (output.Length < 16) throw new ArgumentException("Need 16 words.", nameof(output));
        if (Avx2.IsSupported)
        {
            // One 64-bit lane per block; each lane holds a 32-bit word in its low half.
            var x0 = Vector256.Create((ulong)c0, (ulong)(c0 + 1), (ulong)(c0 + 2), (ulong)(c0 + 3));
            var x1 = Vector256.Create((ulong)c1);
            var x2 = Vector256.Create((ulong)c2);
            var x3 = Vector256.Create((ulong)c3);
            var m0 = Vector256.Create((ulong)M0).AsUInt32();
            var m1 = Vector256.Create((ulong)M1).AsUInt32();
            var low = Vector256.Create(0xFFFF_FFFFUL);
            for (int r = 0; r < 10; r++)
            {
                var p0 = Avx2.Multiply(x0.AsUInt32(), m0); // low 32 bits of each lane × M0 → 64-bit products
                var p1 = Avx2.Multiply(x2.AsUInt32(), m1);
                var y0 = Vector256.ShiftRightLogical(p1, 32) ^ x1 ^ Vector256.Create((ulong)k0);
                var y2 = Vector256.ShiftRightLogical(p0, 32) ^ x3 ^ Vector256.Create((ulong)k1);
                x1 = p1 & low; x3 = p0 & low; x0 = y0; x2 = y2;
                k0 += W0; k1 += W1;
            }
            for (int b = 0; b < 4; b++)
            {
                output[4 * b] = (uint)x0.GetElement(b); output[4 * b + 1] = (uint)x1.GetElement(b);
                output[4 * b + 2] = (uint)x2.GetElement(b); output[4 * b + 3] = (uint)x3.GetElement(b);
            }
            return;
        }
        for (uint b = 0; b < 4; b++)
        {
            uint a0 = c0 + b, a1 = c1, a2 = c2, a3 = c3;
            Block(ref a0, ref a1, ref a2, ref a3, k0, k1);
            output[(int)(4 * b)] = a0; output[(int)(4 * b + 1)] = a1; output[(int)(4 * b + 2)] = a2; output[(int)(4 * b + 3)] = a3;
        }
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

    /// <summary>
    /// The 64-bit stream seed of a public <c>int? seed</c> argument: <c>null</c> means <see cref="Default"/>; any other
    /// value is sign-extended to 64 bits, exactly as the C# cast <c>(ulong)seed</c> does, so 0 → 0, 1 → 1,
    /// 2018 → 2018 and −1 → 0xFFFFFFFFFFFFFFFF. Every <see cref="int"/> maps to its own 64-bit seed (no two collide),
    /// and a non-negative seed keeps its value, so a run seeded 7 draws exactly what the stream seed 7 draws.
    /// </summary>
    /// <remarks>
    /// Public entry points take <c>int? seed</c> and convert it here, once; the library passes 64-bit seeds derived
    /// with <see cref="Derive"/> internally.
    /// </remarks>
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
