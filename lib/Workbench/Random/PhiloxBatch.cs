using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Workbench.Random;

/// <summary>
/// The first words of many consecutive entities' streams, computed together: the Philox4x32-10 blocks of
/// entities <c>first, first+1, …</c> share every counter word but the entity index, so eight (AVX2) or sixteen
/// (AVX-512) entities go through the ten rounds at once. Word <c>w</c> of entity <c>first + e</c> is written to
/// <c>words[w·stride + e]</c> (slot-major: one slot of every entity is contiguous, ready for vector transforms)
/// and equals the <c>w</c>-th <see cref="RandomStream.NextUInt32"/> of <c>new RandomStream(seed, streamId, first + e)</c>.
/// The vector paths and the scalar fallback give identical words.
/// </summary>
internal static class PhiloxBatch
{
    private const uint M0 = Philox.M0, M1 = Philox.M1, W0 = Philox.W0, W1 = Philox.W1;

    /// <summary>Fills <paramref name="words"/> with the first <paramref name="wordCount"/> words (a multiple of 4) of <paramref name="count"/> streams.</summary>
    public static void Fill(ulong seed, uint streamId, ulong first, int count, int wordCount, Span<uint> words, int stride) =>
        Fill(seed, streamId, first, count, wordCount, words, stride, maxLanes: 16);

    /// <summary>As the public call, with the widest path capped at <paramref name="maxLanes"/> (16, 8 or 1) so tests can compare every path.</summary>
    internal static void Fill(ulong seed, uint streamId, ulong first, int count, int wordCount, Span<uint> words, int stride, int maxLanes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (wordCount <= 0 || wordCount % 4 != 0) throw new ArgumentOutOfRangeException(nameof(wordCount), wordCount, "wordCount must be a positive multiple of 4.");
        if (stride < count) throw new ArgumentOutOfRangeException(nameof(stride), stride, $"stride must be at least count ({count}).");
        if (count == 0) return;
        if ((long)(wordCount - 1) * stride + count > words.Length)
            throw new ArgumentException($"words holds {words.Length}; {(long)(wordCount - 1) * stride + count} are needed.", nameof(words));
        ulong key = Seeds.Mix(seed);
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        int e = 0;
        if (maxLanes >= 16 && Avx512F.IsSupported)
            for (; e + 16 <= count; e += 16) Fill16(k0, k1, streamId, first + (ulong)e, wordCount, words, stride, e);
        else if (maxLanes >= 8 && Avx2.IsSupported)
            for (; e + 8 <= count; e += 8) Fill8(k0, k1, streamId, first + (ulong)e, wordCount, words, stride, e);
        for (; e < count; e++)
        {
            ulong index = first + (ulong)e;
            for (int b = 0; b < wordCount / 4; b++)
            {
                uint c0 = (uint)b, c1 = streamId, c2 = (uint)index, c3 = (uint)(index >> 32);
                Philox.Block(ref c0, ref c1, ref c2, ref c3, k0, k1);
                words[(4 * b) * stride + e] = c0; words[(4 * b + 1) * stride + e] = c1;
                words[(4 * b + 2) * stride + e] = c2; words[(4 * b + 3) * stride + e] = c3;
            }
        }
    }

