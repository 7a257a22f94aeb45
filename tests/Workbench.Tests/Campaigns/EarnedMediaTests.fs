/// Owned social through the online graph: posts reach non-followers only through an earned-media cascade.
module Workbench.Tests.Campaigns.EarnedMediaTests

open System
open Expecto
open Workbench.Behaviour
open Workbench.Experiments

let private scenario voters replicates = Scenario.Builtin("earned-media").With(replicates = Nullable replicates, voters = Nullable voters)

let private outsideShare (res: SimulationResult) arm =
    let rows = res.Spend |> Seq.filter (fun s -> s.Arm = arm) |> List.ofSeq
    float (rows |> List.sumBy (fun s -> s.ContactsOutsideBubble)) / float (rows |> List.sumBy (fun s -> s.Contacts))

[<Tests>]
let tests =
    testList "Campaigns.EarnedMedia" [
        test "the cascade, not a constant, decides who outside the followers a post reaches; paid ads reach outside the bubble" {
            let sc = scenario 20000 2
            Expect.equal (sc.Channel "owned-cascade").Spread Spread.Cascade "the scenario's channel spreads by cascade"
            Expect.equal (sc.Channel "owned-social").Spread Spread.Bubble "the built-in keeps the constant reach"
            let res = Simulation.Run(sc, Nullable 2)
            let bubble, cascade, paid = outsideShare res "owned-bubble", outsideShare res "owned-cascade", outsideShare res "paid"
            printfn "share of contacts outside Red's identifiers: owned-bubble %.3f, owned-cascade %.3f, paid %.3f" bubble cascade paid
            Expect.isGreaterThan bubble 0.0 "the constant reach leaks some posts"
            Expect.notEqual cascade bubble "the cascade changes who is reached"
            Expect.isGreaterThan paid bubble "paid ads reach beyond the followers more than owned posts with the constant reach"
            for s in res.Spend do Expect.isLessThanOrEqual s.ContactsOutsideBubble s.Contacts "a part of all contacts"
        }
        test "cascade reach gives the same bytes whatever the thread count" {
            let sc = scenario 8000 2
            Expect.equal (Simulation.Run(sc, Nullable 1).ToCsv()) (Simulation.Run(sc, Nullable 2).ToCsv()) "same results"
        }
        test "\"spread\" parses on a channel and rejects unknown values with the JSON path" {
            let bad = """{ "name": "x", "electorate": { "preset": "classroom", "voters": 2000 }, "systems": [ { "name": "FPTP", "type": "fptp" } ],
                           "channels": [ { "name": "owned-social", "spread": "osmosis" } ],
                           "campaigns": [ { "party": "Red", "budget": 10, "channels": ["owned-social"] } ] }"""
            let ex = Expect.throwsC (fun () -> Scenario.Parse bad |> ignore) id
            Expect.stringContains ex.Message "$.channels[0].spread" (sprintf "names the path: %s" ex.Message)
        }
    ]
