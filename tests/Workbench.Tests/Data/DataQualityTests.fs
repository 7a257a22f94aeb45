/// Sources observe the truth with coverage, error and staleness as their parameters say (MODEL.md §3).
module Workbench.Tests.Data.DataQualityTests

open System
open Expecto
open Workbench.Data
open Workbench.Scoring

let private e = lazy (Workbench.Electorate.Electorates.Generate("classroom", Nullable 60000, Nullable 4, Nullable 2))

[<Tests>]
let tests =
    testList "Data.Quality" [
        test "perfect quality reads the truth; the default is perfect" {
            let d = VoterData.Open(e.Value, DataRegime.Preset "us-like")
            Expect.isTrue d.Quality.IsPerfect "default"
            let truth = e.Value.Education |> Array.map float32
            Expect.sequenceEqual (d.Individual("education", DataSource.ConsumerData)) truth "consumer data = truth"
        }
        test "consumer data: coverage 0.75 and 40% wrong records, within three standard errors at 60,000 voters" {
            let d = VoterData.Open(e.Value, DataRegime.Preset "us-like", DataQuality.Typical, 7)
            let obs = d.Individual("education", DataSource.ConsumerData)
            let n = float obs.Length
            let covered = obs |> Array.filter (fun v -> not (Single.IsNaN v)) |> Array.length |> float
            Expect.floatClose { absolute = 3.0 * sqrt (0.75 * 0.25 / n); relative = 0.0 } (covered / n) 0.75 "coverage"
            // A wrong record holds a random voter's value, so it differs from the truth with probability 1 − Σ p_k².
            let truth = e.Value.Education
            let shares = truth |> Array.countBy id |> Array.map (fun (_, c) -> float c / n)
            let differs = 0.4 * (1.0 - (shares |> Array.sumBy (fun p -> p * p)))
            let mismatched = [| for i in 0 .. obs.Length - 1 do if not (Single.IsNaN obs.[i]) then yield (if obs.[i] <> float32 truth.[i] then 1.0 else 0.0) |]
            let rate = Array.average mismatched
            Expect.floatClose { absolute = 3.0 * sqrt (differs * (1.0 - differs) / float mismatched.Length); relative = 0.0 } rate differs "wrong records"
            Expect.isFalse (d.HasRecord(DataSource.VoterFile, 0) |> not) "the voter file is complete"
        }
        test "voter file: a tenth of recorded ages are four years out of date" {
            let d = VoterData.Open(e.Value, DataRegime.Preset "us-like", DataQuality.Typical, 7)
            let obs = d.Individual("age", DataSource.VoterFile)
            let stale = [| for i in 0 .. obs.Length - 1 -> if obs.[i] < float32 e.Value.Age.[i] then 1.0 else 0.0 |] |> Array.average
            Expect.floatClose { absolute = 3.0 * sqrt (0.1 * 0.9 / float obs.Length); relative = 0.0 } stale 0.1 "stale share"
            Expect.isTrue ([| 0 .. obs.Length - 1 |] |> Array.forall (fun i -> obs.[i] = float32 e.Value.Age.[i] || obs.[i] = float32 e.Value.Age.[i] - 4.0f || (obs.[i] = 0.0f))) "stale records are exactly four years younger"
        }
        test "observations are deterministic for a seed, and aggregated regimes average only the records held" {
            let a = VoterData.Open(e.Value, DataRegime.Preset "us-like", DataQuality.Typical, 7).Individual("income_quintile", DataSource.ConsumerData)
            let b = VoterData.Open(e.Value, DataRegime.Preset "us-like", DataQuality.Typical, 7).Individual("income_quintile", DataSource.ConsumerData)
            Expect.equal (a |> Array.map BitConverter.SingleToInt32Bits) (b |> Array.map BitConverter.SingleToInt32Bits) "same seed, same records"
            let g = DataRegime.Preset "germany-like"
            let src = if g.AllowedSources |> Seq.contains DataSource.ConsumerData then DataSource.ConsumerData else DataSource.VoterFile
            let attr = if src = DataSource.ConsumerData then "income_quintile" else "age"
            let cells = VoterData.Open(e.Value, g, DataQuality.Typical, 7).Cells(attr, src)
            Expect.isTrue (cells.Mean |> Seq.exists (fun m -> not (Single.IsNaN m))) "cell means exist"
        }
        test "scoring with typical data quality is less accurate than with perfect data (US-like, classroom, same seed)" {
            let run q = Scorer.Score(e.Value, DataRegime.Preset "us-like", ScoringOptions(DataQuality = q), 3)
            let p, t = run "perfect", run "typical"
            Expect.isLessThan t.Support.Auc p.Support.Auc "support AUC falls"
            Expect.isLessThan t.Turnout.Auc p.Turnout.Auc "turnout AUC falls"
            Expect.contains t.Features "has a record (ConsumerData)" "a missing-record indicator for the incomplete source"
        }
    ]

