module Workbench.Tests.Suppression.SuppressionTests

open System
open Expecto
open Workbench.Behaviour
open Workbench.Experiments
open Workbench.Suppression

/// A small suppression scenario: Blue aims demobilising ads at Red's supporters (classroom preset, 20k voters), under the
/// optimistic preset: the subgroup estimate of Aggarwal et al. (2023), since their average (the central preset's) is ≈ 0.
let private suppression budget =
    Scenario.Parse(sprintf """{ "name": "s", "electorate": { "preset": "classroom", "voters": 20000 }, "regime": "us-like", "evidence": "optimistic",
      "systems": [ { "name": "FPTP", "type": "fptp" }, { "name": "D'Hondt", "type": "list", "method": "dhondt" } ],
      "campaigns": [ { "party": "Blue", "budget": %g, "strategy": "microtarget", "objective": "votes", "channels": ["demobilising-ads"] } ],
      "replicates": 1, "seed": 9 }""" budget)

/// The same (central preset) with demobilising ads <paramref name="effect"/> per person treated instead of the preset's (0).
let private strong budget (effect: float) =
    Scenario.Parse(sprintf """{ "name": "s", "electorate": { "preset": "classroom", "voters": 20000 }, "regime": "us-like",
      "systems": [ { "name": "FPTP", "type": "fptp" }, { "name": "D'Hondt", "type": "list", "method": "dhondt" } ],
      "channels": [ { "name": "demobilising-ads", "opponentTurnoutEffect": %g } ],
      "campaigns": [ { "party": "Blue", "budget": %g, "strategy": "microtarget", "objective": "votes", "channels": ["demobilising-ads"] } ],
      "replicates": 1, "seed": 9 }""" effect budget)

/// The same with several replicates, for intervals over replicates.
let private replicated budget replicates = (suppression budget).With(replicates = Nullable replicates)

[<Tests>]
let riskTests =
    testList "Suppression.Risk" [
        test "with no suppression budget every segment's turnout equals the baseline (common random numbers)" {
            let run = Simulation.Detail(suppression 0.0)
            let report = run.Suppression("campaign", "Red")
            for s in report.Segments do
                Expect.equal s.ArmTurnout s.BaselineTurnout (sprintf "segment %s" s.Segment)
                Expect.equal s.ExpectedTurnoutLoss 0.0 "no expected loss"
            Expect.equal report.TurnoutGap 0.0 "no gap"
        }
        test "demobilising ads lower the victim's supporters' turnout, not the sponsor's, and name the riskiest seats" {
            // Realised turnout over one election day: at Aggarwal et al.'s subgroup effect 3,000 buys about two lost votes,
            // too few to compare groups, so the effect is 33 times as large (as in the flip test below).
            let run = Simulation.Detail(strong 3000.0 -0.05)
            let report = run.Suppression("campaign", "Red")
            let seg name = report.Segments |> Seq.find (fun s -> s.Segment = name)
            Expect.isGreaterThan (seg "base").ExpectedTurnoutLoss ((seg "opponents").ExpectedTurnoutLoss) "Red's base loses more than Red's opponents"
            Expect.isGreaterThan (seg "base").ExpectedTurnoutLoss 0.0 "Red's base loses turnout"
            Expect.isLessThan report.TurnoutGap 0.0 (sprintf "Red leaners' turnout change %.4f vs others %.4f" report.VictimTurnoutChange report.OthersTurnoutChange)
            Expect.isGreaterThanOrEqual report.Constituencies.[0].Risk report.Constituencies.[report.Constituencies.Count - 1].Risk "sorted by risk"
        }
        test "the segment risk index is zero without a campaign and highest where Red's supporters lose turnout" {
            let none = Simulation.Detail(suppression 0.0).Suppression("campaign", "Red")
            Expect.isTrue (none.Segments |> Seq.forall (fun s -> s.Risk = 0.0)) "no risk without a campaign"
            let some = Simulation.Detail(suppression 3000.0).Suppression("campaign", "Red")
            let risk name = (some.Segments |> Seq.find (fun s -> s.Segment = name)).Risk
            Expect.isGreaterThan (risk "base" + risk "mobilisation-targets") (risk "opponents" + risk "unlikely") "Red's supporters carry the risk"
        }
        test "segments follow the stated thresholds of support and turnout" {
            // base: support ≥ 0.6 and turnout ≥ 0.6; mobilisation targets: support ≥ 0.6, turnout below; persuadables: support
            // 0.3–0.6; opponents: support below 0.3, turnout ≥ 0.6; unlikely: the rest.
            for support, turnout, expected in [ 0.6, 0.6, "base"; 0.9, 0.59, "mobilisation-targets"; 0.3, 0.99, "persuadables"; 0.29, 0.6, "opponents"; 0.0, 0.1, "unlikely" ] do
                Expect.equal SuppressionRisk.SegmentNames.[SuppressionRisk.Segment(support, turnout)] expected (sprintf "support %g, turnout %g" support turnout)
        }
    ]

