module Workbench.Tests.Experiments.SimulationTests

open System
open Expecto
open Workbench.Experiments

let private classroom = lazy (Simulation.Run(Scenario.Builtin("classroom").With(Nullable 4, Nullable 3, Nullable 20000), Nullable 2))

[<Tests>]
let tests =
    testList "Experiments.Simulation" [
        test "a contrast is the paired difference of two arms: its mean equals the difference of their effects, an arm against itself is exactly zero" {
            let r = classroom.Value
            let effects = r.Effects() |> Seq.filter (fun e -> e.Party = "Red") |> Seq.map (fun e -> (e.Arm, e.System), e) |> Map.ofSeq
            let contrasts = r.Contrasts("red-microtargets", "blue-broadcasts", "Red")
            Expect.equal (contrasts |> Seq.map (fun c -> c.System) |> Set.ofSeq) (set [ "FPTP"; "D'Hondt" ]) "one per system"
            for c in contrasts do
                let a = effects[("red-microtargets", c.System)].SeatChange.Mean
                let b = effects[("blue-broadcasts", c.System)].SeatChange.Mean
                Expect.floatClose Accuracy.high c.SeatDifference.Mean (a - b) (sprintf "%s: paired mean = difference of means" c.System)
                Expect.equal c.Replicates 4 "paired over every replicate"
                Expect.isLessThanOrEqual c.SeatDifference.Low c.SeatDifference.Mean "interval below"
                Expect.isGreaterThanOrEqual c.SeatDifference.High c.SeatDifference.Mean "interval above"
            for c in r.Contrasts("red-microtargets", "red-microtargets", "Red") do
                Expect.equal c.SeatDifference (Estimate(0.0, 0.0, 0.0)) "no difference, no width"
        }
        test "a contrast names what it cannot find" {
            let r = classroom.Value
            let ex = Expect.throwsC (fun () -> r.Contrasts("nope", "blue-broadcasts", "Red") |> ignore) id
            Expect.stringContains ex.Message "red-microtargets" "lists the arms"
            Expect.throwsT<ArgumentException> (fun () -> r.Contrasts("red-microtargets", "blue-broadcasts", "Magenta") |> ignore) "party"
        }
    ]
