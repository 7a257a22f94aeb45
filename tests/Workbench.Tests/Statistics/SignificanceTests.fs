module Workbench.Tests.Statistics.SignificanceTests

open System
open Expecto
open Workbench.Statistics

let private close (tolerance: float) actual expected message =
    Expect.isLessThan (abs (actual - expected)) tolerance (sprintf "%s: %.12g against %.12g" message actual expected)

[<Tests>]
let significance =
    testList "Statistics.Significance" [
        test "Student's two-sided p matches the closed forms for 1 and 2 degrees of freedom and the 97.5% quantiles" {
            // df = 1 is the Cauchy: P(|T| ≥ t) = 1 − 2 atan(t) / π.
            for t in [ 0.3; 1.0; 4.0; 25.0 ] do close 1e-12 (Significance.StudentTwoSidedP(t, 1)) (1.0 - 2.0 * atan t / Math.PI) (sprintf "df 1, t %g" t)
            // df = 2: P(|T| ≥ t) = 1 − t / √(2 + t²).
            for t in [ 0.5; 2.0; 7.0 ] do close 1e-12 (Significance.StudentTwoSidedP(t, 2)) (1.0 - t / sqrt (2.0 + t * t)) (sprintf "df 2, t %g" t)
            // At the 97.5% quantile the two-sided p is 5% (table values to 4 decimals for df ≤ 10; Hill's series beyond).
            for df in [ 3; 10; 30; 199 ] do close 2e-5 (Significance.StudentTwoSidedP(Intervals.TQuantile975 df, df)) 0.05 (sprintf "df %d" df)
            Expect.equal (Significance.StudentTwoSidedP(0.0, 5)) 1.0 "t = 0"
            Expect.equal (Significance.StudentTwoSidedP(-2.0, 7)) (Significance.StudentTwoSidedP(2.0, 7)) "symmetric"
            Expect.equal (Significance.StudentTwoSidedP(infinity, 7)) 0.0 "infinite t"
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> Significance.StudentTwoSidedP(1.0, 0) |> ignore) "df ≥ 1"
        }
        test "the one-sample test of a zero mean: hand-computed case, constant samples, too few values" {
            // [1; 2; 3]: mean 2, sd 1, t = 2√3, df 2 → p = 1 − 2√3 / √14.
            close 1e-12 (Significance.MeanZeroP [ 1.0; 2.0; 3.0 ]) (1.0 - 2.0 * sqrt 3.0 / sqrt 14.0) "hand-computed"
            Expect.equal (Significance.MeanZeroP [ 0.0; 0.0; 0.0 ]) 1.0 "all zero"
            Expect.equal (Significance.MeanZeroP [ 2.0; 2.0 ]) 0.0 "the same non-zero difference every time"
            Expect.isTrue (Double.IsNaN(Significance.MeanZeroP [ 1.0 ])) "one value"
        }
        test "Holm's adjustment on a worked example: sorted p times m − k, made non-decreasing, in the given order, NaN kept aside" {
            // sorted 0.005, 0.01, 0.03, 0.04 → 0.02, 0.03, 0.06, 0.04 → monotone 0.02, 0.03, 0.06, 0.06.
            let adjusted = Significance.Holm [| 0.01; 0.04; 0.03; 0.005 |]
            Expect.sequenceEqual (adjusted |> Array.map (fun x -> Math.Round(x, 12))) [| 0.03; 0.06; 0.06; 0.02 |] "adjusted"
            let withNaN = Significance.Holm [| 0.02; nan; 0.5 |]
            Expect.isTrue (Double.IsNaN withNaN.[1]) "NaN stays"
            Expect.sequenceEqual [| withNaN.[0]; withNaN.[2] |] [| 0.04; 0.5 |] "m counts the two real p-values"
            Expect.sequenceEqual (Significance.Holm [| 0.6; 0.9 |]) [| 1.0; 1.0 |] "capped at 1"
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> Significance.Holm [| 1.5 |] |> ignore) "p in [0, 1]"
        }
    ]
