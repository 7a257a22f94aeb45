/// A scenario's "network" sets the online graph (homophily, degrees) and the cascades of owned posts (acceptance, distance
/// decay) that campaigns work through (docs/networks.md, "The network of a scenario").
module Workbench.Tests.Campaigns.NetworkSpecTests

open System
open System.Text.Json.Nodes
open Expecto
open Workbench
open Workbench.Experiments

let private earned (network: string option) voters replicates =
    let root = JsonNode.Parse(Scenario.Builtin("earned-media").Json).AsObject()
    match network with Some n -> root.["network"] <- JsonNode.Parse n | None -> ()
    Scenario.Parse(root.ToJsonString()).With(replicates = Nullable replicates, voters = Nullable voters)

let private outsideShare (res: SimulationResult) arm =
    let rows = res.Spend |> Seq.filter (fun s -> s.Arm = arm) |> List.ofSeq
    float (rows |> List.sumBy (fun s -> s.ContactsOutsideBubble)) / float (rows |> List.sumBy (fun s -> s.Contacts))

let private key (r: SimulationResult) = r.Rows |> Seq.map (fun x -> x.Arm, x.Replicate, x.System, x.Party, x.Votes, x.Seats) |> List.ofSeq

[<Tests>]
let tests =
    testList "Campaigns.Network" [
        test "no network field, an empty one and the stated defaults give the same bytes" {
            let plain = Simulation.Run(earned None 20000 2, Nullable 2)
            let empty = Simulation.Run(earned (Some "{}") 20000 2, Nullable 2)
            let stated = Simulation.Run(earned (Some """{ "graph": { "partyHomophily": 0.7, "onlineDegree": 10 }, "cascade": { "acceptance": 0.3, "distanceDecay": 6 } }""") 20000 2, Nullable 2)
            Expect.equal (key empty) (key plain) "an empty network is the default"
            Expect.equal (key stated) (key plain) "the defaults stated explicitly"
        }
        test "stronger party homophily keeps a cascade's contacts inside the sponsor's bubble; paid reach does not depend on the graph" {
            let low = Simulation.Run(earned (Some """{ "graph": { "partyHomophily": 0.2 } }""") 20000 2, Nullable 2)
            let high = Simulation.Run(earned (Some """{ "graph": { "partyHomophily": 0.95 } }""") 20000 2, Nullable 2)
            let l, h = outsideShare low "owned-cascade", outsideShare high "owned-cascade"
            printfn "owned-cascade contacts outside Red's identifiers: homophily 0.2 → %.3f, 0.95 → %.3f" l h
            Expect.isLessThan h l "more homophily, fewer contacts outside the bubble"
            Expect.equal (outsideShare high "paid") (outsideShare low "paid") "paid ads do not travel over the graph"
        }
        test "a faster fall of sharing with opinion distance (the feed favouring like-minded posts) narrows the cascade" {
            let loose = Simulation.Run(earned (Some """{ "cascade": { "distanceDecay": 1 } }""") 20000 2, Nullable 2)
            let tight = Simulation.Run(earned (Some """{ "cascade": { "distanceDecay": 20 } }""") 20000 2, Nullable 2)
            let contacts (r: SimulationResult) = r.Spend |> Seq.filter (fun s -> s.Arm = "owned-cascade") |> Seq.sumBy (fun s -> s.Contacts)
            Expect.isLessThan (contacts tight) (contacts loose) "fewer contacts when sharing stops at the bubble's edge"
        }
        test "invalid network fields are reported with their JSON path" {
            for body, path in
                [ """{ "graph": { "partyHomophily": 1.5 } }""", "$.network.graph.partyHomophily"
                  """{ "cascade": { "acceptance": -0.1 } }""", "$.network.cascade.acceptance"
                  """{ "graph": { "homophily": 0.5 } }""", "$.network.graph.homophily"
                  """{ "ranking": 1 }""", "$.network.ranking"
                  "3", "$.network" ] do
                let msg = try earned (Some body) 20000 1 |> ignore; "" with :? SpecValidationException as e -> e.Message
                Expect.stringContains msg path body
        }
    ]
