using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Workbench.Random;

/// <summary>
/// Single-precision exp, log, logistic and standard-normal quantile for bulk generation (sixteen values per call
/// on <see cref="Vector512{T}"/> — one AVX-512 register where the processor has them, otherwise .NET runs each
/// operation on two 256-bit halves — or one). Written with IEEE add, multiply, divide, square root, floor and
/// integer bit operations only — no fused multiply-add and no C runtime call — so a value is the same bits on
/// every processor, for the scalar and the vector call, and whatever the thread count.
/// Exp and log are the Cephes single-precision algorithms (Moshier 1989, "Methods and Programs for Mathematical
/// Functions"; relative error about 1e-7); the normal quantile is √2·erfinv(2u−1) with the single-precision
/// erfinv of Giles (2012, "Approximating the erfinv function", GPU Computing Gems Jade, ch. 10; relative error
/// below 4e-7). Tests compare every function with double precision over its range.
/// </summary>
internal static class FloatMath
{
    private const float Log2E = 1.44269504088896341f, C1 = 0.693359375f, C2 = -2.12194440e-4f;

    /// <summary>e^x (x clamped to [−87.3, 88.3], where the result stays a normal float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87.3f)), Vector512.Create(88.3f));
        var fx = Vector512.Floor(x * Vector512.Create(Log2E) + Vector512.Create(0.5f));
        x = x - fx * Vector512.Create(C1);
        x = x - fx * Vector512.Create(C2);
        var z = x * x;
        var y = Vector512.Create(1.9875691500E-4f);
        y = y * x + Vector512.Create(1.3981999507E-3f);
        y = y * x + Vector512.Create(8.3334519073E-3f);
        y = y * x + Vector512.Create(4.1665795894E-2f);
        y = y * x + Vector512.Create(1.6666665459E-1f);
        y = y * x + Vector512.Create(5.0000001201E-1f);
        y = y * z + x + Vector512<float>.One;
        var n = Vector512.ConvertToInt32(fx);
        var pow2 = Vector512.ShiftLeft(n + Vector512.Create(127), 23).AsSingle();
        return y * pow2;
    }

    /// <summary>Natural logarithm of a positive normal float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x)
    {
        var bits = x.AsInt32();
        var e = Vector512.ShiftRightArithmetic(bits, 23) - Vector512.Create(126);
        var m = ((bits & Vector512.Create(0x007FFFFF)) | Vector512.Create(0x3F000000)).AsSingle(); // [0.5, 1)
        var small = Vector512.LessThan(m, Vector512.Create(0.707106781186547524f));
        var ef = Vector512.ConvertToSingle(e) - (small.AsSingle() & Vector512<float>.One);
        var f = Vector512.ConditionalSelect(small, m + m, m) - Vector512<float>.One;
        var z = f * f;
        var y = Vector512.Create(7.0376836292E-2f);
        y = y * f - Vector512.Create(1.1514610310E-1f);
        y = y * f + Vector512.Create(1.1676998740E-1f);
        y = y * f - Vector512.Create(1.2420140846E-1f);
        y = y * f + Vector512.Create(1.4249322787E-1f);
        y = y * f - Vector512.Create(1.6668057665E-1f);
        y = y * f + Vector512.Create(2.0000714765E-1f);
        y = y * f - Vector512.Create(2.4999993993E-1f);
        y = y * f + Vector512.Create(3.3333331174E-1f);
        y = y * f * z;
        y = y + ef * Vector512.Create(C2);
        y = y - Vector512.Create(0.5f) * z;
        return f + y + ef * Vector512.Create(C1);
    }

    /// <summary>The logistic function 1/(1 + e^−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Logistic(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Exp(-x));

    /// <summary>The standard normal quantile Φ⁻¹(u) for u in the open interval (0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NormalQuantile(Vector512<float> u)
    {
        // erfinv(x) with x = 2u − 1; −log((1−x)(1+x)) = −log(4u(1−u)), computed without cancellation.
        var x = u + u - Vector512<float>.One;
        var w = -Log(Vector512.Create(4f) * u * (Vector512<float>.One - u));
        var c = w - Vector512.Create(2.5f);
        var p = Vector512.Create(2.81022636e-08f);
        p = p * c + Vector512.Create(3.43273939e-07f);
        p = p * c + Vector512.Create(-3.5233877e-06f);
        p = p * c + Vector512.Create(-4.39150654e-06f);
        p = p * c + Vector512.Create(0.00021858087f);
        p = p * c + Vector512.Create(-0.00125372503f);
        p = p * c + Vector512.Create(-0.00417768164f);
        p = p * c + Vector512.Create(0.246640727f);
        p = p * c + Vector512.Create(1.50140941f);
        var central = Vector512.LessThan(w, Vector512.Create(5f));
        if (Vector512.EqualsAll(central.AsInt32(), Vector512<int>.AllBitsSet)) return p * x * Vector512.Create(1.41421356237309505f);
        var t = Vector512.Sqrt(w) - Vector512.Create(3f);
        var q = Vector512.Create(-0.000200214257f);
        q = q * t + Vector512.Create(0.000100950558f);
        q = q * t + Vector512.Create(0.00134934322f);
        q = q * t + Vector512.Create(-0.00367342844f);
        q = q * t + Vector512.Create(0.00573950773f);
        q = q * t + Vector512.Create(-0.0076224613f);
        q = q * t + Vector512.Create(0.00943887047f);
        q = q * t + Vector512.Create(1.00167406f);
        q = q * t + Vector512.Create(2.83297682f);
        var r = Vector512.ConditionalSelect(central, p, q);
        return r * x * Vector512.Create(1.41421356237309505f);
    }

    /// <summary>e^x; the same bits as lane 0 of the vector call.</summary>
    public static float Exp(float x) => Exp(Vector512.Create(x)).ToScalar();
    /// <summary>Natural logarithm; the same bits as the vector call.</summary>
    public static float Log(float x) => Log(Vector512.Create(x)).ToScalar();
    /// <summary>The logistic function; the same bits as the vector call.</summary>
    public static float Logistic(float x) => Logistic(Vector512.Create(x)).ToScalar();
    /// <summary>Φ⁻¹(u) for u in (0, 1); the same bits as the vector call.</summary>
    public static float NormalQuantile(float u) => NormalQuantile(Vector512.Create(u)).ToScalar();

    /// <summary>A uniform float in [0, 1) from the top 24 bits of a random word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Uniform(uint word) => (word >> 8) * (1f / 16777216f);

    /// <summary>A uniform float in the open interval (0, 1) from the top 23 bits of a random word (exact: (k + ½)·2⁻²³).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float OpenUniform(uint word) => ((word >> 9) + 0.5f) * (1f / 8388608f);

    /// <summary>Sixteen open uniforms from sixteen words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> OpenUniform(Vector512<uint> words) =>
        (Vector512.ConvertToSingle(Vector512.ShiftRightLogical(words, 9).AsInt32()) + Vector512.Create(0.5f)) * Vector512.Create(1f / 8388608f);

    /// <summary>Sixteen halves (their 16 bits in each lane) widened to float exactly: lane for lane <c>(float)h</c>
    /// (NaNs stay NaN with their payload; F. Giesen's half_to_float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> HalfBitsToSingle(Vector512<uint> h)
    {
        var o = Vector512.ShiftLeft(h & Vector512.Create(0x7FFFu), 13);
        var exp = o & Vector512.Create(0x0F80_0000u);
        o += Vector512.Create((127u - 15u) << 23);
        var infNan = Vector512.Equals(exp, Vector512.Create(0x0F80_0000u));
        var subnormal = Vector512.Equals(exp, Vector512<uint>.Zero);
        var oInfNan = o + Vector512.Create((128u - 16u) << 23);
        var oSubnormal = ((o + Vector512.Create(1u << 23)).AsSingle() - Vector512.Create(6.103515625e-05f)).AsUInt32(); // 2^-14
        o = Vector512.ConditionalSelect(infNan, oInfNan, Vector512.ConditionalSelect(subnormal, oSubnormal, o));
        return (o | Vector512.ShiftLeft(h & Vector512.Create(0x8000u), 16)).AsSingle();
    }

    /// <summary>Sixteen floats rounded to the nearest <see cref="Half"/> (ties to even), as their 16 bits in each lane:
    /// lane for lane the bits of <see cref="ToHalf(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> ToHalfBits(Vector512<float> x)
    {
        var f = x.AsUInt32();
        var sign = f & Vector512.Create(0x8000_0000u);
        f ^= sign;
        var fi = f.AsInt32(); // sign cleared: signed comparisons are unsigned ones
        var big = Vector512.GreaterThanOrEqual(fi, Vector512.Create(0x4780_0000)).AsUInt32();
        var nan = Vector512.GreaterThan(fi, Vector512.Create(0x7F80_0000)).AsUInt32();
        var small = Vector512.LessThan(fi, Vector512.Create(0x3880_0000)).AsUInt32();
        var oBig = Vector512.ConditionalSelect(nan, Vector512.Create(0x7E00u), Vector512.Create(0x7C00u));
        var oSmall = (f.AsSingle() + Vector512.Create(0.5f)).AsUInt32() - Vector512.Create(0x3F00_0000u);
        var odd = Vector512.ShiftRightLogical(f, 13) & Vector512<uint>.One;
        var oNormal = Vector512.ShiftRightLogical(f + Vector512.Create(unchecked((uint)((15 - 127) << 23)) + 0xFFFu) + odd, 13);
        var o = Vector512.ConditionalSelect(big, oBig, Vector512.ConditionalSelect(small, oSmall, oNormal));
        return o | Vector512.ShiftRightLogical(sign, 16);
    }

    /// <summary>
    /// A float rounded to the nearest <see cref="Half"/> (ties to even) by integer operations — the same value as
    /// <c>(Half)x</c>, several times faster (F. Giesen's float_to_half_fast3_rtne).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Half ToHalf(float x)
    {
        uint f = BitConverter.SingleToUInt32Bits(x);
        uint sign = f & 0x8000_0000u;
        f ^= sign;
        uint o;
        if (f >= 0x4780_0000u) o = f > 0x7F80_0000u ? 0x7E00u : 0x7C00u; // ≥ 65536, infinity or NaN
        else if (f < 0x3880_0000u) // below the smallest normal half: subnormal or zero
        {
            const float magic = 0.5f; // ((127 − 15) + (23 − 10) + 1) << 23
            o = BitConverter.SingleToUInt32Bits(BitConverter.UInt32BitsToSingle(f) + magic) - 0x3F00_0000u;
        }
        else
        {
            uint odd = (f >> 13) & 1;
            f += unchecked((uint)((15 - 127) << 23)) + 0xFFFu + odd;
            o = f >> 13;
        }
        return BitConverter.UInt16BitsToHalf((ushort)(o | (sign >> 16)));
    }
}
