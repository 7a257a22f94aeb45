/// Area-level swing analysis (MODEL.md §4).
module Workbench.Tests.Scoring.AreaSwingTests

open System
open Expecto
open Workbench.Scoring

let private e = lazy (Workbench.Electorate.Electorates.Generate("classroom", Nullable 40000, Nullable 6, Nullable 2))

[<Tests>]
let tests =
    testList "Scoring.AreaSwing" [
        test "weighted least squares recovers an exact linear relation and honours the weights" {
            let rng = Workbench.Random.RandomStream(3UL, 1u, 0UL)
            let mutable r = rng
            let x = [| for _ in 1 .. 200 -> [| 1.0; r.NextDouble(); r.NextDouble() * 5.0 |] |]
            let y = x |> Array.map (fun row -> 0.5 - 2.0 * row.[1] + 0.25 * row.[2])
            let beta = AreaSwing.WeightedLeastSquares(x, y, Array.create x.Length 1.0)
            Expect.sequenceEqual (beta |> Array.map (fun b -> Math.Round(b, 6))) [| 0.5; -2.0; 0.25 |] "exact fit"
            // Two groups with different means: the fit of a constant is the weighted mean.
            let xs = Array.init 4 (fun _ -> [| 1.0 |])
            let b2 = AreaSwing.WeightedLeastSquares(xs, [| 0.0; 0.0; 1.0; 1.0 |], [| 3.0; 3.0; 1.0; 1.0 |])
            Expect.floatClose Accuracy.high b2.[0] 0.25 "weighted mean"
            Expect.throwsT<ArgumentException> (fun () -> AreaSwing.WeightedLeastSquares([||], [||], [||]) |> ignore) "empty input"
        }
        test "every neighbourhood is analysed, classed by the documented rules, and the fit is a least-squares fit" {
            let el = e.Force()
            let r = AreaSwing.Analyse(el, "Red")
            Expect.equal r.Areas.Count el.NeighbourhoodCount "one row per neighbourhood"
            Expect.equal (r.Areas |> Seq.sumBy (fun a -> a.Voters)) el.VoterCount "all voters"
            Expect.equal r.Coefficients.Count (r.Covariates.Count + 1) "intercept + covariates"
            Expect.isTrue (r.RSquared >= 0.0 && r.RSquared <= 1.0) $"R² {r.RSquared} in [0, 1]"
            // Least squares with an intercept: voter-weighted residuals sum to zero.
            let resid = r.Areas |> Seq.sumBy (fun a -> float a.Voters * (a.Swing - a.PredictedSwing))
            Expect.isLessThan (abs resid / float el.VoterCount) 1e-6 "weighted residuals sum to 0"
            for a in r.Areas do
                Expect.floatClose Accuracy.veryHigh a.Swing (a.CurrentShare - a.PastShare) "swing = current − past"
                let expected =
                    if abs a.CurrentMargin < AreaSwing.BattleMargin then "battle zone"
                    elif a.Class = "swing street" then "swing street"
                    elif a.PastMargin >= AreaSwing.StrongholdMargin then "stronghold"
                    elif a.PastMargin <= -AreaSwing.StrongholdMargin then "opponent stronghold"
                    else "other"
                Expect.equal a.Class expected $"class of neighbourhood {a.Neighbourhood}"
            let streets = r.Areas |> Seq.filter (fun a -> a.Class = "swing street") |> Seq.map (fun a -> abs a.PredictedSwing) |> Seq.toArray
            let others = r.Areas |> Seq.filter (fun a -> a.Class <> "swing street" && a.Class <> "battle zone") |> Seq.map (fun a -> abs a.PredictedSwing) |> Seq.toArray
            if streets.Length > 0 && others.Length > 0 then
                Expect.isGreaterThanOrEqual (Array.min streets) (Array.max others) "swing streets have the largest predicted swings"
            Expect.equal (r.ClassCounts |> Seq.sumBy (fun struct (_, n, _) -> n)) el.NeighbourhoodCount "class counts add up"
        }
        test "the CSV is one line per neighbourhood in the documented columns (invariant culture, round-trip numbers), byte for byte" {
            let r = AreaSwing.Analyse(e.Force(), "Red")
            let ci = Globalization.CultureInfo.InvariantCulture
            let line (a: AreaSwingRow) =
                String.Join(",", [| string a.Neighbourhood; string a.Constituency; a.X.ToString("R", ci); a.Y.ToString("R", ci); string a.Voters
                                    a.PastShare.ToString("R", ci); a.CurrentShare.ToString("R", ci); a.Swing.ToString("R", ci); a.PredictedSwing.ToString("R", ci)
                                    a.PastMargin.ToString("R", ci); a.CurrentMargin.ToString("R", ci); a.Class |]) + "\n"
            let expected =
                "neighbourhood,constituency,x,y,voters,past_share,current_share,swing,predicted_swing,past_margin,current_margin,class\n"
                + String.Concat(r.Areas |> Seq.map line)
            Expect.equal (r.ToCsv()) expected "CSV bytes"
        }
        test "area statistics explain part of the swing, and the analysis is deterministic" {
            let el = e.Force()
            let a = AreaSwing.Analyse(el, "Blue")
            let b = AreaSwing.Analyse(el, "Blue")
            Expect.sequenceEqual a.Coefficients b.Coefficients "deterministic"
            Expect.isGreaterThan a.RSquared 0.05 $"R² {a.RSquared:F3}: neighbourhood swing is not pure noise"
            Expect.throwsT<ArgumentException> (fun () -> AreaSwing.Analyse(el, "Nobody") |> ignore) "unknown party"
        }
    ]