[<Tests>]
let arms =
    testList "Scoring.MultiArm" [
        test "a three-arm message test: a T-learner per arm, and the predicted best arm per voter against the best single arm and the oracle" {
            let run () = Scorer.Score(e.Value, DataRegime.Preset "us-like", ScoringOptions(UpliftArms = 3), 5)
            let r = run ()
            Expect.equal (r.Uplift |> Seq.map (fun u -> u.Model) |> List.ofSeq) [ "t-learner, arm 0 (issue 0)"; "t-learner, arm 1 (issue 1)"; "t-learner, arm 2 (issue 2)" ] "one report per arm"
            let c = r.ArmChoice
            Expect.isNotNull (box c) "arm choice"
            Expect.equal c.Arms 3 "arms"
            Expect.floatClose Accuracy.veryHigh c.ChanceAccuracy (1.0 / 3.0) "chance"
            Expect.isGreaterThanOrEqual c.OracleUplift c.TargetedUplift "no choice beats the oracle"
            Expect.isGreaterThanOrEqual c.OracleUplift c.BestSingleArmUplift "nor does any single arm"
            Expect.isGreaterThan c.BestSingleArmUplift 0.0 "messages persuade on average"
            Expect.isTrue (c.BestArmAccuracy >= 0.0 && c.BestArmAccuracy <= 1.0) "an accuracy"
            Expect.equal (run().ArmChoice) c "deterministic for a seed"
            let one = Scorer.Score(e.Value, DataRegime.Preset "us-like", ScoringOptions(), 5)
            Expect.isNull (box one.ArmChoice) "one arm: no arm choice"
            Expect.equal (one.Uplift |> Seq.map (fun u -> u.Model) |> List.ofSeq) [ "t-learner"; "class-transformation" ] "one arm: the two single-message learners"
            Expect.throwsT<Workbench.SpecValidationException> (fun () -> Scorer.Score(e.Value, DataRegime.Preset "us-like", ScoringOptions(UpliftArms = 11), 5) |> ignore) "11 arms refused"
        }
    ]

[<Tests>]
let areas =
    testList "Data.AreaSampling" [
        test "representative neighbourhoods (Grande Marche) diagnose vote intention better than random ones on the same doors" {
            let runs = Workbench.Data.AreaSampling.Compare(e.Value, 10, 1000, 3, 20)
            let mean m f = runs |> Seq.filter (fun (x: Workbench.Data.AreaSample) -> x.Method = m) |> Seq.averageBy f
            let repErr, rndErr = mean "representative" (fun x -> x.MeanAbsoluteError), mean "random" (fun x -> x.MeanAbsoluteError)
            printfn "area sampling, 10 areas × 1,000 doors, 20 replicates: representative %.2f points, random %.2f points" repErr rndErr
            Expect.isLessThan (mean "representative" (fun x -> x.Imbalance)) (mean "random" (fun x -> x.Imbalance)) "the chosen areas look more like the country"
            Expect.isLessThan repErr rndErr "and the diagnosis is closer to the truth"
        }
        test "area samples: distinct neighbourhoods, the doors asked for, deterministic, validated" {
            let a = Workbench.Data.AreaSampling.Sample(e.Value, 8, 500, false, 9)
            Expect.equal a.Neighbourhoods.Count 8 "areas"
            Expect.equal (a.Neighbourhoods |> Seq.distinct |> Seq.length) 8 "distinct"
            Expect.equal a.DoorsKnocked 500 "doors"
            Expect.isGreaterThan a.Conversations 0 "conversations"
            Expect.floatClose Accuracy.high (Seq.sum (a.EstimatedShares :> seq<float>)) 1.0 "shares sum to 1"
            let b = Workbench.Data.AreaSampling.Sample(e.Value, 8, 500, false, 9)
            Expect.equal b.Neighbourhoods a.Neighbourhoods "same seed, same areas"
            Expect.equal b.EstimatedShares a.EstimatedShares "same seed, same doors"
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> Workbench.Data.AreaSampling.Sample(e.Value, 0, 500, true, 1) |> ignore) "areas ≥ 1"
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> Workbench.Data.AreaSampling.Sample(e.Value, 3, 0, true, 1) |> ignore) "doors ≥ 1"
        }
    ]