/// Every figure of a study, as numbers: seats lost, flip probabilities, group changes.
let private everyFigure (s: SuppressionSeats) =
    [ for x in s.Seats do yield! x.PerReplicate; yield! x.PerDraw
      for c in s.Constituencies do yield c.FlipProbability; yield c.VictimLossProbability; yield c.VictimGainProbability
      for g in s.Groups do yield g.ChangePoints.Mean; yield g.ChangePoints.Low; yield g.ChangePoints.High ]

[<Tests>]
let measuredTests =
    testList "Suppression.Measured" [
        test "no demobilising budget: zero seats lost and zero flip probabilities, exactly" {
            let s = SuppressionStudy.Run(replicated 0.0 2, "campaign", "Red", 50)
            Expect.equal s.Draws 50 "draws"
            Expect.equal s.Constituencies.Count 20 "every constituency of the classroom preset"
            for x in everyFigure s do Expect.equal x 0.0 "nothing moves"
            for x in s.Seats do
                Expect.equal x.OverReplicates (Estimate(0.0, 0.0, 0.0)) (x.System + ": over replicates")
                Expect.equal x.OverDraws (Estimate(0.0, 0.0, 0.0)) (x.System + ": over draws")
            for c in s.Constituencies do Expect.equal c.Low 0.0 "Wilson interval starts at 0"
        }
        test "a demobilising budget flips close seats only: a seat with a huge baseline margin has flip probability 0" {
            // 33 times Aggarwal et al.'s subgroup effect, so that seats move often enough to see where.
            let s = SuppressionStudy.Run(strong 20000.0 -0.05, "campaign", "Red", 400)
            Expect.equal s.DemobilisationPerPerson -0.05 "the scenario's channel override is reported"
            let flipped = s.Constituencies |> Seq.filter (fun c -> c.FlipProbability > 0.0) |> Seq.toArray
            Expect.isGreaterThan flipped.Length 0 "some seats flip"
            let safe = s.Constituencies |> Seq.filter (fun c -> c.Margin > 0.3) |> Seq.toArray
            Expect.isGreaterThan safe.Length 0 "the electorate has safe seats"
            for c in safe do Expect.equal c.FlipProbability 0.0 (sprintf "constituency %d, margin %.3f: never flips" (c.Constituency + 1) c.Margin)
            let meanMargin (cs: SeatFlip seq) = cs |> Seq.averageBy (fun c -> c.Margin)
            Expect.isLessThan (meanMargin flipped) (0.5 * meanMargin s.Constituencies) "flips are concentrated in close seats"
            Expect.isLessThanOrEqual (flipped |> Array.map (fun c -> c.Margin) |> Array.max) 0.1 "no seat with a margin above 10 points flips"
            for c in s.Constituencies do
                Expect.isTrue (c.Low <= c.FlipProbability && c.FlipProbability <= c.High) "the Wilson interval holds the estimate"
                Expect.isLessThanOrEqual (c.VictimLossProbability + c.VictimGainProbability) (c.FlipProbability + 1e-12) "victim losses and gains are flips (up to rounding of the sum)"
            Expect.equal (s.Constituencies |> Seq.map (fun c -> c.FlipProbability) |> Seq.toList)
                (s.Constituencies |> Seq.map (fun c -> c.FlipProbability) |> Seq.sortDescending |> Seq.toList) "highest flip probability first"
            let fptp = s.SeatsUnder "FPTP"
            let lossMinusGain = s.Constituencies |> Seq.sumBy (fun c -> c.VictimLossProbability - c.VictimGainProbability)
            Expect.floatClose Accuracy.high fptp.OverDraws.Mean lossMinusGain "FPTP seats lost over draws = Σ (P(victim loses) − P(victim gains))"
            Expect.isGreaterThan fptp.OverDraws.Low 0.0 "Red loses FPTP seats (the whole interval above 0)"
            let pivot (cs: SeatFlip seq) = cs |> Seq.averageBy (fun c -> c.Pivotality)
            Expect.isGreaterThan (pivot flipped) (pivot s.Constituencies) "the seats that flip have above-average analytic pivotality"
        }
        test "seats lost: each interval contains the mean of its per-replicate (or per-draw) values, and draw 0 is the replicate's own election" {
            let sc = replicated 6000.0 4
            let result = Simulation.Run(sc)
            let s = SuppressionStudy.Measure(result, Simulation.Detail(sc, 2), "campaign", "Red", 60)
            Expect.equal s.Replicate 2 "the replicate studied"
            for x in s.Seats do
                Expect.equal x.PerReplicate.Count 4 "one value per replicate"
                Expect.floatClose Accuracy.veryHigh x.OverReplicates.Mean (Seq.average x.PerReplicate) "mean of the replicates"
                Expect.isTrue (x.OverReplicates.Low <= x.OverReplicates.Mean && x.OverReplicates.Mean <= x.OverReplicates.High) "interval over replicates holds the mean"
                Expect.floatClose Accuracy.veryHigh x.OverDraws.Mean (Seq.average x.PerDraw) "mean of the draws"
                Expect.isTrue (x.OverDraws.Low <= x.OverDraws.Mean && x.OverDraws.Mean <= x.OverDraws.High) "interval over draws holds the mean"
                Expect.equal x.PerDraw.[0] x.PerReplicate.[2] (x.System + ": draw 0 counts replicate 2's election, as Simulation.Run does")
                let effect = result.Effects() |> Seq.find (fun e -> e.Arm = "campaign" && e.System = x.System && e.Party = "Red")
                Expect.floatClose Accuracy.veryHigh x.OverReplicates.Mean (-effect.SeatChange.Mean) "seats lost = − the simulation's seat change"
        }
        test "the pessimistic evidence preset has no demobilisation effect, so nothing is lost" {
            Expect.equal EvidenceSet.Pessimistic.AdDemobilisationPerPerson 0.0 "Aggarwal et al.: average ≈ 0"
            let s = SuppressionStudy.Run((replicated 20000.0 2).WithEvidence "pessimistic", "campaign", "Red", 50)
            Expect.equal s.Evidence "pessimistic" "the preset is reported"
            Expect.equal s.DemobilisationPerPerson 0.0 "its demobilisation"
            for x in everyFigure s do Expect.equal x 0.0 "nothing moves"
            for g in s.Groups do Expect.equal g.ExpectedChangePoints 0.0 (sprintf "%s %s: no expected change" g.Dimension g.Group)
        }
        test "which voters lose most: Red's leaners, not the others; realised change agrees with the expected change" {
            let s = SuppressionStudy.Run(suppression 20000.0, "campaign", "Red", 100)
            let group d g = s.Groups |> Seq.find (fun x -> x.Dimension = d && x.Group = g)
            let red, others = group "leaning" "leans Red", group "leaning" "leans elsewhere"
            Expect.isLessThan red.ChangePoints.High 0.0 "Red's leaners lose turnout (the whole interval below 0)"
            Expect.isLessThan red.ChangePoints.Mean others.ChangePoints.Mean "more than everyone else"
            Expect.isTrue (red.ChangePoints.Low <= red.ExpectedChangePoints && red.ExpectedChangePoints <= red.ChangePoints.High)
                (sprintf "expected %.4f inside the realised interval (%.4f, %.4f)" red.ExpectedChangePoints red.ChangePoints.Low red.ChangePoints.High)
            for d in [ "segment"; "leaning"; "age"; "education"; "income"; "minority"; "urban" ] do
                Expect.equal (s.Groups |> Seq.filter (fun g -> g.Dimension = d) |> Seq.sumBy (fun g -> g.Voters)) 20000 (d + ": every voter in one group")
            for g in s.Groups do Expect.isLessThanOrEqual g.ChangePoints.Mean 0.0 (sprintf "%s %s: demobilisation never raises turnout" g.Dimension g.Group)
            let most = s.LosingMost 3
            Expect.equal most.[0].ChangePoints.Mean (s.Groups |> Seq.map (fun g -> g.ChangePoints.Mean) |> Seq.min) "the largest loss first"
        }
        test "the study is the same for 1 or 2 threads, and its table has a row per figure" {
            let one = SuppressionStudy.Run(suppression 6000.0, "campaign", "Red", 20, threads = Nullable 1)
            let two = SuppressionStudy.Run(suppression 6000.0, "campaign", "Red", 20, threads = Nullable 2)
            let csv = one.ToTable().ToCsv()
            Expect.equal csv (two.ToTable().ToCsv()) "same bytes"
            Expect.equal (one.ToTable().RowCount) (2 * 2 + 20 + one.Groups.Count) "seats × 2 systems, 20 constituencies, every group"
            Expect.stringContains (one.ToText()) "Seats lost by Red" "text"
        }
        test "bad requests name the parameter and the valid values" {
            let sc = suppression 1000.0
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> SuppressionStudy.Run(sc, "campaign", "Red", 0) |> ignore) "0 draws"
            let ex = Expect.throwsC (fun () -> SuppressionStudy.Run(sc, "nope", "Red", 5) |> ignore) id
            Expect.stringContains ex.Message "arms: campaign" "names the arms"
            let ex = Expect.throwsC (fun () -> SuppressionStudy.Run(sc, "campaign", "Mauve", 5) |> ignore) id
            Expect.stringContains ex.Message "Red" "names the parties"
            let other = Simulation.Detail((suppression 1000.0).With(seed = Nullable 10))
            Expect.throwsT<ArgumentException> (fun () -> SuppressionStudy.Measure(Simulation.Run(sc), other, "campaign", "Red", 5) |> ignore) "a replicate of another run"
        }
        test "the Wilson interval: 0 of n starts at 0, n of n ends at 1, and it is symmetric about one half" {
            let struct (l0, h0) = SuppressionStudy.Wilson(0, 200)
            Expect.equal l0 0.0 "0 of 200"
            Expect.floatClose Accuracy.medium h0 0.0188453 "upper end of 0/200: z² / (200 + z²) = 3.8415 / 203.8415"
            let struct (l1, h1) = SuppressionStudy.Wilson(200, 200)
            Expect.equal h1 1.0 "200 of 200"
            Expect.floatClose Accuracy.high l1 (1.0 - h0) "mirror"
            let struct (l, h) = SuppressionStudy.Wilson(50, 100)
            Expect.floatClose Accuracy.high (0.5 - l) (h - 0.5) "symmetric at one half"
        }
    ]
