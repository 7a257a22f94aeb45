module Workbench.Tests.Statistics.MetricsTests

open System
open Expecto
open Workbench.Statistics

[<Tests>]
let metrics =
    testList "Statistics.Metrics" [
        test "AUC: 1 for a perfect ranking, 0 for a reversed one, 0.5 for constant scores, ties counted half" {
            let labels = [| false; false; true; true |]
            Expect.equal (Metrics.Auc(ReadOnlySpan [| 0.1; 0.2; 0.8; 0.9 |], ReadOnlySpan labels)) 1.0 "perfect"
            Expect.equal (Metrics.Auc(ReadOnlySpan [| 0.9; 0.8; 0.2; 0.1 |], ReadOnlySpan labels)) 0.0 "reversed"
            Expect.equal (Metrics.Auc(ReadOnlySpan [| 0.5; 0.5; 0.5; 0.5 |], ReadOnlySpan labels)) 0.5 "constant"
            // pairs (pos, neg): (0.5 vs 0.1) win, (0.5 vs 0.5) tie, (0.9 vs both) win → (3 + 0.5) / 4
            Expect.equal (Metrics.Auc(ReadOnlySpan [| 0.1; 0.5; 0.5; 0.9 |], ReadOnlySpan labels)) 0.875 "ties half"
        }
        test "Brier, top-decile precision and the calibration curve on hand-computed cases" {
            Expect.floatClose Accuracy.veryHigh (Metrics.Brier(ReadOnlySpan [| 1.0; 0.0; 0.5 |], ReadOnlySpan [| true; true; false |])) ((0.0 + 1.0 + 0.25) / 3.0) "Brier"
            let s = Array.init 100 (fun i -> float i / 100.0)
            let l = Array.init 100 (fun i -> i >= 95)
            Expect.equal (Metrics.TopPrecision(ReadOnlySpan s, ReadOnlySpan l, 0.1)) 0.5 "5 of the top 10"
            let bins = Metrics.Calibration(ReadOnlySpan s, ReadOnlySpan l, 10)
            Expect.equal bins.Count 10 "ten bins"
            Expect.equal (bins |> Seq.sumBy (fun b -> b.Count)) 100L "every prediction in a bin"
            Expect.equal bins.[9].ObservedRate 0.5 "observed rate of the top bin"
        }
        test "Qini and uplift AUC: a score that ranks true responders first beats its reverse, and random-looking data gives about zero" {
            // 1,000 units: the first 200 respond only if treated; the rest never respond. Alternate treatment.
            let n = 1000
            let treated = Array.init n (fun i -> i % 2 = 0)
            let outcome = Array.init n (fun i -> i < 200 && treated.[i])
            let good = Array.init n (fun i -> if i < 200 then 1.0 else 0.0)
            let bad = good |> Array.map (fun v -> 1.0 - v)
            let q (s: float[]) = Metrics.Qini(ReadOnlySpan s, ReadOnlySpan treated, ReadOnlySpan outcome)
            Expect.isGreaterThan (q good) 0.0 "good ranking above random"
            Expect.isLessThan (q bad) 0.0 "reverse ranking below random"
            Expect.isGreaterThan (Metrics.UpliftAuc(ReadOnlySpan good, ReadOnlySpan treated, ReadOnlySpan outcome)) (Metrics.UpliftAuc(ReadOnlySpan bad, ReadOnlySpan treated, ReadOnlySpan outcome)) "uplift AUC orders them too"
        }
    ]
