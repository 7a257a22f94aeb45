/// Forecast error (docs/campaigns.md, "Forecast error"): a campaign poll's house effect and a national and regional swing
/// between the forecast and election day, the same for the baseline and every arm of a replicate.
module Workbench.Tests.Campaigns.ForecastErrorTests

open System
open Expecto
open Workbench
open Workbench.Behaviour
open Workbench.Campaigns
open Workbench.Experiments

let private classroom (forecast: string) (arms: string) =
    Scenario.Parse(
        $"""{{ "name": "fe", "electorate": {{ "preset": "classroom", "voters": 20000 }}, "systems": [ {{ "name": "FPTP", "type": "fptp" }} ],
             {forecast} "arms": {arms}, "replicates": 3 }}""")

let private redArm (name: string) = $"""{{ "name": "{name}", "campaigns": [ {{ "party": "Red", "budget": 15000, "channels": ["canvass", "paid-social"] }} ] }}"""
let private armsAB = "[ " + redArm "a" + ", " + redArm "b" + " ]"
let private armsA = "[ " + redArm "a" + " ]"

/// Each party's expected national share on election day under a per-voter utility shift.
let private expectedShares (model: ElectionDayModel) (shift: float32[]) =
    let e = model.Electorate
    let P = e.PartyCount
    let sums = Array.zeroCreate<float> P
    let p = Array.zeroCreate<float> P
    let mutable w = 0.0
    for i in 0 .. e.VoterCount - 1 do
        let t = float e.TurnoutPropensity.[i]
        model.Probabilities(i, Span p, if isNull shift then ReadOnlySpan.Empty else ReadOnlySpan(shift, i * P, P))
        for j in 0 .. P - 1 do sums.[j] <- sums.[j] + t * p.[j]
        w <- w + t
    sums |> Array.map (fun s -> s / w)

