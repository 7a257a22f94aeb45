module Workbench.Tests.Random.RandomTests

open System
open Expecto
open Workbench.Random
open Workbench.Tests

let private draws n (f: Sampler) (seed: uint64) = Sampling.Draw(f, n, seed, 7u)

/// Tolerance for sample means: 5 standard errors (seeded, so a pass is reproducible;
/// 5 SE keeps the chance that a correct sampler fails under 1e-6 for a new seed).
let private meanTol v n = 5.0 * Stats.se v n

[<Tests>]
let philox =
    testList "Random.Philox" [
        // Known-answer vectors from Random123 (Salmon et al. 2011), tests/kat_vectors,
        // "philox4x32 10" lines: counter (4 words), key (2 words), expected (4 words).
        for (ctr, key, expected) in
            [ [| 0u; 0u; 0u; 0u |], [| 0u; 0u |], [| 0x6627e8d5u; 0xe169c58du; 0xbc57ac4cu; 0x9b00dbd8u |]
              [| UInt32.MaxValue; UInt32.MaxValue; UInt32.MaxValue; UInt32.MaxValue |], [| UInt32.MaxValue; UInt32.MaxValue |],
                [| 0x408f276du; 0x41c83b0eu; 0xa20bc7c6u; 0x6d5451fdu |]
              [| 0x243f6a88u; 0x85a308d3u; 0x13198a2eu; 0x03707344u |], [| 0xa4093822u; 0x299f31d0u |],
                [| 0xd16cfe09u; 0x94fdccebu; 0x5001e420u; 0x24126ea1u |] ] do
            test $"known answer for counter {ctr.[0]:x8}" {
                let mutable c0, c1, c2, c3 = ctr.[0], ctr.[1], ctr.[2], ctr.[3]
                Philox.Block(&c0, &c1, &c2, &c3, key.[0], key.[1])
                Expect.sequenceEqual [| c0; c1; c2; c3 |] expected "Random123 KAT"
            }
        // The stream refills four blocks at a time (AVX2 where available): the 16 words must be the four
        // single blocks, in order, including across the 2^32 wrap of the block counter.
        for (ctr, key) in [ [| 0u; 0u; 0u; 0u |], [| 0u; 0u |]
                            [| UInt32.MaxValue - 1u; 7u; 0x243f6a88u; 0x85a308d3u |], [| 0xa4093822u; 0x299f31d0u |] ] do
            test $"four blocks at once equal four single blocks (counter {ctr.[0]:x8})" {
                let out = Array.zeroCreate<uint32> 16
                Philox.Block4(ctr.[0], ctr.[1], ctr.[2], ctr.[3], key.[0], key.[1], Span<uint32>(out))
                let expected =
                    [| for b in 0u .. 3u do
                        let mutable c0, c1, c2, c3 = ctr.[0] + b, ctr.[1], ctr.[2], ctr.[3]
                        Philox.Block(&c0, &c1, &c2, &c3, key.[0], key.[1])
                        yield! [ c0; c1; c2; c3 ] |]
                Expect.sequenceEqual out expected "Block4 = 4 × Block"
            }
        test "the first block of Block4 is the Random123 known answer" {
            let out = Array.zeroCreate<uint32> 16
            Philox.Block4(0u, 0u, 0u, 0u, 0u, 0u, Span<uint32>(out))
            Expect.sequenceEqual out.[0..3] [| 0x6627e8d5u; 0xe169c58du; 0xbc57ac4cu; 0x9b00dbd8u |] "KAT"
        }
    ]