    // Fill16 and Fill8 are the same ten rounds on Vector512 and Vector256: the 32×32→64-bit multiply (vpmuludq) is
    // only reachable through the width-specific Avx512F/Avx2 classes, so the two widths are written out.
    // Each 64-bit lane carries one 32-bit Philox word in its low half. The multiply reads only the low halves and the
    // final narrowing keeps only them, so the high halves may hold anything: the low products go on unmasked.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Fill16(uint k0, uint k1, uint streamId, ulong index, int wordCount, Span<uint> words, int stride, int e)
    {
        var lane = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
        var ia = Vector512.Create(index) + lane; var ib = ia + Vector512.Create(8UL);
        var low = Vector512.Create(0xFFFF_FFFFUL);
        var a2 = ia & low; var a3 = Vector512.ShiftRightLogical(ia, 32);
        var b2 = ib & low; var b3 = Vector512.ShiftRightLogical(ib, 32);
        var m0 = Vector512.Create((ulong)M0).AsUInt32(); var m1 = Vector512.Create((ulong)M1).AsUInt32();
        var s = Vector512.Create((ulong)streamId);
        ref uint w0 = ref MemoryMarshal.GetReference(words); // Fill checked that every row's slots fit
        for (int b = 0; b < wordCount / 4; b++)
        {
            Vector512<ulong> x0 = Vector512.Create((ulong)(uint)b), x1 = s, x2 = a2, x3 = a3;
            Vector512<ulong> y0 = x0, y1 = s, y2 = b2, y3 = b3;
            uint r0 = k0, r1 = k1;
            for (int r = 0; r < 10; r++)
            {
                var kk0 = Vector512.Create((ulong)r0); var kk1 = Vector512.Create((ulong)r1);
                var p0 = Avx512F.Multiply(x0.AsUInt32(), m0); var p1 = Avx512F.Multiply(x2.AsUInt32(), m1);
                var q0 = Avx512F.Multiply(y0.AsUInt32(), m0); var q1 = Avx512F.Multiply(y2.AsUInt32(), m1);
                x0 = Vector512.ShiftRightLogical(p1, 32) ^ x1 ^ kk0; x2 = Vector512.ShiftRightLogical(p0, 32) ^ x3 ^ kk1;
                y0 = Vector512.ShiftRightLogical(q1, 32) ^ y1 ^ kk0; y2 = Vector512.ShiftRightLogical(q0, 32) ^ y3 ^ kk1;
                x1 = p1; x3 = p0; y1 = q1; y3 = q0;
                r0 += W0; r1 += W1;
            }
            Vector512.Narrow(x0, y0).StoreUnsafe(ref w0, (nuint)((4 * b) * stride + e));
            Vector512.Narrow(x1, y1).StoreUnsafe(ref w0, (nuint)((4 * b + 1) * stride + e));
            Vector512.Narrow(x2, y2).StoreUnsafe(ref w0, (nuint)((4 * b + 2) * stride + e));
            Vector512.Narrow(x3, y3).StoreUnsafe(ref w0, (nuint)((4 * b + 3) * stride + e));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Fill8(uint k0, uint k1, uint streamId, ulong index, int wordCount, Span<uint> words, int stride, int e)
    {
        var lane = Vector256.Create(0UL, 1, 2, 3);
        var ia = Vector256.Create(index) + lane; var ib = ia + Vector256.Create(4UL);
        var low = Vector256.Create(0xFFFF_FFFFUL);
        var a2 = ia & low; var a3 = Vector256.ShiftRightLogical(ia, 32);
        var b2 = ib & low; var b3 = Vector256.ShiftRightLogical(ib, 32);
        var m0 = Vector256.Create((ulong)M0).AsUInt32(); var m1 = Vector256.Create((ulong)M1).AsUInt32();
        var s = Vector256.Create((ulong)streamId);
        ref uint w0 = ref MemoryMarshal.GetReference(words); // Fill checked that every row's slots fit
        for (int b = 0; b < wordCount / 4; b++)
        {
            Vector256<ulong> x0 = Vector256.Create((ulong)(uint)b), x1 = s, x2 = a2, x3 = a3;
            Vector256<ulong> y0 = x0, y1 = s, y2 = b2, y3 = b3;
            uint r0 = k0, r1 = k1;
            for (int r = 0; r < 10; r++)
            {
                var kk0 = Vector256.Create((ulong)r0); var kk1 = Vector256.Create((ulong)r1);
                var p0 = Avx2.Multiply(x0.AsUInt32(), m0); var p1 = Avx2.Multiply(x2.AsUInt32(), m1);
                var q0 = Avx2.Multiply(y0.AsUInt32(), m0); var q1 = Avx2.Multiply(y2.AsUInt32(), m1);
                x0 = Vector256.ShiftRightLogical(p1, 32) ^ x1 ^ kk0; x2 = Vector256.ShiftRightLogical(p0, 32) ^ x3 ^ kk1;
                y0 = Vector256.ShiftRightLogical(q1, 32) ^ y1 ^ kk0; y2 = Vector256.ShiftRightLogical(q0, 32) ^ y3 ^ kk1;
                x1 = p1; x3 = p0; y1 = q1; y3 = q0;
                r0 += W0; r1 += W1;
            }
            Vector256.Narrow(x0, y0).StoreUnsafe(ref w0, (nuint)((4 * b) * stride + e));
            Vector256.Narrow(x1, y1).StoreUnsafe(ref w0, (nuint)((4 * b + 1) * stride + e));
            Vector256.Narrow(x2, y2).StoreUnsafe(ref w0, (nuint)((4 * b + 2) * stride + e));
            Vector256.Narrow(x3, y3).StoreUnsafe(ref w0, (nuint)((4 * b + 3) * stride + e));
        }
    }
}
