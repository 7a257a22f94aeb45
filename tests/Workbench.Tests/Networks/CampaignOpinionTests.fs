/// Opinion dynamics over the campaign weeks (scenario field network.opinion; docs/networks.md, "Opinion dynamics over the
/// campaign"): one issue's positions move on the online graph and election day counts the moved positions.
module Workbench.Tests.Networks.CampaignOpinionTests

open System
open System.Text.Json.Nodes
open Expecto
open Workbench
open Workbench.Experiments

/// The shipped scenario with its network.opinion replaced (None: the field removed), at a test size.
let private scenario (opinion: string option) voters replicates =
    let root = JsonNode.Parse(Scenario.Builtin("opinion-dynamics").Json).AsObject()
    match opinion with
    | Some o -> root.["network"].AsObject().["opinion"] <- JsonNode.Parse o
    | None -> root.Remove("network") |> ignore
    Scenario.Parse(root.ToJsonString()).With(replicates = Nullable replicates, voters = Nullable voters)

let private bytes (r: SimulationResult) = r.OutputFiles() |> Seq.map (fun kv -> kv.Key, kv.Value) |> List.ofSeq
let private csv (r: SimulationResult) = r.ToCsv()

[<Tests>]
let tests =
    testList "Networks.CampaignOpinion" [
        test "mu = 0 or zero steps per week count exactly the ballots of no dynamics" {
            let none = Simulation.Run(scenario None 8000 2, Nullable 2)
            for body in [ """{ "model": "deffuant", "issue": 1, "epsilon": 0.3, "mu": 0, "stepsPerWeek": 3 }"""
                          """{ "model": "algorithmic-bias", "issue": 1, "epsilon": 0.3, "mu": 0.3, "gamma": 1.5, "stepsPerWeek": 0 }""" ] do
                let still = Simulation.Run(scenario (Some body) 8000 2, Nullable 2)
                Expect.equal (csv still) (csv none) body
                for c in still.OpinionShareChanges() do
                    Expect.equal c.ShareChangePoints.Mean 0.0 (body + ": " + c.Party)
        }
        test "strong averaging contracts the positions toward their mean and the spread falls" {
            let sc = scenario (Some """{ "model": "deffuant", "issue": 1, "epsilon": 1, "mu": 0.5, "stepsPerWeek": 2 }""") 8000 1
            let drift = Simulation.Detail(sc, 0, Nullable 1).Drift
            Expect.isNotNull (box drift) "the dynamics ran"
            let mean (x: seq<float>) = Seq.average x
            let mad (x: seq<float>) = let m = mean x in x |> Seq.averageBy (fun v -> abs (v - m))
            Expect.floatClose Accuracy.medium (mean drift.After) (mean drift.Before) "pairwise averaging keeps the mean"
            Expect.isLessThan (mad drift.After) (0.5 * mad drift.Before) "positions contract toward the mean"
            Expect.isLessThan drift.MetricsAfter.Variance (0.5 * drift.MetricsBefore.Variance) "the spread falls"
            let lo, hi = Seq.min drift.Before, Seq.max drift.Before
            Expect.isTrue (drift.After |> Seq.forall (fun v -> v >= lo - 1e-12 && v <= hi + 1e-12)) "moved positions stay within the old range"
        }
        test "contraction on an issue costs the party at its extreme and the share change follows the proximity model" {
            // Classroom parties on issue 1 (cultural/immigration): Purple at 1.4, the others between −0.8 and 0.5.
            let sc = scenario (Some """{ "model": "deffuant", "issue": 1, "epsilon": 0.5, "mu": 0.3, "stepsPerWeek": 2 }""") 10000 4
            let res = Simulation.Run(sc, Nullable 2)
            let changes = res.OpinionShareChanges() |> Seq.map (fun c -> c.Party, c.ShareChangePoints) |> Map.ofSeq
            printfn "share change (points): %s" (changes |> Map.toList |> List.map (fun (p, e) -> sprintf "%s %.2f (%.2f, %.2f)" p e.Mean e.Low e.High) |> String.concat "; ")
            Expect.isLessThan changes.["Purple"].High 0.0 "the extreme party loses"
            // The expected share change from the utility shift alone (turnout-weighted logit probabilities) has the same sign.
            let run = Simulation.Detail(sc, 0, Nullable 1)
            let m = run.Model
            let e = run.Electorate
            let P = e.PartyCount
            let expected = Array.zeroCreate<float> P
            let q0, q1 = Array.zeroCreate<float> P, Array.zeroCreate<float> P
            let mutable total = 0.0
            for i in 0 .. e.VoterCount - 1 do
                let t = Workbench.Electorate.TurnoutModel.Logistic(float m.TurnoutLogit.[i])
                m.Probabilities(i, Span q0)
                m.Probabilities(i, Span q1, run.Drift.UtilityShift.AsSpan().Slice(i * P, P))
                for j in 0 .. P - 1 do expected.[j] <- expected.[j] + t * (q1.[j] - q0.[j])
                total <- total + t
            for j in 0 .. P - 1 do
                let party = e.PartyNames.[j]
                let c = changes.[party]
                if c.Low > 0.0 || c.High < 0.0 then
                    Expect.equal (sign expected.[j]) (sign c.Mean) (sprintf "%s: counted %.3f, expected %.3f points" party c.Mean (100.0 * expected.[j] / total))
        }
        test "campaigns plan on the pre-campaign positions: spend and contacts are the same with and without dynamics" {
            let none = Simulation.Run(scenario None 8000 2, Nullable 2)
            let moved = Simulation.Run(scenario (Some """{ "model": "deffuant", "issue": 1, "epsilon": 0.3, "mu": 0.3, "stepsPerWeek": 2 }""") 8000 2, Nullable 2)
            let key (r: SimulationResult) = r.Spend |> Seq.map (fun s -> s.Arm, s.Replicate, s.Party, s.Spend, s.VotersContacted, s.Contacts) |> List.ofSeq
            Expect.equal (key moved) (key none) "the same plans and deliveries"
            Expect.notEqual (csv moved) (csv none) "the ballots differ"
        }
        test "the same bytes for 1 and 2 threads (deffuant and algorithmic bias)" {
            for body in [ """{ "model": "deffuant", "issue": 1, "epsilon": 0.3, "mu": 0.3, "stepsPerWeek": 2 }"""
                          """{ "model": "algorithmic-bias", "issue": 0, "epsilon": 0.3, "mu": 0.3, "gamma": 1.5, "stepsPerWeek": 2 }""" ] do
                let sc = scenario (Some body) 8000 2
                Expect.equal (bytes (Simulation.Run(sc, Nullable 2))) (bytes (Simulation.Run(sc, Nullable 1))) body
        }
        test "invalid opinion fields are reported with their JSON path, value and range" {
            for body, path, text in
                [ """{ "mu": 0.7 }""", "$.network.opinion.mu", "[0, 0.5]"
                  """{ "epsilon": -0.1 }""", "$.network.opinion.epsilon", "[0, 1]"
                  """{ "gamma": 11 }""", "$.network.opinion.gamma", "[0, 10]"
                  """{ "stepsPerWeek": -1 }""", "$.network.opinion.stepsPerWeek", "[0, 1000]"
                  """{ "issue": 4 }""", "$.network.opinion.issue", "[0, 3]"
                  """{ "model": "bogus" }""", "$.network.opinion.model", "deffuant"
                  """{ "speed": 1 }""", "$.network.opinion.speed", ""
                  "3", "$.network.opinion", "" ] do
                let msg = try scenario (Some body) 8000 1 |> ignore; "" with :? SpecValidationException as e -> e.Message
                Expect.stringContains msg path body
                Expect.stringContains msg text body
        }
    ]