[<Tests>]
let streams =
    testList "Random.Streams" [
        test "same (seed, stream, index) gives the same numbers" {
            let a = draws 1000 (Sampler(fun r -> r.NextDouble())) 42UL
            let b = draws 1000 (Sampler(fun r -> r.NextDouble())) 42UL
            Expect.sequenceEqual a b "identical"
        }
        test "different seeds, streams and indices give different numbers" {
            let first (s: uint64) (st: uint32) (i: uint64) = let mutable r = RandomStream(s, st, i) in r.NextUInt64()
            let xs = [ first 1UL 0u 0UL; first 2UL 0u 0UL; first 1UL 1u 0UL; first 1UL 0u 1UL ]
            Expect.equal (List.distinct xs).Length 4 "all distinct"
        }
        test "NextDouble is in [0,1) and NextOpenDouble in (0,1)" {
            let mutable r = RandomStream(3UL, 0u, 0UL)
            for _ in 1 .. 100_000 do
                let d = r.NextDouble()
                Expect.isTrue (d >= 0.0 && d < 1.0) "half-open"
                let o = r.NextOpenDouble()
                Expect.isTrue (o > 0.0 && o < 1.0) "open"
        }
        test "NextInt is uniform over [0,n) (chi-square, 9 df, p=0.001 critical 27.88)" {
            let n = 200_000
            let counts = Array.zeroCreate 10
            let mutable r = RandomStream(11UL, 0u, 0UL)
            for _ in 1 .. n do
                let k = r.NextInt 10
                counts.[k] <- counts.[k] + 1
            let e = float n / 10.0
            let chi2 = counts |> Array.sumBy (fun c -> (float c - e) ** 2.0 / e)
            Expect.isLessThan chi2 27.88 "chi-square"
        }
        test "Derive gives the stream of the same seed" {
            let mutable parent = RandomStream(99UL, 0u, 0UL)
            let mutable a = parent.Derive(5u, 123UL)
            let mutable b = RandomStream(99UL, 5u, 123UL)
            Expect.equal (a.NextUInt64()) (b.NextUInt64()) "same"
        }
        test "Seeds.Derive is deterministic and path-sensitive" {
            Expect.equal (Seeds.Derive(1UL, 2UL, 3UL)) (Seeds.Derive(1UL, 2UL, 3UL)) "same"
            Expect.notEqual (Seeds.Derive(1UL, 2UL, 3UL)) (Seeds.Derive(1UL, 3UL, 2UL)) "order matters"
        }
        test "1 and 2 threads give identical bytes" {
            let run threads =
                let out = Array.zeroCreate<float> 200_000
                DeterministicParallel.ForChunks(int64 out.Length, threads, (fun s e ->
                    for i in s .. e - 1L do
                        let mutable r = RandomStream(5UL, 1u, uint64 i)
                        out.[int i] <- r.Normal() + r.Gamma(2.0)), 1000)
                let bytes = Array.zeroCreate<byte> (out.Length * 8)
                Buffer.BlockCopy(out, 0, bytes, 0, bytes.Length)
                bytes
            Expect.sequenceEqual (run 1) (run 2) "byte-identical"
        }
    ]

