module Workbench.Tests.Random.SeedsTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open Workbench.Random
open Workbench.Networks

let private config = { FsCheckConfig.defaultConfig with maxTest = 1000 }

/// Seeds.Resolve is the one conversion from a public `int? seed` to the 64-bit stream seed (docs/reproducibility.md):
/// null is Seeds.Default, an int is sign-extended — what the cast `(ulong)seed` that the chapters used to write gives —
/// so every seed the chapters and tests used before keeps its draws.
[<Tests>]
let tests =
    testList "Random.Seeds" [
        test "null is the library's default seed, 2018" {
            Expect.equal Seeds.Default 2018 "the documented default"
            Expect.equal (Seeds.Resolve(Nullable())) 2018UL "null → Seeds.Default"
        }
        test "non-negative seeds keep their value; negative ones are sign-extended, as the C# cast (ulong)seed" {
            for s, expected in [ 0, 0UL; 1, 1UL; 2018, 2018UL; Int32.MaxValue, 0x7FFFFFFFUL
                                 -1, UInt64.MaxValue; -2, 0xFFFFFFFFFFFFFFFEUL; Int32.MinValue, 0xFFFFFFFF80000000UL ] do
                Expect.equal (Seeds.Resolve(Nullable s)) expected $"seed {s}"
        }
        testPropertyWithConfig config "every int has its own stream seed: low 32 bits are the int's, high 32 bits its sign" (fun (a: int) (b: int) ->
            let ra, rb = Seeds.Resolve(Nullable a), Seeds.Resolve(Nullable b)
            uint32 ra = uint32 a
            && (ra >>> 32) = (if a < 0 then 0xFFFFFFFFUL else 0UL)
            && ((ra = rb) = (a = b)))
        test "a public entry point draws exactly what its 64-bit path draws for the resolved seed" {
            Expect.sequenceEqual (Opinions.Uniform(500, Nullable 7)) (Opinions.Uniform(500, 7UL)) "seed 7"
            Expect.sequenceEqual (Opinions.Uniform(500, Nullable())) (Opinions.Uniform(500, 2018UL)) "null = 2018"
            Expect.sequenceEqual (Opinions.Uniform(500, Nullable -3)) (Opinions.Uniform(500, 0xFFFFFFFFFFFFFFFDUL)) "seed −3"
            Expect.notEqual (Opinions.Uniform(500, Nullable -3)) (Opinions.Uniform(500, Nullable 3)) "−3 and 3 differ"
            let mutable a = RandomStream.Create(Nullable -1, 4u, 9UL)
            let mutable b = RandomStream(UInt64.MaxValue, 4u, 9UL)
            Expect.equal (a.NextUInt64()) (b.NextUInt64()) "RandomStream.Create(−1) is the stream of 2⁶⁴ − 1"
        }
    ]
