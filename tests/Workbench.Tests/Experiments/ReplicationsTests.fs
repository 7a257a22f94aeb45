/// Chapter 11's replications: every published finding, rerun from the library, within its tolerance.
module Workbench.Tests.Experiments.ReplicationsTests

open System
open Expecto
open Workbench.Experiments

let private check (rs: Replication seq) =
    let rs = List.ofSeq rs
    Expect.isNonEmpty rs "replications ran"
    for r in rs do
        printfn "replication: %s — published %g, simulated %.4f, tolerance %.4f (%s)" r.Finding r.Published r.Simulated r.Tolerance r.Units
        Expect.isFalse (Double.IsNaN r.Simulated) (r.Finding + ": a figure")
        Expect.isTrue r.Reproduced (sprintf "%s (%s): published %g, simulated %g, tolerance %g" r.Finding r.Source r.Published r.Simulated r.Tolerance)

[<Tests>]
let tests =
    testList "Experiments.Replications" [
        test "field experiments: canvassing, phones, mail, robocalls, email, social pressure, spillover, online mobilisation, persuasion" {
            let rs = Replications.FieldExperimentsReplicated(300_000, 11, Nullable 2) |> List.ofSeq
            Expect.equal rs.Length 9 "nine findings"
            check rs
        }
        test "the cube law on simulated FPTP elections (Kendall & Stuart 1950)" { check [ Replications.CubeLaw(24, 100_000, Nullable 2) ] }
        test "Deffuant clusters ≈ ⌊1/(2ε)⌋ (Deffuant et al. 2000)" { check (Replications.Deffuant()) }
        test "algorithmic bias: more clusters, more polarisation, slower convergence (Sîrbu et al. 2019)" { check (Replications.AlgorithmicBias()) }
        test "a replication outside its tolerance is reported as not reproduced" {
            let r = Replication("x", "y", 14.0, 16.0, 1.4, "contacts per extra vote", "")
            Expect.isFalse r.Reproduced "16 is more than 1.4 from 14"
            Expect.isTrue (Replication("x", "y", 14.0, 15.0, 1.4, "contacts per extra vote", "")).Reproduced "15 is within 1.4"
        }
    ]