[<Tests>]
let samplers =
    testList "Random.Samplers" [
        test "normal: mean 0, variance 1, KS against the normal CDF" {
            let n = 100_000
            let xs = draws n (Sampler(fun r -> r.Normal())) 1UL
            Expect.isLessThan (abs (Stats.mean xs)) (meanTol 1.0 n) "mean"
            Expect.floatClose { absolute = 0.02; relative = 0.0 } (Stats.variance xs) 1.0 "variance"
            Expect.isLessThan (Stats.ksStatistic Stats.normalCdf xs) (Stats.ksCritical001 n) "KS"
        }
        test "uniform: KS against the uniform CDF" {
            let n = 100_000
            let xs = draws n (Sampler(fun r -> r.Uniform(-2.0, 3.0))) 2UL
            Expect.isLessThan (Stats.ksStatistic (fun x -> (x + 2.0) / 5.0) xs) (Stats.ksCritical001 n) "KS"
        }
        test "log-normal: mean exp(mu + sigma²/2)" {
            let n = 200_000
            let xs = draws n (Sampler(fun r -> r.LogNormal(0.5, 0.4))) 3UL
            let m = exp (0.5 + 0.08)
            let v = (exp 0.16 - 1.0) * exp (1.0 + 0.16)
            Expect.isLessThan (abs (Stats.mean xs - m)) (meanTol v n) "mean"
        }
        for shape in [ 0.3; 1.0; 2.5; 40.0 ] do
            test $"gamma(shape {shape}, scale 2): mean k·θ, variance k·θ²" {
                let n = 200_000
                let xs = draws n (Sampler(fun r -> r.Gamma(shape, 2.0))) 4UL
                Expect.isLessThan (abs (Stats.mean xs - 2.0 * shape)) (meanTol (4.0 * shape) n) "mean"
                Expect.floatClose { absolute = 0.0; relative = 0.05 } (Stats.variance xs) (4.0 * shape) "variance"
            }
        test "beta(2,5): mean a/(a+b), variance ab/((a+b)²(a+b+1))" {
            let n = 200_000
            let xs = draws n (Sampler(fun r -> r.Beta(2.0, 5.0))) 5UL
            let v = 10.0 / (49.0 * 8.0)
            Expect.isLessThan (abs (Stats.mean xs - 2.0 / 7.0)) (meanTol v n) "mean"
            Expect.floatClose { absolute = 0.0; relative = 0.03 } (Stats.variance xs) v "variance"
        }
        test "dirichlet: sums to 1, component means alpha_i / sum alpha" {
            let alpha = [| 1.0; 2.0; 3.0; 4.0 |]
            let n = 50_000
            let mutable r = RandomStream(6UL, 0u, 0UL)
            let sums = Array.zeroCreate 4
            let buf = Array.zeroCreate 4
            for _ in 1 .. n do
                r.Dirichlet(ReadOnlySpan alpha, Span buf)
                Expect.floatClose Accuracy.veryHigh (Array.sum buf) 1.0 "sums to 1"
                for i in 0 .. 3 do sums.[i] <- sums.[i] + buf.[i]
            for i in 0 .. 3 do
                Expect.floatClose { absolute = 0.005; relative = 0.0 } (sums.[i] / float n) (alpha.[i] / 10.0) $"mean {i}"
        }
        test "gumbel: mean is the Euler–Mascheroni constant, variance π²/6" {
            let n = 200_000
            let xs = draws n (Sampler(fun r -> r.Gumbel())) 7UL
            let v = Math.PI ** 2.0 / 6.0
            Expect.isLessThan (abs (Stats.mean xs - 0.5772156649)) (meanTol v n) "mean"
            Expect.floatClose { absolute = 0.0; relative = 0.03 } (Stats.variance xs) v "variance"
        }
        for lambda in [ 0.5; 4.0; 30.0; 1000.0 ] do
            test $"poisson({lambda}): mean and variance lambda" {
                let n = 200_000
                let xs = draws n (Sampler(fun r -> float (r.Poisson lambda))) 8UL
                Expect.isLessThan (abs (Stats.mean xs - lambda)) (meanTol lambda n) "mean"
                Expect.floatClose { absolute = 0.0; relative = 0.03 } (Stats.variance xs) lambda "variance"
            }
        for (nn, p) in [ 10L, 0.3; 1000L, 0.02; 100_000L, 0.45 ] do
            test $"binomial({nn}, {p}): mean np, variance np(1-p), within [0,n]" {
                let n = 100_000
                let xs = draws n (Sampler(fun r -> float (r.Binomial(nn, p)))) 9UL
                let m, v = float nn * p, float nn * p * (1.0 - p)
                Expect.isTrue (xs |> Array.forall (fun x -> x >= 0.0 && x <= float nn)) "support"
                Expect.isLessThan (abs (Stats.mean xs - m)) (meanTol v n) "mean"
                Expect.floatClose { absolute = 0.0; relative = 0.04 } (Stats.variance xs) v "variance"
            }
        test "alias table: frequencies match weights (chi-square, 4 df, p=0.001 critical 18.47)" {
            let w = [| 0.1; 0.0; 2.0; 0.5; 1.4 |]
            let table = AliasTable(ReadOnlySpan w)
            let n = 200_000
            let mutable r = RandomStream(10UL, 0u, 0UL)
            let counts = Array.zeroCreate 5
            for _ in 1 .. n do
                let k = table.Sample(&r)
                counts.[k] <- counts.[k] + 1
            Expect.equal counts.[1] 0 "zero weight never drawn"
            let total = Array.sum w
            let chi2 = [ 0; 2; 3; 4 ] |> List.sumBy (fun i -> let e = float n * w.[i] / total in (float counts.[i] - e) ** 2.0 / e)
            Expect.isLessThan chi2 18.47 "chi-square"
        }
        test "alias table: the bulk draw from words gives the categories of Sample((word + 0.5)·2^-32), word for word" {
            // The electorate's cell draw uses the bulk call; it must equal the one-at-a-time reference,
            // including words at the ends of the range and a tail shorter than one vector.
            let mutable r = RandomStream(21UL, 0u, 0UL)
            for w in [ [| 0.1; 0.0; 2.0; 0.5; 1.4 |]; Array.init 90 (fun i -> 1.0 + float (i % 7)); [| 1.0 |] ] do
                let table = AliasTable(ReadOnlySpan w)
                let words = Array.append [| 0u; UInt32.MaxValue; 1u; UInt32.MaxValue - 1u |] (Array.init 1000 (fun _ -> r.NextUInt32()))
                let bulk = Array.zeroCreate words.Length
                table.Sample(ReadOnlySpan words, Span bulk)
                let reference = words |> Array.map (fun x -> table.Sample((float x + 0.5) * (1.0 / 4294967296.0)))
                Expect.sequenceEqual bulk reference $"{w.Length} categories"
        }
        test "multivariate normal reproduces the target correlation" {
            let corr = array2D [ [ 1.0; 0.6; -0.3 ]; [ 0.6; 1.0; 0.1 ]; [ -0.3; 0.1; 1.0 ] ]
            let mvn = MultivariateNormal.FromCorrelation([| 1.0; 0.0; -1.0 |], [| 2.0; 1.0; 0.5 |], corr)
            let n = 100_000
            let mutable r = RandomStream(12UL, 0u, 0UL)
            let xs = Array.init n (fun _ -> let b = Array.zeroCreate 3 in mvn.Sample(&r, Span b); b)
            let col j = xs |> Array.map (fun x -> x.[j])
            let corrOf a b =
                let xa, xb = col a, col b
                let ma, mb = Stats.mean xa, Stats.mean xb
                let cov = Array.map2 (fun x y -> (x - ma) * (y - mb)) xa xb |> Array.sum
                cov / float (n - 1) / sqrt (Stats.variance xa * Stats.variance xb)
            // Tolerance: the SE of a sample correlation is about (1-ρ²)/sqrt n ≈ 0.003; 0.015 is 5 SE.
            Expect.floatClose { absolute = 0.015; relative = 0.0 } (corrOf 0 1) 0.6 "ρ01"
            Expect.floatClose { absolute = 0.015; relative = 0.0 } (corrOf 0 2) -0.3 "ρ02"
            Expect.floatClose { absolute = 0.015; relative = 0.0 } (corrOf 1 2) 0.1 "ρ12"
            Expect.floatClose { absolute = 0.02; relative = 0.0 } (Stats.mean (col 0)) 1.0 "mean 0"
        }
        test "multivariate normal rejects a covariance that is not positive definite" {
            let bad = array2D [ [ 1.0; 2.0 ]; [ 2.0; 1.0 ] ]
            Expect.throwsT<ArgumentException> (fun () -> MultivariateNormal([| 0.0; 0.0 |], bad) |> ignore) "rejected"
        }
        test "bad parameters name the parameter" {
            let mutable r = RandomStream(1UL, 0u, 0UL)
            let ex = Expect.throwsC (fun () -> r.Gamma(-1.0) |> ignore) id
            Expect.stringContains ex.Message "shape" "names shape"
            let ex2 = Expect.throwsC (fun () -> r.Binomial(10L, 1.5) |> ignore) id
            Expect.stringContains ex2.Message "p" "names p"
        }
    ]
