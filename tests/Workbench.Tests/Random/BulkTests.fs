module Workbench.Tests.Random.BulkTests

// The bulk-generation kernels behind the 10M-voter electorate: batched Philox words and
// single-precision exp/log/logistic/normal quantile. Each must equal its reference (word for word,
// bit for bit, or within a stated error against double precision) or the generator's output changes.

open System
open System.Runtime.Intrinsics
open Expecto
open Workbench.Random

/// The first n words of stream (seed, streamId, index), as RandomStream gives them.
let private streamWords (seed: uint64) (streamId: uint32) (index: uint64) n =
    let mutable r = RandomStream(seed, streamId, index)
    Array.init n (fun _ -> r.NextUInt32())

/// Standard normal CDF in double precision: the all-positive series Φ(x) = ½ + φ(x)·Σ x^(2n+1)/(2n+1)!!
/// for |x| < 3 and the Laplace continued fraction for the Mills ratio beyond (Abramowitz & Stegun 26.2.11
/// and 26.2.14); both are accurate to about 1e-15 relative here.
let private phi (x: float) = exp (-0.5 * x * x) / sqrt (2.0 * Math.PI)
let private cdf (x: float) =
    let a = abs x
    let upper =
        if a < 3.0 then
            let mutable term, sum, n = a, a, 0
            while term > 1e-17 * sum do
                n <- n + 1
                term <- term * a * a / float (2 * n + 1)
                sum <- sum + term
            0.5 - phi a * sum
        else
            let mutable f = a
            for k in 300 .. -1 .. 1 do f <- a + float k / f
            phi a / f
    if x >= 0.0 then 1.0 - upper else upper

/// Φ⁻¹(u) in double precision by bisection on cdf (60 halvings of [−7, 7]).
let private quantile (u: float) =
    let mutable lo, hi = -7.0, 7.0
    for _ in 1 .. 60 do
        let m = 0.5 * (lo + hi)
        if cdf m < u then lo <- m else hi <- m
    0.5 * (lo + hi)

let private bits (f: float32) = BitConverter.SingleToUInt32Bits f

/// 8 lanes through the vector call must be the same bits as 8 scalar calls.
let private sameBitsAsScalar (vf: Vector512<float32> -> Vector512<float32>) (sf: float32 -> float32) (xs: float32[]) =
    for i in 0 .. 16 .. xs.Length - 16 do
        let v = vf (Vector512.Create<float32>(xs.[i .. i + 15]))
        for l in 0 .. 15 do
            let s = sf xs.[i + l]
            if bits (v.GetElement l) <> bits s then
                failtestf "lane %d of x = %.9g: vector %.9g, scalar %.9g" l xs.[i + l] (v.GetElement l) s

[<Tests>]
let philoxBatch =
    testList "Random.PhiloxBatch" [
        // 16 lanes (AVX-512 where present), 8 lanes (AVX2) and the scalar loop must all give RandomStream's words,
        // including a batch that is not a multiple of the lane count and entity indices crossing 2^32.
        for lanes in [ 16; 8; 1 ] do
            for (first, count) in [ 0UL, 37; 123UL, 256; 0xFFFF_FFF0UL, 40; (1UL <<< 40) + 5UL, 19 ] do
                test $"{lanes}-lane path equals RandomStream (first {first}, {count} streams)" {
                    let wordCount, stride = 12, count + 3
                    let words = Array.zeroCreate<uint32> (wordCount * stride)
                    PhiloxBatch.Fill(20181UL, 5u, first, count, wordCount, Span<uint32>(words), stride, lanes)
                    for e in 0 .. count - 1 do
                        let expected = streamWords 20181UL 5u (first + uint64 e) wordCount
                        for w in 0 .. wordCount - 1 do
                            if words.[w * stride + e] <> expected.[w] then
                                failtestf "stream %d word %d: batch %08x, RandomStream %08x" (first + uint64 e) w words.[w * stride + e] expected.[w]
                    // The padding between slots is left alone.
                    for w in 0 .. wordCount - 1 do
                        for e in count .. stride - 1 do
                            Expect.equal words.[w * stride + e] 0u "padding untouched"
                }
        test "invalid arguments are refused with the argument named" {
            let words = Array.zeroCreate<uint32> 64
            let ex = Expect.throwsC (fun () -> PhiloxBatch.Fill(1UL, 1u, 0UL, 4, 6, Span<uint32>(words), 8)) id
            Expect.stringContains ex.Message "wordCount" "names wordCount"
            let ex2 = Expect.throwsC (fun () -> PhiloxBatch.Fill(1UL, 1u, 0UL, 8, 4, Span<uint32>(words), 4)) id
            Expect.stringContains ex2.Message "stride" "names stride"
            let ex3 = Expect.throwsC (fun () -> PhiloxBatch.Fill(1UL, 1u, 0UL, 16, 8, Span<uint32>(words), 16)) id
            Expect.stringContains ex3.Message "needed" "says how many words are needed"
        }
    ]