[<Tests>]
let tests =
    testList "Campaigns.ForecastError" [
        test "the national swing moves each party's expected share by about the stated sd (centred over parties: sd·√((P−1)/P))" {
            let e = Workbench.Electorate.Electorates.Generate("classroom", voters = 20000, seed = 1)
            let model = ElectionDayModel(e)
            let baseShares = expectedShares model null
            let spec = ForecastError(NationalSwing = 0.02)
            let P = e.PartyCount
            let swings = [| for s in 1 .. 60 -> Array.map2 (-) (expectedShares model (spec.UtilityShift(model, s))) baseShares |]
            let expected = 0.02 * sqrt (float (P - 1) / float P)
            for j in 0 .. P - 1 do
                let xs = swings |> Array.map (fun d -> d.[j])
                let sd = sqrt ((xs |> Array.sumBy (fun x -> x * x)) / float xs.Length)
                // 60 draws: the sd's own sampling error is about 9%; the logit's curvature adds a little.
                Expect.isTrue (sd > 0.7 * expected && sd < 1.3 * expected) (sprintf "party %d: realised sd %.4f against %.4f" j sd expected)
            Expect.isNull (ForecastError.None.UtilityShift(model, 1)) "no swing without forecast error"
            Expect.equal (spec.UtilityShift(model, 7)) (spec.UtilityShift(model, 7)) "the same seed, the same swing"
        }
        test "a regional swing differs between regions and is shared within one" {
            let e = Workbench.Electorate.Electorates.Generate("classroom", voters = 20000, seed = 1)
            let model = ElectionDayModel(e)
            let shift = ForecastError(RegionalSwing = 0.03).UtilityShift(model, 3)
            let P = e.PartyCount
            let regionOf i = e.ConstituencyRegion.[int e.Constituency.[i]]
            let first = Collections.Generic.Dictionary<byte, float32>()
            for i in 0 .. e.VoterCount - 1 do
                let r = regionOf i
                if first.ContainsKey r then Expect.equal shift.[i * P] first.[r] "the same shift for every voter of a region"
                else first.[r] <- shift.[i * P]
            Expect.isGreaterThan (first.Values |> Seq.distinct |> Seq.length) 1 "regions swing differently"
        }
        test "the house effect biases the campaign's estimated shares the same way in every constituency, and 0 changes nothing" {
            let e = Workbench.Electorate.Electorates.Generate("classroom", voters = 20000, seed = 1)
            let k = CampaignKnowledge.Build(e, Workbench.Data.DataRegime.Preset "us-like", 5)
            Expect.isTrue (obj.ReferenceEquals(k.WithHouseEffect(0.0, 9), k)) "sd 0: the same knowledge"
            let h = k.WithHouseEffect(0.03, 9)
            let P = k.Parties
            let mean (kn: CampaignKnowledge) j = Seq.average [ for i in 0 .. e.VoterCount - 1 -> float kn.Support.[i * P + j] ]
            let bias = [| for j in 0 .. P - 1 -> mean h j - mean k j |]
            Expect.isGreaterThan (bias |> Array.map abs |> Array.max) 0.005 "some party's share is off by more than half a point"
            Expect.floatClose Accuracy.medium (Array.sum bias) 0.0 "the biases move share between parties"
            for i in 0 .. 97 .. e.VoterCount - 1 do
                Expect.floatClose Accuracy.medium (Seq.sum [ for j in 0 .. P - 1 -> float h.Support.[i * P + j] ]) 1.0 "each row still sums to 1"
            Expect.sequenceEqual h.Turnout k.Turnout "turnout estimates are kept"
        }
        test "forecast error is paired: identical arms give identical rows, and none gives the same bytes as no forecast field" {
            let withError = classroom """ "forecast": { "nationalSwing": 0.02, "regionalSwing": 0.01, "houseEffect": 0.01 }, """ armsAB
            let res = Simulation.Run(withError, Nullable 2)
            let rows arm = res.Rows |> Seq.filter (fun r -> r.Arm = arm) |> Seq.map (fun r -> r.Replicate, r.System, r.Party, r.Votes, r.Seats) |> List.ofSeq
            Expect.equal (rows "a") (rows "b") "two identical arms: the same swing and house effect, the same ballots"
            let plain = Simulation.Run(classroom "" armsA, Nullable 2)
            let zero = Simulation.Run(classroom """ "forecast": { "nationalSwing": 0, "regionalSwing": 0, "houseEffect": 0 }, """ armsA, Nullable 2)
            let key (r: SimulationResult) = r.Rows |> Seq.map (fun x -> x.Arm, x.Replicate, x.System, x.Party, x.Votes, x.Seats) |> List.ofSeq
            Expect.equal (key zero) (key plain) "zero forecast error is no forecast error"
            let baseRows (r: SimulationResult) = r.Rows |> Seq.filter (fun x -> x.Arm = "baseline") |> Seq.map (fun x -> x.Votes) |> List.ofSeq
            Expect.notEqual (baseRows res) (baseRows plain) "the swing moves the baseline election too"
            let oneThread = Simulation.Run(withError, Nullable 1)
            Expect.equal (key oneThread) (key res) "the same bytes for 1 and 2 threads"
        }
        test "ContrastChange pairs two scenarios by replicate and refuses runs that do not share replicates" {
            let arms = "[ " + redArm "t" + """, { "name": "b", "campaigns": [ { "party": "Red", "budget": 15000, "strategy": "broadcast", "channels": ["canvass", "paid-social"] } ] } ]"""
            let a = Simulation.Run(classroom """ "forecast": { "nationalSwing": 0.02 }, """ arms, Nullable 2)
            let b = Simulation.Run(classroom "" arms, Nullable 2)
            let change = a.ContrastChange(b, "t", "b", "Red") |> Seq.exactlyOne
            let ca = a.Contrasts("t", "b", "Red") |> Seq.exactlyOne
            let cb = b.Contrasts("t", "b", "Red") |> Seq.exactlyOne
            Expect.floatClose Accuracy.high change.SeatDifference.Mean (ca.SeatDifference.Mean - cb.SeatDifference.Mean) "the mean of paired differences is the difference of means"
            Expect.equal change.Replicates 3 "three replicates"
            let other = Simulation.Run(Scenario.Parse(b.Scenario.Json.Replace("\"replicates\":3", "\"replicates\":3,\"seed\":99")), Nullable 2)
            Expect.throwsT<ArgumentException> (fun () -> a.ContrastChange(other, "t", "b", "Red") |> ignore) "different seeds cannot be paired"
        }
        test "invalid forecast fields are reported with their JSON path" {
            for body, path in
                [ """ "forecast": { "nationalSwing": -0.01 }, """, "$.forecast.nationalSwing"
                  """ "forecast": { "houseEffect": 0.5 }, """, "$.forecast.houseEffect"
                  """ "forecast": { "swing": 0.01 }, """, "$.forecast.swing"
                  """ "forecast": 0.02, """, "$.forecast" ] do
                let ex = Expect.throwsT<SpecValidationException> (fun () -> classroom body armsA |> ignore) path
                ()
            let err = try classroom """ "forecast": { "nationalSwing": -0.01 }, """ armsA |> ignore; "" with :? SpecValidationException as e -> e.Message
            Expect.stringContains err "$.forecast.nationalSwing" "names the field"
        }
    ]