[<Tests>]
let floatMath =
    let grid lo hi n = Array.init n (fun i -> float32 (lo + (hi - lo) * float i / float (n - 1)))
    testList "Random.FloatMath" [
        test "Exp within 2e-7 relative of Math.Exp on [-87, 88]" {
            let xs = grid -87.0 88.0 200_001
            let worst = xs |> Array.map (fun x -> let r = exp (float x) in abs (float (FloatMath.Exp x) - r) / r) |> Array.max
            Expect.isLessThan worst 2e-7 $"worst relative error {worst:g3}"
        }
        test "Log within 2e-7 relative (or 2e-8 absolute near 1) of Math.Log" {
            let xs = Array.append (Array.init 200_001 (fun i -> float32 (10.0 ** (-37.0 + 75.0 * float i / 200_000.0)))) (grid 0.5 2.0 100_001)
            for x in xs do
                let r = log (float x)
                let err = abs (float (FloatMath.Log x) - r)
                if err > max (2e-7 * abs r) 2e-8 then failtestf "Log %.9g = %.9g, double %.12g" x (FloatMath.Log x) r
        }
        test "Logistic within 2e-7 absolute and 3e-7 relative of the double logistic on [-40, 40]" {
            for x in grid -40.0 40.0 160_001 do
                let r = 1.0 / (1.0 + exp (-(float x)))
                let err = abs (float (FloatMath.Logistic x) - r)
                if err > 2e-7 || err > 3e-7 * r then failtestf "Logistic %.9g = %.9g, double %.12g" x (FloatMath.Logistic x) r
        }
        test "NormalQuantile within 1e-6 relative (1e-7 absolute) of Φ⁻¹ over the open uniforms, tails included" {
            // Every u the generator can pass is (k + ½)·2^-23; check a spread of them and both extremes.
            let ks = Array.append [| 0u; 1u; 2u; 10u; 100u; 1000u; 8_388_600u; 8_388_607u; 8_388_606u |] (Array.init 4000 (fun i -> uint32 (int64 i * 8_388_607L / 3999L)))
            for k in ks do
                let u = FloatMath.OpenUniform(k <<< 9)
                let q = FloatMath.NormalQuantile u
                let r = quantile (float u)
                if abs (float q - r) > max (1e-6 * abs r) 1e-7 then failtestf "Φ⁻¹(%.9g) = %.9g, double %.12g" u q r
            Expect.isLessThan (float (FloatMath.NormalQuantile(FloatMath.OpenUniform 0u))) -5.2 "lowest open uniform reaches 5.2 sd"
        }
        test "the reference Φ is right (Φ(1.959963985) = 0.975, Φ(-5) = 2.8665157e-7)" {
            Expect.floatClose Accuracy.high (cdf 1.959963984540054) 0.975 "97.5% point"
            Expect.floatClose Accuracy.high (cdf -5.0) 2.866515718791939e-7 "lower tail (A&S table 26.1)"
        }
        test "scalar and vector calls give the same bits" {
            let rng = Random(7)
            let wide = Array.init 4096 (fun _ -> float32 (rng.NextDouble() * 170.0 - 85.0))
            sameBitsAsScalar FloatMath.Exp FloatMath.Exp wide
            sameBitsAsScalar FloatMath.Logistic FloatMath.Logistic wide
            let pos = Array.init 4096 (fun _ -> float32 (10.0 ** (rng.NextDouble() * 60.0 - 30.0)))
            sameBitsAsScalar FloatMath.Log FloatMath.Log pos
            // Mixed central and tail lanes exercise both branches of the quantile in one vector.
            let us = Array.init 4096 (fun i -> if i % 5 = 0 then FloatMath.OpenUniform(uint32 (rng.Next 64) <<< 9) else FloatMath.OpenUniform(uint32 (rng.Next())))
            sameBitsAsScalar FloatMath.NormalQuantile FloatMath.NormalQuantile us
        }
        test "uniforms stay in their intervals at the extreme words" {
            Expect.equal (FloatMath.Uniform 0u) 0.0f "Uniform(0) = 0"
            Expect.isLessThan (FloatMath.Uniform UInt32.MaxValue) 1.0f "Uniform < 1"
            Expect.isGreaterThan (FloatMath.OpenUniform 0u) 0.0f "OpenUniform > 0"
            Expect.isLessThan (FloatMath.OpenUniform UInt32.MaxValue) 1.0f "OpenUniform < 1"
            let ws = [| 0u; 1u <<< 9; 12345678u; 0x8000_0000u; 0xFFFF_FE00u; 7u; 99999u; UInt32.MaxValue
                        1u; 511u; 512u; 0x7FFF_FFFFu; 0xFFFF_FDFFu; 0xFFFF_FF00u; 0x0000_FFFFu; 0xDEAD_BEEFu |]
            let v = FloatMath.OpenUniform(Vector512.Create<uint32>(ws))
            for l, w in Array.indexed ws do
                Expect.equal (bits (v.GetElement l)) (bits (FloatMath.OpenUniform w)) $"vector OpenUniform lane {l}"
        }
        test "HalfBitsToSingle widens every one of the 65,536 halves exactly as (float)h (NaNs stay NaN)" {
            for c in 0 .. 16 .. 65535 do
                let v = FloatMath.HalfBitsToSingle(Vector512.Create<uint32>([| for l in 0 .. 15 -> uint32 (c + l) |]))
                for l in 0 .. 15 do
                    let h = BitConverter.UInt16BitsToHalf(uint16 (c + l))
                    let expected = Half.op_Explicit h : float32
                    let got = v.GetElement l
                    if Single.IsNaN expected then Expect.isTrue (Single.IsNaN got) $"half {c + l:x4} is NaN"
                    elif bits got <> bits expected then failtestf "half %04x: %.9g (bits %08x), (float) gives %.9g (bits %08x)" (c + l) got (bits got) expected (bits expected)
        }
        test "ToHalf and ToHalfBits round exactly as (Half)x, ties, subnormals, overflow and NaN included" {
            let rng = Random(11)
            let special = [| 0.0f; -0.0f; 1.0f; 65504.0f; 65519.99f; 65520.0f; 65536.0f; 1e9f; -1e9f; 6.1035156e-05f; 5.9604645e-08f; 2.9802322e-08f
                             2.9802326e-08f; 1.0009765625f; 1.00048828125f; 1.00146484375f; Single.PositiveInfinity; Single.NegativeInfinity; Single.Epsilon |]
            let randomBits = Array.init 2_000_000 (fun _ -> BitConverter.UInt32BitsToSingle(uint32 (rng.NextInt64(0L, 0x1_0000_0000L))))
            for x in Array.append special randomBits do
                if not (Single.IsNaN x) then
                    let a, b = FloatMath.ToHalf x, Half.op_Explicit x
                    if BitConverter.HalfToUInt16Bits a <> BitConverter.HalfToUInt16Bits b then failtestf "ToHalf %.9g: %A, (Half) gives %A" x a b
            Expect.isTrue (Half.IsNaN(FloatMath.ToHalf Single.NaN)) "NaN stays NaN"
            // The sixteen-lane version gives the same 16 bits in every lane, NaNs included.
            let all = Array.concat [ special; [| Single.NaN; -Single.NaN |]; randomBits ]
            for c in 0 .. 16 .. all.Length - 16 do
                let v = FloatMath.ToHalfBits(Vector512.Create<float32>(all.[c .. c + 15]))
                for l in 0 .. 15 do
                    let expected = uint32 (BitConverter.HalfToUInt16Bits(FloatMath.ToHalf all.[c + l]))
                    if v.GetElement l <> expected then failtestf "ToHalfBits %.9g (bits %08x): %04x, ToHalf %04x" all.[c + l] (bits all.[c + l]) (v.GetElement l) expected
        }
    ]
